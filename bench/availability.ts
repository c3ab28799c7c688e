/**
 * The fleet availability report on the embedded SQLite store: 100 and then 1,000 devices ×
 * 30 days of 1-minute device_status samples (mostly up, a few outages, snmp-unreachable
 * spells, missed polls, some devices with a second SNMP-version series), written straight
 * into a temporary series.db. For the last 7 and the whole 30 days it prints the time of the
 * first report over all devices (an empty day cache: it reads every sample and stores the
 * days' summaries) and of the second (the past days from the cache), and of one device's
 * report with its timeline (the past days' runs from the cache), next to the same report with
 * every sample read (it must be equal). --reference also times the report without the cache
 * (every sample read, as before the cache). --warm instead fills the cache with
 * warmAvailabilityDays (as netpulse's start-up warm-up does, paced as it is unless --pace says
 * otherwise: busyMs/restMs, 0 = only a turn of the event loop between device-days) and prints
 * its time, the event-loop delay it caused (a 10 ms-resolution monitor) and its CPU, then the time
 * of the first report after it.
 *   node bin/run-ts bench/availability.ts [--devices 100,1000] [--days 7,30] [--reference] [--warm [--pace 50/50]]
 */
import Database from 'better-sqlite3';
import { isDeepStrictEqual } from 'node:util';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SqliteSeriesStore } from '../src/storage/sqlite/series-store.ts';
import type { DeviceAvailability } from '../src/storage/availability.ts';
import { WARMUP_PACE } from '../src/main/availability-warmup.ts';
import { seededRandom } from '../test/seeded-random.ts';

const { values } = parseArgs({ options: {
  devices: { type: 'string', default: '100,1000' },
  days: { type: 'string', default: '7,30' },
  reference: { type: 'boolean', default: false },
  warm: { type: 'boolean', default: false },
  pace: { type: 'string', default: `${WARMUP_PACE.busyMs}/${WARMUP_PACE.restMs}` },
} });
const [busyMs, restMs] = values.pace.split('/').map(Number);
const PACE = busyMs > 0 ? { busyMs, restMs } : undefined;
const SIZES = values.devices.split(',').map(Number);
const RANGES = values.days.split(',').map(Number);
const DAY = 86_400_000;
const MIN = 60_000;
const TO = Date.UTC(2026, 0, 31);
const FROM = TO - Math.max(...RANGES) * DAY;
const GAP = 2.5 * MIN;
const STATES = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown'] as const;

const rng = seededRandom;

const dir = mkdtempSync(join(tmpdir(), 'netpulse-bench-availability-'));
const file = join(dir, 'series.db');
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const open = (availabilityCache = true) => new SqliteSeriesStore({ file, retentionMs: 3650 * DAY, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 1000, logger: silent, availabilityCache });

/**
 * Devices [first, last) written directly (one transaction per device), as the store lays them
 * out: each stretch of polls with the same state and series is one INSERT of a recursive CTE
 * (inserting row by row from JS took 3.7 µs a sample, too slow for 43 M samples).
 */
function generate(first: number, last: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const series = db.prepare('INSERT INTO series (measurement, device, tags) VALUES (?, ?, ?) RETURNING id').pluck();
  const stretch = db.prepare(`WITH RECURSIVE t(x) AS (SELECT ? UNION ALL SELECT x + ${MIN} FROM t WHERE x + ${MIN} < ?)
    INSERT INTO points (series_id, time, fields) SELECT ?, x, ? FROM t`);
  let n = 0;
  for (let d = first; d < last; d++) {
    const r = rng(d + 1);
    const name = `bench-${String(d).padStart(4, '0')}`;
    const ids = ['2c', '3'].map((v) => series.get('device_status', name, JSON.stringify({ device: name, snmp_version: v })) as number);
    const switchAt = d % 10 === 0 ? FROM + r() * (TO - FROM) : Number.POSITIVE_INFINITY; // a tenth move from v2c to v3
    db.transaction(() => {
      let state: (typeof STATES)[number] = 'up';
      let until = 0;
      let stretchOpen: { from: number; series: number; state: string } | undefined;
      const close = (to: number) => {
        if (!stretchOpen) return;
        const code = STATES.indexOf(stretchOpen.state as (typeof STATES)[number]);
        n += stretch.run(stretchOpen.from, to, stretchOpen.series, `{"state":"${stretchOpen.state}","state_code":${code},"poll_duration_ms":${(r() * 500).toFixed(1)},"missed_polls":0,"error":""}`).changes;
        stretchOpen = undefined;
      };
      for (let t = FROM - MIN + Math.floor(r() * MIN); t < TO; t += MIN) {
        if (t >= until) {
          const x = r();
          state = 'up';
          until = t + MIN;
          if (x < 0.0005) { state = 'down'; until = t + (5 + r() * 55) * MIN; }
          else if (x < 0.001) { state = 'snmp-unreachable'; until = t + (1 + r() * 30) * MIN; }
          else if (x < 0.0012) { state = 'unknown'; until = t + 2 * MIN; }
        }
        if (r() < 0.003) { close(t); continue; } // a missed poll
        const id = t < switchAt ? ids[0] : ids[1];
        if (stretchOpen && (stretchOpen.series !== id || stretchOpen.state !== state)) close(t);
        stretchOpen ??= { from: t, series: id, state };
      }
      close(TO);
    })();
  }
  db.close();
  // written with synchronous OFF: put its pages on disk now, or the first checkpoint's fsync in a timed run pays for gigabytes
  const fd = openSync(file, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  return n;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** warms the cache for q's days as the runtime does, with the event-loop delay and CPU it caused, then the first report */
async function warmThenReport(store: SqliteSeriesStore, size: number, q: { from: number; to: number; maxGapMs: number }): Promise<void> {
  const devices = Array.from({ length: size }, (_, d) => `bench-${String(d).padStart(4, '0')}`);
  const maxGapByDevice = Object.fromEntries(devices.map((d) => [d, GAP]));
  const eld = monitorEventLoopDelay({ resolution: 10 });
  await new Promise((r) => setTimeout(r, 20)); // the loop's clock is stale after the synchronous set-up: the monitor's first delay would count it
  const cpu0 = process.cpuUsage();
  eld.enable();
  const warm = await time(() => store.warmAvailabilityDays({ devices, maxGapByDevice, from: q.from, to: q.to, pace: PACE }));
  eld.disable();
  const cpu = process.cpuUsage(cpu0);
  const ms = (ns: number) => `${(ns / 1e6).toFixed(1)} ms`;
  const w = warm.value;
  const days = Math.round((q.to - q.from) / DAY);
  console.log(`  ${days} days, ${size} devices: warm-up (pace ${PACE ? `${PACE.busyMs}/${PACE.restMs} ms` : 'none'}) ${s(warm.ms)}: ${w.computed} device-days, ${w.samples.toLocaleString('en')} samples, ${w.failed} failed; `
    + `CPU ${(((cpu.user + cpu.system) / 1000 / warm.ms) * 100).toFixed(0)} % of a core; event-loop delay p50 ${ms(eld.percentile(50))} p99 ${ms(eld.percentile(99))} max ${ms(eld.max)} (10 ms timer)`);
  const first = await time(() => store.availability(q));
  const second = await time(() => store.availability(q));
  const same = isDeepStrictEqual(first.value, second.value) ? '' : ' (DIFFERS from the first!)';
  console.log(`  ${days} days, ${first.value.length} devices, ${first.value.reduce((n, a) => n + a.samples, 0).toLocaleString('en')} samples: first report after the warm-up ${s(first.ms)}, second ${s(second.ms)}${same}`);
}

console.log(`availability bench: SQLite, ${Math.max(...RANGES)} days of 1-minute device_status samples per device, maxGap 2.5 min (shared 2-core machine: indicative only)`);
open().close();
let have = 0;
let samples = 0;
const started = performance.now();
try {
  for (const size of SIZES) {
    const g = await time(async () => generate(have, size));
    samples += g.value;
    have = size;
    console.log(`generated ${size} devices (${samples.toLocaleString('en')} samples, ${(statSync(file).size / 1e6).toFixed(0)} MB) in ${s(g.ms)}`);
    const store = open();
    const admin = new Database(file);
    try {
      for (const days of RANGES) {
        const q = { from: TO - days * DAY, to: TO, maxGapMs: GAP };
        admin.exec('DELETE FROM availability_days');
        if (values.warm) {
          await warmThenReport(store, size, q);
          continue;
        }
        const first = await time(() => store.availability(q));
        const second = await time(() => store.availability(q));
        const read = first.value.reduce((n, a) => n + a.samples, 0);
        const outages = first.value.reduce((n, a) => n + a.outages, 0);
        const same = isDeepStrictEqual(first.value, second.value) ? '' : ' (DIFFERS from the first!)';
        let reference = '';
        const tq = { ...q, device: 'bench-0000', timeline: true };
        const one = await time(() => store.availability(tq));
        // one store without the cache for this range: the fleet report (--reference) and the timeline read every sample
        const plain = open(false);
        let oneRaw: { ms: number; value: DeviceAvailability[] };
        try {
          if (values.reference) {
            const raw = await time<DeviceAvailability[]>(() => plain.availability(q));
            reference = `; without the cache ${s(raw.ms)}${isDeepStrictEqual(raw.value, first.value) ? '' : ' (DIFFERS from the cached one!)'}`;
          }
          oneRaw = await time<DeviceAvailability[]>(() => plain.availability(tq));
        } finally {
          await plain.close();
        }
        const oneSame = isDeepStrictEqual(one.value, oneRaw.value) ? '' : ' DIFFERS from it!';
        console.log(`  ${days} days, ${first.value.length} devices, ${read.toLocaleString('en')} samples, ${outages} outages: first report (computes the day cache) ${s(first.ms)}, second (cached) ${s(second.ms)}${same}${reference}; `
          + `one device with timeline ${one.ms.toFixed(1)} ms (${one.value[0].timeline?.length} runs; every sample read: ${oneRaw.ms.toFixed(1)} ms${oneSame})`);
      }
    } finally {
      admin.close();
      await store.close();
    }
  }
  console.log(`total ${s(performance.now() - started)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
