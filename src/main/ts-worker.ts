/**
 * Worker threads on a module of this package, whether it runs from the TypeScript sources through
 * tsx (bin/netpulse, vitest) or as built JavaScript.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** the URL of `./<name>.ts` beside the caller (`import.meta.url`) from sources, `./<name>.js` when built */
export function siblingModuleUrl(name: string, callerUrl: string): string {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl).href;
}

/** Starts a worker on `moduleUrl`. If the module cannot be imported, the worker posts `{ fatal: stack }`. */
export function startModuleWorker(moduleUrl: string, opts: { workerData?: unknown; resourceLimits?: ResourceLimits } = {}): Worker {
  const url = JSON.stringify(moduleUrl);
  // sources run through tsx: register its loader inside the thread before importing the worker
  const boot = `import('tsx/esm/api').then(({ register }) => { if (${url}.endsWith('.ts')) register(); return import(${url}); })`
    + `.catch((e) => { require('node:worker_threads').parentPort.postMessage({ fatal: String(e && e.stack || e) }); });`;
  return new Worker(boot, { eval: true, ...opts });
}
