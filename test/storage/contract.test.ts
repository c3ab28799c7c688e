/**
 * One contract, two stores: the embedded SQLite store and InfluxDB (a real influxd 1.6.7
 * started here) must store and answer the same way.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../src/model/index.ts';
import { NetpulseError } from '../../src/errors/index.ts';
import { createStorage, type QueryLimits, type Storage } from '../../src/storage/index.ts';
import { AvailabilityFold, type AvailabilityQuery, type DeviceAvailability } from '../../src/storage/availability.ts';
import { seededRandom } from '../seeded-random.ts';
import { startInfluxd, type InfluxdPeer } from '../peers/influxd.ts';

type FieldTypes = Record<string, string>;

interface Harness {
  open(queryLimits?: Partial<QueryLimits>): Promise<{ storage: Storage; fieldTypes(measurement: string): Promise<FieldTypes> }>;
}

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;

function ifSample(device: string, ifName: string, i: number): Sample {
  return {
    measurement: 'snmp_interface',
    tags: { device, ifName, ifIndex: ifName === 'Gi0/1' ? '1' : '2', ifDescr: ifName, ifAlias: '' },
    fields: {
      in_octets: BigInt(1000 * i), out_octets: BigInt(2000 * i), oper_status: 1n,
      in_bps: 8000 + i * 0.5, out_bps: 16000 + i, in_util_pct: i / 10,
    },
    time: T0 + i * MIN,
  };
}

function icmpSample(device: string, i: number): Sample {
  return {
    measurement: 'icmp',
    tags: { device, address: '127.0.0.1' },
    fields: { rtt_min_ms: 0.1, rtt_avg_ms: 0.2 + i, rtt_max_ms: 0.9, jitter_ms: 0.05, loss_pct: i % 2 ? 20 : 0, sent: 5n, received: i % 2 ? 4n : 5n, up: 1n },
    time: T0 + i * MIN,
  };
}


const STATE_CODE = { up: 0n, 'snmp-unreachable': 1n, 'auth-failed': 2n, down: 3n, unknown: 4n } as const;
function statusSample(device: string, minute: number, state: keyof typeof STATE_CODE, version = '2c'): Sample {
  return {
    measurement: 'device_status', tags: { device, snmp_version: version },
    fields: { state, state_code: STATE_CODE[state], poll_duration_ms: 12.5, missed_polls: 0n, error: '' }, time: T0 + minute * MIN,
  };
}

/** av1 over T0..T0+60min, polled every minute, maxGap 2.5 min (durations in the availability test) */
function availabilitySamples(): Sample[] {
  const out: Sample[] = [statusSample('av1', -1, 'up')];
  for (let m = 0; m <= 9; m++) out.push(statusSample('av1', m, 'up'));
  for (let m = 10; m <= 12; m++) out.push(statusSample('av1', m, 'down'));
  for (let m = 13; m <= 19; m++) out.push(statusSample('av1', m, 'up'));
  // no sample 20..29: up until 21.5 (maxGap), then no data; 30..31 from another series (SNMP version changed)
  out.push(statusSample('av1', 30, 'snmp-unreachable', '3'), statusSample('av1', 31, 'snmp-unreachable', '3'));
  out.push(statusSample('av1', 32, 'auth-failed'), statusSample('av1', 33, 'down'), statusSample('av1', 34, 'down'), statusSample('av1', 35, 'unknown'));
  for (let m = 36; m <= 49; m++) out.push(statusSample('av1', m, 'up'));
  out.push(statusSample('av1', 50, 'down'), statusSample('av1', 70, 'up'));
  out.push(statusSample('av2', 5, 'up'));
  return out;
}

/**
 * 'long' over 14 days of 1-minute polls (about 19,000 samples; pages: influx-availability-pages.test.ts): flapping,
 * missed polls, hours without samples, SNMP-version switches, both series at one instant (same state)
 */
function longHistory(): Sample[] {
  const r = seededRandom(1204);
  const states = Object.keys(STATE_CODE) as (keyof typeof STATE_CODE)[];
  const out: Sample[] = [];
  let state: keyof typeof STATE_CODE = 'up';
  let version = '2c';
  for (let m = 0; m < 14 * 24 * 60; m++) {
    if (r() < (m % 5000 < 300 ? 0.5 : 0.03)) state = states[Math.floor(r() * states.length)];
    if (r() < 0.002) version = version === '2c' ? '3' : '2c';
    if (r() < 0.03) continue;
    if (r() < 0.001) m += Math.floor(r() * 600);
    out.push(statusSample('long', m, state, version));
    if (r() < 0.01) out.push(statusSample('long', m, state, version === '2c' ? '3' : '2c'));
  }
  return out;
}

/** what the fold of every sample gives: the same for every store */
function foldOf(samples: readonly Sample[], q: AvailabilityQuery & { device: string }): DeviceAvailability {
  const f = new AvailabilityFold(q.device, q.from, q.to, q.maxGapMs, q.timeline ? { maxSegments: q.maxSegments ?? 1000 } : undefined);
  for (const s of samples) if (s.tags.device === q.device && s.time >= q.from - q.maxGapMs && s.time < q.to) f.add(s.time, s.fields.state as keyof typeof STATE_CODE);
  return f.finish();
}

function contract(name: string, harness: () => Harness): void {
  describe(`time-series store contract: ${name}`, () => {
    let storage: Storage;
    let fieldTypes: (m: string) => Promise<FieldTypes>;

    beforeAll(async () => {
      const opened = await harness().open();
      storage = opened.storage;
      fieldTypes = opened.fieldTypes;
      const samples: Sample[] = [];
      for (let i = 0; i < 60; i++) {
        samples.push(ifSample('core1', 'Gi0/1', i), ifSample('core1', 'Gi0/2', i), ifSample('edge1', 'Gi0/1', i), icmpSample('core1', i));
      }
      storage.sink.write(samples);
      storage.sink.write(availabilitySamples());
      await storage.flush();
    });
    afterAll(async () => storage?.close());

    it('returns an hour of in/out bit rates of one interface, oldest first', async () => {
      const series = await storage.query.querySeries({
        measurement: 'snmp_interface', device: 'core1', tags: { ifName: 'Gi0/1' }, fields: ['in_bps', 'out_bps'],
        from: T0, to: T0 + 59 * MIN,
      });
      expect(series).toHaveLength(1);
      expect(series[0].tags).toEqual({ device: 'core1', ifDescr: 'Gi0/1', ifIndex: '1', ifName: 'Gi0/1' });
      expect(series[0].points).toHaveLength(60);
      expect(series[0].points[0]).toEqual({ time: T0, values: { in_bps: 8000, out_bps: 16000 } });
      expect(series[0].points[59]).toEqual({ time: T0 + 59 * MIN, values: { in_bps: 8029.5, out_bps: 16059 } });
      const times = series[0].points.map((p) => p.time);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('filters by device and returns every matching series', async () => {
      const series = await storage.query.querySeries({ measurement: 'snmp_interface', device: 'core1', fields: ['in_octets'], from: T0, to: T0 + 10 * MIN });
      expect(series.map((s) => s.tags.ifName)).toEqual(['Gi0/1', 'Gi0/2']);
      expect(series[0].points).toHaveLength(11);
      expect(series[0].points[10].values).toEqual({ in_octets: 10_000 });
      const none = await storage.query.querySeries({ measurement: 'snmp_interface', device: 'nope', from: T0, to: T0 + 10 * MIN });
      expect(none).toEqual([]);
    });

    it('time bounds are inclusive and limit keeps the newest points', async () => {
      const q = { measurement: 'icmp', device: 'core1', fields: ['rtt_avg_ms'], from: T0 + 10 * MIN, to: T0 + 20 * MIN };
      const all = await storage.query.querySeries(q);
      expect(all[0].points.map((p) => p.time)).toEqual(Array.from({ length: 11 }, (_, i) => T0 + (10 + i) * MIN));
      const limited = await storage.query.querySeries({ ...q, limit: 3 });
      expect(limited[0].points.map((p) => p.time)).toEqual([T0 + 18 * MIN, T0 + 19 * MIN, T0 + 20 * MIN]);
    });

    it('ICMP latency and loss with a step: floats averaged, integers keep the last value', async () => {
      const series = await storage.query.querySeries({
        measurement: 'icmp', device: 'core1', fields: ['rtt_avg_ms', 'loss_pct', 'received'], from: T0, to: T0 + 59 * MIN, step: 10 * MIN,
      });
      expect(series).toHaveLength(1);
      const pts = series[0].points;
      expect(pts).toHaveLength(6);
      expect(pts[0].time).toBe(T0);
      expect(pts[0].values.rtt_avg_ms).toBeCloseTo(0.2 + 4.5, 9);
      expect(pts[0].values.loss_pct).toBeCloseTo(10, 9);
      expect(pts[0].values.received).toBe(4);
    });

    it('latest gives the newest point of each series of a device', async () => {
      const rows = await storage.query.latest('snmp_interface', 'core1');
      expect(rows.map((r) => r.tags.ifName)).toEqual(['Gi0/1', 'Gi0/2']);
      expect(rows[0].time).toBe(T0 + 59 * MIN);
      expect(rows[0].values).toMatchObject({ in_octets: 59_000, in_bps: 8029.5, oper_status: 1 });
      expect(await storage.query.latest('snmp_interface', 'nope')).toEqual([]);
    });

    it('stores counters as integers and rates as floats', async () => {
      const types = await fieldTypes('snmp_interface');
      expect(types).toMatchObject({ in_octets: 'integer', out_octets: 'integer', oper_status: 'integer', in_bps: 'float', in_util_pct: 'float' });
      const icmp = await fieldTypes('icmp');
      expect(icmp).toMatchObject({ sent: 'integer', loss_pct: 'float', rtt_avg_ms: 'float' });
    });

    it('round-trips awkward tag values and string fields', async () => {
      const awkward = ['uplink to core, rack=3', 'C:\\path\\x', 'say "hi"', 'x\\,y', 'eq=sign'];
      const samples: Sample[] = awkward.map((v, i) => ({
        measurement: 'snmp_system', tags: { device: v }, fields: { sys_descr: `descr ${v}\nsecond line "q" \\`, uptime_ticks: BigInt(i) }, time: T0 + i,
      }));
      storage.sink.write(samples);
      await storage.flush();
      for (const [i, v] of awkward.entries()) {
        const s = await storage.query.querySeries({ measurement: 'snmp_system', device: v, from: T0, to: T0 + 100 });
        expect(s, v).toHaveLength(1);
        expect(s[0].tags).toEqual({ device: v });
        expect(s[0].points).toEqual([{ time: T0 + i, values: { sys_descr: `descr ${v}\nsecond line "q" \\`, uptime_ticks: i } }]);
      }
    });

    it('stores a Counter64 above 2^63-1 modulo 2^63 and counts it', async () => {
      const before = storage.metrics().integersWrapped;
      storage.sink.write([{ measurement: 'snmp_interface', tags: { device: 'big', ifName: 'x' }, fields: { in_octets: (1n << 63n) + 5n }, time: T0 }]);
      await storage.flush();
      const s = await storage.query.querySeries({ measurement: 'snmp_interface', device: 'big', fields: ['in_octets'], from: T0, to: T0 });
      expect(s[0].points[0].values.in_octets).toBe(5);
      expect(storage.metrics().integersWrapped).toBe(before + 1);
      expect((await fieldTypes('snmp_interface')).in_octets).toBe('integer');
    });

    it('counts samples that cannot be stored, and keeps going', async () => {
      const m = storage.metrics();
      storage.sink.write([
        { measurement: 'icmp', tags: { device: 'x' }, fields: { rtt_avg_ms: Number.NaN }, time: T0 },
        null as unknown as Sample,
        { measurement: 'icmp', tags: { device: 'ok' }, fields: { rtt_avg_ms: 1.5 }, time: T0 },
      ]);
      await storage.flush();
      expect(storage.metrics().pointsInvalid).toBe(m.pointsInvalid + 2);
      const s = await storage.query.querySeries({ measurement: 'icmp', device: 'ok', from: T0, to: T0 });
      expect(s[0].points[0].values).toEqual({ rtt_avg_ms: 1.5 });
    });

    it('availability: time per state from device_status samples, gaps as no data, outages, both SNMP-version series merged', async () => {
      const range = { from: T0, to: T0 + 60 * MIN, maxGapMs: 2.5 * MIN };
      const [av1] = await storage.query.availability({ ...range, device: 'av1', timeline: true });
      expect(av1).toMatchObject({
        device: 'av1', from: T0, to: T0 + 60 * MIN,
        durations: { up: 32.5 * MIN, down: 7.5 * MIN, 'snmp-unreachable': 2 * MIN, 'auth-failed': 1 * MIN, unknown: 1 * MIN, 'no-data': 16 * MIN },
        coveragePct: 71.6667, icmpAvailabilityPct: 82.5581, snmpAvailabilityPct: 75.5814,
        outages: 3, longestOutage: { from: T0 + 10 * MIN, to: T0 + 13 * MIN, durationMs: 3 * MIN },
        samples: 42, timelineExact: true,
      });
      const at = (m: number) => T0 + m * MIN;
      expect(av1.timeline).toEqual([
        { from: at(0), to: at(10), state: 'up' }, { from: at(10), to: at(13), state: 'down' }, { from: at(13), to: at(21.5), state: 'up' },
        { from: at(21.5), to: at(30), state: 'no-data' }, { from: at(30), to: at(32), state: 'snmp-unreachable' },
        { from: at(32), to: at(33), state: 'auth-failed' }, { from: at(33), to: at(35), state: 'down' }, { from: at(35), to: at(36), state: 'unknown' },
        { from: at(36), to: at(50), state: 'up' }, { from: at(50), to: at(52.5), state: 'down' }, { from: at(52.5), to: at(60), state: 'no-data' },
      ]);
      // over maxSegments: equal buckets, each its worst state
      const [coarse] = await storage.query.availability({ ...range, device: 'av1', timeline: true, maxSegments: 4 });
      expect(coarse.timelineExact).toBe(false);
      expect(coarse.timeline).toEqual([
        { from: at(0), to: at(15), state: 'down' }, { from: at(15), to: at(30), state: 'no-data' }, { from: at(30), to: at(60), state: 'down' },
      ]);
      // every device with samples, by name, without timeline
      const all = await storage.query.availability(range);
      expect(all.map((a) => a.device)).toEqual(['av1', 'av2']);
      expect(all[0].timeline).toBeUndefined();
      expect(all[1]).toMatchObject({ durations: { up: 2.5 * MIN, 'no-data': 57.5 * MIN }, icmpAvailabilityPct: 100, outages: 0, longestOutage: null, samples: 1 });
      // only the listed devices are read (the report's tag filter); listed devices without samples are left out
      expect((await storage.query.availability({ ...range, devices: ['av2', 'nope'] })).map((a) => a.device)).toEqual(['av2']);
      expect(await storage.query.availability({ ...range, devices: [] })).toEqual([]);
      // per-device gap: av2 polled every 10 min
      const [wide] = await storage.query.availability({ ...range, device: 'av2', maxGapByDevice: { av2: 25 * MIN } });
      expect(wide.durations.up).toBe(25 * MIN);
      // a device without samples: all no data, no percentage
      const [none] = await storage.query.availability({ ...range, device: 'nope' });
      expect(none).toMatchObject({ durations: { 'no-data': 60 * MIN, up: 0 }, coveragePct: 0, icmpAvailabilityPct: null, snmpAvailabilityPct: null, samples: 0 });
    });

    it('availability over a long range with many samples: the spans of the fold of every sample', async () => {
      const samples = longHistory();
      expect(samples.length).toBeGreaterThan(15_000);
      storage.sink.write(samples);
      await storage.flush();
      const range = { device: 'long', from: T0 + 7 * MIN, to: T0 + 14 * 24 * 60 * MIN - 3 * MIN, maxGapMs: 2.5 * MIN };
      for (const q of [{ ...range, timeline: true, maxSegments: 100_000 }, { ...range, timeline: true }, range]) {
        const want = foldOf(samples, q);
        expect(await storage.query.availability(q)).toEqual([want]);
        expect(await storage.query.availability(q)).toEqual([want]); // again: SQLite from its day cache
      }
      const [exact] = await storage.query.availability({ ...range, timeline: true, maxSegments: 100_000 });
      expect(exact.timelineExact).toBe(true);
      expect(exact.timeline!.length).toBeGreaterThan(500);
      expect(exact.outages).toBeGreaterThan(100);
    });

    it('availability after the clock went back: samples older than the last one fall into time order, one instant of a series is the last written', async () => {
      const before = Array.from({ length: 21 }, (_, m) => statusSample('clk', m, 'up'));
      // written later with a clock 9.5 minutes behind: between the earlier samples, one of them at the same instant
      const after = [...Array.from({ length: 16 }, (_, k) => statusSample('clk', 10.5 + k, 'down')), statusSample('clk', 15, 'unknown')];
      storage.sink.write(before);
      await storage.flush();
      storage.sink.write(after);
      await storage.flush();
      const inOrder = [...before.filter((s) => s.time !== T0 + 15 * MIN), ...after].sort((a, b) => a.time - b.time);
      const q = { device: 'clk', from: T0, to: T0 + 40 * MIN, maxGapMs: 2.5 * MIN, timeline: true };
      const [got] = await storage.query.availability(q);
      expect(got).toEqual(foldOf(inOrder, q));
      const at = (m: number) => T0 + m * MIN;
      expect(got.timeline!.slice(0, 4)).toEqual([
        { from: at(0), to: at(10.5), state: 'up' }, { from: at(10.5), to: at(11), state: 'down' },
        { from: at(11), to: at(11.5), state: 'up' }, { from: at(11.5), to: at(12), state: 'down' },
      ]);
      expect(got.samples).toBe(37);
    });

    it('availability of config-file device names with quotes and backslashes reads exactly their own samples', async () => {
      // config names only exclude spaces, commas and '=': these reach InfluxQL as string literals
      // (a trailing backslash cannot be written in line protocol: line-protocol.ts strips it)
      const names = [`o'brien`, `q"uote`, `back\\slash`, `x'or'1`, `x`];
      storage.sink.write(names.flatMap((d, k) => [statusSample(d, 0, 'up'), statusSample(d, 1 + k, 'down')]));
      await storage.flush();
      const range = { from: T0, to: T0 + 10 * MIN, maxGapMs: 2.5 * MIN };
      for (const [k, d] of names.entries()) {
        const [one] = await storage.query.availability({ ...range, device: d });
        expect(one, d).toMatchObject({ device: d, samples: 2, durations: { up: Math.min(1 + k, 2.5) * MIN, down: 2.5 * MIN } });
      }
      const listed = await storage.query.availability({ ...range, devices: [`x'or'1`, `back\\slash`] });
      expect(listed.map((a) => [a.device, a.samples])).toEqual([[`back\\slash`, 2], [`x'or'1`, 2]]);
    });

    it('refuses answers over maxQuerySeries or maxQueryPoints with an invalid-kind error (the API answers 422)', async () => {
      const capped = (await harness().open({ maxQuerySeries: 5, maxQueryPoints: 100 })).storage;
      try {
        const samples: Sample[] = [];
        for (let i = 0; i < 10; i++) for (let n = 0; n < 8; n++) samples.push(ifSample('wide', `Gi0/${n}`, i));
        for (let i = 0; i < 60; i++) samples.push(ifSample('deep', 'Gi0/1', i), ifSample('deep', 'Gi0/2', i));
        capped.sink.write(samples);
        await capped.flush();
        const range = { measurement: 'snmp_interface', fields: ['in_bps'], from: T0, to: T0 + 59 * MIN };
        const refused = async (p: Promise<unknown>, limit: RegExp) => {
          const err = await p.then(() => undefined, (e: unknown) => e);
          expect(err).toBeInstanceOf(NetpulseError);
          expect(err).toMatchObject({ kind: 'invalid', scope: 'storage', action: 'query', reason: expect.stringMatching(limit) });
        };
        // 8 series of 10 points
        await refused(capped.query.querySeries({ ...range, device: 'wide' }), /^snmp_interface: more than 5 series match \(maxQuerySeries\); filter by device or tags$/);
        await refused(capped.query.latest('snmp_interface', 'wide'), /more than 5 series match \(maxQuerySeries\)/);
        // 2 series of 60 points
        await refused(capped.query.querySeries({ ...range, device: 'deep' }), /^snmp_interface: more than 100 points \(maxQueryPoints\); set a step or a limit, or narrow from\.\.to$/);
        // within the caps: narrowed by tags, by a limit, by a step
        expect((await capped.query.querySeries({ ...range, device: 'wide', tags: { ifName: 'Gi0/3' } }))[0].points).toHaveLength(10);
        const limited = await capped.query.querySeries({ ...range, device: 'deep', limit: 40 });
        expect(limited.map((s) => s.points.length)).toEqual([40, 40]);
        const stepped = await capped.query.querySeries({ ...range, device: 'deep', step: 10 * MIN });
        expect(stepped.map((s) => s.points.length)).toEqual([6, 6]);
        // availability: maxQueryPoints samples per device, maxQuerySeries devices
        capped.sink.write(availabilitySamples());
        for (let n = 0; n < 6; n++) capped.sink.write([statusSample(`many${n}`, 1, 'up')]);
        await capped.flush();
        const avRange = { from: T0, to: T0 + 60 * MIN, maxGapMs: 2.5 * MIN };
        expect((await capped.query.availability({ ...avRange, device: 'av1' }))[0].samples).toBe(42);
        await refused(capped.query.availability(avRange), /^device_status: more than 5 series match \(maxQuerySeries\)/);
        const tight = (await harness().open({ maxQueryPoints: 40 })).storage;
        try {
          tight.sink.write(availabilitySamples());
          await tight.flush();
          await refused(tight.query.availability({ ...avRange, device: 'av1' }), /^device_status of av1: more than 40 points \(maxQueryPoints\)/);
        } finally {
          await tight.close();
        }
      } finally {
        await capped.close();
      }
    });
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'netpulse-storage-'));
  dirs.push(d);
  return d;
}

contract('embedded SQLite', () => ({
  async open(queryLimits) {
    const dataDir = tempDir();
    const storage = createStorage({ dataDir }, { queryLimits });
    return {
      storage,
      async fieldTypes(measurement) {
        await storage.flush();
        const db = new Database(join(dataDir, 'series.db'), { readonly: true });
        try {
          const rows = db.prepare(`SELECT DISTINCT j.key AS k, j.type AS t FROM points p JOIN series s ON s.id = p.series_id, json_each(p.fields) j WHERE s.measurement = ?`).all(measurement) as { k: string; t: string }[];
          const out: FieldTypes = {};
          for (const r of rows) out[r.k] = r.t === 'real' ? 'float' : r.t === 'text' ? 'string' : r.t;
          return out;
        } finally {
          db.close();
        }
      },
    };
  },
}));

let influxd: InfluxdPeer | undefined;
let dbCounter = 0;
afterAll(async () => influxd?.close());

contract('InfluxDB 1.6 (real influxd)', () => ({
  async open(queryLimits) {
    influxd ??= await startInfluxd();
    const peer = influxd;
    const database = `contract${++dbCounter}_${process.pid}`;
    const storage = createStorage({ dataDir: tempDir(), storage: { influx: { url: peer.url, database, flushInterval: 50 } } }, { queryLimits });
    return {
      storage,
      async fieldTypes(measurement) {
        const res = await peer.query(`SHOW FIELD KEYS FROM "${measurement}"`, database);
        return Object.fromEntries((res.results[0].series?.[0]?.values ?? []) as [string, string][]);
      },
    };
  },
}));
