import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { call, makeApp } from './helpers.ts';
import { SECRETS, type FakeServices } from './fake-services.ts';
import { deviceView } from '../../src/api/schemas/devices.ts';

let app: FastifyInstance;
let svc: FakeServices;
beforeAll(async () => ({ app, svc } = await makeApp()));
afterAll(async () => app?.close());

describe('devices', () => {
  it('lists devices with state and SNMP version, never secrets', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/devices' });
    expect(r.status).toBe(200);
    const core = r.json.items.find((d: any) => d.name === 'core-rtr1');
    expect(core.snmp).toMatchObject({ version: '3', level: 'authPriv', authProtocol: 'SHA-256', privProtocol: 'AES' });
    expect(core.status.state).toBe('up');
    for (const s of SECRETS) expect(r.body).not.toContain(s);
  });

  it('creates, reads, replaces and deletes a device', async () => {
    const dev = { name: 'new-sw', address: '127.0.0.10', credentials: 'lab-v2c', tags: { site: 'lab' } };
    const c = await call(app, { method: 'POST', url: '/api/v1/devices', payload: dev });
    expect(c.status).toBe(201);
    expect(c.json).toMatchObject({ name: 'new-sw', origin: 'api', port: 161, intervalMs: 60000, icmp: true, snmp: { version: '2c' }, status: { state: 'unknown' } });
    expect((await call(app, { method: 'POST', url: '/api/v1/devices', payload: dev })).status).toBe(409);
    const g = await call(app, { method: 'GET', url: '/api/v1/devices/new-sw' });
    expect(g.status).toBe(200);
    expect(g.json.device).toMatchObject({ name: 'new-sw', origin: 'api' });
    const list = (await call(app, { method: 'GET', url: '/api/v1/devices' })).json.items as { name: string; origin: string }[];
    expect(list.find((d) => d.name === 'legacy-ups')?.origin).toBe('config');
    expect(list.find((d) => d.name === 'new-sw')?.origin).toBe('api');
    expect((await call(app, { method: 'GET', url: '/api/v1/devices?limit=100' })).json.items.every((d: { origin?: string }) => d.origin)).toBe(true);
    const p = await call(app, { method: 'PUT', url: '/api/v1/devices/new-sw', payload: { ...dev, name: undefined, port: 1161 } });
    expect(p.status).toBe(200);
    expect(p.json.port).toBe(1161);
    const renamed = await call(app, { method: 'PUT', url: '/api/v1/devices/new-sw', payload: { ...dev, name: 'other' } });
    expect(renamed.status).toBe(400);
    expect(renamed.json.message).toContain('body.name');
    expect((await call(app, { method: 'DELETE', url: '/api/v1/devices/new-sw' })).status).toBe(204);
    expect((await call(app, { method: 'DELETE', url: '/api/v1/devices/new-sw' })).status).toBe(404);
    expect((await call(app, { method: 'GET', url: '/api/v1/devices/new-sw' })).status).toBe(404);
  });

  it('names the bad field on a 400 and an unknown credential profile on a 422', async () => {
    const bad = await call(app, { method: 'POST', url: '/api/v1/devices', payload: { name: 'x', address: 'not an address!', credentials: 'lab-v1' } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('body.address: expected an IPv4/IPv6 address or host name');
    const missing = await call(app, { method: 'POST', url: '/api/v1/devices', payload: { address: '::1', credentials: 'lab-v1' } });
    expect(missing.json.message).toBe('body.name: required (expected string)');
    const unknownProfile = await call(app, { method: 'POST', url: '/api/v1/devices', payload: { name: 'x', address: '::1', credentials: 'nope' } });
    expect(unknownProfile.status).toBe(422);
    expect(unknownProfile.json.message).toContain('unknown credential profile "nope"');
  });

  it('sends the whole list as the zod serializer would, derived once per snapshot, fresh after a change', async () => {
    const { app: a, svc: s } = await makeApp();
    try {
      const zodBody = serializerCompiler({ schema: z.object({ items: z.array(deviceView) }), method: 'GET', url: '/api/v1/devices', httpStatus: '200' });
      const first = await call(a, { method: 'GET', url: '/api/v1/devices' });
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(first.body).toBe(zodBody({ items: await s.devices.list() }));
      expect((await call(a, { method: 'GET', url: '/api/v1/stats/snmp-versions' })).json.total).toEqual({ count: 6, ok: 3, failing: 2, unknown: 1 });

      s.emit({ type: 'device-state', device: 'lab-host', from: 'unknown', to: 'up', time: Date.now() });
      const after = await call(a, { method: 'GET', url: '/api/v1/devices' });
      expect(after.json.items.find((d: any) => d.name === 'lab-host').status.state).toBe('up');
      expect(after.body).toBe(zodBody({ items: await s.devices.list() }));
      expect((await call(a, { method: 'GET', url: '/api/v1/stats/snmp-versions' })).json.total).toEqual({ count: 6, ok: 4, failing: 2, unknown: 0 });

      // an adapter handing over more than the schema declares: stripped on the cached path too
      const leaky = (await s.devices.list()).map((d) => ({ ...d, credential: { version: '2c', community: SECRETS[0] } }));
      s.devices.list = async () => leaky;
      const stripped = await call(a, { method: 'GET', url: '/api/v1/devices' });
      expect(stripped.body).toBe(after.body);
    } finally {
      await a.close();
    }
  });

  it('pages the list with limit and offset (all devices without them)', async () => {
    const names = (r: any) => r.json.items.map((d: any) => d.name);
    const all = names(await call(app, { method: 'GET', url: '/api/v1/devices' }));
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(names(await call(app, { method: 'GET', url: '/api/v1/devices?limit=2' }))).toEqual(all.slice(0, 2));
    expect(names(await call(app, { method: 'GET', url: '/api/v1/devices?limit=2&offset=3' }))).toEqual(all.slice(3, 5));
    expect(names(await call(app, { method: 'GET', url: '/api/v1/devices?offset=1' }))).toEqual(all.slice(1));
    expect(names(await call(app, { method: 'GET', url: '/api/v1/devices?offset=1000' }))).toEqual([]);
    const bad = await call(app, { method: 'GET', url: '/api/v1/devices?limit=0' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('query.limit');
  });

  it('tells the whole list\'s size in X-Total-Count, paged or not, with the body unchanged', async () => {
    const whole = await call(app, { method: 'GET', url: '/api/v1/devices' });
    const total = whole.json.items.length;
    expect(whole.headers['x-total-count']).toBe(String(total));
    expect(Object.keys(whole.json)).toEqual(['items']);
    expect((await call(app, { method: 'GET', url: '/api/v1/devices' })).body).toBe(whole.body);
    for (const url of ['/api/v1/devices?limit=2', '/api/v1/devices?limit=2&offset=3', '/api/v1/devices?offset=1000']) {
      const paged = await call(app, { method: 'GET', url });
      expect(paged.headers['x-total-count'], url).toBe(String(total));
      expect(Object.keys(paged.json), url).toEqual(['items']);
    }
    expect((await call(app, { method: 'GET', url: '/api/v1/devices?limit=0' })).headers['x-total-count']).toBeUndefined();
    const spec = (await call(app, { method: 'GET', url: '/docs/json', auth: false })).json;
    const ok = spec.paths['/api/v1/devices'].get.responses['200'];
    expect(ok.headers['X-Total-Count'].schema).toMatchObject({ type: 'integer' });
    expect(ok.content['application/json'].schema).not.toHaveProperty('headers');
  });

  it('gives device detail with interfaces and recent values', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/devices/core-rtr1' });
    expect(r.status).toBe(200);
    expect(r.json.interfaces.map((i: any) => i.tags.ifName)).toEqual(['Gi0/1', 'Gi0/2', 'Gi0/3', 'Lo0']);
    expect(r.json.interfaces[0].values.in_bps).toBeGreaterThan(0);
    expect(r.json.recent.icmp.values).toHaveProperty('rtt_avg_ms');
    expect(r.json.recent.system.values.sys_name).toBe('core-rtr1');
    const failing = await call(app, { method: 'GET', url: '/api/v1/devices/dist-sw2' });
    expect(failing.json.device.status.lastError).toMatch(/timeout after 2 retries/);
  });

  it('serves series for charts with tag filters, and rejects unknown fields and tags', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/devices/core-rtr1/series?measurement=snmp_interface&field=in_bps,out_bps&ifName=Gi0/2&from=-30m&to=now' });
    expect(r.status).toBe(200);
    expect(r.json.series).toHaveLength(1);
    expect(r.json.series[0].tags.ifName).toBe('Gi0/2');
    expect(Object.keys(r.json.series[0].points[0].values)).toEqual(['in_bps', 'out_bps']);
    expect(r.json.series[0].points.length).toBeLessThanOrEqual(31);
    const icmp = await call(app, { method: 'GET', url: '/api/v1/devices/core-rtr1/series?measurement=icmp&field=rtt_avg_ms&field=loss_pct' });
    expect(icmp.json.fields).toEqual(['rtt_avg_ms', 'loss_pct']);
    const bad = await call(app, { method: 'GET', url: '/api/v1/devices/core-rtr1/series?measurement=icmp&field=nope&ifName=x' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('query.field: icmp has no field "nope"');
    expect(bad.json.message).toContain('query.ifName: unknown field');
    const stepped = await call(app, { method: 'GET', url: '/api/v1/devices/core-rtr1/series?measurement=icmp&step=5m' });
    expect(stepped.status).toBe(200);
    expect((await call(app, { method: 'GET', url: '/api/v1/devices/core-rtr1/series?measurement=icmp&step=1ms' })).json.message).toContain('query.step');
    const badTime = await call(app, { method: 'GET', url: '/api/v1/devices/core-rtr1/series?measurement=icmp&from=yesterday' });
    expect(badTime.json.message).toContain('query.from: expected a time');
    expect((await call(app, { method: 'GET', url: '/api/v1/devices/none/series?measurement=icmp' })).status).toBe(404);
  });
});

describe('stats', () => {
  it('counts devices by SNMP version, v3 by level and protocol, split by state', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/stats/snmp-versions' });
    expect(r.status).toBe(200);
    expect(r.json.total).toEqual({ count: 6, ok: 3, failing: 2, unknown: 1 });
    expect(r.json.v1).toEqual({ count: 1, ok: 1, failing: 0, unknown: 0 });
    expect(r.json.v2c).toEqual({ count: 2, ok: 1, failing: 1, unknown: 0 });
    expect(r.json.v3).toMatchObject({ count: 3, ok: 1, failing: 1, unknown: 1 });
    expect(r.json.v3.byLevel.authNoPriv).toEqual({ count: 1, ok: 0, failing: 1, unknown: 0 });
    expect(r.json.v3.byAuthProtocol).toEqual({ 'SHA-256': { count: 1, ok: 1, failing: 0, unknown: 0 }, SHA: { count: 1, ok: 0, failing: 1, unknown: 0 } });
    expect(r.json.v3.byPrivProtocol).toEqual({ AES: { count: 1, ok: 1, failing: 0, unknown: 0 } });
  });
});

describe('credentials', () => {
  it('accepts secrets but never returns them', async () => {
    const put = await call(app, { method: 'PUT', url: '/api/v1/credentials/new-v3', payload: { version: '3', user: 'ops', level: 'authPriv', authProtocol: 'SHA-512', authKey: 'very-secret-auth', privProtocol: 'AES-256', privKey: 'very-secret-priv' } });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ name: 'new-v3', version: '3', user: 'ops', level: 'authPriv', authProtocol: 'SHA-512', privProtocol: 'AES-256' });
    const list = await call(app, { method: 'GET', url: '/api/v1/credentials' });
    expect(list.body).not.toContain('very-secret');
    for (const s of SECRETS) expect(list.body).not.toContain(s);
    expect((await call(app, { method: 'DELETE', url: '/api/v1/credentials/lab-v1' })).status).toBe(409);
    expect((await call(app, { method: 'DELETE', url: '/api/v1/credentials/new-v3' })).status).toBe(204);
  });

  it('says which v3 fields a level needs, without echoing secrets', async () => {
    const r = await call(app, { method: 'PUT', url: '/api/v1/credentials/x', payload: { version: '3', user: 'u', level: 'authPriv', authProtocol: 'MD5', authKey: 'short' } });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('body.authKey: must be at least 8 characters');
    expect(r.json.message).toContain('body.privKey: required by level authPriv');
    expect(r.body).not.toContain('short"');
  });
});

describe('oids and mibs', () => {
  it('searches, pages and shows a node with children and path', async () => {
    const s = await call(app, { method: 'GET', url: '/api/v1/oids?q=if&limit=2&offset=0' });
    expect(s.status).toBe(200);
    expect(s.json.items).toHaveLength(2);
    expect(s.json.total).toBeGreaterThan(2);
    const n = await call(app, { method: 'GET', url: '/api/v1/oids/IF-MIB::ifEntry' });
    expect(n.json.node).toMatchObject({ oid: '1.3.6.1.2.1.2.2.1', kind: 'row', indexes: ['ifIndex'] });
    expect(n.json.children.map((c: any) => c.name)).toContain('ifDescr');
    expect(n.json.path.map((c: any) => c.name)).toEqual(['iso', 'org', 'dod', 'internet', 'mgmt', 'mib-2', 'interfaces', 'ifTable']);
    expect((await call(app, { method: 'GET', url: '/api/v1/oids/.1.3.6.1.2.1.1.1' })).json.node.name).toBe('sysDescr');
    expect((await call(app, { method: 'GET', url: '/api/v1/oids/1.3.6.1.99' })).status).toBe(404);
    expect((await call(app, { method: 'GET', url: '/api/v1/oids/bad%20name' })).json.message).toContain('params.nameOrOid');
  });

  it('adds a MIB that compiles (201) and leaves the dictionary unchanged on errors (422)', async () => {
    const before = (await call(app, { method: 'GET', url: '/api/v1/mibs' })).json.items;
    expect(before.find((m: any) => m.name === 'BROKEN-VENDOR-MIB').errors[0]).toContain('line 42');
    const bad = await call(app, { method: 'POST', url: '/api/v1/mibs', payload: 'this is not a MIB', headers: { 'content-type': 'text/plain' } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ line: 1 });
    expect(bad.json.message).toContain('does not compile');
    expect((await call(app, { method: 'GET', url: '/api/v1/mibs' })).json.items).toEqual(before);
    const good = await call(app, { method: 'POST', url: '/api/v1/mibs', payload: 'TEST-MIB DEFINITIONS ::= BEGIN\n x OBJECT-TYPE\nEND\n', headers: { 'content-type': 'text/plain' } });
    expect(good.status).toBe(201);
    expect(good.json).toMatchObject({ name: 'TEST-MIB', nodeCount: 1 });
  });

  it('lists the first 200 errors of an upload in a 422 and counts the rest', async () => {
    const addModule = svc.oids.addModule;
    svc.oids.addModule = async () => ({ ok: false, errors: Array.from({ length: 30_000 }, (_, i) => ({ line: i + 1, message: `error ${i}` })) });
    try {
      const r = await call(app, { method: 'POST', url: '/api/v1/mibs', payload: 'MANY-MIB DEFINITIONS ::= BEGIN\nEND\n', headers: { 'content-type': 'text/plain' } });
      expect(r.status).toBe(422);
      expect(r.json.errors).toHaveLength(200);
      expect(r.json.errors[199]).toMatchObject({ line: 200, message: 'error 199' });
      expect(r.json.moreErrors).toBe(29_800);
      expect(r.json.message).toBe('body: the module does not compile (30000 errors; first: line 1: error 0)');
    } finally {
      svc.oids.addModule = addModule;
    }
  });

  it('takes MIB uploads up to the larger limit, but not other bodies', async () => {
    const big = 'BIG-MIB DEFINITIONS ::= BEGIN\n' + '-- filler\n'.repeat(200_000) + 'END\n';
    expect(big.length).toBeGreaterThan(1_000_000);
    const r = await call(app, { method: 'POST', url: '/api/v1/mibs', payload: big, headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(201);
    const huge = await call(app, { method: 'POST', url: '/api/v1/mibs', payload: 'x'.repeat(6 * 1024 * 1024), headers: { 'content-type': 'text/plain' } });
    expect(huge.status).toBe(413);
    const json = await call(app, { method: 'POST', url: '/api/v1/rules', payload: { name: 'x'.repeat(100_000) } });
    expect(json.status).toBe(413);
    expect(json.json.message).toContain('body: larger than');
  });
});

describe('topology', () => {
  it('returns nodes and links as JSON, DOT and GraphML', async () => {
    const j = await call(app, { method: 'GET', url: '/api/v1/topology' });
    expect(j.json.nodes).toHaveLength(5);
    expect(j.json.links[0]).toMatchObject({ source: 'core-rtr1', target: 'dist-sw1', protocol: 'lldp' });
    expect(j.json.links[3]).toMatchObject({ protocol: 'fdb', inferred: true }); // the UI dashes inferred links
    const dot = await call(app, { method: 'GET', url: '/api/v1/topology?format=dot' });
    expect(dot.headers['content-type']).toContain('text/vnd.graphviz');
    expect(dot.body).toContain('"core-rtr1" -- "dist-sw1" [label="Gi0/1 - Gi0/24", protocol="lldp"];');
    const gml = await call(app, { method: 'GET', url: '/api/v1/topology?format=graphml' });
    expect(gml.body).toContain('<edge id="l1" source="core-rtr1" target="dist-sw1">');
    expect((await call(app, { method: 'GET', url: '/api/v1/topology?format=svg' })).json.message).toContain('query.format');
  });

  it('passes on a stale link and when it was last seen (the UI greys it)', async () => {
    const real = svc.topology.graph;
    const g = await real();
    const stale = { ...g.links[0], id: 'stale', stale: true, lastSeen: 1_700_000_000_000 };
    svc.topology.graph = async () => ({ ...g, links: [stale, ...g.links.slice(1)] });
    try {
      const j = await call(app, { method: 'GET', url: '/api/v1/topology' });
      expect(j.json.links[0]).toMatchObject({ id: 'stale', stale: true, lastSeen: 1_700_000_000_000 });
    } finally {
      svc.topology.graph = real;
    }
  });

  it('lists neighbours and runs a discovery', async () => {
    const n = await call(app, { method: 'GET', url: '/api/v1/devices/dist-sw1/neighbors' });
    expect(n.json.neighbors).toEqual(expect.arrayContaining([expect.objectContaining({ remoteId: 'core-rtr1', localPort: 'Gi0/24', remotePort: 'Gi0/1', protocol: 'lldp' })]));
    expect((await call(app, { method: 'GET', url: '/api/v1/devices/nope/neighbors' })).status).toBe(404);
    const d = await call(app, { method: 'POST', url: '/api/v1/topology/discover' });
    expect(d.status).toBe(200);
    expect(d.json).toMatchObject({ nodes: 5, links: 4 });
    const [a, b] = await Promise.all([1, 2].map(() => call(app, { method: 'POST', url: '/api/v1/topology/discover', payload: {} })));
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });
});

describe('traps, alerts, rules', () => {
  it('never returns the trap security name (the community)', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/traps?device=dist-sw2' });
    expect(r.json.items[0]).not.toHaveProperty('securityName');
    expect(r.body).not.toContain('public-ro-xyz');
  });

  it('filters traps', async () => {
    expect((await call(app, { method: 'GET', url: '/api/v1/traps' })).json.items).toHaveLength(2);
    expect((await call(app, { method: 'GET', url: '/api/v1/traps?device=dist-sw2' })).json.items.map((t: any) => t.id)).toEqual(['t2']);
    expect((await call(app, { method: 'GET', url: '/api/v1/traps?oid=1.3.6.1.6.3.1.1.5.1' })).json.items.map((t: any) => t.id)).toEqual(['t1']);
    expect((await call(app, { method: 'GET', url: '/api/v1/traps?from=-10m&limit=1' })).json.items.map((t: any) => t.id)).toEqual(['t2']);
    expect((await call(app, { method: 'GET', url: '/api/v1/traps?limit=0' })).json.message).toContain('query.limit');
  });

  it('filters alerts and acks and clears them', async () => {
    expect((await call(app, { method: 'GET', url: '/api/v1/alerts?state=active' })).json.items).toHaveLength(3);
    expect((await call(app, { method: 'GET', url: '/api/v1/alerts?severity=critical' })).json.items.map((a: any) => a.id)).toEqual(['a2']);
    expect((await call(app, { method: 'GET', url: '/api/v1/alerts?device=dist-sw2' })).json.items.map((a: any) => a.id)).toEqual(['a1']);
    const ack = await call(app, { method: 'POST', url: '/api/v1/alerts/a1/ack', payload: { by: 'alice' } });
    expect(ack.json).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'alice' });
    const clear = await call(app, { method: 'POST', url: '/api/v1/alerts/a1/clear' });
    expect(clear.json).toMatchObject({ state: 'cleared', clearedBy: 'api' });
    expect((await call(app, { method: 'POST', url: '/api/v1/alerts/zzz/ack' })).status).toBe(404);
    expect((await call(app, { method: 'GET', url: '/api/v1/alerts?state=closed' })).json.message).toContain('query.state');
  });

  it('does rules CRUD', async () => {
    const rule = { name: 'High RTT', severity: 'warning', condition: { type: 'threshold', measurement: 'icmp', field: 'rtt_avg_ms', op: '>', value: 50, forMs: 60000 } };
    const c = await call(app, { method: 'POST', url: '/api/v1/rules', payload: rule });
    expect(c.status).toBe(201);
    expect(c.json).toMatchObject({ name: 'High RTT', enabled: true, match: {}, notify: [] });
    const id = c.json.id;
    expect((await call(app, { method: 'GET', url: `/api/v1/rules/${id}` })).json.name).toBe('High RTT');
    expect((await call(app, { method: 'PUT', url: `/api/v1/rules/${id}`, payload: { ...rule, enabled: false } })).json.enabled).toBe(false);
    expect((await call(app, { method: 'GET', url: '/api/v1/rules' })).json.items).toHaveLength(2);
    expect((await call(app, { method: 'DELETE', url: `/api/v1/rules/${id}` })).status).toBe(204);
    expect((await call(app, { method: 'GET', url: `/api/v1/rules/${id}` })).status).toBe(404);
    expect((await call(app, { method: 'PUT', url: '/api/v1/rules/nope', payload: rule })).status).toBe(404);
    const bad = await call(app, { method: 'POST', url: '/api/v1/rules', payload: { ...rule, condition: { type: 'threshold', measurement: 'icmp', field: 'rtt', op: '=~', value: 'x' } } });
    expect(bad.json.message).toContain('body.condition.op');
    expect(bad.json.message).toContain('body.condition.value');
    const badType = await call(app, { method: 'POST', url: '/api/v1/rules', payload: { ...rule, condition: { type: 'syslog' } } });
    expect(badType.json.message).toContain('body.condition.type: expected type "trap", "threshold" or "device-state"');
  });
});

describe('system', () => {
  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await call(app, { method: 'GET', url: '/health', auth: false })).json.status).toBe('ok');
    expect((await call(app, { method: 'GET', url: '/ready', auth: false })).json.ready).toBe(true);
    const m = await call(app, { method: 'GET', url: '/metrics' });
    expect(m.headers['content-type']).toContain('text/plain; version=0.0.4');
    for (const name of ['netpulse_poll_duration_seconds', 'netpulse_polls_missed_total', 'netpulse_poll_queue_depth', 'netpulse_traps_received_total', 'netpulse_points_written_total', 'netpulse_points_spooled', 'netpulse_points_dropped_total', 'netpulse_api_requests_total']) {
      expect(m.body).toContain(`# TYPE ${name} `);
    }
    expect(m.body).toContain('netpulse_traps_rejected_total{reason="malformed"} 1');
  });

  it('reports not-ready with 503', async () => {
    const orig = svc.health.checks;
    svc.health.checks = async () => [{ name: 'storage', ok: false, detail: 'influxdb 127.0.0.1:8086: connection refused' }];
    const r = await call(app, { method: 'GET', url: '/ready' });
    const anon = await call(app, { method: 'GET', url: '/ready', auth: false });
    svc.health.checks = orig;
    expect(r.status).toBe(503);
    expect(r.json.checks[0].detail).toContain('connection refused');
    // a probe without a token gets the verdict and the failing check's name, not its detail
    expect(anon.status).toBe(503);
    expect(anon.json.checks).toEqual([{ name: 'storage', ok: false }]);
  });

  it('serves OpenAPI with non-empty response schemas, and the UI', async () => {
    const spec = (await call(app, { method: 'GET', url: '/docs/json', auth: false })).json;
    const devices = spec.paths['/api/v1/devices'].get.responses['200'].content['application/json'].schema;
    expect(devices.properties.items.items.properties).toHaveProperty('status');
    expect((await call(app, { method: 'GET', url: '/docs', auth: false })).status).toBeLessThan(400);
    const ui = await call(app, { method: 'GET', url: '/', auth: false });
    expect(ui.headers['content-type']).toContain('text/html');
    expect(ui.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await call(app, { method: 'GET', url: '/ui/vendor/cytoscape.esm.min.mjs', auth: false })).status).toBe(200);
    expect((await call(app, { method: 'GET', url: '/ui/vendor/package.json', auth: false })).status).toBe(404);
    expect((await call(app, { method: 'GET', url: '/ui/../../package.json', auth: false })).status).toBe(404);
  });

  it('documents a non-empty success response for every route', async () => {
    const spec = (await call(app, { method: 'GET', url: '/docs/json', auth: false })).json;
    const empty: string[] = [];
    for (const [path, ops] of Object.entries<any>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const [code, res] = Object.entries<any>(op.responses).find(([c]) => c.startsWith('2'))!;
        const schema = Object.values<any>(res.content ?? {})[0]?.schema;
        if (code !== '204' && (!schema || Object.keys(schema).length === 0)) empty.push(`${method} ${path}`);
      }
    }
    expect(empty).toEqual([]);
    expect(spec.paths['/api/v1/devices/{id}/series'].get.parameters.find((p: any) => p.name === 'from').schema.type).toBe('string');
  });

  it('answers unknown routes with a 404 naming the route', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/nope?x=1' });
    expect(r.status).toBe(404);
    expect(r.json.message).toBe('no route GET /api/v1/nope');
  });
});

describe('secrets', () => {
  it('never appear in any GET response', async () => {
    const urls = ['/api/v1/devices', '/api/v1/credentials', '/api/v1/stats/snmp-versions', '/metrics', '/api/v1/topology', '/api/v1/alerts', '/api/v1/traps', '/docs/json'];
    for (const d of ['core-rtr1', 'dist-sw1', 'access-sw3', 'legacy-ups', 'lab-host']) urls.push(`/api/v1/devices/${d}`);
    for (const url of urls) {
      const r = await call(app, { method: 'GET', url });
      for (const s of SECRETS) expect(r.body, url).not.toContain(s);
    }
  });
});

