/** The interfaces profile with an interface filter, through pollDevice with an in-memory agent. */
import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../src/model/sample.ts';
import type { InterfaceFilter, InterfaceMatch } from '../../src/model/interface-filter.ts';
import type { SnmpTarget, TableRow, Varbind } from '../../src/snmp/types.ts';
import { Poller } from '../../src/poller/poller.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import { FakeSnmpClient, device, str, systemMib, vb } from './fakes.ts';

const IF = '1.3.6.1.2.1.2.2.1';
const IFX = '1.3.6.1.2.1.31.1.1.1';

/** records every column a table walk asked for */
class RecordingSnmp extends FakeSnmpClient {
  columns: string[][] = [];
  override async table(t: SnmpTarget, cols: string[]): Promise<TableRow[]> {
    this.columns.push(cols);
    return super.table(t, cols);
  }
}

interface Port { index: number; name: string; type: number; admin: number; alias: string; octets: bigint }

function ifMib(ports: Port[]): Varbind[] {
  return ports.flatMap((p) => [
    str(`${IF}.2.${p.index}`, p.name), vb(`${IF}.3.${p.index}`, 'Integer', p.type), vb(`${IF}.7.${p.index}`, 'Integer', p.admin),
    vb(`${IF}.8.${p.index}`, 'Integer', p.admin), vb(`${IF}.10.${p.index}`, 'Counter32', Number(p.octets % 2n ** 32n)),
    str(`${IFX}.1.${p.index}`, p.name), str(`${IFX}.18.${p.index}`, p.alias), vb(`${IFX}.6.${p.index}`, 'Counter64', p.octets),
  ]);
}

const PORTS: Port[] = [
  { index: 1, name: 'Gi1/0/1', type: 6, admin: 1, alias: 'uplink', octets: 1000n },
  { index: 2, name: 'Gi1/0/2', type: 6, admin: 2, alias: 'UNUSED', octets: 1000n },
  { index: 3, name: 'lo', type: 24, admin: 1, alias: '', octets: 1000n },
  { index: 4, name: 'Vlan10', type: 53, admin: 1, alias: 'users', octets: 1000n },
  { index: 5, name: 'Null0', type: 1, admin: 1, alias: '', octets: 1000n },
  { index: 6, name: 'Gi1/0/3', type: 6, admin: 1, alias: 'unused spare', octets: 1000n },
];

const none: InterfaceMatch = { ifType: [], ifName: [], ifDescr: [], ifAlias: [] };
const EXCLUDE: InterfaceFilter = {
  include: none,
  exclude: { ifType: [24, 53], ifName: ['Null*'], ifDescr: [], ifAlias: ['/^unused/i'], adminDown: true },
};

function setup(opts: { deviceFilter?: InterfaceFilter; defaultFilter?: InterfaceFilter } = {}) {
  const snmp = new RecordingSnmp();
  const sink = new MemorySink();
  let clock = 0;
  const poller = new Poller({
    snmp, sink, profiles: buildProfileRegistry(), concurrency: 1, interfaceFilter: opts.defaultFilter, now: () => clock, clock: () => clock,
    snmpSettings: { timeoutMs: 100, retries: 0, maxRepetitions: 10 },
  });
  const dev = device('sw', { port: 1161, icmp: false, profiles: ['system', 'interfaces'], ...(opts.deviceFilter ? { interfaces: opts.deviceFilter } : {}) });
  const poll = async (ports: Port[], atMs: number) => {
    clock = atMs;
    snmp.agent('127.0.0.1', 1161, [...systemMib(1000 + atMs / 10), ...ifMib(ports)]);
    const r = await poller.pollNow(dev);
    const ifs = r.samples.filter((s) => s.measurement === 'snmp_interface');
    return { r, names: ifs.map((s) => s.tags.ifName), byName: new Map(ifs.map((s) => [s.tags.ifName, s])) };
  };
  return { snmp, poll };
}

describe('interfaces profile with a filter', () => {
  it('leaves excluded interfaces out of the samples and reports how many', async () => {
    const { poll } = setup({ deviceFilter: EXCLUDE });
    const { r, names } = await poll(PORTS, 0);
    expect(r.state).toBe('up');
    expect(names).toEqual(['Gi1/0/1']);
    expect(r.interfacesFiltered).toBe(5);
  });

  it('without a filter polls every interface and reports no count', async () => {
    const { r, names } = await setup().poll(PORTS, 0);
    expect(names).toHaveLength(PORTS.length);
    expect(r.interfacesFiltered).toBeUndefined();
  });

  it('uses the default filter for devices without their own; a device filter replaces it', async () => {
    expect((await setup({ defaultFilter: EXCLUDE }).poll(PORTS, 0)).names).toEqual(['Gi1/0/1']);
    const own: InterfaceFilter = { include: { ...none, ifName: ['Vlan*', 'lo'] }, exclude: { ...none, adminDown: false } };
    const { names, r } = await setup({ defaultFilter: EXCLUDE, deviceFilter: own }).poll(PORTS, 0);
    expect(names).toEqual(['lo', 'Vlan10']);
    expect(r.interfacesFiltered).toBe(4);
  });

  it('fetches ifType only when the filter looks at it, in the same table walk', async () => {
    const byName: InterfaceFilter = { include: none, exclude: { ...none, ifName: ['Null*'], adminDown: true } };
    const a = setup({ deviceFilter: byName });
    await a.poll(PORTS, 0);
    const b = setup({ deviceFilter: EXCLUDE });
    await b.poll(PORTS, 0);
    const ifTableWalk = (cols: string[][]) => cols.find((c) => c[0].startsWith(`${IF}.`))!;
    expect(ifTableWalk(a.snmp.columns)).not.toContain(`${IF}.3`);
    expect(ifTableWalk(b.snmp.columns)).toContain(`${IF}.3`);
    // same number of walks either way: the column rides along with the others
    expect(b.snmp.columns).toHaveLength(a.snmp.columns.length);
    expect(b.snmp.requests.length).toBe(a.snmp.requests.length);
  });

  it('evaluates the labels of every poll: a renamed interface is dropped, its counter baseline freed', async () => {
    const { poll } = setup({ deviceFilter: EXCLUDE });
    const up = (name: string, alias: string, octets: bigint): Port[] => [{ index: 7, name, type: 6, admin: 1, alias, octets }];
    await poll(up('Gi1/0/9', 'server', 1_000n), 0);
    const second = await poll(up('Gi1/0/9', 'server', 2_000n), 10_000);
    expect(second.byName.get('Gi1/0/9')!.fields.in_bps).toBe(800);
    // renamed to match: dropped from then on
    const third = await poll(up('Null9', 'server', 3_000n), 20_000);
    expect(third.names).toEqual([]);
    expect(third.r.interfacesFiltered).toBe(1);
    // described UNUSED: still dropped
    expect((await poll(up('Gi1/0/9', 'UNUSED', 3_500n), 25_000)).names).toEqual([]);
    // back in use: no rate on the first poll, the old baseline is gone (not a 20 s delta)
    const fourth = await poll(up('Gi1/0/9', 'server', 4_000n), 30_000);
    expect(fourth.byName.get('Gi1/0/9')!.fields.in_bps).toBeUndefined();
    const fifth = await poll(up('Gi1/0/9', 'server', 5_000n), 40_000);
    expect(fifth.byName.get('Gi1/0/9')!.fields.in_bps).toBe(800);
  });

  it('reports a filter it cannot compile as a poll error naming the device, other profiles still run', async () => {
    const bad: InterfaceFilter = { include: none, exclude: { ...none, ifName: ['/(a+)+/'], adminDown: false } };
    const { r, names } = await setup({ deviceFilter: bad }).poll(PORTS, 0);
    expect(names).toEqual([]);
    expect(r.state).toBe('up');
    expect(r.errors).toEqual([expect.stringMatching(/^poller: device sw: interface filter: pattern "\/\(a\+\)\+\/" can backtrack exponentially/)]);
    expect(r.samples.some((s) => s.measurement === 'snmp_system')).toBe(true);
  });
});
