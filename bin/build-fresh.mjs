// The one rule for "is build/ current": bin/netpulse and the benchmarks run build/ only while
// build/.built is newer than every .ts under src/ and every file of the web UI (src/api/ui,
// copied into build/) (NETPULSE_FROM_SOURCES=1 says no), so an edited source is never
// shadowed by an old build. Also the one reader of bin/netpulse's node flags (launcherNodeFlags).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

const UI_DIR = join(root, 'src', 'api', 'ui');

function newestSource(dir, inUi = false) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p, inUi || p === UI_DIR));
    else if (inUi || e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function buildIsFresh() {
  if (process.env.NETPULSE_FROM_SOURCES === '1') return false;
  try {
    return statSync(join(root, 'build/.built')).mtimeMs >= newestSource(join(root, 'src'));
  } catch {
    return false;
  }
}

/**
 * build/bundle/<command>.js (bin/build.mjs), when build/.built is newer than every source it was
 * built from (<command>.sources): the same rule on the ~25 sources of one command, not on all
 * 400 (9 ms of stat calls at every start); undefined when there is no such bundle or it is not current.
 */
export function bundleIfFresh(command, at = root) {
  if (process.env.NETPULSE_FROM_SOURCES === '1') return undefined;
  return listedSourcesCurrent(join(at, 'build', 'bundle', `${command}.sources`), at) ? join(at, 'build', 'bundle', `${command}.js`) : undefined;
}

/**
 * whether the list file names at least one source and none is newer than build/.built (nanoseconds,
 * as bin/netpulse's sh compares); false when the list, the stamp or a source is missing
 */
function listedSourcesCurrent(list, at) {
  try {
    const built = statSync(join(at, 'build', '.built'), { bigint: true }).mtimeNs;
    const sources = readFileSync(list, 'utf8').split('\n').filter(Boolean);
    return sources.length > 0 && sources.every((s) => statSync(join(at, s), { bigint: true }).mtimeNs <= built);
  } catch {
    return false;
  }
}

/**
 * The node flags bin/netpulse's shell part starts a command with: its `flags=` line, plus with
 * `mibCompile` those its `'mib compile'` case adds (the snapshot build and the benchmarks use them).
 */
export function launcherNodeFlags(mibCompile = false) {
  const launcher = readFileSync(join(root, 'bin', 'netpulse'), 'utf8');
  const base = /^flags=(.*)$/m.exec(launcher)?.[1];
  const extra = /'mib compile'\) flags="\$flags ([^"]+)"/.exec(launcher)?.[1];
  if (!base || (mibCompile && !extra)) throw new Error(`bin/netpulse names no node flags${mibCompile ? ' for mib compile' : ''}`);
  return [base, mibCompile ? extra : ''].join(' ').replace(/["']/g, '').split(/\s+/).filter(Boolean);
}

/**
 * Whether bin/netpulse starts `mib compile` from its snapshot now: the rule of its shell part
 * (node's modification time, the sources listed beside the snapshot not newer than the build,
 * NODE_OPTIONS and NETPULSE_FROM_SOURCES=1 unset), for the benchmark's label.
 */
export function mibSnapshotIsCurrent(at = root) {
  if (process.env.NETPULSE_FROM_SOURCES === '1' || process.env.NODE_OPTIONS) return false;
  const blob = join(at, 'build', 'bundle', 'mib.blob');
  try {
    if (statSync(blob, { bigint: true }).mtimeNs !== statSync(process.execPath, { bigint: true }).mtimeNs) return false;
  } catch {
    return false;
  }
  return listedSourcesCurrent(`${blob}.sources`, at);
}
