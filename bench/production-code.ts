/**
 * Benchmarks measure the code bin/netpulse runs: build/ (src/ compiled by `npm ci` / `npm run
 * build`) when it is newer than every source file, as bin/netpulse decides, else the sources
 * through tsx (which wraps every function in a name-keeping helper: a few % more CPU per request).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export const usesBuild: boolean = (() => {
  if (process.env.NETPULSE_FROM_SOURCES === '1') return false;
  try {
    return statSync(join(root, 'build/.built')).mtimeMs >= newestSource(join(root, 'src'));
  } catch {
    return false;
  }
})();

/** `snmp/client` → build/snmp/client.js or src/snmp/client.ts */
export function productionModule<T>(path: string): Promise<T> {
  const file = usesBuild ? join(root, 'build', `${path}.js`) : join(root, 'src', `${path}.ts`);
  return import(file) as Promise<T>;
}

export const codeLabel = (): string =>
  usesBuild ? 'code: build/ (what bin/netpulse runs)' : 'code: src/ through tsx (build/ is missing or older than src/: `npm run build`)';
