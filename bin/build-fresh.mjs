// The one rule for "is build/ current": bin/netpulse and the benchmarks run build/ only while
// build/.built is newer than every .ts under src/ and every file of the web UI (src/api/ui,
// copied into build/) (NETPULSE_FROM_SOURCES=1 says no), so an edited source is never
// shadowed by an old build.
import { readdirSync, statSync } from 'node:fs';
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
