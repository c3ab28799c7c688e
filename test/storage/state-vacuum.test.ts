// state.db gives the pages its deletes free back to the file system: incremental auto-vacuum (new files at creation,
// older files converted once by VACUUM) and the nightly job's bounded vacuum steps.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StateRetention, StateStore, vacuumState, type StorageLogger } from '../../src/storage/index.ts';
import { oldStateDb } from './old-state-db.ts';

const NOW = Date.UTC(2026, 11, 4);
const INCREMENTAL = 2;
const dir = mkdtempSync(join(tmpdir(), 'netpulse-state-vacuum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const stores: StateStore[] = [];
afterEach(() => { for (const s of stores.splice(0)) s.close(); });

function open(file: string, log?: StorageLogger): StateStore {
  const s = new StateStore(file, { log });
  stores.push(s);
  return s;
}
const varbinds = [{ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: 'x'.repeat(2000) }];
function addTraps(state: StateStore, count: number): void {
  state.transaction(() => { for (let i = 0; i < count; i++) state.traps.add({ time: NOW - count + i, source: '127.0.0.1:1', version: 'v2c', trapOid: '1.3.6.1.6.3.1.1.5.3', varbinds }); });
}
function autoVacuum(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('auto_vacuum', { simple: true }) as number;
  } finally {
    db.close();
  }
}
function lines(): { log: StorageLogger; lines: string[] } {
  const out: string[] = [];
  return { lines: out, log: { info: (l) => out.push(l), warn: (l) => out.push(`WARN ${l}`), error: (l) => out.push(`ERROR ${l}`) } };
}

describe('state.db incremental vacuum', () => {
  it('a new state.db is created with auto_vacuum INCREMENTAL', () => {
    const file = join(dir, `state${++n}.db`);
    open(file);
    expect(autoVacuum(file)).toBe(INCREMENTAL);
  });

  it('a state.db of an earlier netpulse (auto_vacuum NONE) is converted once by VACUUM, logged, its rows kept and counted', () => {
    const file = join(dir, `state${++n}.db`);
    oldStateDb(file, { traps: 700 });
    expect(autoVacuum(file)).toBe(0);

    const first = lines();
    const state = open(file, first.log);
    expect(autoVacuum(file)).toBe(INCREMENTAL);
    expect(first.lines).toHaveLength(2);
    expect(first.lines[0]).toMatch(new RegExp(`^storage: state ${file}: converting to incremental vacuum \\(one VACUUM of [\\d.]+ MiB, once\\)$`));
    expect(first.lines[1]).toMatch(new RegExp(`^storage: state ${file}: converted to incremental vacuum in \\d+ ms, now [\\d.]+ MiB$`));
    expect(state.traps.count()).toBe(700);
    expect(state.traps.rowCount()).toBe(700);
    state.close();

    const again = lines();
    open(file, again.log);
    expect(again.lines).toEqual([]);
  });

  it('vacuumState returns the free pages in steps of at most `pages`, a pause after each, and the file shrinks', async () => {
    const file = join(dir, `state${++n}.db`);
    const state = open(file);
    addTraps(state, 3000);
    state.checkpoint();
    const full = statSync(file).size;
    state.traps.pruneBatch(NOW, 3000);
    const free = state.freePages();
    expect(free).toBeGreaterThan(1000);
    const left: number[] = [];
    const r = await vacuumState(state, { pages: 256, pause: async () => { left.push(state.freePages()); } });
    expect(r).toEqual({ pages: free, steps: Math.ceil(free / 256), stopped: false });
    expect(left.map((f, i) => (i === 0 ? free : left[i - 1]!) - f).every((d) => d > 0 && d <= 256)).toBe(true);
    expect(left.at(-1)).toBe(0);
    expect(statSync(file).size).toBeLessThan(full - free * state.pageSize * 0.9);
    expect(await vacuumState(state, { pause: async () => {} })).toEqual({ pages: 0, steps: 0, stopped: false });
  });

  it('a signal ends vacuuming between steps', async () => {
    const state = open(join(dir, `state${++n}.db`));
    addTraps(state, 2000);
    state.traps.pruneBatch(NOW, 2000);
    const stop = new AbortController();
    const r = await vacuumState(state, { pages: 100, signal: stop.signal, pause: async () => stop.abort() });
    expect(r).toEqual({ pages: 100, steps: 1, stopped: true });
  });

  it('the nightly job vacuums after the prune and logs what went back to the file system', async () => {
    const state = open(join(dir, `state${++n}.db`));
    addTraps(state, 2000);
    const out: string[] = [];
    let pauses = 0;
    await new StateRetention(state, { alertsKeepClearedMs: false, trapsKeepMs: false, trapsMaxRows: 1000 },
      { now: () => NOW, log: (l) => out.push(l), vacuumPages: 200, pause: async () => { pauses++; } }).run();
    expect(out[0]).toBe('storage: state retention: removed 0 cleared alerts (kept forever) and 1000 traps (no age limit, beyond 1000 rows) in 1 batches');
    const m = /^storage: state vacuum: returned (\d+) free pages \(([\d.]+) MiB\) to the file system in (\d+) steps$/.exec(out[1] ?? '');
    expect(m).not.toBeNull();
    expect(Number(m![3])).toBe(Math.ceil(Number(m![1]) / 200));
    expect(pauses).toBe(1 + Number(m![3]));
    expect(state.freePages()).toBe(0);
  });
});
