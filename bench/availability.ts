/**
 * The fleet availability report on the embedded SQLite store: 100 and then 1,000 devices ×
 * 7 days of 1-minute device_status samples (mostly up, a few outages, snmp-unreachable
 * spells, missed polls, some devices with a second SNMP-version series), written straight
 * into a temporary series.db; prints the time of one report over all devices and of one
 * device's report with its timeline.
 *   node bin/run-ts bench/availability.ts [--devices 100,1000] [--days 7]
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteSeriesStore } from '../src/storage/sqlite/series-store.ts';
import { seededRandom } from '../test/seeded-random.ts';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '100,1000' }, days: { type: 'string', default: '7' } } });
const SIZES = values.devices.split(',').map(Number);
const DAYS = Number(values.days);
const MIN = 60_000;
const TO = Date.UTC(2026, 0, 8);
const FROM = TO - DAYS * 86_400_000;
const GAP = 2.5 * MIN;
const STATES = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown'] as const;

const rng = seededRandom;

const dir = mkdtempSync(join(tmpdir(), 'netpulse-bench-availability-'));
const file = join(dir, 'series.db');
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const open = () => new SqliteSeriesStore({ file, retentionMs: 3650 * 86_400_000, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 1000, logger: silent });

/** devices [first, last) written directly (one transaction per device), as the store lays them out */
function generate(first: number, last: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const series = db.prepare('INSERT INTO series (measurement, device, tags) VALUES (?, ?, ?) RETURNING id').pluck();
  const point = db.prepare('INSERT INTO points (series_id, time, fields) VALUES (?, ?, ?)');
  let n = 0;
  for (let d = first; d < last; d++) {
    const r = rng(d + 1);
    const name = `bench-${String(d).padStart(4, '0')}`;
    const ids = ['2c', '3'].map((v) => series.get('device_status', name, JSON.stringify({ device: name, snmp_version: v })) as number);
    const switchAt = d % 10 === 0 ? FROM + r() * (TO - FROM) : Number.POSITIVE_INFINITY; // a tenth move from v2c to v3
    db.transaction(() => {
      let state: (typeof STATES)[number] = 'up';
      let until = 0;
      for (let t = FROM - MIN + Math.floor(r() * MIN); t < TO; t += MIN) {
        if (t >= until) {
          const x = r();
          state = 'up';
          until = t + MIN;
          if (x < 0.0005) { state = 'down'; until = t + (5 + r() * 55) * MIN; }
          else if (x < 0.001) { state = 'snmp-unreachable'; until = t + (1 + r() * 30) * MIN; }
          else if (x < 0.0012) { state = 'unknown'; until = t + 2 * MIN; }
        }
        if (r() < 0.003) continue; // a missed poll
        const code = STATES.indexOf(state);
        point.run(t < switchAt ? ids[0] : ids[1], t, `{"state":"${state}","state_code":${code},"poll_duration_ms":${(r() * 500).toFixed(1)},"missed_polls":0,"error":""}`);
        n++;
      }
    })();
  }
  db.close();
  return n;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

console.log(`availability bench: SQLite, ${DAYS} days of 1-minute device_status samples per device, maxGap 2.5 min (shared 2-core machine: indicative only)`);
open().close();
let have = 0;
let samples = 0;
try {
  for (const size of SIZES) {
    const g = await time(async () => generate(have, size));
    samples += g.value;
    have = size;
    console.log(`generated ${size} devices (${samples.toLocaleString('en')} samples, ${(statSync(file).size / 1e6).toFixed(0)} MB) in ${(g.ms / 1000).toFixed(1)} s`);
    const store = open();
    const fleet = await time(() => store.availability({ from: FROM, to: TO, maxGapMs: GAP }));
    const read = fleet.value.reduce((s, a) => s + a.samples, 0);
    const outages = fleet.value.reduce((s, a) => s + a.outages, 0);
    const one = await time(() => store.availability({ from: FROM, to: TO, maxGapMs: GAP, device: 'bench-0000', timeline: true }));
    console.log(`  fleet report, ${fleet.value.length} devices, ${read.toLocaleString('en')} samples, ${outages} outages: ${(fleet.ms / 1000).toFixed(2)} s; one device with timeline: ${one.ms.toFixed(1)} ms`);
    await store.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
