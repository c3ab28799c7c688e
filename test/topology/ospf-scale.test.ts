/**
 * OSPF adjacencies cost a bounded amount of work per neighbour, counted, not timed: reads of the
 * reports and of their ifTable and address lists, link end keys computed, subnet tests, and reads
 * of the far ends of links (an earlier version scanned every link, report, interface and address
 * per neighbour).
 */
import { describe, expect, it, vi } from 'vitest';
import { emptyReport, type DeviceReport } from '../../src/topology/report.ts';

const calls = vi.hoisted(() => ({ endKey: 0, subnet: 0, farNode: 0, reads: 0 }));
vi.mock('../../src/topology/link-id.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/topology/link-id.ts')>();
  return { ...real, endKey: (e: Parameters<typeof real.endKey>[0]) => { calls.endKey++; return real.endKey(e); } };
});
vi.mock('../../src/topology/normalize.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/topology/normalize.ts')>();
  return {
    ...real,
    ipv4ToInt: (ip: string) => { calls.subnet++; return real.ipv4ToInt(ip); },
  };
});
// the far ends RemotePorts names count reads of their node (a scan of the links reads them all)
vi.mock('../../src/topology/remote-port.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/topology/remote-port.ts')>();
  class CountingRemotePorts extends real.RemotePorts {
    override resolve(...args: Parameters<InstanceType<typeof real.RemotePorts>['resolve']>) {
      return new Proxy(super.resolve(...args), { get: (t, k, r) => { if (k === 'node') calls.farNode++; return Reflect.get(t, k, r); } });
    }
  }
  return { ...real, RemotePorts: CountingRemotePorts };
});
const { buildGraph } = await import('../../src/topology/graph.ts');

/** an array whose element reads are counted */
function counted<T>(list: T[]): T[] {
  return new Proxy(list, { get: (t, k, r) => { if (typeof k === 'string' && /^\d+$/.test(k)) calls.reads++; return Reflect.get(t, k, r); } });
}

const octets = (i: number) => `${i >> 8}.${i & 255}`;

/**
 * A hub router with one port per spoke: LLDP to each spoke (the spokes do not speak LLDP), OSPF
 * both ways, one more OSPF neighbour per port that is not managed, and each spoke adjacent to the
 * next by router ID only. Spoke 0 does not answer: its port's unmanaged neighbour joins its link.
 */
function hubAndSpokes(n: number): DeviceReport[] {
  const hub = emptyReport('hub', '127.0.0.1');
  hub.ospfRouterId = '1.1.1.1';
  const spokes: DeviceReport[] = [];
  for (let i = 0; i < n; i++) {
    const s = emptyReport(`s${i}`, `127.1.${octets(i)}`);
    if (i === 0) s.unreachable = 'timeout';
    else {
      s.sysName = s.device;
      s.chassisIdSubtype = 4;
      s.chassisId = `02:00:00:${octets(i).split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join(':')}:00`;
      s.ospfRouterId = `2.0.${octets(i)}`;
      s.interfaces = [{ ifIndex: 1, name: 'Gi0/1' }];
      s.addresses = [{ ip: `10.${octets(i)}.2`, ifIndex: 1, prefixLength: 24 }];
      s.ospf.push({ ip: `10.${octets(i)}.1`, routerId: '1.1.1.1', state: 8 });
      if (i + 1 < n) s.ospf.push({ ip: '192.0.2.1', routerId: `2.0.${octets(i + 1)}`, state: 8 });
    }
    hub.interfaces.push({ ifIndex: i + 1, name: `Gi0/${i + 1}` });
    hub.addresses.push({ ip: `10.${octets(i)}.1`, ifIndex: i + 1, prefixLength: 24 });
    hub.lldp.push({ localPortNum: i + 1, localIfIndex: i + 1, localPort: `Gi0/${i + 1}`, chassisIdSubtype: 7, chassisId: `s${i}`, portIdSubtype: 5, portId: 'Gi0/1', sysName: `s${i}`, managementAddresses: [] });
    hub.ospf.push({ ip: `10.${octets(i)}.2`, routerId: `2.0.${octets(i)}`, state: 8 }, { ip: `10.${octets(i)}.3`, routerId: `3.0.${octets(i)}`, state: 8 });
    spokes.push(s);
  }
  for (const r of [hub, ...spokes]) {
    r.interfaces = counted(r.interfaces);
    r.addresses = counted(r.addresses);
  }
  return counted([hub, ...spokes]);
}

describe('OSPF adjacencies at scale', () => {
  it.each([250, 1000])('a hub with %i spokes costs a bounded amount of work per neighbour', (n) => {
    const reports = hubAndSpokes(n);
    for (const k of Object.keys(calls) as (keyof typeof calls)[]) calls[k] = 0;
    const g = buildGraph(reports, 1);

    const link = (x: string, y: string) => g.links.filter((l) => [l.a.node, l.b.node].sort().join() === [x, y].sort().join());
    expect(link('hub', 's0')).toMatchObject([{ sources: ['lldp', 'ospf'], reportedBy: ['hub'] }]);
    expect(link('hub', 's1')).toMatchObject([{ a: { node: 'hub', port: 'Gi0/2' }, b: { node: 's1', port: 'Gi0/1' }, sources: ['lldp', 'ospf'], reportedBy: ['hub', 's1'] }]);
    expect(link('s1', 's2')).toMatchObject([{ sources: ['ospf'], reportedBy: ['s1'] }]);
    expect(link('hub', 'ospf:3.0.0.1')).toMatchObject([{ a: { node: 'hub', port: 'Gi0/2' }, sources: ['ospf'] }]);
    expect(g.nodes.filter((x) => x.id.startsWith('ospf:'))).toHaveLength(n - 1);
    // per spoke: LLDP link, unmanaged OSPF neighbour, next spoke; spoke 0 has only its LLDP link
    expect(g.links).toHaveLength(3 * n - 3);

    const neighbours = 4 * n;
    expect(calls.reads).toBeLessThan(30 * neighbours);
    expect(calls.endKey).toBeLessThan(30 * neighbours);
    expect(calls.subnet).toBeLessThan(30 * neighbours);
    expect(calls.farNode).toBeLessThan(30 * neighbours);
  });
});
