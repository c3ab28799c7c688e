/**
 * Worker threads on a module of this package, whether it runs from the TypeScript sources through
 * tsx (bin/netpulse from sources, vitest) or as built JavaScript. Used by the SNMP threads and the
 * MIB compile and upload workers.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** the URL of `./<name>.ts` beside the caller (`import.meta.url`) from sources, `./<name>.js` when built */
export function siblingModuleUrl(name: string, callerUrl: string): string {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl).href;
}

/** Starts a worker on `moduleUrl`. If the module cannot be imported, the worker posts `{ fatal: stack }`. */
export function startModuleWorker(moduleUrl: string, opts: { workerData?: unknown; resourceLimits?: ResourceLimits } = {}): Worker {
  const url = JSON.stringify(moduleUrl);
  // a worker does not inherit the loader the main thread registered: from sources it registers
  // tsx's (resolved here, not from the process's working directory) before importing the module
  const load = moduleUrl.endsWith('.ts')
    ? `import(${JSON.stringify(tsxApiUrl())}).then(({ register }) => { register(); return import(${url}); })`
    : `import(${url})`;
  const boot = `${load}.catch((e) => { require('node:worker_threads').parentPort.postMessage({ fatal: String(e && e.stack || e) }); });`;
  return new Worker(boot, { eval: true, ...opts });
}

/** tsx's ESM register API (its `require` entry cannot register an ESM loader) */
function tsxApiUrl(): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('tsx/esm/api');
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(pkg.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
}
