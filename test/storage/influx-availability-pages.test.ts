/**
 * Availability on InfluxDB read in pages (src/storage/influx/availability.ts), against a real
 * influxd 1.6: whatever the page size, the answer is the fold of every sample (ties across devices
 * and across a device's SNMP-version series falling on page edges, tie groups longer than a page),
 * each page holds at most its size, and each row is read once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxHttp } from '../../src/storage/influx/http.ts';
import { PAGE_ROWS, buildAvailabilityQuery, influxAvailability } from '../../src/storage/influx/availability.ts';
import { AvailabilityFold, type AvailabilityQuery, type DeviceAvailability } from '../../src/storage/availability.ts';
import { QUERY_LIMITS } from '../../src/storage/query-limits.ts';
import type { DeviceState } from '../../src/model/index.ts';
import { seededRandom } from '../seeded-random.ts';
import { startInfluxd, type InfluxdPeer } from '../peers/influxd.ts';

const DB = `pages_${process.pid}`;
const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const STATES: readonly DeviceState[] = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown'];
const DEVICES = ['a', 'b', 'c', 'd'];
type Row = { device: string; version: string; time: number; state: DeviceState };

/** every device polled at the same instants (ties across devices), now and then in two series at once (same state), flapping, gaps */
function history(): Row[] {
  const r = seededRandom(606);
  const out: Row[] = [];
  const state = new Map(DEVICES.map((d) => [d, 'up' as DeviceState]));
  for (let t = T0 - 10 * MIN; t < T0 + 400 * MIN; t += MIN) {
    for (const device of DEVICES) {
      if (r() < 0.2) state.set(device, STATES[Math.floor(r() * STATES.length)]);
      if (r() < 0.05) continue;
      const s = state.get(device)!;
      out.push({ device, version: '2c', time: t, state: s });
      if (r() < 0.1) out.push({ device, version: '3', time: t, state: s });
    }
    if (r() < 0.02) t += Math.floor(r() * 30) * MIN;
  }
  return out;
}

function reference(rows: readonly Row[], q: AvailabilityQuery): DeviceAvailability[] {
  const out: DeviceAvailability[] = [];
  for (const device of DEVICES) {
    const f = new AvailabilityFold(device, q.from, q.to, q.maxGapMs, q.timeline ? { maxSegments: q.maxSegments ?? 1000 } : undefined);
    for (const s of rows) if (s.device === device && s.time >= q.from - q.maxGapMs && s.time < q.to) f.add(s.time, s.state);
    out.push(f.finish());
  }
  return out;
}

let influxd: InfluxdPeer;
const rows = history();
beforeAll(async () => {
  influxd = await startInfluxd();
  await influxd.query(`CREATE DATABASE "${DB}"`);
  const lines = rows.map((s) => `device_status,device=${s.device},snmp_version=${s.version} state="${s.state}",state_code=${STATES.indexOf(s.state)}i ${s.time}`);
  const res = await fetch(`${influxd.url}/write?db=${DB}&precision=ms`, { method: 'POST', body: lines.join('\n') });
  expect(res.status).toBe(204);
});
afterAll(async () => influxd?.close());

/** the connection, counting the pages asked for and the rows of each */
function counted() {
  const http = new InfluxHttp({ url: influxd.url, database: DB, timeoutMs: 10_000 });
  const pages: number[] = [];
  const queryChunks = http.queryChunks.bind(http);
  http.queryChunks = async (q, opts, onChunk) => {
    pages.push(0);
    return queryChunks(q, opts, (results) => {
      for (const s of results[0]?.series ?? []) pages[pages.length - 1] += s.values?.length ?? 0;
      onChunk(results);
    });
  };
  return { http, pages };
}

describe('InfluxDB availability in pages (real influxd)', () => {
  const q: AvailabilityQuery = { from: T0, to: T0 + 400 * MIN, maxGapMs: 2.5 * MIN, timeline: true, maxSegments: 100_000 };
  const inRange = rows.filter((s) => s.time >= q.from - q.maxGapMs && s.time < q.to).length;

  it('holds what it means to test: ties across devices and series, more rows than the small pages', () => {
    const times = new Map<number, number>();
    for (const s of rows) times.set(s.time, (times.get(s.time) ?? 0) + 1);
    expect(Math.max(...times.values())).toBeGreaterThan(DEVICES.length);
    expect(inRange).toBeGreaterThan(1000);
  });

  it.each([2, 3, 7, 64, 1000, PAGE_ROWS])('page of %i rows: the fold of every sample, each row read once', async (pageRows) => {
    const { http, pages } = counted();
    const got = await influxAvailability(http, QUERY_LIMITS, q, pageRows);
    expect(got).toEqual(reference(rows, q));
    expect(got.reduce((n, a) => n + a.samples, 0)).toBe(inRange);
    expect(Math.max(...pages)).toBeLessThanOrEqual(pageRows);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(inRange);
    expect(pages).toHaveLength(Math.floor(inRange / pageRows) + 1);
  });

  it('one device and a list of devices, paged', async () => {
    const { http } = counted();
    expect(await influxAvailability(http, QUERY_LIMITS, { ...q, device: 'b' }, 5)).toEqual(reference(rows, q).filter((a) => a.device === 'b'));
    expect(await influxAvailability(http, QUERY_LIMITS, { ...q, devices: ['c', 'a'] }, 5)).toEqual(reference(rows, q).filter((a) => a.device === 'a' || a.device === 'c'));
  });

  it('a page continues at the last time read, past the rows already read there', () => {
    const http = new InfluxHttp({ url: 'http://127.0.0.1:8086', database: 'db', timeoutMs: 1000 });
    const range = { device: 'x', from: 60_000, to: 120_000, maxGapMs: 1000 };
    expect(buildAvailabilityQuery(http, range)).toBe(`SELECT "device", "state", "state_code" FROM "db".."device_status" WHERE "device" = 'x' AND time >= 59000000000 AND time < 120000000000 LIMIT ${PAGE_ROWS}`);
    expect(buildAvailabilityQuery(http, range, { time: 90_000, offset: 3 }, 50)).toMatch(/ AND time >= 90000000000 AND time < 120000000000 LIMIT 50 OFFSET 3$/);
  });
});
