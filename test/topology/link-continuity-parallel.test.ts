/**
 * Faults of link continuity (previous-links.ts): a moved cable OSPF also runs over is a new link;
 * parallel links of one router pair are continued one to one, whatever the order of the reports;
 * a link-down and the link-up of the same link coming back carry one linkId (alerts pair on it).
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, type LinkSource, type TopoLink, type TopologyGraph } from '../../src/topology/graph.ts';
import { linkId } from '../../src/topology/link-id.ts';
import { continuations } from '../../src/topology/previous-links.ts';
import type { DeviceReport } from '../../src/topology/report.ts';
import { linkEvents, lldp, ospf, sw } from './fixtures.ts';

const events = (x: TopologyGraph, y: TopologyGraph) => linkEvents(x, y).sort();
const ends = (l: TopoLink) => `${l.a.node}:${l.a.port ?? ''} - ${l.b.node}:${l.b.port ?? ''}`;

/** sw1 - sw2: LLDP on each `[sw1 port, sw2 port]` of `lldpPorts` (both ways); OSPF over Gi0/3 - Gi0/4 */
function run(o: { lldpPorts?: [number, number][]; ospf?: boolean; reversed?: boolean }): DeviceReport[] {
  const [a, b] = [sw(1, 8), sw(2, 8)];
  for (const [pa, pb] of o.lldpPorts ?? []) { lldp(a, pa, b, pb); lldp(b, pb, a, pa); }
  if (o.ospf) {
    ospf(a, b);
  }
  if (o.reversed) { b.lldp.reverse(); return [b, a]; }
  return [a, b];
}

describe('a cable moved to other ports, both pinned by LLDP, is another link though OSPF runs over it', () => {
  it('raises link-down and link-up, the new link has its own id', () => {
    const g1 = buildGraph(run({ lldpPorts: [[1, 2]], ospf: true }), 100);
    const g2 = buildGraph(run({ lldpPorts: [[5, 6]], ospf: true }), 200, g1);
    expect(g2.links.map((l) => [l.id, ends(l)])).toEqual([['sw1#gi0/5|sw2#gi0/6', 'sw1:Gi0/5 - sw2:Gi0/6']]);
    expect(events(g1, g2)).toEqual(['link-down sw1#gi0/1|sw2#gi0/2', 'link-up sw1#gi0/5|sw2#gi0/6']);
  });
});

describe('parallel links of one pair (LAG members) with OSPF', () => {
  const lag: [number, number][] = [[1, 2], [2, 1]];
  it.each([false, true])('the id OSPF carries goes to the same member whatever the order of the reports (reversed: %s)', (reversed) => {
    const g1 = buildGraph(run({ ospf: true }), 100);
    const g2 = buildGraph(run({ lldpPorts: lag, ospf: true, reversed }), 200, g1);
    // OSPF joins the member with the least ends (sw1 Gi0/1), which takes over the OSPF link's id
    expect(g2.links.map((l) => [l.id, ends(l), l.sources.join('+')])).toEqual([
      ['sw1#gi0/2|sw2#gi0/1', 'sw1:Gi0/2 - sw2:Gi0/1', 'lldp'],
      ['sw1#gi0/3|sw2#gi0/4', 'sw1:Gi0/1 - sw2:Gi0/2', 'lldp+ospf'],
    ]);
  });
});

/** `sw1:Gi0/1-sw2:Gi0/2 ospf/sw1`; `ospf:9.9.9.9:` has no port */
function link(s: string, firstSeen = 1): TopoLink {
  const [e, reps] = s.split(' ');
  const [a, b] = e.split('-').map((x) => { const i = x.lastIndexOf(':'); const node = x.slice(0, i), port = x.slice(i + 1); return port ? { node, port } : { node }; });
  const reporters = reps.split(',').map((x) => { const [source, device] = x.split('/'); return { source: source as LinkSource, device, lastSeen: 1 }; });
  return { id: linkId(a, b), a, b, sources: [...new Set(reporters.map((r) => r.source))], inferred: false, reportedBy: [...new Set(reporters.map((r) => r.device))], reporters, firstSeen, lastSeen: 1 };
}

describe('continuations through OSPF are one to one', () => {
  // two OSPF adjacencies of sw1 to an unmanaged router, on two subnets, both moved to other interfaces
  const previous = ['sw1:Gi0/3-ospf:9.9.9.9: ospf/sw1', 'sw1:Gi0/4-ospf:9.9.9.9: ospf/sw1'].map((s) => link(s));
  const current = ['sw1:Gi0/7-ospf:9.9.9.9: ospf/sw1', 'sw1:Gi0/8-ospf:9.9.9.9: ospf/sw1'].map((s) => link(s));
  it.each([false, true])('each last-run link to its own link, the same whatever the order (reversed: %s)', (reversed) => {
    const cur = new Map((reversed ? [...current].reverse() : current).map((l) => [l.id, l]));
    const groups = continuations(cur, reversed ? [...previous].reverse() : previous);
    expect([...groups].map(([key, olds]) => `${olds.map((p) => p.id).join(',')} -> ${key}`).sort()).toEqual([
      'ospf:9.9.9.9#|sw1#gi0/3 -> ospf:9.9.9.9#|sw1#gi0/7',
      'ospf:9.9.9.9#|sw1#gi0/4 -> ospf:9.9.9.9#|sw1#gi0/8',
    ]);
  });
});

describe('a link-down and the link-up of the same link back again carry one linkId', () => {
  it('a link OSPF carried (LLDP id, OSPF ends) goes down and comes back by OSPF', () => {
    const g1 = buildGraph(run({ lldpPorts: [[1, 2]], ospf: true }), 100);
    const g2 = buildGraph(run({ ospf: true }), 200, g1); // LLDP off: the LLDP id on OSPF's ends
    const g3 = buildGraph(run({}), 300, g2); // adjacency down
    const g4 = buildGraph(run({ ospf: true }), 400, g3); // back
    const down = events(g2, g3), up = events(g3, g4);
    expect(down.length).toBe(1);
    expect(up.length).toBe(1);
    expect(up[0].replace('link-up ', '')).toBe(down[0].replace('link-down ', ''));
  });
});

describe('two OSPF adjacencies of one pair on two subnets', () => {
  /** sw1 - sw2 over 10.9.0.0/30 (Gi0/3 - Gi0/4) and 10.9.1.0/30 (Gi0/5 - Gi0/6) */
  function twoSubnets(reversed: boolean): DeviceReport[] {
    const [a, b] = [sw(1, 8), sw(2, 8)];
    a.addresses.push({ ip: '10.9.0.1', ifIndex: 3, prefixLength: 30 }, { ip: '10.9.1.1', ifIndex: 5, prefixLength: 30 });
    b.addresses.push({ ip: '10.9.0.2', ifIndex: 4, prefixLength: 30 }, { ip: '10.9.1.2', ifIndex: 6, prefixLength: 30 });
    a.ospf.push({ ip: '10.9.0.2', routerId: '2.2.2.2', state: 8 }, { ip: '10.9.1.2', routerId: '2.2.2.2', state: 8 });
    b.ospf.push({ ip: '10.9.0.1', routerId: '1.1.1.1', state: 8 }, { ip: '10.9.1.1', routerId: '1.1.1.1', state: 8 });
    if (reversed) { a.ospf.reverse(); b.ospf.reverse(); return [b, a]; }
    return [a, b];
  }
  it('give the same graph whatever the order of the reports and of their neighbours', () => {
    const show = (g: TopologyGraph) => g.links.map((l) => [l.id, ends(l), l.sources.join('+'), l.reportedBy.join('+')]);
    expect(show(buildGraph(twoSubnets(true), 100))).toEqual(show(buildGraph(twoSubnets(false), 100)));
  });
});

describe('a link OSPF carried while the LLDP tables failed', () => {
  it('is continued when LLDP answers again on its first ends: no events, one id', () => {
    const g1 = buildGraph(run({ lldpPorts: [[1, 2]], ospf: true }), 100);
    const r2 = run({ ospf: true });
    for (const r of r2) r.failedTables = ['lldpRemTable'];
    const g2 = buildGraph(r2, 200, g1); // OSPF's ends, the LLDP reporters kept as stale
    const g3 = buildGraph(run({ lldpPorts: [[1, 2]], ospf: true }), 300, g2);
    expect(g3.links.map((l) => [l.id, ends(l), l.firstSeen])).toEqual([['sw1#gi0/1|sw2#gi0/2', 'sw1:Gi0/1 - sw2:Gi0/2', 100]]);
    expect([...events(g1, g2), ...events(g2, g3)]).toEqual([]);
  });
});
