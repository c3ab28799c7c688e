/**
 * Bounded gzip stage and the spool switch, against a real influxd 1.6.7: a compressor slower
 * than the producers must not pile batches up in memory, and nothing accepted is lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../src/model/index.ts';
import { createStorage, type StorageLogger } from '../../src/storage/index.ts';
import { InfluxHttp } from '../../src/storage/influx/http.ts';
import { Quarantine } from '../../src/storage/influx/quarantine.ts';
import { Spool } from '../../src/storage/influx/spool.ts';
import { InfluxWriter } from '../../src/storage/influx/writer.ts';
import { startInfluxd, type InfluxdPeer } from '../peers/influxd.ts';

const gzip = promisify(gzipCb);
let influxd: InfluxdPeer;
const dirs: string[] = [];
beforeAll(async () => {
  influxd = await startInfluxd();
});
afterAll(async () => {
  await influxd?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'netpulse-backpressure-'));
  dirs.push(d);
  return d;
}

function recorder(): { logger: StorageLogger; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) } };
}

const samples = (from: number, n: number): Sample[] =>
  Array.from({ length: n }, (_, i) => ({
    measurement: 'snmp_interface', tags: { device: 'r1', ifName: `Gi0/${(from + i) % 16}` }, fields: { in_octets: BigInt(from + i) }, time: 1_700_000_000_000 + from + i,
  }));

async function countPoints(database: string): Promise<number> {
  const res = await influxd.query('SELECT count("in_octets") FROM "snmp_interface"', database);
  return res.results[0].series?.[0]?.values?.[0]?.[1] ?? 0;
}

async function waitFor(cond: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('InfluxDB gzip stage back-pressure', () => {
  it('a slow compressor keeps at most maxCompressing + maxMemoryBatches batches in memory; the rest goes through the spool, none lost', async () => {
    const dir = tempDir();
    const database = 'gzip_backpressure';
    const { logger, lines } = recorder();
    let inFlight = 0;
    let maxInFlight = 0;
    const w = new InfluxWriter({
      http: new InfluxHttp({ url: influxd.url, database, timeoutMs: 5000 }),
      spool: new Spool(join(dir, 'spool.db'), 100_000_000),
      quarantine: new Quarantine(join(dir, 'q.jsonl'), 1_000_000),
      logger, batchSize: 500, flushIntervalMs: 20, backoffBaseMs: 20, backoffMaxMs: 200,
      maxCompressing: 2, maxMemoryBatches: 4,
      compress: async (text) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, 100));
        inFlight--;
        return gzip(text, { level: 1 });
      },
    });
    try {
      await w.flush();
      let maxPending = 0;
      // a burst of 200 batches in one tick: 2 go to the slow compressor, 4 are compressed in write() and wait, the rest are spooled
      for (let i = 0; i < 100_000; i += 500) {
        w.write(samples(i, 500));
        maxPending = Math.max(maxPending, w.metrics().pendingPoints);
      }
      expect(maxPending).toBeLessThanOrEqual((2 + 4) * 500);
      expect(lines.filter((l) => l.includes('gzip cannot keep up'))).toHaveLength(1);
      await waitFor(async () => (await countPoints(database)) === 100_000);
      expect(maxInFlight).toBeLessThanOrEqual(2);
      expect(w.metrics()).toMatchObject({ pointsDropped: 0, pointsWritten: 100_000 });
      expect(w.metrics().pointsSpooled).toBeGreaterThan(90_000);
    } finally {
      await w.close(1000);
    }
  });
});

describe('spool switch', () => {
  it('maxBytes 0 is refused with a clear error instead of silently disabling the spool', () => {
    expect(() => createStorage({ dataDir: tempDir(), storage: { influx: { url: influxd.url, database: 'x', spool: { maxBytes: 0 } } } }))
      .toThrow('storage: storage.influx.spool.maxBytes: 0: must be > 0; to disable the spool set spool.enabled: false');
  });

  it('enabled: false turns it off, says so at start-up and counts what it drops', async () => {
    const { logger, lines } = recorder();
    await influxd.stop();
    const storage = createStorage(
      { dataDir: tempDir(), storage: { influx: { url: influxd.url, database: 'nospool', batchSize: 100, flushInterval: 20, spool: { enabled: false }, retry: { baseMs: 20, maxMs: 100 } } } },
      { logger },
    );
    try {
      expect(lines.filter((l) => l.includes('spool disabled'))).toHaveLength(1);
      storage.sink.write(samples(0, 1000));
      await waitFor(() => storage.metrics().pointsDropped === 1000, 20_000);
      expect(storage.metrics()).toMatchObject({ spoolPoints: 0, pointsSpooled: 0 });
      expect(lines.filter((l) => l.startsWith('error') && l.includes('DROPPED')), lines.join('\n')).toHaveLength(1);
    } finally {
      await storage.close();
      await influxd.start();
    }
  });
});
