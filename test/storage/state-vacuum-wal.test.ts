// The one-off VACUUM that converts an old state.db writes the whole file into the WAL (and a copy
// into the temp folder): the WAL must not stay at the size of the database while netpulse runs
// (SQLite reuses a WAL file, it never shrinks it by itself), and a data disk without room for it
// must not be left full.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/storage/index.ts';
import { oldStateDb } from './old-state-db.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'netpulse-state-vacuum-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const stores: StateStore[] = [];
afterEach(() => { for (const s of stores.splice(0)) s.close(); });

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const MiB = 1048576;

/** a private mount namespace with a tmpfs of its own: root, or unprivileged user namespaces */
const canMountTmpfs = (() => {
  try {
    execFileSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=1m tmpfs "${dir}"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('state.db conversion to incremental vacuum: the WAL', () => {
  it('is not left at the size of the database after the VACUUM (the store still open)', () => {
    const file = join(dir, 'state-ok.db');
    oldStateDb(file, { mib: 8 });
    const dbSize = sizeOf(file);
    expect(dbSize).toBeGreaterThan(7 * MiB);
    const state = new StateStore(file);
    stores.push(state);
    expect(state.traps.rowCount()).toBe(8 * 256);
    expect(sizeOf(`${file}-wal`)).toBeLessThan(dbSize / 10);
  });

  it('a data disk without room for the rewrite is not left full: the file is used as it is, a warning says why', () => {
    if (!canMountTmpfs) throw new Error('this test needs root or unprivileged user namespaces: unshare -rm, mount -t tmpfs (util-linux, installed by bash test/ensure-peers.sh)');
    // state.db (~12 MiB) on a 20 MiB file system of its own, the temp folder elsewhere with room
    const small = mkdtempSync(join(dir, 'small-'));
    const temp = mkdtempSync(join(dir, 'temp-'));
    const child = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=20m tmpfs "$0" && exec "$1" bin/run-ts test/storage/state-vacuum-full-child.ts "$0" 12',
      small, process.execPath], { cwd: ROOT, env: { ...process.env, SQLITE_TMPDIR: temp }, encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    const r = JSON.parse(child.stdout) as { lines: string[]; wal: number; freeBefore: number; freeAfter: number; rows: number; write: string };
    expect(r.freeBefore).toBeLessThan(10 * MiB);
    expect(r.freeAfter).toBeGreaterThan(r.freeBefore - MiB);
    expect(r.wal).toBeLessThan(MiB);
    expect(r.lines.filter((l) => l.startsWith('WARN '))).toHaveLength(1);
    expect(r.lines.find((l) => l.startsWith('WARN '))).toMatch(new RegExp(`^WARN storage: state ${small}/state\\.db: converting to incremental vacuum: .*the file is used as it is \\(tried again at the next start\\)`));
    expect(r).toMatchObject({ rows: 12 * 256 + 1, write: 'ok' });
  });
});
