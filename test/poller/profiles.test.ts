import { describe, expect, it } from 'vitest';
import { SCHEMA } from '../../src/model/schema.ts';
import type { Sample } from '../../src/model/sample.ts';
import type { TableRow, Varbind } from '../../src/snmp/types.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import type { FetchedData, ProfileDefinition } from '../../src/poller/profiles/types.ts';
import { CounterStore } from '../../src/poller/counter-memory.ts';
import { storageTypeName, unsigned32 } from '../../src/poller/profiles/host-resources.ts';
import { vb, str, systemMib } from './fakes.ts';

const IF = '1.3.6.1.2.1.2.2.1';
const IFX = '1.3.6.1.2.1.31.1.1.1';

function fetchFrom(def: ProfileDefinition, mib: Varbind[]): FetchedData {
  const byOid = new Map(mib.map((v) => [v.oid, v]));
  const scalars = new Map<string, Varbind>();
  for (const s of def.profile.scalars) { const v = byOid.get(s.oid); if (v) scalars.set(s.name, v); }
  const tables = new Map<string, TableRow[]>();
  for (const t of def.profile.tables) {
    const rows = new Map<string, TableRow>();
    for (const c of t.columns) for (const v of mib) {
      if (!v.oid.startsWith(c.oid + '.')) continue;
      const index = v.oid.slice(c.oid.length + 1);
      if (!rows.has(index)) rows.set(index, { index, values: new Map() });
      rows.get(index)!.values.set(c.oid, v);
    }
    tables.set(t.name, [...rows.values()]);
  }
  return { scalars, tables };
}

/** Every sample must use only its measurement's schema tags and fields, with the schema's types. */
function expectSchema(samples: Sample[]): void {
  for (const s of samples) {
    const schema = (SCHEMA as Record<string, { tags: readonly string[]; fields: Record<string, string> }>)[s.measurement];
    expect(schema, s.measurement).toBeDefined();
    for (const t of Object.keys(s.tags)) expect(schema.tags, `${s.measurement} tag ${t}`).toContain(t);
    for (const [f, v] of Object.entries(s.fields)) {
      const kind = schema.fields[f];
      expect(kind, `${s.measurement} field ${f}`).toBeDefined();
      const want = { i: 'bigint', f: 'number', s: 'string', b: 'boolean' }[kind];
      expect(typeof v, `${s.measurement}.${f}`).toBe(want);
    }
  }
}

const reg = buildProfileRegistry();

function ifMib(octetsIn: bigint, octetsOut: bigint, opts: { hc?: boolean; ucast?: number } = {}): Varbind[] {
  const out: Varbind[] = [
    str(`${IF}.2.1`, 'eth0'), vb(`${IF}.4.1`, 'Integer', 1500), vb(`${IF}.5.1`, 'Gauge32', 4294967295),
    vb(`${IF}.7.1`, 'Integer', 1), vb(`${IF}.8.1`, 'Integer', 1),
    vb(`${IF}.10.1`, 'Counter32', Number(octetsIn % (1n << 32n))), vb(`${IF}.16.1`, 'Counter32', Number(octetsOut % (1n << 32n))),
    vb(`${IF}.11.1`, 'Counter32', opts.ucast ?? 0), vb(`${IF}.17.1`, 'Counter32', 0),
    vb(`${IF}.14.1`, 'Counter32', 0), vb(`${IF}.20.1`, 'Counter32', 0), vb(`${IF}.13.1`, 'Counter32', 0), vb(`${IF}.19.1`, 'Counter32', 0),
    str(`${IFX}.1.1`, 'Gi0/1'), str(`${IFX}.18.1`, 'uplink to core'), vb(`${IFX}.15.1`, 'Gauge32', 10_000),
  ];
  if (opts.hc !== false) out.push(vb(`${IFX}.6.1`, 'Counter64', octetsIn), vb(`${IFX}.10.1`, 'Counter64', octetsOut));
  return out;
}

describe('built-in profiles → schema samples', () => {
  it('system', () => {
    const def = reg.get('system')!;
    const store = new CounterStore();
    const s = def.toSamples(fetchFrom(def, systemMib(4242, 'core1')), { device: 'd1', time: 1000, memory: store.memoryFor('d1') });
    expectSchema(s);
    expect(s).toEqual([{
      measurement: 'snmp_system', tags: { device: 'd1' }, time: 1000,
      fields: { uptime_ticks: 4242n, sys_descr: 'Linux sw1', sys_object_id: '1.3.6.1.4.1.8072.3.2.10', sys_name: 'core1', sys_location: 'rack 1', sys_contact: 'noc@example.net' },
    }]);
  });

  it('interfaces: HC counters preferred, rates on the second poll, speed from ifHighSpeed', () => {
    const def = reg.get('interfaces')!;
    const store = new CounterStore();
    const mem = store.memoryFor('d1');
    const first = def.toSamples(fetchFrom(def, ifMib(10_000_000_000n, 0n)), { device: 'd1', time: 0, memory: mem });
    expectSchema(first);
    expect(first).toHaveLength(1);
    expect(first[0].tags).toEqual({ device: 'd1', ifName: 'Gi0/1', ifIndex: '1', ifDescr: 'eth0', ifAlias: 'uplink to core' });
    expect(first[0].fields).toMatchObject({ in_octets: 10_000_000_000n, speed_bps: 10_000_000_000n, mtu: 1500n, oper_status: 1n, admin_status: 1n });
    expect(first[0].fields.in_bps).toBeUndefined();
    const second = def.toSamples(fetchFrom(def, ifMib(10_000_000_000n + 125_000_000n, 1_250_000n)), { device: 'd1', time: 10_000, memory: mem });
    expectSchema(second);
    expect(second[0].fields.in_bps).toBe(100_000_000);
    expect(second[0].fields.out_bps).toBe(1_000_000);
    expect(second[0].fields.in_util_pct).toBe(1);
    expect(second[0].fields.in_pps).toBe(0);
  });

  it('interfaces: 32-bit counters without ifXTable, wrap handled', () => {
    const def = reg.get('interfaces')!;
    const mem = new CounterStore().memoryFor('d');
    const noX = (m: Varbind[]) => m.filter((v) => !v.oid.startsWith(IFX));
    def.toSamples(fetchFrom(def, noX(ifMib((1n << 32n) - 1000n, 0n, { hc: false }))), { device: 'd', time: 0, memory: mem });
    const s = def.toSamples(fetchFrom(def, noX(ifMib((1n << 32n) + 1000n, 0n, { hc: false }))), { device: 'd', time: 1000, memory: mem });
    expectSchema(s);
    expect(s[0].tags).toEqual({ device: 'd', ifName: 'eth0', ifIndex: '1', ifDescr: 'eth0' });
    expect(s[0].fields.in_octets).toBe(1000n);
    expect(s[0].fields.in_bps).toBe(16_000);
  });

  it('interfaces: agent restart drops the baselines (no spike)', () => {
    const def = reg.get('interfaces')!;
    const store = new CounterStore();
    expect(store.observeUptime('d', { ticks: 1_000_000, at: 0 })).toBe(false);
    def.toSamples(fetchFrom(def, ifMib(50_000_000n, 0n)), { device: 'd', time: 0, memory: store.memoryFor('d') });
    expect(store.observeUptime('d', { ticks: 500, at: 60_000 })).toBe(true);
    const s = def.toSamples(fetchFrom(def, ifMib(1000n, 0n)), { device: 'd', time: 60_000, memory: store.memoryFor('d') });
    expect(s[0].fields.in_bps).toBeUndefined();
    expect(s[0].fields.in_octets).toBe(1000n);
  });

  it('host-resources: CPU average and storage bytes (size × units, negative Integer32 undone)', () => {
    const def = reg.get('host-resources')!;
    const HR = '1.3.6.1.2.1.25.2.3.1';
    const mib = [
      vb('1.3.6.1.2.1.25.3.3.1.2.196608', 'Integer', 10), vb('1.3.6.1.2.1.25.3.3.1.2.196609', 'Integer', 30),
      vb(`${HR}.2.1`, 'OID', '1.3.6.1.2.1.25.2.1.2'), str(`${HR}.3.1`, 'Physical memory'), vb(`${HR}.4.1`, 'Integer', 1024),
      vb(`${HR}.5.1`, 'Integer', 1000), vb(`${HR}.6.1`, 'Integer', 250),
      vb(`${HR}.2.31`, 'OID', '1.3.6.1.2.1.25.2.1.4'), str(`${HR}.3.31`, '/'), vb(`${HR}.4.31`, 'Integer', 4096),
      vb(`${HR}.5.31`, 'Integer', -1), vb(`${HR}.6.31`, 'Integer', 0),
    ];
    const s = def.toSamples(fetchFrom(def, mib), { device: 'h', time: 5, memory: new CounterStore().memoryFor('h') });
    expectSchema(s);
    expect(s).toEqual([
      { measurement: 'snmp_host', tags: { device: 'h' }, fields: { cpu_load_pct: 20, cpu_count: 2n }, time: 5 },
      { measurement: 'snmp_host_storage', tags: { device: 'h', storage: 'Physical memory', storage_type: 'ram' }, fields: { size_bytes: 1_024_000n, used_bytes: 256_000n, used_pct: 25 }, time: 5 },
      { measurement: 'snmp_host_storage', tags: { device: 'h', storage: '/', storage_type: 'fixedDisk' }, fields: { size_bytes: 4_294_967_295n * 4096n, used_bytes: 0n, used_pct: 0 }, time: 5 },
    ]);
  });

  it.each([
    ['1.3.6.1.2.1.25.2.1.4', 'fixedDisk'], ['.1.3.6.1.2.1.25.2.1.10', 'networkDisk'], ['1.3.6.1.4.1.9.1', '1.3.6.1.4.1.9.1'], [undefined, undefined],
  ])('storageTypeName(%s) = %s', (oid, want) => { expect(storageTypeName(oid)).toBe(want); });
  it.each([[-1n, 4294967295n], [5n, 5n], [undefined, undefined]])('unsigned32(%s) = %s', (v, want) => { expect(unsigned32(v)).toBe(want); });

  it('entity', () => {
    const def = reg.get('entity')!;
    const E = '1.3.6.1.2.1.47.1.1.1.1';
    const mib = [
      str(`${E}.2.1`, 'Cisco chassis'), vb(`${E}.4.1`, 'Integer', 0), vb(`${E}.5.1`, 'Integer', 3), str(`${E}.7.1`, 'Chassis'),
      str(`${E}.11.1`, 'FOC1234X'), str(`${E}.13.1`, 'WS-C3850'), str(`${E}.8.1`, 'V01'), str(`${E}.9.1`, ''), str(`${E}.10.1`, '16.9.4'),
      str(`${E}.2.2`, 'PSU'), vb(`${E}.4.2`, 'Integer', 1), vb(`${E}.5.2`, 'Integer', 6),
    ];
    const s = def.toSamples(fetchFrom(def, mib), { device: 'e', time: 1, memory: new CounterStore().memoryFor('e') });
    expectSchema(s);
    expect(s[0]).toEqual({
      measurement: 'snmp_entity', tags: { device: 'e', entPhysicalIndex: '1', class: 'chassis' }, time: 1,
      fields: { descr: 'Cisco chassis', name: 'Chassis', hw_rev: 'V01', fw_rev: '', sw_rev: '16.9.4', serial: 'FOC1234X', model: 'WS-C3850', parent: 0n },
    });
    expect(s[1].tags.class).toBe('powerSupply');
    expect(s[1].fields.parent).toBe(1n);
  });
});

describe('user profiles', () => {
  const resolver = (n: string) => ({ 'UCD-SNMP-MIB::laLoadInt': '1.3.6.1.4.1.2021.10.1.5', laNames: '1.3.6.1.4.1.2021.10.1.2' } as Record<string, string>)[n];

  it('resolves names, maps scalars and table rows with tag columns', () => {
    const r = buildProfileRegistry([{
      name: 'ucd', measurement: 'ucd_load',
      scalars: [{ name: 'mem_total', oid: '.1.3.6.1.4.1.2021.4.5.0' }],
      tables: [{ name: 'laTable', measurement: 'ucd_la', indexTag: 'la', columns: [
        { name: 'la_name', oid: 'laNames', as: 'tag' }, { name: 'load_int', oid: 'UCD-SNMP-MIB::laLoadInt', as: 'field' },
      ] }],
    }], resolver);
    expect(r.problems).toEqual([]);
    const def = r.get('ucd')!;
    expect(def.profile.tables[0].columns[1].oid).toBe('1.3.6.1.4.1.2021.10.1.5');
    const mib = [
      vb('1.3.6.1.4.1.2021.4.5.0', 'Integer', 2048), str('1.3.6.1.4.1.2021.10.1.2.1', 'Load-1'), vb('1.3.6.1.4.1.2021.10.1.5.1', 'Integer', 12),
    ];
    const s = def.toSamples(fetchFrom(def, mib), { device: 'u', time: 9, memory: new CounterStore().memoryFor('u') });
    expect(s).toEqual([
      { measurement: 'ucd_load', tags: { device: 'u' }, fields: { mem_total: 2048n }, time: 9 },
      { measurement: 'ucd_la', tags: { device: 'u', la: '1', la_name: 'Load-1' }, fields: { load_int: 12n }, time: 9 },
    ]);
  });

  it('reports unresolvable names and leaves the profile out', () => {
    const r = buildProfileRegistry({ bad: { name: 'bad', measurement: 'x', scalars: [{ name: 'a', oid: 'FOO-MIB::nope' }], tables: [] } });
    expect(r.problems).toEqual(['profiles.bad.scalars[0].oid: cannot resolve "FOO-MIB::nope" to a numeric OID (no OID dictionary loaded; use a numeric OID)']);
    expect(r.get('bad')).toBeUndefined();
    expect(r.get('interfaces')).toBeDefined();
  });
});

describe('interfaces: column trimming once the agent is known to have 64-bit counters', () => {
  const def = buildProfileRegistry().get('interfaces')!;
  const [ifTable, ifXTable] = def.profile.tables;
  const full = (m: Varbind[]) => fetchFrom(def, m);

  it.each([
    ['all rows with HC counters', true, 9, 11],
    ['no HC counters (v1-era agent)', false, 13, 15],
  ])('%s', (_n, hc, ifCols, ifxCols) => {
    const store = new CounterStore();
    const mem = store.memoryFor('d');
    expect(def.columnsToFetch!(ifTable, mem)).toHaveLength(13);
    const mib = ifMib(1000n, 2000n, { hc });
    const withAllHc = hc ? [...mib, ...[7, 8, 9, 11, 12, 13].map((c) => vb(`${IFX}.${c}.1`, 'Counter64', 5n))] : mib;
    def.toSamples(full(withAllHc), { device: 'd', time: 0, memory: mem });
    expect(def.columnsToFetch!(ifTable, mem)).toHaveLength(ifCols);
    expect(def.columnsToFetch!(ifXTable, mem)).toHaveLength(ifxCols);
    expect(store.observeUptime('d', { ticks: 100, at: 0 })).toBe(false);
    expect(store.observeUptime('d', { ticks: 1, at: 60_000 })).toBe(true);
    expect(def.columnsToFetch!(ifTable, store.memoryFor('d'))).toHaveLength(13); // relearned after a restart
  });
});
