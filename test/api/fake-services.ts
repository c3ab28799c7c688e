/** In-memory ApiServices for route and UI tests: what the real adapters would return, seeded with a small network. */
import { EventEmitter } from 'node:events';
import { NetpulseError } from '../../src/errors/index.ts';
import { newFold, readFrom } from '../../src/storage/availability.ts';
import { SEVERITIES, type Alert } from '../../src/alerts/types.ts';
import { MaintenanceWindows, maintenancePort } from '../../src/main/maintenance.ts';
import { deviceFromInput } from '../../src/main/adapters/device-input.ts';
import { parentsProblem } from '../../src/main/inventory.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import type { Credential, Device } from '../../src/model/index.ts';
import type {
  AlertCount, AlertFilter, ApiEvent, ApiServices, CredentialSummary, CronJobView, DeviceStatus, DeviceView, MibModuleInfo, OidNode, Rule, Series, SeriesValue, TopologyGraph, TrapRecord,
} from '../../src/api/services.ts';

export const SECRETS = ['s3cret-community', 'authpass-0123', 'privpass-4567', 'public-ro-xyz'];

const invalid = (target: string, reason: string) => new NetpulseError({ scope: 'api', target, reason, kind: 'invalid' });

function summary(name: string, c: Credential): CredentialSummary {
  return c.version === '3'
    ? { name, version: '3', user: c.user, level: c.level, authProtocol: c.authProtocol, privProtocol: c.privProtocol, context: c.context }
    : { name, version: c.version };
}

const NODES: Omit<OidNode, 'childCount'>[] = [
  { oid: '1', name: 'iso', module: 'SNMPv2-SMI', kind: 'node' },
  { oid: '1.3', name: 'org', module: 'SNMPv2-SMI', kind: 'node' },
  { oid: '1.3.6', name: 'dod', module: 'SNMPv2-SMI', kind: 'node' },
  { oid: '1.3.6.1', name: 'internet', module: 'SNMPv2-SMI', kind: 'node' },
  { oid: '1.3.6.1.2', name: 'mgmt', module: 'SNMPv2-SMI', kind: 'node' },
  { oid: '1.3.6.1.2.1', name: 'mib-2', module: 'SNMPv2-SMI', kind: 'node' },
  { oid: '1.3.6.1.2.1.1', name: 'system', module: 'SNMPv2-MIB', kind: 'node' },
  { oid: '1.3.6.1.2.1.1.1', name: 'sysDescr', module: 'SNMPv2-MIB', kind: 'scalar', syntax: 'DisplayString (SIZE (0..255))', access: 'read-only', status: 'current', description: 'A textual description of the entity.' },
  { oid: '1.3.6.1.2.1.1.3', name: 'sysUpTime', module: 'SNMPv2-MIB', kind: 'scalar', syntax: 'TimeTicks', access: 'read-only', status: 'current', description: 'The time since the network management portion of the system was last re-initialized.' },
  { oid: '1.3.6.1.2.1.1.5', name: 'sysName', module: 'SNMPv2-MIB', kind: 'scalar', syntax: 'DisplayString (SIZE (0..255))', access: 'read-write', status: 'current', description: 'An administratively-assigned name for this managed node.' },
  { oid: '1.3.6.1.2.1.2', name: 'interfaces', module: 'IF-MIB', kind: 'node' },
  { oid: '1.3.6.1.2.1.2.2', name: 'ifTable', module: 'IF-MIB', kind: 'table', status: 'current', description: 'A list of interface entries.' },
  { oid: '1.3.6.1.2.1.2.2.1', name: 'ifEntry', module: 'IF-MIB', kind: 'row', indexes: ['ifIndex'], status: 'current' },
  { oid: '1.3.6.1.2.1.2.2.1.1', name: 'ifIndex', module: 'IF-MIB', kind: 'column', syntax: 'InterfaceIndex', access: 'read-only', status: 'current' },
  { oid: '1.3.6.1.2.1.2.2.1.2', name: 'ifDescr', module: 'IF-MIB', kind: 'column', syntax: 'DisplayString (SIZE (0..255))', access: 'read-only', status: 'current', description: 'A textual string containing information about the interface.' },
  { oid: '1.3.6.1.2.1.2.2.1.8', name: 'ifOperStatus', module: 'IF-MIB', kind: 'column', syntax: 'INTEGER', access: 'read-only', status: 'current', enums: { '1': 'up', '2': 'down', '3': 'testing' } },
  { oid: '1.3.6.1.2.1.2.2.1.10', name: 'ifInOctets', module: 'IF-MIB', kind: 'column', syntax: 'Counter32', access: 'read-only', status: 'current', units: 'octets' },
  { oid: '1.3.6.1.6', name: 'snmpV2', module: 'SNMPv2-SMI', kind: 'node' },
  { oid: '1.3.6.1.6.3.1.1.5.3', name: 'linkDown', module: 'IF-MIB', kind: 'notification', status: 'current', description: 'A linkDown trap signifies that the SNMP entity has detected that the ifOperStatus object is about to leave the up state.' },
];

export interface FakeServices extends ApiServices {
  emit(event: ApiEvent): void;
  /** every SampleSink-like call the fake received (none: it is read-only) */
  calls: string[];
  /** ends every cron run started through `cron.run` (a run lasts until then) */
  finishCronRuns(): void;
}

export function createFakeServices(now = Date.now()): FakeServices {
  const credentials = new Map<string, Credential>([
    ['lab-v1', { version: '1', community: 'public-ro-xyz' }],
    ['lab-v2c', { version: '2c', community: 's3cret-community' }],
    ['core-v3', { version: '3', user: 'netpulse', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'authpass-0123', privProtocol: 'AES', privKey: 'privpass-4567' }],
    ['edge-v3', { version: '3', user: 'monitor', level: 'authNoPriv', authProtocol: 'SHA', authKey: 'authpass-0123' }],
    ['open-v3', { version: '3', user: 'guest', level: 'noAuthNoPriv' }],
  ]);
  const base = (name: string, address: string, creds: string, tags: Record<string, string> = {}): Device => ({
    name, address, port: 161, credentials: creds, profiles: ['system', 'interfaces'], intervalMs: 60_000, profileIntervalsMs: {}, tags, icmp: true,
  });
  const devices = new Map<string, Device>();
  const statuses = new Map<string, DeviceStatus>();
  const ok = (): DeviceStatus => ({ state: 'up', since: now - 86_400_000, lastPollAt: now - 20_000, lastSuccessAt: now - 20_000, lastPollDurationMs: 42, missedPolls: 0, consecutiveFailures: 0, recentErrors: [] });
  for (const [d, s] of [
    [base('core-rtr1', '127.0.0.1', 'core-v3', { site: 'hq', role: 'router' }), ok()],
    [base('dist-sw1', '127.0.0.2', 'lab-v2c', { site: 'hq' }), { ...ok(), interfacesFiltered: 3 }],
    [base('dist-sw2', '127.0.0.3', 'lab-v2c', { site: 'hq' }), { ...ok(), state: 'snmp-unreachable', consecutiveFailures: 3, lastSuccessAt: now - 600_000, lastError: 'snmp: agent 127.0.0.3:161: get SNMPv2-MIB::sysUpTime.0: timeout after 2 retries', recentErrors: [{ time: now - 20_000, message: 'snmp: agent 127.0.0.3:161: get SNMPv2-MIB::sysUpTime.0: timeout after 2 retries' }] }],
    [base('access-sw3', '127.0.0.4', 'edge-v3'), { ...ok(), state: 'auth-failed', consecutiveFailures: 5, lastError: 'snmp: agent 127.0.0.4:161: get: authentication failure (wrong auth key or protocol)', recentErrors: [{ time: now - 20_000, message: 'snmp: agent 127.0.0.4:161: get: authentication failure (wrong auth key or protocol)' }] }],
    [base('legacy-ups', '127.0.0.5', 'lab-v1'), ok()],
    [base('lab-host', 'localhost', 'open-v3'), { state: 'unknown', missedPolls: 0, consecutiveFailures: 0, recentErrors: [] }],
  ] as [Device, DeviceStatus][]) {
    devices.set(d.name, d);
    statuses.set(d.name, s);
  }
  /** devices of the config file: read-only, as the runtime's inventory has them */
  const configDevices = new Set(['legacy-ups']);
  const configConflict = (n: string, what: string) => new NetpulseError({ scope: 'inventory', target: `device ${n}`, reason: `is defined in the config file; ${what} it there`, kind: 'conflict' });
  const view = (d: Device): DeviceView => {
    const c = credentials.get(d.credentials);
    return { ...structuredClone(d), origin: configDevices.has(d.name) ? 'config' : 'api', snmp: c ? summary(d.credentials, c) : undefined, status: structuredClone(statuses.get(d.name)!) };
  };
  // DevicesPort.list() contract: the same snapshot until a device, credential profile or status changes
  let snapshot: DeviceView[] | undefined;
  const changed = () => { snapshot = undefined; };
  const checkRefs = (d: Device) => {
    if (!credentials.has(d.credentials)) throw invalid(`device "${d.name}"`, `credentials: unknown credential profile "${d.credentials}"`);
    const problem = parentsProblem(d, new Map([...devices.values()].map((x) => [x.name, x.parents])));
    if (problem) throw invalid(`device "${d.name}"`, problem);
  };

  // series: 60 one-minute points per interface and for icmp
  const ifaces = ['Gi0/1', 'Gi0/2', 'Gi0/3', 'Lo0'];
  const seriesOf = (device: string, measurement: string): Series[] => {
    const seed = [...device].reduce((a, c) => a + c.charCodeAt(0), 0);
    const pts = (fn: (i: number) => Record<string, SeriesValue>) =>
      Array.from({ length: 60 }, (_, i) => ({ time: now - (59 - i) * 60_000, values: fn(i) }));
    if (measurement === 'snmp_interface') {
      return ifaces.map((ifName, k) => ({
        tags: { device, ifName, ifIndex: String(k + 1), ifDescr: `GigabitEthernet0/${k + 1}`, ifAlias: k === 0 ? 'uplink' : '' },
        points: pts((i) => ({
          in_bps: 1e6 * (1 + k) * (1.5 + Math.sin((i + seed) / 6)), out_bps: 4e5 * (1 + k) * (1.5 + Math.cos((i + seed) / 5)),
          in_errors_ps: 0, out_errors_ps: 0, oper_status: k === 2 ? 2 : 1, admin_status: 1, speed_bps: 1e9, in_util_pct: 0.2 * (1 + k), out_util_pct: 0.1,
          in_octets: 1_000_000 + i * 7_500_000, out_octets: 500_000 + i * 3_000_000,
        })),
      }));
    }
    if (measurement === 'icmp') {
      return [{ tags: { device, address: devices.get(device)?.address ?? '' }, points: pts((i) => ({ rtt_min_ms: 0.2, rtt_avg_ms: 0.4 + ((i * 7 + seed) % 10) / 20, rtt_max_ms: 1.1, jitter_ms: 0.05, loss_pct: i % 17 === 0 ? 20 : 0, sent: 5, received: i % 17 === 0 ? 4 : 5, up: 1 })) }];
    }
    if (measurement === 'snmp_system') {
      return [{ tags: { device }, points: pts((i) => ({ uptime_ticks: 8_640_000 + i * 6000, sys_descr: `netpulse lab device ${device}`, sys_name: device, sys_location: 'rack 1', sys_contact: 'noc', sys_object_id: '1.3.6.1.4.1.8072.3.2.10' })) }];
    }
    if (measurement === 'device_status') {
      return [{ tags: { device, snmp_version: '2c' }, points: pts(() => ({ state: statuses.get(device)?.state ?? 'unknown', state_code: 0, poll_duration_ms: 42, missed_polls: 0, error: '' })) }];
    }
    return [];
  };

  // availability: one device_status sample a minute over the last 31 days; [from ago, to ago, state] overrides, 'gap' = no sample
  const H = 3_600_000;
  const AV_HISTORY: Record<string, [number, number, DeviceStatus['state'] | 'gap'][]> = {
    'core-rtr1': [[72 * H, 71.25 * H, 'down']],
    'dist-sw1': [[2 * H, 2 * H - 600_000, 'down'], [120 * H, 118 * H, 'down'], [30 * H, 29 * H, 'snmp-unreachable']],
    'dist-sw2': [[6 * H, 0, 'snmp-unreachable']],
    'access-sw3': [[24 * H, 0, 'auth-failed']],
    'legacy-ups': [[240 * H, 216 * H, 'gap'], [20 * H, 19.5 * H, 'down']],
  };
  const availabilityOf: ApiServices['availability']['availability'] = async (q) => {
    const names = q.device !== undefined ? [q.device] : [...devices.keys()].filter((d) => d in AV_HISTORY && (!q.devices || q.devices.includes(d)));
    return names.map((name) => {
      const fold = newFold(q, name);
      const history = AV_HISTORY[name];
      const start = Math.max(readFrom(q), now - 31 * 24 * H);
      for (let t = now - Math.floor((now - start) / 60_000) * 60_000; history && t < q.to && t <= now; t += 60_000) {
        const hit = history.find(([a, b]) => t >= now - a && t < now - b);
        if (hit?.[2] !== 'gap') fold.add(t, hit?.[2] ?? 'up');
      }
      return fold.finish();
    });
  };

  const modules: MibModuleInfo[] = [
    { name: 'SNMPv2-SMI', nodeCount: 12, source: 'mibs/SNMPv2-SMI', errors: [] },
    { name: 'SNMPv2-MIB', nodeCount: 48, source: 'mibs/SNMPv2-MIB', errors: [] },
    { name: 'IF-MIB', nodeCount: 119, source: 'mibs/IF-MIB', errors: [] },
    { name: 'BROKEN-VENDOR-MIB', nodeCount: 3, source: 'mibs/BROKEN-VENDOR-MIB', errors: ['line 42: unknown type "VendorString" (import it from VENDOR-TC)'] },
  ];
  const nodes = new Map<string, Omit<OidNode, 'childCount'>>(NODES.map((n) => [n.oid, n]));
  const withCount = (n: Omit<OidNode, 'childCount'>): OidNode => ({ ...n, childCount: [...nodes.keys()].filter((o) => o.startsWith(n.oid + '.') && o.split('.').length === n.oid.split('.').length + 1).length });
  const findNode = (key: string) => {
    const bare = key.includes('::') ? key.split('::')[1] : key;
    return nodes.get(key) ?? [...nodes.values()].find((n) => n.name === bare);
  };

  const graph: TopologyGraph = {
    nodes: [
      { id: 'core-rtr1', label: 'core-rtr1', device: 'core-rtr1', address: '127.0.0.1', kind: 'router', state: 'up' },
      { id: 'dist-sw1', label: 'dist-sw1', device: 'dist-sw1', address: '127.0.0.2', kind: 'switch', state: 'up' },
      { id: 'dist-sw2', label: 'dist-sw2', device: 'dist-sw2', address: '127.0.0.3', kind: 'switch', state: 'snmp-unreachable' },
      { id: 'access-sw3', label: 'access-sw3', device: 'access-sw3', kind: 'switch', state: 'auth-failed' },
      { id: 'lldp:00:11:22:33:44:55', label: 'unmanaged-ap', kind: 'unknown' },
    ],
    links: [
      { id: 'l1', source: 'core-rtr1', target: 'dist-sw1', sourcePort: 'Gi0/1', targetPort: 'Gi0/24', protocol: 'lldp' },
      { id: 'l2', source: 'core-rtr1', target: 'dist-sw2', sourcePort: 'Gi0/2', targetPort: 'Gi0/24', protocol: 'lldp' },
      { id: 'l3', source: 'dist-sw1', target: 'access-sw3', sourcePort: 'Gi0/1', targetPort: 'Gi0/48', protocol: 'cdp' },
      { id: 'l4', source: 'dist-sw2', target: 'lldp:00:11:22:33:44:55', sourcePort: 'Gi0/5', protocol: 'fdb', inferred: true },
    ],
    discoveredAt: now - 300_000,
  };

  // securityName (the community) is what the trap log stores; the API must strip it
  const traps: TrapRecord[] = [
    { securityName: 'public-ro-xyz', id: 't2', time: now - 60_000, source: '127.0.0.3:50123', device: 'dist-sw2', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.3', trapName: 'IF-MIB::linkDown', severity: 'major', varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.3', name: 'IF-MIB::ifIndex.3', type: 'Integer', value: '3' }] } as TrapRecord,
    { id: 't1', time: now - 3_600_000, source: '127.0.0.1:40000', device: 'core-rtr1', version: '3', trapOid: '1.3.6.1.6.3.1.1.5.1', trapName: 'SNMPv2-MIB::coldStart', severity: 'info', varbinds: [] },
  ];
  const alert = (id: string, over: Partial<Alert>): Alert => ({
    id, key: `k-${id}`, source: 'trap', rule: 'link-down', severity: 'major', message: 'link down', state: 'open',
    firstSeen: now - 600_000, lastSeen: now - 60_000, count: 1, flapping: false, labels: {}, ...over,
  });
  const alerts = new Map<string, Alert>([
    ['a1', alert('a1', { device: 'dist-sw2', message: 'dist-sw2 Gi0/3 link down (IF-MIB::linkDown)', count: 3 })],
    ['a2', alert('a2', { device: 'access-sw3', source: 'device', rule: 'device-state', severity: 'critical', message: 'access-sw3: SNMP authentication failure' })],
    ['a3', alert('a3', { device: 'core-rtr1', severity: 'warning', message: 'core-rtr1 Gi0/1 inbound utilisation 85%', state: 'cleared', clearedAt: now - 30_000, clearedBy: 'auto' })],
    ['a4', alert('a4', { device: 'legacy-ups', source: 'device', rule: 'device-down', severity: 'major', message: 'legacy-ups is down (no ICMP or SNMP response)', suppressed: { kind: 'maintenance', reason: 'maintenance ups-battery-swap', by: 'ups-battery-swap', since: now - 600_000 } })],
  ]);
  const rules = new Map<string, Rule>([
    ['link-down', { id: 'link-down', name: 'Link down', enabled: true, severity: 'major', match: {}, condition: { type: 'trap', trapOid: 'IF-MIB::linkDown', clearTrapOid: 'IF-MIB::linkUp' }, notify: ['noc-mail'] }],
  ]);
  let ruleSeq = 1;
  // the real window logic on an in-memory state database, seeded with one running window
  const maintenanceStore = new StateStore(':memory:');
  const maintenance = new MaintenanceWindows([], maintenanceStore, () => Date.now());
  maintenance.create({ name: 'ups-battery-swap', devices: ['legacy-ups'], tags: {}, start: now - 3_600_000, end: now + 3_600_000, comment: 'battery swap' }, 'fake');
  const bus = new EventEmitter();
  let discovering = false;
  // one cron job whose runs take 50 ms
  const cronJobs = new Map<string, CronJobView>([['availability-days', {
    name: 'availability-days', expression: '20 0 * * *', lastRunAt: null, nextRunAt: now + 3_600_000, runs: 0, failures: 0, lastError: null, running: false,
  }]]);

  const matching = (f: Omit<AlertFilter, 'limit'>) => [...alerts.values()]
    .filter((a) => (!f.state || (f.state === 'active' ? a.state !== 'cleared' : a.state === f.state)) && (!f.severity || a.severity === f.severity) && (!f.device || a.device === f.device)
      && (f.suppressed === undefined || (a.suppressed !== undefined && a.suppressed.until === undefined) === f.suppressed));

  const svc: FakeServices = {
    calls: [],
    finishCronRuns: () => { for (const job of cronJobs.values()) job.running = false; },
    emit: (ev) => {
      if (ev.type === 'alert') alerts.set(ev.alert.id, ev.alert);
      if (ev.type === 'trap') traps.unshift(ev.trap);
      if (ev.type === 'device-state') { const s = statuses.get(ev.device); if (s) s.state = ev.to; changed(); }
      bus.emit('event', ev);
    },
    devices: {
      list: async () => (snapshot ??= [...devices.values()].map(view)),
      get: async (n) => (devices.has(n) ? view(devices.get(n)!) : undefined),
      create: async (input) => {
        const d = deviceFromInput(input);
        if (devices.has(d.name)) throw new NetpulseError({ scope: 'api', target: `device "${d.name}"`, reason: 'already exists', kind: 'conflict' });
        checkRefs(d);
        devices.set(d.name, structuredClone(d));
        statuses.set(d.name, { state: 'unknown', missedPolls: 0, consecutiveFailures: 0, recentErrors: [] });
        changed();
        return view(d);
      },
      update: async (n, input) => {
        const d = deviceFromInput(input);
        if (configDevices.has(n)) throw configConflict(n, 'edit');
        if (!devices.has(n)) throw new NetpulseError({ scope: 'api', target: `device "${n}"`, reason: 'no such device', kind: 'not-found' });
        checkRefs(d);
        devices.set(n, structuredClone(d));
        changed();
        return view(d);
      },
      remove: async (n) => {
        if (configDevices.has(n)) throw configConflict(n, 'remove');
        const children = [...devices.values()].filter((x) => x.parents?.includes(n)).map((x) => x.name);
        if (children.length) throw new NetpulseError({ scope: 'api', target: `device "${n}"`, reason: `is a parent of ${children.join(', ')}; remove it from their parents first`, kind: 'conflict' });
        statuses.delete(n); changed(); return devices.delete(n);
      },
      // the fake's config devices hide no API device
      hidden: async () => undefined,
      removeHidden: async () => false,
    },
    credentials: {
      list: async () => [...credentials].map(([n, c]) => summary(n, c)),
      get: async (n) => { const c = credentials.get(n); return c && summary(n, c); },
      put: async (n, c) => { credentials.set(n, structuredClone(c)); changed(); return summary(n, c); },
      remove: async (n) => {
        if ([...devices.values()].some((d) => d.credentials === n)) throw new NetpulseError({ scope: 'api', target: `credential profile "${n}"`, reason: 'in use by a device', kind: 'conflict' });
        changed();
        return credentials.delete(n);
      },
    },
    series: {
      querySeries: async (q) => seriesOf(q.device ?? q.tags?.device ?? '', q.measurement)
        .filter((s) => Object.entries(q.tags ?? {}).every(([k, v]) => s.tags[k] === v))
        .map((s) => ({
          tags: s.tags,
          points: s.points.filter((p) => p.time >= q.from && p.time <= q.to).slice(-(q.limit ?? 1e9))
            .map((p) => ({ time: p.time, values: q.fields?.length ? Object.fromEntries(q.fields.map((f) => [f, p.values[f] ?? null])) : p.values })),
        })),
      latest: async (measurement, device) => seriesOf(device, measurement).map((s) => ({ tags: s.tags, ...s.points[s.points.length - 1] })),
    },
    availability: { availability: availabilityOf },
    oids: {
      search: async (q, { limit, offset }) => {
        const ql = q.toLowerCase();
        const hits = [...nodes.values()].filter((n) => !ql || n.name.toLowerCase().includes(ql) || `${n.module}::${n.name}`.toLowerCase() === ql || n.oid.startsWith(ql) || (n.description ?? '').toLowerCase().includes(ql));
        return { total: hits.length, items: hits.slice(offset, offset + limit).map(withCount) };
      },
      node: async (k) => { const n = findNode(k); return n && withCount(n); },
      children: async (oid) => [...nodes.values()].filter((n) => n.oid.startsWith(oid + '.') && n.oid.split('.').length === oid.split('.').length + 1).map(withCount),
      modules: async () => structuredClone(modules),
      addModule: async (text) => {
        const m = /^\s*([A-Z][A-Za-z0-9-]*)\s+DEFINITIONS\s*::=\s*BEGIN[\s\S]*\bEND\s*$/.exec(text);
        if (!m) return { ok: false, errors: [{ line: 1, message: 'expected "NAME DEFINITIONS ::= BEGIN ... END"' }] };
        const info = { name: m[1], nodeCount: (text.match(/OBJECT-TYPE/g) ?? []).length, source: 'upload', errors: [] };
        modules.push(info);
        return { ok: true, module: info };
      },
    },
    topology: {
      graph: async () => structuredClone(graph),
      neighbors: async (d) => {
        if (!devices.has(d)) return undefined;
        return graph.links.filter((l) => l.source === d || l.target === d).map((l) => {
          const out = l.source === d;
          const remote = out ? l.target : l.source;
          return { localPort: out ? l.sourcePort : l.targetPort, remoteId: remote, remoteName: graph.nodes.find((n) => n.id === remote)?.label, remotePort: out ? l.targetPort : l.sourcePort, protocol: l.protocol };
        });
      },
      discover: async () => {
        if (discovering) throw new NetpulseError({ scope: 'topology', target: 'discovery', reason: 'already running', kind: 'conflict' });
        discovering = true;
        await new Promise((r) => setTimeout(r, 20));
        discovering = false;
        graph.discoveredAt = Date.now();
        return { nodes: graph.nodes.length, links: graph.links.length, durationMs: 20, errors: [] };
      },
    },
    traps: {
      list: async (f) => traps.filter((t) => (!f.device || t.device === f.device) && (!f.oid || t.trapOid.startsWith(f.oid) || (t.trapName ?? '').includes(f.oid))
        && (f.from === undefined || t.time >= f.from) && (f.to === undefined || t.time <= f.to)).slice(0, f.limit),
    },
    alerts: {
      list: async (f) => matching(f).sort((a, b) => b.lastSeen - a.lastSeen).slice(0, f.limit),
      count: async (f) => {
        const found = matching(f);
        return { count: found.length, bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, found.filter((a) => a.severity === s).length])) as AlertCount['bySeverity'] };
      },
      get: async (id) => alerts.get(id),
      ack: async (id, by) => {
        const a = alerts.get(id);
        if (a && a.state === 'open') Object.assign(a, { state: 'acknowledged', acknowledgedBy: by, acknowledgedAt: Date.now() });
        if (a) bus.emit('event', { type: 'alert', change: 'acknowledged', alert: a });
        return a;
      },
      clear: async (id, by) => {
        const a = alerts.get(id);
        if (a && a.state !== 'cleared') Object.assign(a, { state: 'cleared', clearedBy: by, clearedAt: Date.now() });
        if (a) bus.emit('event', { type: 'alert', change: 'cleared', alert: a });
        return a;
      },
    },
    maintenance: maintenancePort(maintenance, () => [...devices.values()].map((d) => ({ name: d.name, tags: d.tags }))),
    rules: {
      list: async () => [...rules.values()],
      get: async (id) => rules.get(id),
      create: async (r) => { const rule = { ...r, id: `rule-${ruleSeq++}` }; rules.set(rule.id, rule); return rule; },
      update: async (id, r) => {
        if (!rules.has(id)) throw new NetpulseError({ scope: 'api', target: `rule "${id}"`, reason: 'no such rule', kind: 'not-found' });
        const rule = { ...r, id }; rules.set(id, rule); return rule;
      },
      remove: async (id) => rules.delete(id),
    },
    metrics: async () => [
      { name: 'netpulse_poll_duration_seconds', help: 'last poll duration per device', type: 'gauge', samples: [...devices.keys()].map((d) => ({ labels: { device: d }, value: 0.042 })) },
      { name: 'netpulse_polls_missed_total', help: 'polls skipped because the previous one still ran', type: 'counter', samples: [{ value: 0 }] },
      { name: 'netpulse_poll_queue_depth', help: 'polls waiting for a worker', type: 'gauge', samples: [{ value: 0 }] },
      { name: 'netpulse_traps_received_total', help: 'traps received', type: 'counter', samples: [{ value: traps.length }] },
      { name: 'netpulse_traps_rejected_total', help: 'traps rejected by reason', type: 'counter', samples: [{ labels: { reason: 'unknown-community' }, value: 2 }, { labels: { reason: 'malformed' }, value: 1 }] },
      { name: 'netpulse_points_written_total', help: 'points written to storage', type: 'counter', samples: [{ value: 12345 }] },
      { name: 'netpulse_points_spooled', help: 'points waiting in the spool', type: 'gauge', samples: [{ value: 0 }] },
      { name: 'netpulse_points_dropped_total', help: 'points dropped (spool full)', type: 'counter', samples: [{ value: 0 }] },
    ],
    health: {
      checks: async () => [{ name: 'storage', ok: true }, { name: 'scheduler', ok: true }, { name: 'traps', ok: true, detail: 'udp 127.0.0.1:0' }],
      cronJobs: async () => [...cronJobs.values()].map((j) => ({ ...j })),
    },
    cron: {
      run: async (name) => {
        const job = cronJobs.get(name);
        if (!job) return undefined;
        if (job.running) throw new NetpulseError({ scope: 'cron', target: `job "${name}"`, reason: 'a run is already in progress', kind: 'conflict' });
        Object.assign(job, { running: true, runs: job.runs + 1, lastRunAt: Date.now() });
        return { ...job };
      },
    },
    events: {
      subscribe: (l) => { bus.on('event', l); return () => bus.off('event', l); },
    },
  };
  return svc;
}
