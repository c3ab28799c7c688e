// The trap log's row cap (traps.logMaxRows): the newest rows kept by (time, id), found by a walk of the time index in bounded steps instead of a count(*).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pruneState, StateStore, type StateRetentionPolicy } from '../../src/storage/index.ts';
import { seededRandom } from '../seeded-random.ts';

const NOW = Date.UTC(2026, 11, 4);
const dir = mkdtempSync(join(tmpdir(), 'netpulse-trap-cap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let state: StateStore;
beforeEach(() => { state = new StateStore(join(dir, `state${++n}.db`)); });
afterEach(() => { vi.restoreAllMocks(); state.close(); });

const CAP = (max: number): StateRetentionPolicy => ({ alertsKeepClearedMs: false, trapsKeepMs: false, trapsMaxRows: max });

function addTraps(times: number[]): void {
  state.transaction(() => {
    for (const time of times) state.traps.add({ time, source: '127.0.0.1:50000', version: 'v2c', trapOid: '1.3.6.1.6.3.1.1.5.3', varbinds: [] });
  });
}
const all = () => state.traps.list({ limit: 1e9 });

describe('pruneState: the trap log row cap', () => {
  it('keeps the newest logMaxRows by time, then id: random times with many ties, across batch boundaries', async () => {
    const r = seededRandom(4122026);
    addTraps(Array.from({ length: 5000 }, () => NOW - Math.floor(r() * 300) * 1000));
    const expected = all().slice(0, 1234).map((t) => t.id).sort();
    const res = await pruneState(state, CAP(1234), { now: NOW, batchSize: 100, pause: async () => {} });
    expect(res.traps).toBe(5000 - 1234);
    expect(all().map((t) => t.id).sort()).toEqual(expected);
  });

  it('finds the cap without count(*): every statement on the trap log in a run is bounded by a LIMIT', async () => {
    addTraps(Array.from({ length: 3500 }, (_, i) => NOW - i * 1000));
    const sql: string[] = [];
    const prepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, source: string) {
      sql.push(source);
      return prepare.call(this, source);
    });
    const res = await pruneState(state, CAP(1000), { now: NOW, batchSize: 1000, pause: async () => {} });
    expect(res).toEqual({ alerts: 0, traps: 2500, batches: 3, stopped: false });
    expect(sql.filter((s) => /count\(/i.test(s))).toEqual([]);
    // the id range (two rowid seeks); then the walk and the deletes, each with a LIMIT
    const traps = sql.filter((s) => /traps/.test(s));
    expect(traps.filter((s) => /max\(id\)/.test(s))).toHaveLength(1);
    expect(traps.filter((s) => !/max\(id\)/.test(s)).every((s) => /LIMIT/.test(s))).toBe(true);
    expect(state.traps.count()).toBe(1000);
    expect(Math.min(...all().map((t) => t.time))).toBe(NOW - 999 * 1000);
  });

  it('a batch walks at most batchSize traps and deletes at most batchSize: a pause after each', async () => {
    addTraps(Array.from({ length: 5000 }, (_, i) => NOW - 5000 + i));
    const left: number[] = [];
    const res = await pruneState(state, CAP(1000), { now: NOW, batchSize: 400, pause: async () => { left.push(state.traps.count()); } });
    // walking past 1000 traps takes 3 batches (400, 400, 200), the third deleting 400 already
    expect(left.slice(0, 4)).toEqual([5000, 5000, 4600, 4200]);
    expect(left.at(-1)).toBe(1000);
    expect(res).toEqual({ alerts: 0, traps: 4000, batches: left.length, stopped: false });
    expect(left).toHaveLength(2 + Math.ceil(4000 / 400) + 1);
  });

  it('a log under the cap whose ids have gaps is walked and left whole', async () => {
    addTraps(Array.from({ length: 500 }, (_, i) => NOW - i));
    addTraps(Array.from({ length: 1500 }, (_, i) => i)); // ancient: pruned by age
    addTraps(Array.from({ length: 400 }, (_, i) => NOW + i));
    const res = await pruneState(state, { ...CAP(1000), trapsKeepMs: 86_400_000 }, { now: NOW, batchSize: 1000, pause: async () => {} });
    // age: 1000, 500; the cap: ids 1..2400 but 900 traps, one walk step finds fewer than 1000
    expect(res).toEqual({ alerts: 0, traps: 1500, batches: 3, stopped: false });
    expect(state.traps.count()).toBe(900);
  });

  it('a log whose id range is within the cap is not walked', async () => {
    addTraps(Array.from({ length: 1000 }, (_, i) => NOW - i));
    expect(await pruneState(state, CAP(1000), { now: NOW, pause: async () => {} })).toEqual({ alerts: 0, traps: 0, batches: 0, stopped: false });
  });

  it('a cap of 0 empties the log', async () => {
    addTraps(Array.from({ length: 250 }, (_, i) => NOW - i));
    const res = await pruneState(state, CAP(0), { now: NOW, batchSize: 100, pause: async () => {} });
    expect(res).toEqual({ alerts: 0, traps: 250, batches: 3, stopped: false });
    expect(state.traps.count()).toBe(0);
  });

  it('the store closing during the walk ends the run without an error and deletes nothing', async () => {
    addTraps(Array.from({ length: 3000 }, (_, i) => NOW - i));
    const res = await pruneState(state, CAP(2000), { now: NOW, batchSize: 1000, pause: async () => state.close() });
    expect(res).toEqual({ alerts: 0, traps: 0, batches: 1, stopped: true });
  });
});
