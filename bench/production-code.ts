/**
 * Benchmarks measure the code bin/netpulse runs: build/ when it is current (the rule in
 * bin/build-fresh.mjs, shared with bin/netpulse), else the sources through tsx (which wraps every
 * function in a name-keeping helper: a few % more CPU per request).
 */
import { join } from 'node:path';
import { buildIsFresh, root } from '../bin/build-fresh.mjs';

export const usesBuild: boolean = buildIsFresh();

/** `snmp/client` → build/snmp/client.js or src/snmp/client.ts */
export function productionModule<T>(path: string): Promise<T> {
  const file = usesBuild ? join(root, 'build', `${path}.js`) : join(root, 'src', `${path}.ts`);
  return import(file) as Promise<T>;
}

export const codeLabel = (): string =>
  usesBuild ? 'code: build/ (what bin/netpulse runs)' : 'code: src/ through tsx (build/ is missing or older than src/: `npm run build`)';
