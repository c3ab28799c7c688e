// Retention of state.db's history (cleared alerts, the trap log): what is pruned, in how many batches, and that a run stops between them.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneState, StateRetention, StateStore, type StateRetentionPolicy, type StoredAlert } from '../../src/storage/index.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 4);
const dir = mkdtempSync(join(tmpdir(), 'netpulse-state-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let file = '';
let state: StateStore;
beforeEach(() => { state = new StateStore((file = join(dir, `state${++n}.db`))); });
afterEach(() => state.close());

const NONE: StateRetentionPolicy = { alertsKeepClearedMs: false, trapsKeepMs: false, trapsMaxRows: false };

function alert(id: string, over: Partial<StoredAlert> = {}): StoredAlert {
  return {
    id, key: `k-${id}`, source: 'device', rule: 'down', severity: 'major', message: 'down', state: 'open',
    firstSeen: NOW - 200 * DAY, lastSeen: NOW - 200 * DAY, count: 1, flapping: false, labels: {}, ...over,
  };
}
const cleared = (id: string, at: number): StoredAlert => alert(id, { state: 'cleared', clearedAt: at, clearedBy: 'auto', lastSeen: at });

function addTraps(count: number, time: (i: number) => number): void {
  state.transaction(() => {
    for (let i = 0; i < count; i++) {
      state.traps.add({ time: time(i), source: '127.0.0.1:50000', version: 'v2c', trapOid: '1.3.6.1.6.3.1.1.5.3', varbinds: [] });
    }
  });
}

/** a pause that counts its calls (one per batch) */
function counter() {
  const c = { pauses: 0, pause: async () => { c.pauses++; } };
  return c;
}

describe('pruneState: cleared alerts (alerts.keepCleared)', () => {
  it('deletes only cleared alerts cleared before keepCleared, in 1000-row rowid ranges, active and recent ones interleaved', async () => {
    // kept rows sit between the old ones (low rowids too): the cursor must step over them, not stop
    state.transaction(() => {
      for (let i = 0; i < 2500; i++) {
        state.alerts.save(cleared(`old${i}`, NOW - 100 * DAY));
        if (i % 500 === 0) {
          state.alerts.save(alert(`open${i}`));
          state.alerts.save(cleared(`recent${i}`, NOW - 10 * DAY));
        }
      }
      // cleared without a clear time (an old row): its last_seen counts
      state.alerts.save(alert('no-clear-time', { state: 'cleared', lastSeen: NOW - 95 * DAY }));
    });
    const c = counter();
    const r = await pruneState(state, { ...NONE, alertsKeepClearedMs: 90 * DAY }, { now: NOW, batchSize: 1000, pause: c.pause });
    expect(r).toEqual({ engineIds: 0, alerts: 2501, traps: 0, batches: 3, stopped: false });
    expect(c.pauses).toBe(3);
    const left = state.alerts.list();
    expect(left.map((a) => a.id).sort()).toEqual([...[0, 500, 1000, 1500, 2000].flatMap((i) => [`open${i}`, `recent${i}`])].sort());
  });

  it('a first prune of many rows takes ceil(rows / batch) batches, one pause after each', async () => {
    state.transaction(() => { for (let i = 0; i < 20_000; i++) state.alerts.save(cleared(`a${i}`, NOW - 365 * DAY)); });
    const c = counter();
    const r = await pruneState(state, { ...NONE, alertsKeepClearedMs: 90 * DAY }, { now: NOW, batchSize: 1000, pause: c.pause });
    // 20 full batches; the 21st finds none left and says so
    expect(r.alerts).toBe(20_000);
    expect(r.batches).toBe(21);
    expect(c.pauses).toBe(21);
    expect(state.alerts.list()).toEqual([]);
  });

  it('a batch reads at most batchSize rows: 3000 kept alerts and none to prune still go in 1000-row steps', async () => {
    state.transaction(() => { for (let i = 0; i < 3000; i++) state.alerts.save(cleared(`r${i}`, NOW - DAY)); });
    const c = counter();
    const r = await pruneState(state, { ...NONE, alertsKeepClearedMs: 90 * DAY }, { now: NOW, batchSize: 1000, pause: c.pause });
    expect(r).toEqual({ engineIds: 0, alerts: 0, traps: 0, batches: 4, stopped: false });
    expect(c.pauses).toBe(4);
    expect(state.alerts.list()).toHaveLength(3000);
  });

  it('false keeps every cleared alert', async () => {
    state.alerts.save(cleared('ancient', 1));
    expect(await pruneState(state, NONE, { now: NOW, pause: async () => {} })).toEqual({ engineIds: 0, alerts: 0, traps: 0, batches: 0, stopped: false });
    expect(state.alerts.byId('ancient')).toBeDefined();
  });
});

describe('pruneState: the trap log (traps.logRetention, traps.logMaxRows)', () => {
  it('by age: the traps older than logRetention, oldest first, in batches', async () => {
    addTraps(2500, (i) => NOW - 40 * DAY + i);
    addTraps(10, (i) => NOW - DAY + i);
    const c = counter();
    const r = await pruneState(state, { ...NONE, trapsKeepMs: 30 * DAY }, { now: NOW, batchSize: 1000, pause: c.pause });
    expect(r).toEqual({ engineIds: 0, alerts: 0, traps: 2500, batches: 3, stopped: false });
    expect(c.pauses).toBe(3);
    expect(state.traps.count()).toBe(10);
    expect(Math.min(...state.traps.list({ limit: 100 }).map((t) => t.time))).toBe(NOW - DAY);
  });

  it('by row count: keeps the newest logMaxRows (by time, not insertion order)', async () => {
    // inserted newest first: ids and times run opposite ways
    addTraps(3500, (i) => NOW - i * 1000);
    const c = counter();
    const r = await pruneState(state, { ...NONE, trapsMaxRows: 1000 }, { now: NOW, batchSize: 1000, pause: c.pause });
    expect(r).toEqual({ engineIds: 0, alerts: 0, traps: 2500, batches: 3, stopped: false });
    expect(c.pauses).toBe(3);
    expect(state.traps.count()).toBe(1000);
    const times = state.traps.list({ limit: 2000 }).map((t) => t.time);
    expect(Math.min(...times)).toBe(NOW - 999 * 1000);
  });

  it('age first, then the row cap on what is left; under the cap no batch runs', async () => {
    addTraps(1500, (i) => NOW - 40 * DAY + i);
    addTraps(1200, (i) => NOW - DAY + i);
    const r = await pruneState(state, { ...NONE, trapsKeepMs: 30 * DAY, trapsMaxRows: 1000 }, { now: NOW, batchSize: 1000, pause: async () => {} });
    // age: 1000 + 500 (done); cap: 200
    expect(r).toEqual({ engineIds: 0, alerts: 0, traps: 1700, batches: 3, stopped: false });
    expect(state.traps.count()).toBe(1000);
    const again = await pruneState(state, { ...NONE, trapsMaxRows: 1000 }, { now: NOW, pause: async () => {} });
    expect(again.batches).toBe(0);
  });
});

describe('pruneState: stopping', () => {
  it('the signal ends a run before its next batch', async () => {
    addTraps(5000, (i) => i);
    const stop = new AbortController();
    const r = await pruneState(state, { ...NONE, trapsKeepMs: 30 * DAY, trapsMaxRows: 1000 }, {
      now: NOW, batchSize: 1000, signal: stop.signal, pause: async () => stop.abort(),
    });
    expect(r).toEqual({ engineIds: 0, alerts: 0, traps: 1000, batches: 1, stopped: true });
    expect(state.traps.count()).toBe(4000);
  });

  it('a store closed between batches ends the run without an error', async () => {
    addTraps(3000, (i) => i);
    const r = await pruneState(state, { ...NONE, trapsKeepMs: DAY }, { now: NOW, batchSize: 1000, pause: async () => state.close() });
    expect(r).toMatchObject({ traps: 1000, batches: 1, stopped: true });
  });

  it('a store closed after the last age batch ends the run before the row count, without an error', async () => {
    addTraps(500, (i) => i);
    const r = await pruneState(state, { ...NONE, trapsKeepMs: DAY, trapsMaxRows: 1000 }, { now: NOW, batchSize: 1000, pause: async () => state.close() });
    expect(r).toEqual({ engineIds: 0, alerts: 0, traps: 500, batches: 1, stopped: true });
  });

  it('a failing delete names the store, the table and the cause', async () => {
    state.alerts.save(cleared('x', 1));
    state.alerts.pruneClearedBatch = () => { throw new Error('SQLITE_BUSY: database is locked'); };
    await expect(pruneState(state, { ...NONE, alertsKeepClearedMs: DAY }, { now: NOW })).rejects.toThrow(
      `storage: state ${file}: retention: pruning cleared alerts: SQLITE_BUSY: database is locked`);
  });
});

describe('StateRetention (the runtime job)', () => {
  it('logs what each run removed and sums the runs', async () => {
    state.alerts.save(cleared('old', NOW - 100 * DAY));
    addTraps(3, (i) => NOW - 40 * DAY + i);
    const lines: string[] = [];
    let now = NOW;
    const job = new StateRetention(state, { alertsKeepClearedMs: 90 * DAY, trapsKeepMs: 30 * DAY, trapsMaxRows: 1_000_000 }, { now: () => now, log: (l) => lines.push(l) });
    await job.run();
    expect(lines).toEqual(['storage: state retention: removed 1 cleared alerts (older than 90d) and 3 traps (older than 30d, beyond 1000000 rows) in 2 batches']);
    addTraps(2, (i) => NOW + i);
    now = NOW + 31 * DAY;
    await job.run();
    expect(job.totals).toEqual({ engineIds: 0, alerts: 1, traps: 5 });
  });

  it('a trap log with a row cap and no age limit is logged as such (not as kept forever)', async () => {
    const lines: string[] = [];
    await new StateRetention(state, { ...NONE, trapsMaxRows: 1000 }, { now: () => NOW, log: (l) => lines.push(l) }).run();
    expect(lines).toEqual(['storage: state retention: removed 0 cleared alerts (kept forever) and 0 traps (no age limit, beyond 1000 rows) in 0 batches']);
  });

  it('the rows are gone from the file (another connection sees it)', async () => {
    addTraps(1200, (i) => i);
    await new StateRetention(state, { ...NONE, trapsKeepMs: DAY }, { now: () => NOW, log: () => {} }).run();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM traps').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
