import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** the repository's mibs/ directory (shipped standard + vendor modules) */
export function repoMibsDir(): string {
  return resolve(fileURLToPath(new URL('../../mibs', import.meta.url)));
}

/** mibs/ and every directory below it, as `snmptranslate -M` wants them */
export function defaultMibDirs(): string[] {
  const root = repoMibsDir();
  return existsSync(root) ? [root] : [];
}

/** every directory under the roots, roots included (for Net-SNMP's -M, which does not recurse) */
export function allSubdirectories(roots: string[]): string[] {
  const out: string[] = [];
  const visit = (d: string, depth: number): void => {
    out.push(d);
    if (depth > 16) return;
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (!n.startsWith('.') && statSync(p).isDirectory()) visit(p, depth + 1);
    }
  };
  for (const r of roots) if (existsSync(r)) visit(resolve(r), 0);
  return out;
}

/** `<dataDir>/mib-cache`; dataDir from NETPULSE_DATA_DIR, else ./data */
export function defaultCacheDir(): string {
  return join(process.env.NETPULSE_DATA_DIR ?? resolve('data'), 'mib-cache');
}
