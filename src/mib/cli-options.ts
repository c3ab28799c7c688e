/** option parsing shared by the `mib` and `oid` commands: -M DIRS (repeatable, colon-separated like Net-SNMP) */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { compileMibs, defaultCacheDir, defaultMibDirs, type CompileResult } from './index.ts';

export interface MibArgs { dirs: string[]; rest: string[]; cacheDir?: string; noCache: boolean; flags: Map<string, string> }

const VALUE_FLAGS = new Set(['--limit', '--offset', '--cache-dir']);

export function parseMibArgs(argv: string[]): MibArgs {
  const dirs: string[] = [];
  const rest: string[] = [];
  const flags = new Map<string, string>();
  let noCache = false;
  let cacheDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-M' || a === '--mib-dirs') {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a directory list`);
      dirs.push(...v.split(':').filter(Boolean));
    } else if (a.startsWith('-M') && a.length > 2) dirs.push(...a.slice(2).split(':').filter(Boolean));
    else if (a === '--no-cache') noCache = true;
    else if (VALUE_FLAGS.has(a)) {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      if (a === '--cache-dir') cacheDir = v; else flags.set(a, v);
    } else if (a.startsWith('--')) flags.set(a, 'true');
    else rest.push(a);
  }
  return { dirs, rest, cacheDir, noCache, flags };
}

/** the cache for a set of directories lives in its own subdirectory of <dataDir>/mib-cache */
export function cacheDirFor(dirs: string[], base?: string): string {
  const h = createHash('sha256').update(dirs.map((d) => resolve(d)).join('\n')).digest('hex').slice(0, 12);
  return join(base ?? defaultCacheDir(), h);
}

export function loadForCli(args: MibArgs): CompileResult {
  const dirs = args.dirs.length > 0 ? args.dirs : defaultMibDirs();
  if (dirs.length === 0) throw new Error('no MIB directories: pass -M DIR (the default mibs/ directory is missing)');
  return compileMibs(dirs, args.noCache ? {} : { cacheDir: cacheDirFor(dirs, args.cacheDir) });
}
