/**
 * Two managed routers that are OSPF neighbours over two links (two subnets) have two links: one
 * per adjacency, each with its own id and events, whatever the order of the reports. A single
 * adjacency keeps the id it had; LLDP and OSPF over the same cable stay one link.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, type TopologyGraph } from '../../src/topology/graph.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import type { DeviceReport } from '../../src/topology/report.ts';
import { buildRuns, linkEvents, linkView, lldp, sw } from './fixtures.ts';

/**
 * sw1 - sw2 adjacencies: `first` over 127.1.0.0/30 (sw1 Gi0/3 - sw2 Gi0/4), `second` over
 * 127.1.0.4/30 (sw1 Gi0/5 - sw2 Gi0/6); `lldp`: LLDP on those cables (`svi`: on Gi0/1 - Gi0/1 and
 * Gi0/2 - Gi0/2 instead, OSPF running over VLAN interfaces); `noPrefix`: sw1 does not give its prefix lengths
 */
interface Run { first?: boolean; second?: boolean; lldp?: boolean; svi?: boolean; noPrefix?: boolean; reversed?: boolean }
function run(o: Run): DeviceReport[] {
  const [a, b] = [sw(1, 8), sw(2, 8)];
  a.ospfRouterId = '1.1.1.1';
  b.ospfRouterId = '2.2.2.2';
  const subnets: [number, number, number][] = [[0, 3, 4], [4, 5, 6]];
  subnets.forEach(([net, pa, pb], i) => {
    a.addresses.push({ ip: `127.1.0.${net + 1}`, ifIndex: pa, prefixLength: o.noPrefix ? undefined : 30 });
    b.addresses.push({ ip: `127.1.0.${net + 2}`, ifIndex: pb, prefixLength: 30 });
    if (!(i === 0 ? o.first : o.second)) return;
    a.ospf.push({ ip: `127.1.0.${net + 2}`, routerId: '2.2.2.2', state: 8 });
    b.ospf.push({ ip: `127.1.0.${net + 1}`, routerId: '1.1.1.1', state: 8 });
    if (o.lldp) {
      const [la, lb] = o.svi ? [i + 1, i + 1] : [pa, pb];
      lldp(a, la, b, lb);
      lldp(b, lb, a, la);
    }
  });
  if (o.reversed) {
    for (const r of [a, b]) { r.ospf.reverse(); r.lldp.reverse(); r.addresses.reverse(); }
    return [b, a];
  }
  return [a, b];
}

const FIRST = 'sw1#gi0/3|sw2#gi0/4';
const SECOND = 'sw1#gi0/5|sw2#gi0/6';
const events = (x: TopologyGraph, y: TopologyGraph) => linkEvents(x, y).sort();

describe('OSPF adjacencies of one router pair in one discovery', () => {
  const both = { first: true, second: true };
  it.each<[string, Run, string[]]>([
    ['one adjacency: one link, the id it always had', { first: true }, [`${FIRST} = sw1:Gi0/3 - sw2:Gi0/4 ospf by sw1+sw2`]],
    ['two adjacencies on two subnets: two links', both,
      [`${FIRST} = sw1:Gi0/3 - sw2:Gi0/4 ospf by sw1+sw2`, `${SECOND} = sw1:Gi0/5 - sw2:Gi0/6 ospf by sw1+sw2`]],
    ['the same, reports and rows in reverse order', { ...both, reversed: true },
      [`${FIRST} = sw1:Gi0/3 - sw2:Gi0/4 ospf by sw1+sw2`, `${SECOND} = sw1:Gi0/5 - sw2:Gi0/6 ospf by sw1+sw2`]],
    ['LLDP on the same cables: still two links, each LLDP and OSPF', { ...both, lldp: true },
      [`${FIRST} = sw1:Gi0/3 - sw2:Gi0/4 lldp+ospf by sw1+sw2`, `${SECOND} = sw1:Gi0/5 - sw2:Gi0/6 lldp+ospf by sw1+sw2`]],
    ['LLDP on the cables, OSPF over VLAN interfaces: each adjacency joins one LLDP link', { ...both, lldp: true, svi: true },
      ['sw1#gi0/1|sw2#gi0/1 = sw1:Gi0/1 - sw2:Gi0/1 lldp+ospf by sw1+sw2', 'sw1#gi0/2|sw2#gi0/2 = sw1:Gi0/2 - sw2:Gi0/2 lldp+ospf by sw1+sw2']],
    ['the same in reverse order', { ...both, lldp: true, svi: true, reversed: true },
      ['sw1#gi0/1|sw2#gi0/1 = sw1:Gi0/1 - sw2:Gi0/1 lldp+ospf by sw1+sw2', 'sw1#gi0/2|sw2#gi0/2 = sw1:Gi0/2 - sw2:Gi0/2 lldp+ospf by sw1+sw2']],
    ['sw1 gives no prefix lengths: the far router names both ports', { ...both, noPrefix: true },
      [`${FIRST} = sw1:Gi0/3 - sw2:Gi0/4 ospf by sw1+sw2`, `${SECOND} = sw1:Gi0/5 - sw2:Gi0/6 ospf by sw1+sw2`]],
  ])('%s', (_, r, want) => {
    expect(linkView(buildGraph(run(r), 100))).toEqual(want);
  });
});

describe('parallel adjacencies across discoveries', () => {
  const both = { first: true, second: true };
  it.each<[string, Run[], string[]]>([
    ['the second adjacency goes down: its link only', [both, { first: true }], [`link-down ${SECOND}`]],
    ['the first goes down: its link only', [both, { second: true }], [`link-down ${FIRST}`]],
    ['the second comes up', [{ first: true }, both], [`link-up ${SECOND}`]],
    ['down and back: the same linkId both times', [both, { first: true }, both], [`link-down ${SECOND}`, `link-up ${SECOND}`]],
    ['LLDP comes on over both cables: no events', [both, { ...both, lldp: true }], []],
    ['LLDP goes off on both cables: no events', [{ ...both, lldp: true }, both], []],
    ['order of the reports changes between runs: no events', [both, { ...both, reversed: true }, both], []],
  ])('%s', (_, runs, want) => {
    const { steps } = buildRuns(runs.map(run));
    expect(steps.flatMap((s) => [...s].sort())).toEqual(want);
  });

  it('a down alert names the adjacency that went: its own ports', () => {
    const g1 = buildGraph(run({ first: true, second: true }), 100);
    const down = diffLinks(g1, buildGraph(run({ first: true }), 200));
    expect(down.map((e) => [e.type, e.device, e.port, e.remoteDevice, e.remotePort])).toEqual([['link-down', 'sw1', 'Gi0/5', 'sw2', 'Gi0/6']]);
  });

  it('a single adjacency saved with the far port only (the earlier rule, sw1 without prefix lengths) keeps its id, no events', () => {
    const now = buildGraph(run({ first: true, noPrefix: true }), 100);
    const earlier = { ...now, links: now.links.map((l) => ({ ...l, id: 'sw1#|sw2#gi0/4', a: { node: 'sw1' }, b: { node: 'sw2', port: 'Gi0/4', ifIndex: 4 } })) };
    const next = buildGraph(run({ first: true, noPrefix: true }), 200, earlier);
    expect(next.links.map((l) => `${l.id} = ${l.a.port} - ${l.b.port}`)).toEqual(['sw1#|sw2#gi0/4 = Gi0/3 - Gi0/4']);
    expect(events(earlier, next)).toEqual([]);
  });
});
