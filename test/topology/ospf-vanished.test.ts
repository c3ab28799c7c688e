/**
 * vanishedAdjacencies (ospf-unread.ts), the one walk buildGraph (kept stale or gone) and diffLinks
 * (link-down under its own ends) share: the adjacencies last run's links carried that no link of
 * this run has or carries and that do not go on on one of their ports to their far router.
 */
import { describe, expect, it } from 'vitest';
import type { Ends, LinkEnd, TopoLink } from '../../src/topology/graph.ts';
import { linkId } from '../../src/topology/link-id.ts';
import { adjacencyLinks } from '../../src/topology/ospf-gone.ts';
import { vanishedAdjacencies } from '../../src/topology/ospf-unread.ts';

const end = (s: string): LinkEnd => {
  const [node, port] = s.split(':');
  return port ? { node, port } : { node };
};
/** `sw1:Gi0/1-sw2:Gi0/2`, reported by OSPF (and LLDP), carrying `carries` */
function link(ends: string, carries: string[] = [], o: { ospf?: boolean; staleEnds?: boolean } = {}): TopoLink {
  const [a, b] = ends.split('-').map(end);
  const sources = o.ospf === false ? ['lldp' as const] : ['lldp' as const, 'ospf' as const];
  return {
    id: linkId(a, b), a, b, sources, inferred: false, reportedBy: ['sw1', 'sw2'], firstSeen: 1, lastSeen: 1,
    reporters: sources.map((source) => ({ source, device: 'sw1', lastSeen: 1 })),
    ...(carries.length ? { ospfEnds: carries.map((c) => ({ ...own(c), ...(o.staleEnds ? { stale: true } : {}) })) } : {}),
  };
}
const own = (ends: string): Ends => {
  const [a, b] = ends.split('-').map(end);
  return { a, b };
};

const LLDP = 'sw1:Gi0/1-sw2:Gi0/2', VLAN = 'sw1:Gi0/3-sw2:Gi0/4';

describe('vanishedAdjacencies', () => {
  it.each<[string, TopoLink[], TopoLink[], string[]]>([
    ['carried, unseen now while its carrier stays: vanished', [link(LLDP, [VLAN])], [link(LLDP, [], { ospf: false })], [linkId(end('sw1:Gi0/3'), end('sw2:Gi0/4'))]],
    ['carried, its carrier gone too: vanished', [link(LLDP, [VLAN])], [], [linkId(end('sw1:Gi0/3'), end('sw2:Gi0/4'))]],
    ['a link of its own ends now: not', [link(LLDP, [VLAN])], [link(LLDP, [], { ospf: false }), link(VLAN)], []],
    ['carried by a link now, kept stale: not', [link(LLDP, [VLAN])], [link(LLDP, [VLAN], { staleEnds: true })], []],
    ['an adjacency on one of its ports to its far router now (far port left out): goes on, not', [link(LLDP, [VLAN])],
      [link(LLDP, [], { ospf: false }), link('sw1:Gi0/3-sw2')], []],
    ['two carriers of the same ends: once', [link(LLDP, [VLAN]), link('sw1:Gi0/5-sw2:Gi0/6', [VLAN])], [], [linkId(end('sw1:Gi0/3'), end('sw2:Gi0/4'))]],
    ['an OSPF link whose id a link of other ends goes on with: its own ends vanished', [link(VLAN)],
      [{ ...link(LLDP, [], { ospf: false }), id: linkId(end('sw1:Gi0/3'), end('sw2:Gi0/4')) }], [linkId(end('sw1:Gi0/3'), end('sw2:Gi0/4'))]],
    ['an OSPF link gone with its id: not carried, not here (its own link-down)', [link(VLAN)], [], []],
  ])('%s', (_, previous, current, want) => {
    expect(vanishedAdjacencies(previous, current, adjacencyLinks(current)).map((v) => linkId(v.ends.a, v.ends.b))).toEqual(want);
  });

  it('names each with its last-run carrier and the ends renamed', () => {
    const previous = [link(LLDP, ['sw1:Gi0/3-old:Gi0/4'])];
    const [v] = vanishedAdjacencies(previous, [], adjacencyLinks([]), (e) => (e.node === 'old' ? { ...e, node: 'sw2' } : e));
    expect(v.carrier).toBe(previous[0]);
    expect(v.ends).toEqual(own(VLAN));
  });
});
