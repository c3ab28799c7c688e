/**
 * Benchmarks measure the code bin/netpulse runs: build/ when it is current (the rule in
 * bin/build-fresh.mjs, shared with bin/netpulse), else the sources through tsx (which wraps every
 * function in a name-keeping helper: a few % more CPU per request).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildIsFresh, launcherNodeFlags, root } from '../bin/build-fresh.mjs';
import { SERVICE_HEAP_FLAGS, useServiceHeapPolicy } from '../src/cli/heap-policy.ts';

/** the node flags bin/netpulse starts every command with: its shell part's `flags=` line */
export const productNodeFlags = (): string[] => launcherNodeFlags();

/** bin/netpulse's node flags and the heap policy its long-running commands set (poller benchmarks) */
export const serviceNodeFlags = (): string[] => [...productNodeFlags(), ...SERVICE_HEAP_FLAGS];

/**
 * A benchmark started without bin/netpulse's node flags (OpenSSL legacy provider) runs itself
 * again with them, so it measures the process an engineer runs; this one then exits with the
 * rerun's status. It then takes the heap policy of the long-running commands (a poller's), as
 * `netpulse start` does. Call before measuring anything.
 */
export function ensureProductNodeFlags(): void {
  useServiceHeapPolicy();
  const missing = productNodeFlags().filter((f) => !process.execArgv.includes(f));
  if (missing.length === 0) return;
  const runTs = join(root, 'bin', 'run-ts');
  const r = spawnSync(process.execPath, [...process.execArgv, ...missing, runTs, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

export const usesBuild: boolean = buildIsFresh();

/** `snmp/client` → build/snmp/client.js or src/snmp/client.ts */
export function productionModule<T>(path: string): Promise<T> {
  const file = usesBuild ? join(root, 'build', `${path}.js`) : join(root, 'src', `${path}.ts`);
  return import(file) as Promise<T>;
}

export const codeLabel = (): string =>
  usesBuild ? 'code: build/ (what bin/netpulse runs)' : 'code: src/ through tsx (build/ is missing or older than src/: `npm run build`)';
