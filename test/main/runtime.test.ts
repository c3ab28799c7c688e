/**
 * End to end: the whole runtime (SQLite store, OID dictionary compiled in the background,
 * poller, trap receiver, alerts, API) against three REAL snmpd agents (v1, v2c, v3 authPriv)
 * and a real Net-SNMP `snmptrap`, driven through the HTTP API with a bearer token.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { startNetpulse, withoutUserinfo, type NetpulseRuntime } from '../../src/main/runtime.ts';
import { freeUdpPort, startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';

const run = promisify(execFile);
const SNMPTRAP = '/usr/bin/snmptrap';
const TOKEN = 'e2e-token-0123456789abcdef';
const TRAP_COMMUNITY = 'trap-s3cret-e2e';
const V3 = { name: 'npuser', authProtocol: 'SHA' as const, authKey: 'authpass-e2e-1', privProtocol: 'AES' as const, privKey: 'privpass-e2e-1' };
const MIB_FILES = ['SNMPv2-SMI', 'SNMPv2-TC', 'SNMPv2-CONF', 'SNMPv2-MIB', 'IANAifType-MIB', 'IF-MIB'];

let dir = '';
let agents: Record<'v1' | 'v2c' | 'v3', SnmpdHandle> | undefined;
let rt: NetpulseRuntime | undefined;
let trapPort = 0;
let config: ReturnType<typeof parseConfig>;
const logLines: string[] = [];

async function api<T = any>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; text: string }> {
  const res = await fetch(`${rt!.api!.url}${path}`, {
    ...init, headers: { authorization: `Bearer ${TOKEN}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\nruntime log:\n${logLines.slice(-40).join('\n')}`);
}

beforeAll(async () => {
  if (!existsSync(SNMPTRAP)) throw new Error(`${SNMPTRAP} is missing: install Net-SNMP's tools (apt-get install -y snmp, or bash test/ensure-peers.sh)`);
  dir = mkdtempSync(join(tmpdir(), 'netpulse-main-'));
  const mibDir = join(dir, 'mibs');
  mkdirSync(mibDir);
  for (const m of MIB_FILES) copyFileSync(join('mibs/standard', `${m}.txt`), join(mibDir, `${m}.txt`));
  const [v1, v2c, v3] = await Promise.all([
    startSnmpd({ versions: ['1'], community: 'e2e-v1-ro', sysName: 'np-v1' }),
    startSnmpd({ versions: ['2c'], community: 'e2e-v2c-ro', sysName: 'np-v2c' }),
    startSnmpd({ versions: ['3'], users: [V3], sysName: 'np-v3' }),
  ]);
  agents = { v1, v2c, v3 };
  trapPort = await freeUdpPort();
  const yaml = `
credentials:
  c1: { version: 1, community: e2e-v1-ro }
  c2: { version: 2c, community: e2e-v2c-ro }
  c3: { version: 3, user: ${V3.name}, level: authPriv, authProtocol: SHA, authKey: ${V3.authKey}, privProtocol: AES, privKey: ${V3.privKey} }
devices:
  - { name: agent-v1, address: 127.0.0.1, port: ${v1.port}, credentials: c1 }
  - { name: agent-v2c, address: 127.0.0.1, port: ${v2c.port}, credentials: c2 }
  - { name: agent-v3, address: 127.0.0.1, port: ${v3.port}, credentials: c3 }
defaults:
  interval: 2s
  timeout: 700ms
  retries: 1 # one late answer on a loaded machine must not turn a running agent's device down
dataDir: ${join(dir, 'data')}
mibDirs: [${mibDir}]
traps:
  listen: 127.0.0.1:${trapPort}
  communities: [{ name: e2e-label, community: ${TRAP_COMMUNITY} }]
alerts:
  maxActive: 1234
api:
  listen: 127.0.0.1:0
  tokens: [${TOKEN}]
`;
  config = parseConfig(yaml, 'e2e.yaml', {});
  rt = await startNetpulse(config, { log: (l) => logLines.push(l), listenApi: true });
}, 60_000);

afterAll(async () => {
  const t0 = Date.now();
  await rt?.stop();
  logLines.push(`(test) stop took ${Date.now() - t0} ms`);
  if (process.env.NETPULSE_TEST_LOG) process.stderr.write(logLines.join('\n') + '\n');
  await Promise.all(Object.values(agents ?? {}).map((a) => a.stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('netpulse runtime, end to end', () => {
  it('polls every device and shows state and SNMP version through the API', async () => {
    const devices = await until('all three devices up', async () => {
      const r = await api('/api/v1/devices');
      return r.body?.items?.length === 3 && r.body.items.every((d: any) => d.status.state === 'up') && r.body.items;
    });
    const byName = Object.fromEntries(devices.map((d: any) => [d.name, d]));
    expect(byName['agent-v1'].snmp).toEqual({ name: 'c1', version: '1' });
    expect(byName['agent-v2c'].snmp).toEqual({ name: 'c2', version: '2c' });
    expect(byName['agent-v3'].snmp).toMatchObject({ name: 'c3', version: '3', user: V3.name, level: 'authPriv', authProtocol: 'SHA', privProtocol: 'AES' });
    expect(byName['agent-v3'].status.lastSuccessAt).toBeGreaterThan(0);
    // secrets never come back
    const all = JSON.stringify(devices);
    for (const s of ['e2e-v1-ro', 'e2e-v2c-ro', V3.authKey, V3.privKey]) expect(all).not.toContain(s);

    const stats = await api('/api/v1/stats/snmp-versions');
    expect(stats.status).toBe(200);
    expect(stats.body.total).toMatchObject({ count: 3, ok: 3 });
    expect(stats.body.v1.count).toBe(1);
    expect(stats.body.v2c.count).toBe(1);
    expect(stats.body.v3).toMatchObject({ count: 1, ok: 1 });
    expect(stats.body.v3.byLevel.authPriv.count).toBe(1);
  });

  it('serves snmp_interface points from the SQLite store', async () => {
    const series = await until('snmp_interface points in the store', async () => {
      const r = await api('/api/v1/devices/agent-v2c/series?measurement=snmp_interface&from=-5m&field=in_octets,oper_status');
      return r.status === 200 && r.body.series.length > 0 && r.body.series.some((s: any) => s.points.length > 0) && r.body.series;
    });
    const lo = series.find((s: any) => s.tags.ifName === 'lo' || s.tags.ifDescr === 'lo') ?? series[0];
    expect(typeof lo.points[0].values.in_octets).toBe('number');
    expect(lo.tags.device).toBe('agent-v2c');
  });

  it('discovers topology on demand and persists it', async () => {
    const run1 = await api('/api/v1/topology/discover', { method: 'POST' });
    expect(run1.status).toBe(200);
    expect(run1.body.nodes).toBeGreaterThanOrEqual(3);
    const graph = await api('/api/v1/topology');
    const managed = graph.body.nodes.filter((n: any) => n.device);
    expect(managed.map((n: any) => n.device).sort()).toEqual(['agent-v1', 'agent-v2c', 'agent-v3']);
    expect(managed.every((n: any) => n.state === 'up')).toBe(true);
    expect(rt!.storage.state.topology.nodes().length).toBeGreaterThanOrEqual(3);
  });

  it('receives a real linkDown trap, translates it, opens an alert; ack and clear work', async () => {
    await rt!.dictionary.ready();
    expect(rt!.dictionary.state()).toBe('ready');
    const oids = await api('/api/v1/oids/IF-MIB::linkDown');
    expect(oids.status).toBe(200);
    expect(oids.body.node).toMatchObject({ oid: '1.3.6.1.6.3.1.1.5.3', kind: 'notification' });

    const events: any[] = [];
    const unsubscribe = rt!.services.events.subscribe((e) => events.push(e));
    await run(SNMPTRAP, ['-v', '2c', '-c', TRAP_COMMUNITY, `127.0.0.1:${trapPort}`, '', '1.3.6.1.6.3.1.1.5.3',
      '1.3.6.1.2.1.2.2.1.1.7', 'i', '7', '1.3.6.1.2.1.2.2.1.7.7', 'i', '1', '1.3.6.1.2.1.2.2.1.8.7', 'i', '2'], {
      env: { ...process.env, MIBS: '', MIBDIRS: join(dir, 'no-mibs'), SNMP_PERSISTENT_DIR: join(dir, 'snmp-persist') },
    });
    const trap = await until('the trap in the trap log', async () => {
      const r = await api('/api/v1/traps?limit=10');
      return r.body?.items?.find((t: any) => t.trapOid === '1.3.6.1.6.3.1.1.5.3');
    });
    expect(trap.trapName).toBe('IF-MIB::linkDown');
    expect(trap.version).toBe('2c');
    expect(trap.varbinds.find((v: any) => v.oid === '1.3.6.1.2.1.2.2.1.8.7')).toMatchObject({ name: 'IF-MIB::ifOperStatus.7', value: 'down(2)' });
    expect(JSON.stringify(trap)).not.toContain(TRAP_COMMUNITY);

    const alert = await until('the linkDown alert', async () => {
      const r = await api('/api/v1/alerts?state=open');
      return r.body?.items?.find((a: any) => a.rule === 'linkDown');
    });
    expect(alert).toMatchObject({ source: 'trap', severity: 'major', state: 'open' });
    unsubscribe();
    expect(events.find((e) => e.type === 'trap')?.trap).toMatchObject({ trapName: 'IF-MIB::linkDown', version: '2c' });
    expect(events.find((e) => e.type === 'alert')).toMatchObject({ change: 'opened', alert: { id: alert.id } });

    const acked = await api(`/api/v1/alerts/${alert.id}/ack`, { method: 'POST', body: JSON.stringify({ by: 'e2e' }) });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'e2e' });
    const cleared = await api(`/api/v1/alerts/${alert.id}/clear`, { method: 'POST', body: JSON.stringify({ by: 'e2e' }) });
    expect(cleared.body).toMatchObject({ state: 'cleared', clearedBy: 'e2e' });
    expect((await api(`/api/v1/alerts?state=active`)).body.items.find((a: any) => a.id === alert.id)).toBeUndefined();
  });

  it('applies a rule created through the API to the next trap', async () => {
    const created = await api('/api/v1/rules', { method: 'POST', body: JSON.stringify({
      name: 'lab fan failure', severity: 'critical', condition: { type: 'trap', trapOid: '1.3.6.1.4.1.99999.0.7' },
    }) });
    expect(created.status).toBe(201);
    const bad = await api('/api/v1/rules', { method: 'POST', body: JSON.stringify({
      name: 'eq threshold', severity: 'minor', condition: { type: 'threshold', measurement: 'snmp_interface', field: 'in_bps', op: '==', value: 1 },
    }) });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/condition\.op/);
    await run(SNMPTRAP, ['-v', '2c', '-c', TRAP_COMMUNITY, `127.0.0.1:${trapPort}`, '', '1.3.6.1.4.1.99999.0.7'], {
      env: { ...process.env, MIBS: '', MIBDIRS: join(dir, 'no-mibs'), SNMP_PERSISTENT_DIR: join(dir, 'snmp-persist') },
    });
    const alert = await until('the API rule\'s alert', async () => (await api('/api/v1/alerts?state=open&severity=critical')).body?.items?.find((a: any) => a.rule === created.body.id));
    expect(alert.message).toContain('lab fan failure');
    const rules = (await api('/api/v1/rules')).body.items;
    expect(rules.find((r: any) => r.id === 'default.linkDown')).toBeTruthy();
    expect((await api('/api/v1/rules/default.linkDown', { method: 'DELETE' })).status).toBe(409);
    expect((await api(`/api/v1/rules/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('caps active alerts at alerts.maxActive from the config', () => {
    expect(rt!.alerts.maxActive).toBe(1234);
  });

  it('exposes the metric families and readiness', async () => {
    const res = await fetch(`${rt!.api!.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await res.text();
    expect(res.status).toBe(200);
    for (const f of ['netpulse_poll_duration_seconds', 'netpulse_polls_missed_total', 'netpulse_poll_queue_depth', 'netpulse_traps_received_total',
      'netpulse_traps_rejected_total', 'netpulse_points_written_total', 'netpulse_points_spooled', 'netpulse_points_dropped_total', 'netpulse_event_loop_delay_seconds']) {
      expect(text, f).toMatch(new RegExp(`^# TYPE ${f} `, 'm'));
    }
    expect(text).toMatch(/^netpulse_traps_received_total(\{[^}]*\})? [1-9]/m);
    expect(text).toMatch(/^netpulse_poll_duration_seconds\{device="agent-v3"\} /m);
    const ready = await fetch(`${rt!.api!.url}/ready`);
    expect(ready.status).toBe(200);
  });

  it('API-created devices are polled at once; removing them stops polling', async () => {
    const created = await api('/api/v1/devices', { method: 'POST', body: JSON.stringify({ name: 'api-v2c', address: '127.0.0.1', port: agents!.v2c.port, credentials: 'c2', intervalMs: 2000, icmp: false }) });
    expect(created.status).toBe(201);
    await until('the API-created device up', async () => (await api('/api/v1/devices/api-v2c')).body?.device?.status?.state === 'up');
    expect((await api('/api/v1/devices/agent-v1', { method: 'DELETE' })).status).toBe(409);
    expect((await api('/api/v1/devices/api-v2c', { method: 'DELETE' })).status).toBe(204);
    expect(rt!.poller.registry.get('api-v2c')).toBeUndefined();
  });

  it('a stopped agent turns its device snmp-unreachable and opens an alert (silenced by a maintenance window, notified when it is deleted)', async () => {
    const now = Date.now();
    const w = await api('/api/v1/maintenance', { method: 'POST', body: JSON.stringify({ name: 'v2c-work', devices: ['agent-v2c'], start: new Date(now - 60_000).toISOString(), end: new Date(now + 3_600_000).toISOString() }) });
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({ active: true, covers: ['agent-v2c'] });
    await agents!.v2c.stop();
    const d = await until('agent-v2c failing', async () => {
      const r = await api('/api/v1/devices');
      const dev = r.body?.items?.find((x: any) => x.name === 'agent-v2c');
      return dev && ['snmp-unreachable', 'down'].includes(dev.status.state) && dev;
    });
    expect(d.status.lastError).toMatch(/timeout|timed out/i);
    const alert = await until('the device-state alert', async () => {
      const r = await api('/api/v1/alerts?state=open&device=agent-v2c');
      return r.body?.items?.find((a: any) => a.source === 'device');
    });
    expect(alert.message).toContain('agent-v2c');
    expect(alert.suppressed).toMatchObject({ kind: 'maintenance', reason: 'maintenance v2c-work' });
    expect((await api(`/api/v1/maintenance/${w.body.id}`, { method: 'DELETE' })).status).toBe(204);
    const released = (await api('/api/v1/alerts?state=open&device=agent-v2c')).body.items.find((a: any) => a.id === alert.id);
    expect(released.suppressed.until).toBeGreaterThanOrEqual(now);
    expect(rt!.alerts.stats.released).toBeGreaterThanOrEqual(1);
  });

  it('restarts on the same data directory: dictionary from the cache, trap log and alerts kept', async () => {
    await rt!.stop();
    const lines = logLines.length;
    rt = await startNetpulse(config, { log: (l) => logLines.push(l), listenApi: true });
    expect(rt.dictionary.state()).toBe('ready');
    expect(logLines.slice(lines).join('\n')).toMatch(/mib: loaded from cache: 178 nodes/);
    const traps = await api('/api/v1/traps?oid=IF-MIB::linkDown');
    expect(traps.body.items.length).toBe(1);
    const alerts = await api('/api/v1/alerts?state=cleared');
    expect(alerts.body.items.some((a: any) => a.rule === 'linkDown' && a.clearedBy === 'e2e')).toBe(true);
  });
});

describe('netpulse runtime, when parts fail at start-up', () => {
  let agent: SnmpdHandle | undefined;
  let blocker: import('node:dgram').Socket | undefined;
  let frt: NetpulseRuntime | undefined;
  let fdir = '';
  const lines: string[] = [];

  afterAll(async () => {
    await frt?.stop();
    if (process.env.NETPULSE_TEST_LOG) process.stderr.write(lines.join('\n') + '\n');
    await agent?.stop();
    blocker?.close();
    if (fdir) rmSync(fdir, { recursive: true, force: true });
  });

  it('InfluxDB down → spool; broken MIB → logged, dictionary partial; trap port in use → logged; polling goes on', async () => {
    fdir = mkdtempSync(join(tmpdir(), 'netpulse-main-fail-'));
    const mibDir = join(fdir, 'mibs');
    mkdirSync(mibDir);
    for (const m of ['SNMPv2-SMI', 'SNMPv2-TC', 'SNMPv2-CONF', 'SNMPv2-MIB']) copyFileSync(join('mibs/standard', `${m}.txt`), join(mibDir, `${m}.txt`));
    writeFileSync(join(mibDir, 'BROKEN-MIB.txt'), 'BROKEN-MIB DEFINITIONS ::= BEGIN\nIMPORTS enterprises FROM SNMPv2-SMI;\nbroken OBJECT IDENTIFIER ::= { nowhere 1 }\nEND\n');
    agent = await startSnmpd({ versions: ['2c'], community: 'fail-ro' });
    const { createSocket } = await import('node:dgram');
    blocker = createSocket('udp4');
    await new Promise<void>((r) => blocker!.bind(0, '127.0.0.1', () => r()));
    const busyPort = blocker.address().port;
    const deadHttpPort = await freeUdpPort(); // nothing listens on TCP there either (loopback)
    const cfg = parseConfig(`
credentials: { c: { version: 2c, community: fail-ro } }
devices: [{ name: solo, address: 127.0.0.1, port: ${agent.port}, credentials: c, icmp: false }]
defaults: { interval: 1s, timeout: 500ms, retries: 0 }
dataDir: ${join(fdir, 'data')}
mibDirs: [${mibDir}]
storage: { influx: { url: "http://127.0.0.1:${deadHttpPort}", database: np, timeout: 500ms, flushInterval: 200ms } }
traps: { listen: "127.0.0.1:${busyPort}", communities: [x-community-1] }
`, 'fail.yaml', {});
    frt = await startNetpulse(cfg, { log: (l) => lines.push(l), compileMibsSync: true });
    const log = () => lines.join('\n');
    expect(log()).toMatch(/traps: error: .*cannot listen.*the rest runs/);
    expect(frt.traps?.error).toBeTruthy();
    expect(log()).toMatch(/mib: compiled: \d+ nodes .*1 errors?/);
    expect(frt.dictionary.current().resolve('SNMPv2-MIB::sysName')).toBe('1.3.6.1.2.1.1.5');
    expect((await frt.services.oids.modules()).find((m) => m.name === 'BROKEN-MIB')?.errors.join(' ')).toMatch(/nowhere/);

    await until('solo polled up', async () => frt!.poller.registry.get('solo')?.state === 'up');
    await until('points spooled while InfluxDB is down', async () => frt!.storage.metrics().pointsSpooled > 0);
    const checks = await frt.services.health.checks();
    expect(checks.find((c) => c.name === 'storage')?.ok).toBe(false);
    expect(checks.find((c) => c.name === 'traps')?.ok).toBe(false);
    expect(checks.find((c) => c.name === 'scheduler')?.ok).toBe(true);
    // the test's timeout is the hang guard
    await frt.stop();
    frt = undefined;
  });
});

describe('withoutUserinfo', () => {
  it.each([
    ['http://admin:s3cret@127.0.0.1:8086', 'http://127.0.0.1:8086'],
    ['http://127.0.0.1:8086/', 'http://127.0.0.1:8086/'],
    ['https://u@[::1]:8086/x', 'https://[::1]:8086/x'],
    ['not a url', '(invalid URL)'],
  ])('%s → %s', (url, want) => {
    expect(withoutUserinfo(url)).toBe(want);
  });
});
