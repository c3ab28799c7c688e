import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSeriesStore } from '../../src/storage/sqlite/series-store.ts';
import { silentLogger } from '../../src/storage/types.ts';
import { storageMetricFamilies } from '../../src/storage/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'netpulse-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embedded SQLite store', () => {
  it('prunes points older than the retention window, at start-up and on demand', async () => {
    const day = 86_400_000;
    const now = Date.now();
    const opts = { file: join(dir, 'series.db'), retentionMs: 7 * day, pruneIntervalMs: 3_600_000, batchSize: 1000, flushIntervalMs: 1000, logger: silentLogger };
    const store = new SqliteSeriesStore(opts);
    store.write([8, 6, 1].map((d) => ({ measurement: 'icmp', tags: { device: 'r1' }, fields: { rtt_avg_ms: d }, time: now - d * day })));
    await store.flush();
    expect((await store.prune(now)).points).toBe(1);
    const all = await store.querySeries({ measurement: 'icmp', device: 'r1', from: 0, to: now });
    expect(all[0].points.map((p) => p.values.rtt_avg_ms)).toEqual([6, 1]);
    await store.close();
    const reopened = new SqliteSeriesStore({ ...opts, retentionMs: 2 * day });
    const after = await reopened.querySeries({ measurement: 'icmp', device: 'r1', from: 0, to: now });
    expect(after[0].points.map((p) => p.values.rtt_avg_ms)).toEqual([1]);
    await reopened.close();
  });

  it('merges fields written for the same series and time, as InfluxDB does', async () => {
    const store = new SqliteSeriesStore({ file: join(dir, 'merge.db'), retentionMs: 1e12, pruneIntervalMs: 3_600_000, batchSize: 1000, flushIntervalMs: 1000, logger: silentLogger });
    store.write([{ measurement: 'icmp', tags: { device: 'r1' }, fields: { rtt_avg_ms: 1.5, sent: 5n }, time: 1000 }]);
    store.write([{ measurement: 'icmp', tags: { device: 'r1' }, fields: { sent: 6n, up: 1n }, time: 1000 }]);
    const s = await store.querySeries({ measurement: 'icmp', device: 'r1', from: 0, to: 2000 });
    expect(s[0].points).toEqual([{ time: 1000, values: { rtt_avg_ms: 1.5, sent: 6, up: 1 } }]);
    await store.close();
  });

  it('counts a sample without tags as invalid and keeps the others of its batch', async () => {
    const store = new SqliteSeriesStore({ file: join(dir, 'invalid.db'), retentionMs: 1e12, pruneIntervalMs: 3_600_000, batchSize: 1000, flushIntervalMs: 1000, logger: silentLogger });
    const bad = { measurement: 'icmp', fields: { up: 1n }, time: 1000 } as unknown as Parameters<typeof store.write>[0][number];
    store.write([{ measurement: 'icmp', tags: { device: 'r1' }, fields: { up: 1n }, time: 1000 }, bad, { measurement: 'icmp', tags: { device: 'r2' }, fields: { up: 1n }, time: 1000 }]);
    await store.flush();
    expect(store.metrics()).toMatchObject({ pointsWritten: 2, pointsInvalid: 1, pointsDropped: 0 });
    await store.close();
  });

  it('exposes its counters as metric families', async () => {
    const store = new SqliteSeriesStore({ file: join(dir, 'metrics.db'), retentionMs: 1e12, pruneIntervalMs: 3_600_000, batchSize: 1000, flushIntervalMs: 1000, logger: silentLogger });
    store.write([{ measurement: 'icmp', tags: { device: 'r1' }, fields: { rtt_avg_ms: 1.5 }, time: 1000 }]);
    await store.flush();
    const fams = storageMetricFamilies(store.metrics());
    expect(fams.find((f) => f.name === 'netpulse_points_written_total')?.samples).toEqual([{ labels: { backend: 'sqlite' }, value: 1 }]);
    expect(fams.find((f) => f.name === 'netpulse_storage_up')?.samples[0].value).toBe(1);
    await store.close();
  });
});
