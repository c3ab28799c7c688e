/**
 * Nothing lost: InfluxDB (a real influxd) down at start-up, killed mid-stream, netpulse
 * restarted with a full spool, rejected batches quarantined, spool bound and disk errors.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../src/model/index.ts';
import { createStorage, type InfluxSettings, type Storage, type StorageLogger } from '../../src/storage/index.ts';
import { startInfluxd, type InfluxdPeer } from '../peers/influxd.ts';

const ROOT = resolve(import.meta.dirname, '../..');
let influxd: InfluxdPeer;
const dirs: string[] = [];
let dbCounter = 0;

beforeAll(async () => {
  influxd = await startInfluxd();
});
afterAll(async () => {
  await influxd?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'netpulse-resilience-'));
  dirs.push(d);
  return d;
}

class RecordingLogger implements StorageLogger {
  lines: string[] = [];
  info(m: string) { this.lines.push(`info ${m}`); }
  warn(m: string) { this.lines.push(`warn ${m}`); }
  error(m: string) { this.lines.push(`error ${m}`); }
}

function samples(from: number, n: number, device = 'r1'): Sample[] {
  return Array.from({ length: n }, (_, i) => ({
    measurement: 'snmp_interface',
    tags: { device, ifName: `Gi0/${(from + i) % 8}` },
    fields: { in_octets: BigInt(from + i), in_bps: (from + i) / 2 },
    time: 1_700_000_000_000 + from + i,
  }));
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function countPoints(database: string, measurement = 'snmp_interface'): Promise<number> {
  const res = await influxd.query(`SELECT count("in_octets") FROM "${measurement}"`, database);
  return res.results[0].series?.[0]?.values?.[0]?.[1] ?? 0;
}

function open(dataDir: string, database: string, logger: StorageLogger, extra: Partial<InfluxSettings> = {}): Storage {
  return createStorage(
    { dataDir, storage: { influx: { url: influxd.url, database, batchSize: 500, flushInterval: 50, retry: { baseMs: 50, maxMs: 300 }, ...extra } } },
    { logger },
  );
}

describe('InfluxDB writer: nothing lost', () => {
  it('starts and accepts points while InfluxDB is unreachable, then delivers them all', async () => {
    await influxd.stop();
    const database = `down_at_start${++dbCounter}`;
    const logger = new RecordingLogger();
    const storage = open(tempDir(), database, logger);
    try {
      storage.sink.write(samples(0, 2000));
      await storage.flush(500);
      await waitFor(() => storage.metrics().spoolPoints === 2000, 20_000, 'spooled points');
      expect(storage.metrics().healthy).toBe(false);
      await influxd.start();
      await waitFor(() => storage.metrics().spoolPoints === 0, 20_000, 'replay');
      expect(await countPoints(database)).toBe(2000);
      const m = storage.metrics();
      expect(m).toMatchObject({ pointsWritten: 2000, pointsReplayed: 2000, pointsDropped: 0, spoolPoints: 0 });
      expect(logger.lines.some((l) => l.startsWith('warn') && l.includes('spooling'))).toBe(true);
    } finally {
      await influxd.start();
      await storage.close();
    }
  });

  it('survives an outage mid-stream: every point arrives, in order of writing', async () => {
    const database = `outage${++dbCounter}`;
    const storage = open(tempDir(), database, new RecordingLogger());
    try {
      storage.sink.write(samples(0, 3000));
      await storage.flush();
      expect(await countPoints(database)).toBe(3000);
      await influxd.stop();
      storage.sink.write(samples(3000, 3000));
      await storage.flush(300);
      await waitFor(() => storage.metrics().spoolPoints === 3000, 20_000, 'spool');
      await influxd.start();
      storage.sink.write(samples(6000, 1000));
      await waitFor(async () => (await countPoints(database)) === 7000, 20_000, 'all 7000 points');
      const m = storage.metrics();
      expect(m.pointsDropped).toBe(0);
      expect(m.pointsSpooled).toBeGreaterThanOrEqual(3000);
      expect(m.batchesFailed).toBeGreaterThan(0);
    } finally {
      await influxd.start();
      await storage.close();
    }
  });

  it('keeps the spool across a restart of netpulse', async () => {
    const database = `restart${++dbCounter}`;
    const dataDir = tempDir();
    await influxd.stop();
    const first = open(dataDir, database, new RecordingLogger());
    first.sink.write(samples(0, 1500));
    await first.flush(300);
    await first.close();
    await influxd.start();
    const second = open(dataDir, database, new RecordingLogger());
    try {
      await waitFor(() => second.metrics().spoolPoints === 0, 20_000, 'replay after restart');
      expect(await countPoints(database)).toBe(1500);
      expect(second.metrics()).toMatchObject({ pointsReplayed: 1500, spoolPoints: 0 });
    } finally {
      await second.close();
    }
  });

  it('keeps the spool when netpulse is killed (SIGKILL, no clean close)', async () => {
    const database = `crash${++dbCounter}`;
    const dataDir = tempDir();
    await influxd.stop();
    const script = join(dataDir, 'writer.mts');
    writeFileSync(script, `
      import { createStorage } from ${JSON.stringify(join(ROOT, 'src/storage/index.ts'))};
      const storage = createStorage({ dataDir: ${JSON.stringify(dataDir)}, storage: { influx: { url: ${JSON.stringify(influxd.url)}, database: ${JSON.stringify(database)}, batchSize: 250, flushInterval: 20 } } });
      const samples = Array.from({ length: 1000 }, (_, i) => ({ measurement: 'snmp_interface', tags: { device: 'c' }, fields: { in_octets: BigInt(i) }, time: 1_700_000_000_000 + i }));
      storage.sink.write(samples);
      const wait = () => storage.metrics().spoolPoints === 1000 ? process.stdout.write('spooled\\n') : setTimeout(wait, 20);
      wait();
      setInterval(() => {}, 1000);
    `);
    const child = spawn(process.execPath, [join(ROOT, 'bin/run-ts'), script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => { if (String(d).includes('spooled')) resolve(); });
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
        setTimeout(() => reject(new Error('writer did not spool within 15 s')), 15_000);
      });
    } finally {
      child.kill('SIGKILL');
    }
    await influxd.start();
    const storage = open(dataDir, database, new RecordingLogger());
    try {
      await waitFor(() => storage.metrics().spoolPoints === 0, 20_000, 'replay after the crash');
      expect(await countPoints(database)).toBe(1000);
    } finally {
      await storage.close();
    }
  });

  it('quarantines a rejected batch with the server message, and the rest flows on', async () => {
    const database = `quarantine${++dbCounter}`;
    const dataDir = tempDir();
    const logger = new RecordingLogger();
    const storage = open(dataDir, database, logger, { batchSize: 10 });
    try {
      storage.sink.write(samples(0, 10));
      await storage.flush();
      // in_octets is an integer in InfluxDB now: a float is a field type conflict (400)
      storage.sink.write([{ measurement: 'snmp_interface', tags: { device: 'bad' }, fields: { in_octets: 1.5 }, time: 1_700_000_000_000 }]);
      await storage.flush();
      storage.sink.write(samples(10, 10));
      await storage.flush();
      expect(await countPoints(database)).toBe(20);
      const m = storage.metrics();
      expect(m.pointsQuarantined).toBe(1);
      expect(m.pointsDropped).toBe(0);
      const file = join(dataDir, 'influx-quarantine.jsonl');
      const entry = JSON.parse(readFileSync(file, 'utf8').trim());
      expect(entry.status).toBe(400);
      expect(entry.error).toMatch(/field type conflict/);
      expect(entry.lines).toBe('snmp_interface,device=bad in_octets=1.5 1700000000000');
      expect(logger.lines.some((l) => l.startsWith('error') && l.includes('field type conflict'))).toBe(true);
    } finally {
      await storage.close();
    }
  });

  it('replays spooled batches merged, and isolates a rejected one among them', async () => {
    const database = `mergedreplay${++dbCounter}`;
    const dataDir = tempDir();
    const storage = open(dataDir, database, new RecordingLogger(), { batchSize: 100 });
    try {
      storage.sink.write(samples(0, 100));
      await storage.flush();
      const replayedBefore = storage.metrics().pointsReplayed;
      await influxd.stop();
      storage.sink.write(samples(100, 300));
      await storage.flush(300);
      storage.sink.write([{ measurement: 'snmp_interface', tags: { device: 'bad' }, fields: { in_octets: 2.5 }, time: 1_700_000_000_000 }]);
      await storage.flush(300);
      storage.sink.write(samples(400, 200));
      await storage.flush(300);
      await waitFor(() => storage.metrics().spoolPoints === 501, 20_000, 'spool of 501 points');
      await influxd.start();
      await waitFor(() => storage.metrics().spoolPoints === 0, 20_000, 'replay');
      expect(await countPoints(database)).toBe(600);
      expect(storage.metrics()).toMatchObject({ pointsQuarantined: 1, pointsDropped: 0, pointsReplayed: replayedBefore + 500 });
      const entry = JSON.parse(readFileSync(join(dataDir, 'influx-quarantine.jsonl'), 'utf8').trim());
      expect(entry.lines).toBe('snmp_interface,device=bad in_octets=2.5 1700000000000');
    } finally {
      await influxd.start();
      await storage.close();
    }
  });

  it('counts and logs loudly what the spool bound drops', async () => {
    const database = `bound${++dbCounter}`;
    const logger = new RecordingLogger();
    await influxd.stop();
    const storage = open(tempDir(), database, logger, { batchSize: 100, spool: { maxBytes: 4000 } });
    try {
      for (let i = 0; i < 20; i++) storage.sink.write(samples(i * 100, 100));
      await storage.flush(300);
      await waitFor(() => storage.metrics().pointsDropped > 0, 20_000, 'drops');
      const m = storage.metrics();
      expect(m.spoolBytes).toBeLessThanOrEqual(4000);
      expect(m.spoolPoints + m.pointsDropped).toBe(2000);
      expect(logger.lines.some((l) => l.startsWith('error') && l.includes('DROPPED'))).toBe(true);
      await influxd.start();
      await waitFor(async () => (await countPoints(database).catch(() => 0)) === m.spoolPoints, 20_000, 'replay of what was kept');
    } finally {
      await influxd.start();
      await storage.close();
    }
  });

  it('creates the database and retention policy when missing', async () => {
    const database = `rp${++dbCounter}`;
    const storage = open(tempDir(), database, new RecordingLogger(), { retentionPolicy: 'two_days', retention: 48 * 3_600_000 });
    try {
      // inside the 48 h policy: older points would be rejected as beyond retention
      storage.sink.write(samples(0, 5).map((x) => ({ ...x, time: Date.now() - 1000 + (x.time % 100) })));
      await storage.flush();
      expect(storage.metrics().pointsQuarantined).toBe(0);
      const rps = await influxd.query(`SHOW RETENTION POLICIES ON "${database}"`);
      const rp = rps.results[0].series[0].values.find((v: unknown[]) => v[0] === 'two_days');
      expect(rp?.[1]).toBe('48h0m0s');
      const res = await influxd.query(`SELECT count(in_octets) FROM "${database}"."two_days"."snmp_interface"`);
      expect(res.results[0].series[0].values[0][1]).toBe(5);
      expect(existsSync(join(influxd.dir, 'data', database, 'two_days'))).toBe(true);
    } finally {
      await storage.close();
    }
  });
});
