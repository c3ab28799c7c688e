import { diffLinks } from '../../src/topology/diff.ts';
import { buildGraph, type TopologyGraph } from '../../src/topology/graph.ts';
import { emptyReport, type DeviceReport } from '../../src/topology/report.ts';

export function mac(n: number, port = 0): string {
  return ['02', '00', '00', n.toString(16).padStart(2, '0'), '00', port.toString(16).padStart(2, '0')].join(':');
}

/** A managed switch with `ports` interfaces Gi0/1.. and MACs derived from its number. */
export function sw(n: number, ports = 4): DeviceReport {
  const r = emptyReport(`sw${n}`, `127.0.1.${n}`);
  r.sysName = `sw${n}.lab`;
  r.chassisIdSubtype = 4;
  r.chassisId = mac(n);
  r.interfaces = Array.from({ length: ports }, (_, i) => ({ ifIndex: i + 1, name: `Gi0/${i + 1}`, descr: `GigabitEthernet0/${i + 1}`, mac: mac(n, i + 1) }));
  return r;
}

/** LLDP: `a` sees `b` on local port pa, remote port pb. */
export function lldp(a: DeviceReport, pa: number, b: DeviceReport, pb: number, over: Partial<DeviceReport['lldp'][0]> = {}) {
  a.lldp.push({
    localPortNum: pa, localIfIndex: pa, localPort: `Gi0/${pa}`,
    chassisIdSubtype: 4, chassisId: b.chassisId!, portIdSubtype: 5, portId: `Gi0/${pb}`, sysName: b.sysName, managementAddresses: [b.address], ...over,
  });
}

/** OSPF, both FULL: sw1 Gi0/3 (10.9.0.1/30, router 1.1.1.1) - sw2 Gi0/4 (10.9.0.2/30, router 2.2.2.2). */
export function ospf(a: DeviceReport, b: DeviceReport) {
  a.addresses.push({ ip: '10.9.0.1', ifIndex: 3, prefixLength: 30 });
  b.addresses.push({ ip: '10.9.0.2', ifIndex: 4, prefixLength: 30 });
  a.ospf.push({ ip: '10.9.0.2', routerId: '2.2.2.2', state: 8 });
  b.ospf.push({ ip: '10.9.0.1', routerId: '1.1.1.1', state: 8 });
}

/**
 * sw1 (loopback 10.255.0.1, Loopback0 = ifIndex 8) and sw2 (10.255.0.2): unnumbered cables
 * `first` sw1 Gi0/1 - sw2 Gi0/4 and `second` sw1 Gi0/3 - sw2 Gi0/2 (crossed: pairing the ports in
 * order would be wrong), each with its adjacency when set; `lldp`: LLDP on the cables named (1, 2),
 * with or without their adjacency; `only`: the router that reports its OSPF rows (default both)
 */
export interface UnnumberedPair { first?: boolean; second?: boolean; lldp?: number[]; only?: 'sw1' | 'sw2' }
export function unnumberedPair(o: UnnumberedPair): [DeviceReport, DeviceReport] {
  const [a, b] = [sw(1, 8), sw(2, 8)];
  for (const [r, n] of [[a, 1], [b, 2]] as const) {
    r.interfaces[7] = { ...r.interfaces[7], name: 'Loopback0', descr: 'Loopback0' };
    r.ospfRouterId = `10.255.0.${n}`;
    r.addresses.push({ ip: `10.255.0.${n}`, ifIndex: 8, prefixLength: 32 });
  }
  ([[1, 4], [3, 2]] as const).forEach(([pa, pb], i) => {
    if (o.lldp?.includes(i + 1)) {
      lldp(a, pa, b, pb);
      lldp(b, pb, a, pa);
    }
    if (!(i === 0 ? o.first : o.second)) return;
    if (o.only !== 'sw2') a.ospf.push({ ip: '10.255.0.2', routerId: '10.255.0.2', state: 8, addressLessIndex: pa });
    if (o.only !== 'sw1') b.ospf.push({ ip: '10.255.0.1', routerId: '10.255.0.1', state: 8, addressLessIndex: pb });
  });
  return [a, b];
}

/** each link as `<id> = <node>:<port> - <node>:<port> <sources> by <reporters>`, a port left out empty */
export function linkView(g: TopologyGraph): string[] {
  return g.links.map((l) => `${l.id} = ${l.a.node}:${l.a.port ?? ''} - ${l.b.node}:${l.b.port ?? ''} ${l.sources.join('+')} by ${[...l.reportedBy].sort().join('+')}`);
}

/** the link events from one graph to the next as `<type> <linkId>`, in diffLinks' order */
export function linkEvents(before: TopologyGraph, after: TopologyGraph): string[] {
  return diffLinks(before, after).map((e) => `${e.type} ${e.linkId}`);
}

/**
 * One discovery per run of reports, each built on the last (at times 100, 200, 300, ...): the
 * last graph, and each step's link events as `<type> <linkId>` in diffLinks' order.
 */
export function buildRuns(runs: DeviceReport[][]): { graph: TopologyGraph; steps: string[][] } {
  let graph = buildGraph(runs[0], 100);
  const steps: string[][] = [];
  runs.slice(1).forEach((r, i) => {
    const next = buildGraph(r, 200 + 100 * i, graph);
    steps.push(linkEvents(graph, next));
    graph = next;
  });
  return { graph, steps };
}
