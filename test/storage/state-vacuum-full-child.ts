/**
 * For state-vacuum-wal.test.ts, run on a small file system of its own: `bin/run-ts
 * test/storage/state-vacuum-full-child.ts <dir> <mib>` writes an old state.db of <mib> MiB in <dir>, opens
 * it as netpulse does (the conversion to incremental vacuum) and prints one JSON line: the log
 * lines, the WAL's size, the bytes free on <dir>'s file system before and after the open, and
 * whether the store still takes a trap.
 */
import { existsSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StateStore } from '../../src/storage/index.ts';
import { oldStateDb } from './old-state-db.ts';

const [dir, mib] = process.argv.slice(2);
const file = join(dir, 'state.db');
const free = () => { const s = statfsSync(dir); return s.bavail * s.bsize; };
oldStateDb(file, { mib: Number(mib) });
const freeBefore = free();
const lines: string[] = [];
const state = new StateStore(file, { log: { info: (l) => lines.push(l), warn: (l) => lines.push(`WARN ${l}`), error: (l) => lines.push(`ERROR ${l}`) } });
const wal = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
const freeAfter = free();
let write = 'ok';
try {
  state.traps.add({ time: 1, source: '127.0.0.1:1', version: 'v2c', trapOid: '1.3.6.1.6.3.1.1.5.3', varbinds: [] });
} catch (err) {
  write = String(err);
}
process.stdout.write(`${JSON.stringify({ lines, wal, freeBefore, freeAfter, rows: state.traps.rowCount(), write })}\n`);
state.close();
