import { existsSync, readdirSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MibError } from './types.ts';

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

export interface SourceFile { path: string; size: number; mtimeMs: number }

/** what the listing asks of the file system (a test stands in one without inode numbers) */
export interface ListingFs {
  /** follows symlinks; the times and inode number as bigint */
  stat(path: string): BigIntStats;
  readdir(path: string): string[];
}

const NODE_FS: ListingFs = { stat: (p) => statSync(p, { bigint: true }), readdir: (p) => readdirSync(p) };

/** directories below this depth are not listed */
const MAX_DEPTH = 16;
const SKIP_NAME = /^(readme|license|licence|copying|changelog|makefile)(\..*)?$|\.(md|html?|pdf|gz|tgz|zip|bz2|xz|tar|json|ya?ml|sh|py|c|h|o|so|png|jpe?g|gif)$/i;

/**
 * every regular file under the directories, sorted, hidden files and non-MIB names left out, a file
 * once whatever the paths it is reached by. A directory reached a second time (through a symlink, or
 * named twice) is walked again only when reached at a shallower depth (the first walk may have been
 * cut at the depth limit), from the entries its first reading kept: each directory is read once.
 */
export function listMibFiles(dirs: string[], fs: ListingFs = NODE_FS): { files: SourceFile[]; errors: MibError[] } {
  const files: SourceFile[] = [];
  const errors: MibError[] = [];
  const seenFiles = new Set<string>();
  // directories walked so far, by identity, with the path and depth of their shallowest walk
  const walked = new Map<string, { path: string; depth: number }>();
  // each directory's sorted entries, by identity; undefined when it could not be read
  const entries = new Map<string, string[] | undefined>();
  // the directories being walked (the current one and its parents): meeting one again is a loop
  const open = new Set<string>();
  // where each problem was met: a root's path, or `<directory identity>/<entry name>`; a walk again repeats none
  const reported = new Set<string>();
  const report = (at: string, file: string, severity: 'error' | 'warning', message: string): void => {
    if (reported.has(at)) return;
    reported.add(at);
    errors.push({ file, line: 0, severity, message });
  };
  const visit = (p: string, depth: number, at: string): void => {
    let st: BigIntStats;
    try { st = fs.stat(p); } catch (e) {
      report(at, p, 'error', `cannot read: ${errorCode(e)}`);
      return;
    }
    const id = identity(st, p);
    if (st.isDirectory()) {
      if (depth > MAX_DEPTH) return;
      const last = walked.get(id);
      // a loop comes back deeper than the open walk, so it ends here
      if (last !== undefined && last.depth <= depth) {
        if (open.has(id)) report(at, p, 'warning', `directory loop: same directory as ${last.path}; not listed again`);
        return;
      }
      walked.set(id, { path: p, depth });
      if (!entries.has(id)) entries.set(id, readSorted(p, fs, (cause) => report(`${id}/`, p, 'error', `cannot list directory: ${cause}`)));
      const names = entries.get(id);
      if (names === undefined) return;
      open.add(id);
      for (const n of names) if (!n.startsWith('.')) visit(join(p, n), depth + 1, `${id}/${n}`);
      open.delete(id);
      return;
    }
    if (!st.isFile() || SKIP_NAME.test(basename(p)) || seenFiles.has(id)) return;
    seenFiles.add(id);
    files.push({ path: p, size: Number(st.size), mtimeMs: msOfNs(st.mtimeNs) });
  };
  for (const d of dirs) {
    const root = resolve(d);
    visit(root, 0, root);
  }
  return { files, errors };
}

function readSorted(dir: string, fs: ListingFs, failed: (cause: string) => void): string[] | undefined {
  try { return fs.readdir(dir).sort(); } catch (e) {
    failed(errorCode(e));
    return undefined;
  }
}

const errorCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

/**
 * dev:ino (bigint: a 64-bit inode number loses its low bits in a double, and two files would look
 * alike); on a file system without inode numbers the real path, so a symlink is its target
 */
function identity(st: BigIntStats, p: string): string {
  if (st.ino) return `${st.dev}:${st.ino}`;
  try { return realpathSync(p); } catch { return p; }
}

/** the mtimeMs of a plain statSync (seconds * 1e3 + nanoseconds / 1e6), so cache keys stay the same */
function msOfNs(ns: bigint): number {
  let sec = ns / 1_000_000_000n;
  if (sec * 1_000_000_000n > ns) sec -= 1n;
  return Number(sec) * 1e3 + Number(ns - sec * 1_000_000_000n) / 1e6;
}
