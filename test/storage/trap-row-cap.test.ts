// The trap log's row cap (traps.logMaxRows): the newest rows kept by (time, id); the row count triggers keep says how many of the oldest go, so a run reads about as many traps as it deletes.
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

/**
 * The rows a statement may read: LIMIT + OFFSET (its last bound parameters where they are `?`), one per
 * primary-key or min/max(id) seek; Infinity for anything else (a count, a scan).
 */
function rowsBound(sql: string, args: unknown[]): number {
  const clause = /LIMIT (\?|\d+)(?: OFFSET (\?|\d+))?\)?\s*$/.exec(sql);
  if (clause) {
    const params = (args as number[]).slice(args.length - [clause[1], clause[2]].filter((t) => t === '?').length);
    const value = (t: string | undefined) => (t === undefined ? 0 : t === '?' ? params.shift()! : Number(t));
    return value(clause[1]) + value(clause[2]);
  }
  const seeks = sql.match(/\b(max|min)\(id\)|WHERE id = /g);
  return seeks ? seeks.length : Infinity;
}

describe('pruneState: the trap log row cap', () => {
  it('keeps the newest logMaxRows by time, then id: random times with many ties, across batch boundaries', async () => {
    const r = seededRandom(4122026);
    addTraps(Array.from({ length: 5000 }, () => NOW - Math.floor(r() * 300) * 1000));
    const expected = all().slice(0, 1234).map((t) => t.id).sort();
    const res = await pruneState(state, CAP(1234), { now: NOW, batchSize: 100, pause: async () => {} });
    expect(res.traps).toBe(5000 - 1234);
    expect(state.traps.rowCount()).toBe(1234);
    expect(all().map((t) => t.id).sort()).toEqual(expected);
  });

  it('reads about as many traps as it deletes, however many it keeps: no count(*), no walk over the kept ones', async () => {
    /** index entries and rows a run's statements may read: LIMIT (+ OFFSET) of each, 1 for a primary-key or min/max seek */
    async function rowsRead(kept: number, removed: number): Promise<{ read: number; plans: string[] }> {
      state.close();
      state = new StateStore(join(dir, `state${++n}.db`));
      addTraps(Array.from({ length: kept + removed }, (_, i) => NOW - i * 1000));
      const run: { db: Database.Database; sql: string; args: unknown[] }[] = [];
      const prepare = Database.prototype.prepare;
      const spy = vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, source: string) {
        const stmt = prepare.call(this, source);
        for (const m of ['run', 'get', 'all'] as const) {
          const call = stmt[m] as (...a: unknown[]) => unknown;
          (stmt as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => { run.push({ db: this, sql: source, args }); return call.apply(stmt, args); };
        }
        return stmt;
      });
      const res = await pruneState(state, CAP(kept), { now: NOW, batchSize: 500, pause: async () => {} });
      spy.mockRestore();
      expect(res.traps).toBe(removed);
      expect(state.traps.count()).toBe(kept);
      let read = 0;
      const plans: string[] = [];
      for (const { db, sql, args } of run.filter((r) => /\btraps?\b|trap_count/.test(r.sql))) {
        read += rowsBound(sql, args);
        plans.push(...(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((p) => p.detail));
      }
      return { read, plans };
    }
    const small = await rowsRead(2_000, 1_000);
    const large = await rowsRead(19_000, 1_000);
    // one counter read per batch beside the 1,000 deleted
    expect(large.read).toBe(small.read);
    expect(large.read).toBeLessThanOrEqual(1_000 + 10);
    // each read follows an index (no sort of the whole log, no full scan)
    for (const plan of [...small.plans, ...large.plans]) expect(plan).not.toMatch(/TEMP B-TREE|^SCAN traps$/);
  });

  it('each batch deletes at most batchSize, with a pause after each', async () => {
    addTraps(Array.from({ length: 5000 }, (_, i) => NOW - 5000 + i));
    const left: number[] = [];
    const res = await pruneState(state, CAP(1000), { now: NOW, batchSize: 400, pause: async () => { left.push(state.traps.count()); } });
    expect(left).toEqual(Array.from({ length: 10 }, (_, i) => Math.max(1000, 4600 - 400 * i)));
    expect(res).toEqual({ alerts: 0, traps: 4000, engineIds: 0, batches: 10, stopped: false });
  });

  it('a log under the cap whose ids have gaps is left whole', async () => {
    addTraps(Array.from({ length: 500 }, (_, i) => NOW - i));
    addTraps(Array.from({ length: 1500 }, (_, i) => i)); // ancient: pruned by age
    addTraps(Array.from({ length: 400 }, (_, i) => NOW + i));
    const res = await pruneState(state, { ...CAP(1000), trapsKeepMs: 86_400_000 }, { now: NOW, batchSize: 1000, pause: async () => {} });
    // age: 1000, 500; the cap: ids 1..2400 but 900 traps, nothing to do
    expect(res).toEqual({ alerts: 0, traps: 1500, engineIds: 0, batches: 2, stopped: false });
    expect(state.traps.count()).toBe(900);
  });

  it('the kept row count follows adds, deletes and a rolled-back transaction', () => {
    addTraps(Array.from({ length: 300 }, (_, i) => NOW - i));
    state.traps.pruneBatch(NOW - 99, 1000);
    expect(() => state.transaction(() => { addTraps([NOW, NOW]); throw new Error('rolled back'); })).toThrow('rolled back');
    state.traps.pruneOldest(10);
    expect(state.traps.rowCount()).toBe(state.traps.count());
    expect(state.traps.rowCount()).toBe(90);
  });

  it('a log within the cap is left without a batch', async () => {
    addTraps(Array.from({ length: 1000 }, (_, i) => NOW - i));
    expect(await pruneState(state, CAP(1000), { now: NOW, pause: async () => {} })).toEqual({ alerts: 0, traps: 0, engineIds: 0, batches: 0, stopped: false });
  });

  it('a cap of 0 empties the log', async () => {
    addTraps(Array.from({ length: 250 }, (_, i) => NOW - i));
    const res = await pruneState(state, CAP(0), { now: NOW, batchSize: 100, pause: async () => {} });
    expect(res).toEqual({ alerts: 0, traps: 250, engineIds: 0, batches: 3, stopped: false });
    expect(state.traps.count()).toBe(0);
  });

  it('the store closing between batches ends the run without an error', async () => {
    addTraps(Array.from({ length: 3000 }, (_, i) => NOW - i));
    const res = await pruneState(state, CAP(1000), { now: NOW, batchSize: 1000, pause: async () => state.close() });
    expect(res).toEqual({ alerts: 0, traps: 1000, engineIds: 0, batches: 1, stopped: true });
  });
});
