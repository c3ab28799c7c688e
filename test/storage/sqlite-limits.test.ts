/** Embedded store bounds: streamed queries, series/points caps, bounded write backlog. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../src/model/index.ts';
import { SampleQueue } from '../../src/storage/sqlite/sample-queue.ts';
import { SqliteSeriesStore, type SqliteSeriesOptions } from '../../src/storage/sqlite/series-store.ts';
import type { StorageLogger } from '../../src/storage/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'netpulse-sqlite-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function open(over: Partial<SqliteSeriesOptions> = {}) {
  const lines: string[] = [];
  const logger: StorageLogger = { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
  const store = new SqliteSeriesStore({
    file: join(dir, `s${++n}.db`), retentionMs: 1e13, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 1000, logger, ...over,
  });
  return { store, lines };
}

const point = (i: number, ifName = 'Gi0/1'): Sample => ({
  measurement: 'snmp_interface', tags: { device: 'r1', ifName }, fields: { in_bps: i + 0.5, oper_status: 1n }, time: 1_000_000 + i * 1000,
});

describe('SQLite query bounds', () => {
  it.each<[string, { step?: number; limit?: number }, number[]]>([
    ['limit keeps the newest points, oldest first', { limit: 3 }, [1_097_000, 1_098_000, 1_099_000]],
    ['step averages into epoch-aligned buckets', { step: 10_000 }, Array.from({ length: 10 }, (_, i) => 1_000_000 + i * 10_000)],
    ['step + limit keeps the newest buckets', { step: 10_000, limit: 2 }, [1_080_000, 1_090_000]],
  ])('%s', async (_, q, times) => {
    const { store } = open();
    store.write(Array.from({ length: 100 }, (_, i) => point(i)));
    const [s] = await store.querySeries({ measurement: 'snmp_interface', device: 'r1', from: 0, to: 2e6, ...q });
    expect(s.points.map((p) => p.time)).toEqual(times);
    if (q.step) {
      // the last bucket holds i = 90..99: mean of in_bps, last oper_status
      expect(s.points.at(-1)!.values).toEqual({ in_bps: 95, oper_status: 1 });
    }
    await store.close();
  });

  it('a limited query over a huge range reads only the newest rows (cursor, newest first)', async () => {
    const { store } = open({ maxQueryPoints: 1000 });
    for (let i = 0; i < 50_000; i += 5000) store.write(Array.from({ length: 5000 }, (_, j) => point(i + j)));
    await store.flush();
    // more points in range than maxQueryPoints: only fine because the limit stops the cursor
    const [s] = await store.querySeries({ measurement: 'snmp_interface', device: 'r1', from: 0, to: 1e12, limit: 10 });
    expect(s.points).toHaveLength(10);
    expect(s.points.at(-1)!.time).toBe(1_000_000 + 49_999 * 1000);
    await expect(store.querySeries({ measurement: 'snmp_interface', device: 'r1', from: 0, to: 1e12 }))
      .rejects.toThrow(/more than 1000 points \(maxQueryPoints\); set a step or a limit/);
    await store.close();
  });

  it('refuses a query matching more than maxQuerySeries series, naming the limit', async () => {
    const { store } = open({ maxQuerySeries: 50 });
    store.write(Array.from({ length: 60 }, (_, i) => point(0, `Gi0/${i}`)));
    await expect(store.querySeries({ measurement: 'snmp_interface', from: 0, to: 2e6 }))
      .rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/snmp_interface: more than 50 series match \(maxQuerySeries\)/) });
    await expect(store.latest('snmp_interface', 'r1')).rejects.toThrow(/maxQuerySeries/);
    expect(await store.querySeries({ measurement: 'snmp_interface', tags: { ifName: 'Gi0/7' }, from: 0, to: 2e6 })).toHaveLength(1);
    await store.close();
  });
});

describe('SQLite write backlog', () => {
  it('is bounded: beyond maxPendingPoints write() stores synchronously, nothing is dropped, logged once', async () => {
    const { store, lines } = open({ maxPendingPoints: 2000, batchSize: 1_000_000, flushIntervalMs: 60_000 });
    let maxPending = 0;
    for (let i = 0; i < 50_000; i += 100) {
      store.write(Array.from({ length: 100 }, (_, j) => point(i + j)));
      maxPending = Math.max(maxPending, store.metrics().pendingPoints);
    }
    expect(maxPending).toBeLessThanOrEqual(2100);
    expect(lines.filter((l) => l.includes('back-pressure'))).toHaveLength(1);
    await store.flush();
    expect(store.metrics()).toMatchObject({ pointsWritten: 50_000, pointsDropped: 0, pendingPoints: 0 });
    await store.close();
  });

  it('takes slices from the head without copying the backlog (linear time for many small writes)', () => {
    const q = new SampleQueue();
    const one = [point(0)];
    // the array elements slice, splice and concat copy while the queue fills and drains
    let copied = 0;
    const methods = ['slice', 'splice', 'concat'] as const;
    const originals = methods.map((m) => Array.prototype[m]);
    methods.forEach((m, i) => {
      Array.prototype[m] = function (this: unknown[], ...args: never[]) {
        const out = (originals[i] as (...a: never[]) => unknown[]).apply(this, args);
        copied += out.length;
        return out;
      } as never;
    });
    let taken = 0;
    try {
      for (let i = 0; i < 200_000; i++) q.push(one);
      while (q.length > 0) taken += q.take(500).length;
    } finally {
      methods.forEach((m, i) => { Array.prototype[m] = originals[i] as never; });
    }
    expect(taken).toBe(200_000);
    // quadratic copying (the old slice-per-slice buffer) copies the backlog at every take: ~4e10 elements here
    expect(copied).toBeLessThanOrEqual(4 * 200_000);
  });

  it.each([[[3, 2], 4, [[0, 1, 2, 3], [4]]], [[1, 1, 1], 2, [[0, 1], [2]]], [[5], 2, [[0, 1], [2, 3], [4]]]])(
    'chunks %j taken %i at a time keep order',
    (sizes, max, want) => {
      const q = new SampleQueue();
      let i = 0;
      for (const s of sizes) q.push(Array.from({ length: s }, () => point(i++)));
      const got: number[][] = [];
      while (q.length) got.push(q.take(max).map((p) => (p.time - 1_000_000) / 1000));
      expect(got).toEqual(want);
    },
  );
});
