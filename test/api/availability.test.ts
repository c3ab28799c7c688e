/**
 * GET /devices/:id/availability and /reports/availability against the fake services (the fold is
 * storage's own); the fleet report also on both real stores (SQLite, a real influxd).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';
import { maxGapOf } from '../../src/storage/availability.ts';
import { InfluxHttp } from '../../src/storage/influx/http.ts';
import { InfluxQuery } from '../../src/storage/influx/query.ts';
import { createStorage, type QueryLimits, type Storage } from '../../src/storage/index.ts';
import type { Sample } from '../../src/model/index.ts';
import type { DeviceView } from '../../src/api/services.ts';
import { AVAILABILITY_CHUNK } from '../../src/api/routes/availability.ts';
import { startInfluxd, type InfluxdPeer } from '../peers/influxd.ts';

const H = 3_600_000;
let app: FastifyInstance;
let svc: Awaited<ReturnType<typeof makeApp>>['svc'];
beforeAll(async () => {
  ({ app, svc } = await makeApp());
});
afterAll(async () => app?.close());

describe('GET /api/v1/devices/:id/availability', () => {
  it('gives time per state, percentages, outages and a timeline for the last 24 h by default', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/devices/dist-sw1/availability' });
    expect(r.status).toBe(200);
    const a = r.json;
    expect(a.to - a.from).toBe(24 * H);
    expect(a.maxGapMs).toBe(150_000);
    const total = Object.values(a.durations as Record<string, number>).reduce((x, y) => x + y, 0);
    expect(total).toBe(24 * H);
    // one 10-minute outage 2 h ago, one hour snmp-unreachable 30 h ago (outside)
    expect(a.outages).toBe(1);
    expect(a.longestOutage.durationMs).toBe(600_000);
    expect(a.durations.down).toBe(600_000);
    expect(a.icmpAvailabilityPct).toBeLessThan(100);
    expect(a.snmpAvailabilityPct).toBe(a.icmpAvailabilityPct);
    expect(a.timeline.map((s: { state: string }) => s.state)).toContain('down');
    expect(a.timelineExact).toBe(true);
  });

  it('counts snmp-unreachable as reachable (ICMP) but not as SNMP-available', async () => {
    const a = (await call(app, { method: 'GET', url: '/api/v1/devices/dist-sw2/availability?from=-12h&to=now' })).json;
    expect(a.durations['snmp-unreachable']).toBeGreaterThanOrEqual(6 * H - 60_000);
    expect(a.icmpAvailabilityPct).toBe(100);
    expect(a.snmpAvailabilityPct).toBeCloseTo(50, 0);
    expect(a.outages).toBe(0);
    expect(a.longestOutage).toBeNull();
  });

  it('a device without samples is all no data, percentages null', async () => {
    const a = (await call(app, { method: 'GET', url: '/api/v1/devices/lab-host/availability?from=-7d' })).json;
    expect(a.durations['no-data']).toBe(a.to - a.from);
    expect(a).toMatchObject({ coveragePct: 0, icmpAvailabilityPct: null, snmpAvailabilityPct: null, outages: 0, samples: 0 });
  });

  it('buckets the timeline to `segments`', async () => {
    const a = (await call(app, { method: 'GET', url: '/api/v1/devices/dist-sw1/availability?from=-7d&segments=2' })).json;
    expect(a.timelineExact).toBe(false);
    expect(a.timeline.every((s: { state: string }) => s.state === 'down')).toBe(true);
  });

  it('404 for an unknown device, 400 naming the field for bad ranges', async () => {
    const nf = await call(app, { method: 'GET', url: '/api/v1/devices/nope/availability' });
    expect(nf.status).toBe(404);
    expect(nf.json.message).toMatch(/params\.id: no device "nope"/);
    const backwards = await call(app, { method: 'GET', url: '/api/v1/devices/core-rtr1/availability?from=-1h&to=-2h' });
    expect(backwards.status).toBe(400);
    expect(backwards.json.message).toMatch(/^query\.from: must be before query\.to/);
    const wide = await call(app, { method: 'GET', url: '/api/v1/devices/core-rtr1/availability?from=-100d' });
    expect(wide.status).toBe(400);
    expect(wide.json.message).toMatch(/^query\.from: range over 92 days/);
    const bad = await call(app, { method: 'GET', url: '/api/v1/devices/core-rtr1/availability?to=yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/query\.to/);
  });
});

describe('GET /api/v1/reports/availability', () => {
  it('lists every device, worst first, devices without data last', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/reports/availability?from=-7d' });
    expect(r.status).toBe(200);
    const names = r.json.items.map((i: { device: string }) => i.device);
    expect(names).toHaveLength(6);
    expect(names[names.length - 1]).toBe('lab-host');
    const pct = r.json.items.slice(0, -1).map((i: { icmpAvailabilityPct: number }) => i.icmpAvailabilityPct);
    expect(pct).toEqual([...pct].sort((a, b) => a - b));
    expect(names[0]).toBe('dist-sw1'); // 2 h 10 min down in 7 days
    expect(r.json.items[0].tags).toEqual({ site: 'hq' });
    expect(r.json.items[0].timeline).toBeUndefined();
  });

  it('filters by tag and sorts by outages or name', async () => {
    const hq = (await call(app, { method: 'GET', url: '/api/v1/reports/availability?from=-7d&tag=site:hq&sort=name' })).json;
    expect(hq.items.map((i: { device: string }) => i.device)).toEqual(['core-rtr1', 'dist-sw1', 'dist-sw2']);
    const routers = (await call(app, { method: 'GET', url: '/api/v1/reports/availability?tag=site:hq,role' })).json;
    expect(routers.items.map((i: { device: string }) => i.device)).toEqual(['core-rtr1']);
    const byOutages = (await call(app, { method: 'GET', url: '/api/v1/reports/availability?from=-7d&sort=outages&limit=2' })).json;
    expect(byOutages.items.map((i: { device: string; outages: number }) => [i.device, i.outages])).toEqual([['dist-sw1', 2], ['core-rtr1', 1]]);
  });

  it('a tag key named like an Object.prototype member matches only devices that have that tag', async () => {
    for (const tag of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const r = await call(app, { method: 'GET', url: `/api/v1/reports/availability?tag=${tag}` });
      expect(r.status, tag).toBe(200);
      expect(r.json.items, tag).toEqual([]);
    }
  });

  it('asks the store for the inventory\'s devices (with a tag filter the matching ones); for all only with includeRemoved=true', async () => {
    const original = svc.availability.availability;
    const asked: (string[] | undefined)[] = [];
    svc.availability.availability = async (q) => { asked.push(q.devices); return original(q); };
    const inventory = (await svc.devices.list()).map((d) => d.name).sort();
    try {
      await call(app, { method: 'GET', url: '/api/v1/reports/availability?from=-7d&tag=site:hq' });
      await call(app, { method: 'GET', url: '/api/v1/reports/availability?from=-7d' });
      await call(app, { method: 'GET', url: '/api/v1/reports/availability?from=-7d&includeRemoved=false' });
      await call(app, { method: 'GET', url: '/api/v1/reports/availability?from=-7d&includeRemoved=true' });
      await call(app, { method: 'GET', url: '/api/v1/reports/availability?from=-7d&includeRemoved=true&tag=site:hq' });
    } finally {
      svc.availability.availability = original;
    }
    expect(asked[0]?.sort()).toEqual(['core-rtr1', 'dist-sw1', 'dist-sw2']);
    expect(asked[1]?.sort()).toEqual(inventory);
    expect(asked[2]?.sort()).toEqual(inventory);
    expect(asked[3]).toBeUndefined();
    expect(asked[4]?.sort()).toEqual(['core-rtr1', 'dist-sw1', 'dist-sw2']);
  });

  it('a stored device named like an Object.prototype member gets the default gap, not the prototype\'s member', async () => {
    const original = svc.availability.availability;
    const gaps: unknown[] = [];
    svc.availability.availability = async (q) => { gaps.push(...['constructor', 'toString', 'valueOf'].map((d) => maxGapOf(q, d))); return original(q); };
    try {
      await call(app, { method: 'GET', url: '/api/v1/reports/availability?from=-1d' });
      await call(app, { method: 'GET', url: '/api/v1/reports/availability?from=-1d&includeRemoved=true' });
    } finally {
      svc.availability.availability = original;
    }
    expect(gaps).toEqual(Array(6).fill(60_000 * 2.5));
  });

  it('502 naming InfluxDB\'s URL (no credentials) and the body when InfluxDB answers with something else', async () => {
    const proxy = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>'));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const { port } = proxy.address() as AddressInfo;
    const influx = new InfluxQuery(new InfluxHttp({ url: `http://np:s3cret-pw@127.0.0.1:${port}`, database: 'netpulse', timeoutMs: 5000 }));
    const original = svc.availability.availability;
    svc.availability.availability = (q) => influx.availability(q);
    try {
      for (const url of ['/api/v1/reports/availability?from=-1d', '/api/v1/devices/core-rtr1/availability']) {
        const r = await call(app, { method: 'GET', url });
        expect(r.status, url).toBe(502);
        expect(r.json.error).toBe('Bad Gateway');
        expect(r.json.message).toMatch(new RegExp(`^storage: influxdb http://127\\.0\\.0\\.1:${port}: query SELECT .*: bad response, not InfluxDB's JSON answer: invalid JSON; body starts "<html>502 Bad Gateway</html>"$`));
        expect(r.body).not.toContain('s3cret-pw');
      }
    } finally {
      svc.availability.availability = original;
      proxy.close();
    }
  });

  it('400 naming the field', async () => {
    for (const [qs, field] of [['from=-1d&to=-2d', 'query.from'], ['from=-93d', 'query.from'], ['sort=best', 'query.sort'], ['tag=a:b,,c', 'query.tag'], ['limit=0', 'query.limit'], ['includeRemoved=yes', 'query.includeRemoved']]) {
      const r = await call(app, { method: 'GET', url: `/api/v1/reports/availability?${qs}` });
      expect(r.status, qs).toBe(400);
      expect(r.json.message, qs).toContain(field);
    }
  });

  it('is in the OpenAPI document', async () => {
    const spec = (app as unknown as { swagger(): { paths: Record<string, unknown> } }).swagger();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/devices/{id}/availability', '/api/v1/reports/availability']));
    const report = spec.paths['/api/v1/reports/availability'] as { get: { parameters: { name: string; description?: string }[] } };
    expect(report.get.parameters.find((p) => p.name === 'includeRemoved')?.description).toMatch(/no longer in the inventory/);
  });
});

/** the report on the real stores: 1,200 inventory devices, one removed device with data, maxQuerySeries 1000 */
function fleetOnStore(name: string, open: (queryLimits: Partial<QueryLimits>) => Promise<Storage>): void {
  describe(`GET /api/v1/reports/availability on ${name}`, () => {
    const INVENTORY = 1200;
    const names = Array.from({ length: INVENTORY }, (_, i) => `fleet-${String(i).padStart(4, '0')}`);
    let storage: Storage;
    const now = Date.now();
    const status = (device: string, t: number): Sample => ({
      measurement: 'device_status', tags: { device, snmp_version: '2c' },
      fields: { state: 'up', state_code: 0n, poll_duration_ms: 1, missed_polls: 0n, error: '' }, time: t,
    });
    let views: DeviceView[];
    const report = async (qs: string, store = storage) => {
      const list = svc.devices.list;
      const query = svc.availability.availability;
      svc.devices.list = async () => views;
      svc.availability.availability = (q) => store.query.availability(q);
      try {
        return await call(app, { method: 'GET', url: `/api/v1/reports/availability?from=-1h&sort=name${qs}` });
      } finally {
        svc.devices.list = list;
        svc.availability.availability = query;
      }
    };

    beforeAll(async () => {
      storage = await open({ maxQuerySeries: 1000 });
      storage.sink.write([...names, 'removed-sw'].flatMap((d) => [status(d, now - 30 * 60_000), status(d, now - 29 * 60_000)]));
      await storage.flush();
    }, 60_000);
    afterAll(async () => storage?.close());

    it('covers the inventory only by default; includeRemoved=true adds a removed device with data', async () => {
      const template = (await svc.devices.list())[0];
      views = names.slice(0, 3).map((n) => ({ ...template, name: n, tags: { site: 'lab' } }));
      const current = await report('');
      expect(current.status).toBe(200);
      expect(current.json.items.map((i: { device: string }) => i.device)).toEqual(names.slice(0, 3));
      expect(current.json.items.every((i: { samples: number }) => i.samples === 2)).toBe(true);
      expect((await report('&tag=site:lab&includeRemoved=true')).json.items).toHaveLength(3);
      // the store holds 1,201 devices, over its maxQuerySeries of 1000: the old read-everything query is refused
      const all = await report('&includeRemoved=true');
      expect(all.status).toBe(422);
      expect(all.json.message).toMatch(/^storage: .*device_status: more than 1000 series match \(maxQuerySeries\)/);
    });

    it('includeRemoved=true lists devices no longer in the inventory, without tags', async () => {
      const few = await open({});
      const template = (await svc.devices.list())[0];
      views = [{ ...template, name: 'kept-sw', tags: { site: 'lab' } }];
      try {
        few.sink.write([status('kept-sw', now - 30 * 60_000), status('removed-sw', now - 30 * 60_000)]);
        await few.flush();
        expect((await report('', few)).json.items.map((i: { device: string }) => i.device)).toEqual(['kept-sw']);
        const all = (await report('&includeRemoved=true', few)).json;
        expect(all.items.map((i: { device: string; tags: object }) => [i.device, i.tags])).toEqual([['kept-sw', { site: 'lab' }], ['removed-sw', {}]]);
        expect(all.items[1]).toMatchObject({ samples: 1, maxGapMs: 150_000, outages: 0 });
      } finally {
        await few.close();
      }
    });

    it(`reads ${INVENTORY} inventory devices in chunks of ${AVAILABILITY_CHUNK}, each under the store's series cap`, async () => {
      const template = (await svc.devices.list())[0];
      views = names.map((n) => ({ ...template, name: n, tags: {} }));
      const r = await report('');
      expect(r.status).toBe(200);
      expect(r.json.items).toHaveLength(INVENTORY);
      expect(r.json.items.map((i: { device: string }) => i.device)).toEqual(names);
      expect(r.json.items.every((i: { samples: number; icmpAvailabilityPct: number }) => i.samples === 2 && i.icmpAvailabilityPct === 100)).toBe(true);
    }, 60_000);
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'netpulse-availability-'));
  dirs.push(d);
  return d;
};

fleetOnStore('the embedded SQLite store', async (queryLimits) => createStorage({ dataDir: tempDir() }, { queryLimits }));

let influxd: InfluxdPeer | undefined;
let databases = 0;
afterAll(async () => influxd?.close());
fleetOnStore('InfluxDB (real influxd)', async (queryLimits) => {
  influxd ??= await startInfluxd();
  const database = `availability${++databases}_${process.pid}`;
  return createStorage({ dataDir: tempDir(), storage: { influx: { url: influxd.url, database, flushInterval: 50 } } }, { queryLimits });
});
