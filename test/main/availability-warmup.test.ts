/**
 * The runtime's availability day cache warm-up (src/main/availability-warmup.ts) on real SQLite
 * files with seeded histories: the nightly `availability-days` job warms yesterday for every
 * device under its own maxGap; start-up's warm-up fills exactly the rows the API's fleet report
 * then reads (its whole days' samples deleted afterwards, the report through the real route is
 * unchanged); the runtime registers the job and warms in the background on the embedded store
 * only, as storage.sqlite.availabilityWarmup says (`false`: neither). Both first forget the rows
 * of removed devices and of a device's old interval; a store keeping fewer days than configured
 * is warmed for the days it keeps whole, and the log line says so.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CronRegistry } from '../../src/poller/cron.ts';
import { SqliteSeriesStore } from '../../src/storage/sqlite/series-store.ts';
import { deviceMaxGapMs } from '../../src/storage/index.ts';
import { addAvailabilityDaysJob, startAvailabilityWarmup, warmLastDays, warmupSettings, type AvailabilityWarming } from '../../src/main/availability-warmup.ts';
import { buildApp } from '../../src/api/app.ts';
import type { DeviceView } from '../../src/api/services.ts';
import { parseConfig } from '../../src/config/index.ts';
import { startNetpulse, type NetpulseRuntime } from '../../src/main/runtime.ts';
import type { DeviceState, Sample } from '../../src/model/index.ts';
import { createFakeServices } from '../api/fake-services.ts';
import { freeUdpPort } from '../peers/snmpd.ts';
import { seededRandom } from '../seeded-random.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 20, 6, 30);
const TODAY = Date.UTC(2026, 0, 20);
const STATES = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown'] as const satisfies readonly DeviceState[];
const DEVICES = [
  { name: 'core-1', intervalMs: MIN },
  { name: 'edge-1', intervalMs: 5 * MIN },
  { name: 'edge-2', intervalMs: 5 * MIN },
  { name: 'fast-1', intervalMs: 20_000 },
];
const silent = { info() {}, warn() {}, error() {} };

/** `days` days of samples up to `to`, at the device's interval, with state runs and missed polls */
function history(r: () => number, device: string, interval: number, to: number, days: number): Sample[] {
  const out: Sample[] = [];
  let state: DeviceState = 'up';
  for (let t = to - days * DAY + Math.floor(r() * interval); t < to; t += interval) {
    if (r() < 0.03) state = r() < 0.6 ? 'down' : STATES[Math.floor(r() * STATES.length)];
    if (r() < 0.04) continue;
    out.push({ measurement: 'device_status', tags: { device, snmp_version: '2c' }, fields: { state, state_code: BigInt(STATES.indexOf(state)) }, time: t });
  }
  return out;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `netpulse-${name}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** a store at NOW holding 9 days of the fleet's samples, and the warming over it */
async function seededStore(retentionMs = 3650 * DAY) {
  const file = join(tempDir('availability-warmup'), 'series.db');
  const store = new SqliteSeriesStore({ file, retentionMs, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 10, logger: silent, now: () => NOW });
  cleanups.push(() => store.close());
  const r = seededRandom(424242);
  for (const d of DEVICES) store.write(history(r, d.name, d.intervalMs, NOW, 9));
  await store.flush();
  const db = new Database(file);
  cleanups.push(() => { db.close(); });
  const lines: string[] = [];
  const warming: AvailabilityWarming = { warm: (q) => store.warmAvailabilityDays(q), devices: () => DEVICES, now: () => NOW, log: (l) => lines.push(l) };
  return { store, db, lines, warming, file };
}

describe('availability warm-up (main)', () => {
  it('registers the nightly availability-days job at 00:20 UTC; a run warms yesterday for every device under its own maxGap', async () => {
    const { db, lines, warming } = await seededStore();
    const cron = new CronRegistry();
    cleanups.push(() => cron.stop());
    const job = addAvailabilityDaysJob(cron, warming);
    const [listed] = cron.list();
    expect(listed).toMatchObject({ name: 'availability-days', expression: '20 0 * * *', runs: 0 });
    const next = new Date(listed.nextRunAt!);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([0, 20]);
    expect(listed.nextRunAt! - Date.now()).toBeLessThanOrEqual(DAY);

    await job();
    const rows = db.prepare('SELECT device, day, max_gap_ms FROM availability_days ORDER BY device').raw(true).all();
    expect(rows).toEqual(DEVICES.map((d) => [d.name, TODAY - DAY, deviceMaxGapMs(d.intervalMs)]));
    expect(lines.join('\n')).toMatch(/^storage: availability warm-up of yesterday: 4 devices, 4 device-days computed \(\d+ samples\), 0 already cached, 0 without data in \d+\.\d s$/);
    await job();
    expect(lines[1]).toMatch(/4 devices, 0 device-days computed \(0 samples\), 4 already cached/);
  });

  it('start-up\'s warm-up fills exactly the rows the API\'s fleet report reads (those days\' samples deleted, the report is unchanged)', async () => {
    const { store, db, lines, warming, file } = await seededStore();
    const started = startAvailabilityWarmup(warming, { delayMs: 0 });
    const result = await started.done;
    // 31 days asked, 9 hold samples (the oldest only from its middle); today is not over
    expect(result).toMatchObject({ computed: DEVICES.length * 9, cached: 0, empty: DEVICES.length * 22, failed: 0, stopped: false });
    expect(lines[0]).toMatch(/availability warm-up of the last 31 days: 4 devices, 36 device-days computed/);

    // the report through the real route, with the API's own maxGap per device
    const svc = createFakeServices(NOW);
    const views = DEVICES.map((d) => ({ name: d.name, intervalMs: d.intervalMs, tags: {} }) as unknown as DeviceView);
    const report = async (availability: SqliteSeriesStore) => {
      const app = await buildApp({ ...svc, devices: { ...svc.devices, list: async () => views }, availability }, { tokens: ['t0k3n-0123456789abc'], openReads: false, cors: false, ui: false });
      try {
        const from = TODAY - 8 * DAY - 5 * 3_600_000;
        const res = await app.inject({ method: 'GET', url: `/api/v1/reports/availability?from=${from}&to=${NOW}&sort=name`, headers: { authorization: 'Bearer t0k3n-0123456789abc' } });
        expect(res.statusCode, res.body).toBe(200);
        return res.json();
      } finally {
        await app.close();
      }
    };
    // what it must say, from every sample (a store without the cache: this report stores nothing)
    const raw = new SqliteSeriesStore({ file, retentionMs: 3650 * DAY, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 10, logger: silent, availabilityCache: false });
    cleanups.push(() => raw.close());
    const before = await report(raw);
    expect(before.items.map((a: { device: string; maxGapMs: number }) => [a.device, a.maxGapMs])).toEqual(DEVICES.map((d) => [d.name, deviceMaxGapMs(d.intervalMs)]));
    expect(before.items.every((a: { samples: number }) => a.samples > 1000)).toBe(true);
    const cachedRows = db.prepare('SELECT count(*) FROM availability_days').pluck().get();
    // the report's whole days (TODAY - 8d .. TODAY) lose their samples: only cached spans can keep it as it was
    expect(db.prepare('DELETE FROM points WHERE time >= ? AND time < ?').run(TODAY - 8 * DAY, TODAY).changes).toBeGreaterThan(10_000);
    expect(await report(raw)).not.toEqual(before);
    expect(await report(store)).toEqual(before);
    expect(db.prepare('SELECT count(*) FROM availability_days').pluck().get()).toBe(cachedRows);
  });

  it('a store keeping 7 days: start-up\'s 31 days warm the 6 whole days it keeps, and the log line says so', async () => {
    const { db, lines, warming } = await seededStore(7 * DAY);
    const result = await startAvailabilityWarmup(warming, { delayMs: 0 }).done;
    // NOW - 7 days is 01-13 06:30: 01-14 .. 01-19 are kept whole; nothing is walked before them
    expect(result).toMatchObject({ computed: DEVICES.length * 6, cached: 0, empty: 0, failed: 0, from: TODAY - 6 * DAY, to: TODAY });
    expect(db.prepare('SELECT min(day), max(day) FROM availability_days').raw(true).get()).toEqual([TODAY - 6 * DAY, TODAY - DAY]);
    expect(lines).toEqual([expect.stringMatching(/^storage: availability warm-up of the last 6 days \(31 configured; the store keeps 7 days of samples\): 4 devices, 24 device-days computed \(\d+ samples\), 0 already cached, 0 without data in \d+\.\d s$/)]);
    // asking for no more than it keeps: no remark
    await warmLastDays(warming, 6);
    expect(lines[1]).toMatch(/^storage: availability warm-up of the last 6 days: 4 devices, 0 device-days computed \(0 samples\), 24 already cached/);
    // a retention shorter than a day keeps no whole day
    const short = await seededStore(DAY / 2);
    const cron = new CronRegistry();
    cleanups.push(() => cron.stop());
    await addAvailabilityDaysJob(cron, short.warming)();
    expect(short.lines).toEqual([expect.stringMatching(/^storage: availability warm-up of the last 0 days \(1 configured; the store keeps 0\.5 days of samples\): 4 devices, 0 device-days computed/)]);
  });

  it('the nightly job forgets the rows of a removed device and of a device\'s old interval, then warms yesterday under the new one', async () => {
    const { db, lines, warming } = await seededStore();
    await warmLastDays(warming, 3);
    const rows = () => db.prepare('SELECT device, day, max_gap_ms FROM availability_days ORDER BY device, day').raw(true).all() as [string, number, number][];
    const before = rows();
    expect(before).toHaveLength(DEVICES.length * 3);
    // edge-2 removed from the inventory, edge-1 now polled every minute
    const now = [DEVICES[0], { name: 'edge-1', intervalMs: MIN }, DEVICES[3]];
    const cron = new CronRegistry();
    cleanups.push(() => cron.stop());
    const job = addAvailabilityDaysJob(cron, { ...warming, devices: () => now });
    await job();
    const unchanged = before.filter(([d]) => d === 'core-1' || d === 'fast-1');
    expect(rows()).toEqual([...unchanged.slice(0, 3), ['edge-1', TODAY - DAY, deviceMaxGapMs(MIN)], ...unchanged.slice(3)]);
    expect(lines[1]).toMatch(/^storage: availability warm-up of yesterday: 3 devices, 1 device-days computed \(\d+ samples\), 2 already cached, 0 without data, 6 stale rows forgotten \(device removed or interval changed\) in \d+\.\d s$/);
    await job();
    expect(lines[2]).toMatch(/3 devices, 0 device-days computed \(0 samples\), 3 already cached, 0 without data in/);
  });

  it('start-up\'s warm-up can be stopped before it starts and while it runs', async () => {
    const { warming } = await seededStore();
    const early = startAvailabilityWarmup(warming, { delayMs: 60_000 });
    early.stop();
    expect(await early.done).toBeUndefined();
    const ac = new AbortController();
    const running = startAvailabilityWarmup(warming, { delayMs: 0, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    const result = await running.done;
    expect(result?.stopped).toBe(true);
    expect(result!.computed).toBeLessThan(DEVICES.length * 9);
  });

  it.each<[string, Parameters<typeof warmupSettings>, ReturnType<typeof warmupSettings>]>([
    ['no sqlite section: the constants', [undefined], { nightly: true, startup: { days: 31, delayMs: 30_000 }, pace: { busyMs: 50, restMs: 50 } }],
    ['the config', [{ days: 7, delay: 5000, busy: 20, rest: 0, nightly: false }], { nightly: false, startup: { days: 7, delayMs: 5000 }, pace: { busyMs: 20, restMs: 0 } }],
    ['days 0: no start-up warm-up', [{ days: 0, delay: 5000, busy: 20, rest: 80, nightly: true }], { nightly: true, startup: false, pace: { busyMs: 20, restMs: 80 } }],
    ['the start option replaces days/delay', [{ days: 7, delay: 5000, busy: 20, rest: 80, nightly: true }, { delayMs: 0 }], { nightly: true, startup: { days: 7, delayMs: 0 }, pace: { busyMs: 20, restMs: 80 } }],
    ['the start option false: no start-up warm-up', [undefined, false], { nightly: true, startup: false, pace: { busyMs: 50, restMs: 50 } }],
    ['config false: neither, whatever the start option', [false, { delayMs: 0, days: 2 }], false],
  ])('warmupSettings: %s', (_, args, want) => {
    expect(warmupSettings(...args)).toEqual(want);
  });
});

describe('the runtime', () => {
  let rt: NetpulseRuntime | undefined;
  afterEach(async () => {
    await rt?.stop();
    rt = undefined;
  });

  async function config(name: string, extra = '', devices?: string) {
    const dir = tempDir(name);
    mkdirSync(join(dir, 'mibs'));
    const port = await freeUdpPort(); // nothing answers there: polls time out (loopback only)
    const lines: string[] = [];
    const cfg = parseConfig(`
credentials: { c: { version: 2c, community: warm-ro } }
devices: ${devices ?? `
  - { name: core-1, address: 127.0.0.1, port: ${port}, credentials: c, icmp: false, interval: 60s }
  - { name: edge-1, address: 127.0.0.1, port: ${port}, credentials: c, icmp: false, interval: 5m }`}
defaults: { timeout: 300ms, retries: 0 }
dataDir: ${join(dir, 'data')}
mibDirs: [${join(dir, 'mibs')}]
${extra}
`, `${name}.yaml`, {});
    return { cfg, lines, dataDir: join(dir, 'data') };
  }

  /** three days of history before now, on the real clock */
  /**
   * a clock running at the last noon UTC (up to a day behind): the days a warm-up takes are those
   * ended 10 min before its now, so a run just after midnight would otherwise see one day fewer
   */
  function noonClock(): { at: number; now: () => number } {
    const t = Date.now();
    const at = Math.floor((t - DAY / 2) / DAY) * DAY + DAY / 2;
    return { at, now: () => Date.now() - (t - at) };
  }

  async function seedHistory(dataDir: string, now: number) {
    const seed = new SqliteSeriesStore({ file: join(dataDir, 'series.db'), retentionMs: 7 * DAY, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 10, logger: silent });
    const r = seededRandom(7);
    seed.write([...history(r, 'core-1', MIN, now, 3), ...history(r, 'edge-1', 5 * MIN, now, 3)]);
    await seed.close();
  }

  function cachedRows(dataDir: string): number {
    const db = new Database(join(dataDir, 'series.db'), { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM availability_days').pluck().get() as number;
    } finally {
      db.close();
    }
  }

  it('on the embedded store: lists the availability-days job and warms the past days in the background after start-up', async () => {
    const { cfg, lines, dataDir } = await config('runtime-warmup');
    const clock = noonClock();
    await seedHistory(dataDir, clock.at);
    rt = await startNetpulse(cfg, { log: (l) => lines.push(l), now: clock.now, availabilityWarmup: { delayMs: 3000, days: 2 } });
    expect(rt.cron.list().map((j) => [j.name, j.expression])).toEqual([['availability-days', '20 0 * * *'], ['state-retention', '40 0 * * *']]);
    // operators see it: /ready's jobs and cron check, /metrics
    expect((await rt.services.health.cronJobs()).filter((j) => j.name === 'availability-days')).toMatchObject([{ name: 'availability-days', runs: 0, failures: 0, lastError: null }]);
    expect((await rt.services.health.checks()).find((c) => c.name === 'cron')).toEqual({ name: 'cron', ok: true, detail: '2 jobs' });
    expect((await rt.services.metrics()).find((f) => f.name === 'netpulse_cron_job_runs_total')?.samples.filter((x) => x.labels?.job === 'availability-days')).toEqual([{ labels: { job: 'availability-days' }, value: 0 }]);
    expect(lines.join('\n')).not.toMatch(/availability warm-up/); // not before start-up is done
    const deadline = Date.now() + 20_000;
    while (!lines.some((l) => l.includes('availability warm-up')) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    expect(lines.find((l) => l.includes('availability warm-up'))).toMatch(/^storage: availability warm-up of the last 2 days: 2 devices, 4 device-days computed/);
    const db = new Database(join(dataDir, 'series.db'), { readonly: true });
    try {
      const today = Math.floor(clock.at / DAY) * DAY;
      expect(db.prepare('SELECT device, day, max_gap_ms FROM availability_days ORDER BY device, day').raw(true).all()).toEqual([
        ['core-1', today - 2 * DAY, 150_000], ['core-1', today - DAY, 150_000], ['edge-1', today - 2 * DAY, 750_000], ['edge-1', today - DAY, 750_000],
      ]);
    } finally {
      db.close();
    }
    // an operator runs it now (POST /api/v1/cron-jobs/availability-days/run): started, not awaited; one run at a time
    expect(await rt.services.cron.run('availability-days')).toMatchObject({ name: 'availability-days', runs: 1, running: true });
    await expect(rt.services.cron.run('availability-days')).rejects.toMatchObject({ kind: 'conflict' });
    await rt.cron.run('availability-days'); // waits for the run in progress
    expect((await rt.services.health.cronJobs()).filter((j) => j.name === 'availability-days')).toMatchObject([{ name: 'availability-days', runs: 1, failures: 0, lastError: null, running: false }]);
    expect(await rt.services.cron.run('no-such-job')).toBeUndefined();
  }, 60_000);

  it('start-up\'s warm-up forgets the cached rows of old intervals and of removed devices but those reports of removed devices read; on the default 7-day store it warms the 6 days kept whole', async () => {
    const { cfg, lines, dataDir } = await config('runtime-warmup-forget');
    await seedHistory(dataDir, Date.now());
    const today = Math.floor(Date.now() / DAY) * DAY;
    // the store's 7 days hold 6 whole days, the last of them cacheable 10 min after it ended
    const wholeDays = Date.now() - today >= 10 * MIN ? 6 : 5;
    const db = new Database(join(dataDir, 'series.db'));
    try {
      const put = db.prepare("INSERT INTO availability_days (device, day, max_gap_ms, span) VALUES (?, ?, ?, '[1]')");
      put.run('removed-1', today - 2 * DAY, deviceMaxGapMs(undefined)); // what reports with includeRemoved read: kept
      put.run('removed-1', today - 3 * DAY, 999_000);
      put.run('core-1', today - 2 * DAY, deviceMaxGapMs(2 * MIN)); // core-1 was polled every 2 minutes
    } finally {
      db.close();
    }
    rt = await startNetpulse(cfg, { log: (l) => lines.push(l), availabilityWarmup: { delayMs: 100 } });
    const deadline = Date.now() + 20_000;
    while (!lines.some((l) => l.includes('availability warm-up')) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(lines.find((l) => l.includes('availability warm-up'))).toMatch(
      new RegExp(`^storage: availability warm-up of the last ${wholeDays} days \\(31 configured; the store keeps 7 days of samples\\): 2 devices, \\d+ device-days computed \\(\\d+ samples\\), 0 already cached, \\d+ without data, 2 stale rows forgotten`),
    );
    const left = new Database(join(dataDir, 'series.db'), { readonly: true });
    try {
      expect(left.prepare('SELECT DISTINCT device, max_gap_ms FROM availability_days ORDER BY device').raw(true).all()).toEqual([['core-1', 150_000], ['edge-1', 750_000], ['removed-1', 150_000]]);
    } finally {
      left.close();
    }
  }, 60_000);

  it('storage.sqlite.availabilityWarmup: false: no availability-days job, no warm-up (even with the start option asking for one at once)', async () => {
    const { cfg, lines, dataDir } = await config('runtime-warmup-off', 'storage: { sqlite: { availabilityWarmup: false } }');
    await seedHistory(dataDir, Date.now());
    rt = await startNetpulse(cfg, { log: (l) => lines.push(l), availabilityWarmup: { delayMs: 0, days: 2 } });
    expect(rt.storage.warmAvailabilityDays).toBeTypeOf('function');
    expect(rt.cron.list().map((j) => [j.name, j.expression])).toEqual([['state-retention', '40 0 * * *']]);
    expect(await rt.services.cron.run('availability-days')).toBeUndefined();
    await new Promise((res) => setTimeout(res, 500));
    expect(lines.join('\n')).not.toMatch(/availability warm-up/);
    expect(cachedRows(dataDir)).toBe(0);
  }, 60_000);

  it('storage.sqlite.availabilityWarmup\'s days and delay reach start-up\'s warm-up; nightly: false registers no job', async () => {
    const { cfg, lines, dataDir } = await config('runtime-warmup-config', 'storage: { sqlite: { availabilityWarmup: { days: 1, delay: 4000ms, busy: 20ms, rest: 5ms, nightly: false } } }');
    const clock = noonClock();
    await seedHistory(dataDir, clock.at);
    const started = Date.now();
    const timers = vi.spyOn(globalThis, 'setTimeout');
    rt = await startNetpulse(cfg, { log: (l) => lines.push(l), now: clock.now });
    // the warm-up waits on a timer of the configured delay
    const delays = timers.mock.calls.map(([, ms]) => ms);
    timers.mockRestore();
    expect(delays).toContain(4000);
    expect(rt.cron.list().map((j) => [j.name, j.expression])).toEqual([['state-retention', '40 0 * * *']]);
    // not at once (delay), nor only after the default 30 s
    await new Promise((res) => setTimeout(res, Math.max(0, started + 2000 - Date.now())));
    expect(lines.join('\n')).not.toMatch(/availability warm-up/);
    const deadline = Date.now() + 20_000;
    while (!lines.some((l) => l.includes('availability warm-up')) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(lines.find((l) => l.includes('availability warm-up'))).toMatch(/^storage: availability warm-up of yesterday: 2 devices, 2 device-days computed/);
    expect(cachedRows(dataDir)).toBe(2);
  }, 60_000);

  it('the topology schedule is a job of the same registry: listed, run on request, counted', async () => {
    const { cfg, lines } = await config('runtime-cron-topology', 'storage: { sqlite: { availabilityWarmup: false } }\ntopology: { schedule: "0 3 * * *" }');
    rt = await startNetpulse(cfg, { log: (l) => lines.push(l) });
    expect(rt.cron.list().map((j) => [j.name, j.expression])).toEqual([['topology-discovery', '0 3 * * *'], ['state-retention', '40 0 * * *']]);
    expect(await rt.services.cron.run('topology-discovery')).toMatchObject({ name: 'topology-discovery', running: true, runs: 1 });
    const deadline = Date.now() + 20_000;
    while (rt.cron.list()[0].running && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(rt.cron.list()[0]).toMatchObject({ runs: 1, running: false });
    expect(lines.join('\n')).toContain('topology: discovery scheduled "0 3 * * *"');
  }, 60_000);

  it('on InfluxDB: no availability-days job, no warm-up', async () => {
    const deadHttpPort = await freeUdpPort();
    const { cfg, lines } = await config('runtime-warmup-influx', `storage: { influx: { url: "http://127.0.0.1:${deadHttpPort}", database: np, timeout: 300ms } }`, '[]');
    rt = await startNetpulse(cfg, { log: (l) => lines.push(l), availabilityWarmup: { delayMs: 0 } });
    expect(rt.storage.warmAvailabilityDays).toBeUndefined();
    expect(rt.cron.list().map((j) => [j.name, j.expression])).toEqual([['state-retention', '40 0 * * *']]);
    expect(await rt.services.cron.run('availability-days')).toBeUndefined();
    await new Promise((res) => setTimeout(res, 100));
    expect(lines.join('\n')).not.toMatch(/availability warm-up/);
  }, 60_000);
});
