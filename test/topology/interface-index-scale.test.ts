/**
 * Naming ports on a hub costs a bounded number of ifTable reads per neighbour, counted, not timed:
 * the far port RemotePorts names and the local ports collectDevice maps through lldpLocPortTable
 * and lldpRemTable (earlier versions scanned the interface list per neighbour).
 */
import { describe, expect, it, vi } from 'vitest';
import type { InterfaceInfo } from '../../src/topology/report.ts';
import { fakeClient, octets, target } from './fake-client.ts';

const calls = vi.hoisted(() => ({ reads: 0 }));

/** an array whose element reads are counted */
function counted<T>(list: T[]): T[] {
  return new Proxy(list, { get: (t, k, r) => { if (typeof k === 'string' && /^\d+$/.test(k)) calls.reads++; return Reflect.get(t, k, r); } });
}

// every report collectDevice builds gets a counted interface list
vi.mock('../../src/topology/report.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/topology/report.ts')>();
  return {
    ...real,
    emptyReport: (...args: Parameters<typeof real.emptyReport>) => {
      const r = real.emptyReport(...args);
      r.interfaces = counted(r.interfaces);
      return r;
    },
  };
});
const { emptyReport } = await import('../../src/topology/report.ts');
const { RemotePorts } = await import('../../src/topology/remote-port.ts');
const { collectDevice } = await import('../../src/topology/collect.ts');
const { OID } = await import('../../src/topology/oids.ts');

const macOf = (i: number) => Buffer.from([2, 0, 0, 0, i >> 8, i & 255]);
const macText = (i: number) => [...macOf(i)].map((b) => b.toString(16).padStart(2, '0')).join(':');

describe('RemotePorts on a hub', () => {
  it.each([
    ['by name', (i: number) => ({ names: [`GigabitEthernet0/${i}`] })],
    ['by MAC', (i: number) => ({ names: ['unknown'], mac: macText(i) })],
  ])('names %s every far port of a hub at a bounded number of ifTable reads each', (_, hint) => {
    const n = 2000;
    const hub = emptyReport('hub', '127.0.0.1');
    const list: InterfaceInfo[] = [];
    for (let i = 1; i <= n; i++) list.push({ ifIndex: i, name: `Gi0/${i}`, descr: `GigabitEthernet0/${i}`, mac: macText(i) });
    hub.interfaces = counted(list);
    const ports = new RemotePorts();
    calls.reads = 0;
    for (let i = 1; i <= n; i++) {
      expect(ports.resolve(hub, { node: `s${i}`, port: 'eth0' }, hint(i))).toEqual({ node: 'hub', port: `Gi0/${i}`, ifIndex: i });
    }
    expect(calls.reads).toBeLessThan(5 * n);
  });
});

describe('collectDevice on a hub', () => {
  const rem = (col: string, p: number) => `${col}.0.${p}.1`;
  /** n interfaces, one LLDP neighbour on each; the local port table as `loc` says */
  function hubAgent(n: number, loc: 'ifName' | 'MAC' | 'local number' | 'none') {
    const vals: Record<string, Buffer | number> = { [OID.sysName]: octets('hub') };
    for (let p = 1; p <= n; p++) {
      vals[`${OID.ifName}.${p}`] = octets(`Gi0/${p}`);
      vals[`${OID.ifPhysAddress}.${p}`] = macOf(p);
      if (loc === 'ifName') Object.assign(vals, { [`${OID.lldpLocPortIdSubtype}.${p}`]: 5, [`${OID.lldpLocPortId}.${p}`]: octets(`Gi0/${p}`) });
      if (loc === 'MAC') Object.assign(vals, { [`${OID.lldpLocPortIdSubtype}.${p}`]: 3, [`${OID.lldpLocPortId}.${p}`]: macOf(p) });
      if (loc === 'local number') Object.assign(vals, { [`${OID.lldpLocPortIdSubtype}.${p}`]: 7, [`${OID.lldpLocPortId}.${p}`]: octets(String(p)), [`${OID.lldpLocPortDesc}.${p}`]: octets('x') });
      Object.assign(vals, {
        [rem(OID.lldpRemChassisIdSubtype, p)]: 4, [rem(OID.lldpRemChassisId, p)]: Buffer.from([10, 0, 0, 0, p >> 8, p & 255]),
        [rem(OID.lldpRemPortIdSubtype, p)]: 5, [rem(OID.lldpRemPortId, p)]: octets('eth0'), [rem(OID.lldpRemSysName, p)]: octets(`server${p}`),
      });
    }
    return fakeClient(vals);
  }

  it.each(['ifName', 'MAC', 'local number', 'none'] as const)('lldpLocPortTable ports by %s: a bounded number of ifTable reads per neighbour', async (loc) => {
    const n = 1000;
    const client = hubAgent(n, loc);
    calls.reads = 0;
    const r = await collectDevice(client, 'hub', target);
    expect(r.problems).toEqual([]);
    expect(r.interfaces).toHaveLength(n);
    expect(r.lldp).toHaveLength(n);
    for (const x of r.lldp) expect([x.localIfIndex, x.localPort]).toEqual([x.localPortNum, `Gi0/${x.localPortNum}`]);
    expect(calls.reads).toBeLessThan(5 * n);
  });
});
