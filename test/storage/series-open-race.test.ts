/**
 * Two netpulse processes upgrading the same old series.db at once (an overlapping restart):
 * migrate() takes the write lock first and reads the version again under it, so one of them runs
 * each step and the other finds it done. This test holds the write lock from a third connection
 * until both child processes are opening, so both wait on it and then race for it.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SERIES_MIGRATIONS } from '../../src/storage/sqlite/series-schema.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'netpulse-series-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** a child process opening the store; `opening` resolves once it is about to open, `exit` with its outcome */
function openInChild(file: string, device: string) {
  const child = spawn(process.execPath, [join(ROOT, 'bin/run-ts'), join(ROOT, 'test/storage/series-open-child.ts'), file, device], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  let announced: () => void;
  const opening = new Promise<void>((resolve) => { announced = resolve; });
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('opening\n')) announced();
  });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => { announced(); resolve({ code, stdout, stderr }); });
  });
  return { opening, exit };
}

const OLD_FILES: [string, string][] = [
  // versioned, one step behind: migration 3 still to run
  ['at schema version 2', SERIES_MIGRATIONS.slice(0, 2).join('') + 'PRAGMA user_version = 2;'],
  // an older netpulse's file without a version: adopted
  ['without a schema version', SERIES_MIGRATIONS.slice(0, 1).join('')],
];

describe('two processes opening an old series.db at once', () => {
  it.each(OLD_FILES)('both open a file %s on the current version, its rows kept', async (name, schema) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.db`);
    const lock = new Database(file);
    lock.pragma('journal_mode = WAL'); // as every netpulse left it
    lock.exec(schema);
    lock.exec(`INSERT INTO series (id, measurement, device, tags) VALUES (1, 'icmp', 'r1', '{"device":"r1"}');
      INSERT INTO points (series_id, time, fields) VALUES (1, 1000, '{"rtt_avg_ms":1.5}'), (1, 2000, '{"rtt_avg_ms":2.5}');`);
    lock.exec('BEGIN IMMEDIATE');
    const children = [openInChild(file, 'a'), openInChild(file, 'b')];
    try {
      await Promise.all(children.map((c) => c.opening));
      // both are past "opening": give them the moment to reach the lock (their busy timeout is 5 s)
      await sleep(300);
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
    const results = await Promise.all(children.map((c) => c.exit));
    expect(results).toEqual([{ code: 0, stdout: 'opening\ndone\n', stderr: '' }, { code: 0, stdout: 'opening\ndone\n', stderr: '' }]);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SERIES_MIGRATIONS.length);
      expect(db.prepare("SELECT name FROM pragma_table_info('availability_days')").pluck().all()).toEqual(['device', 'day', 'max_gap_ms', 'span', 'runs']);
      expect(db.prepare('SELECT s.device, p.time, p.fields FROM points p JOIN series s ON s.id = p.series_id ORDER BY s.device, p.time').all()).toEqual([
        { device: 'a', time: 3000, fields: '{"rtt_avg_ms":3.5}' },
        { device: 'b', time: 3000, fields: '{"rtt_avg_ms":3.5}' },
        { device: 'r1', time: 1000, fields: '{"rtt_avg_ms":1.5}' },
        { device: 'r1', time: 2000, fields: '{"rtt_avg_ms":2.5}' },
      ]);
    } finally {
      db.close();
    }
  });
});
