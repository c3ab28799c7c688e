/**
 * OSPF adjacencies that went down keyed with a port left out (pure): untied unnumbered adjacencies
 * leave the far port unknown (`sw1#gi0/3|sw2#`, ospf-links.ts), and when one is back its far port
 * may be known (LLDP's link on its port), so its link's id is another. The near device's node
 * keeps each one (`ospfGone`) until an adjacency on that port to that router is back; diffLinks
 * then raises the link-up of the key it went down with.
 */
import type { Ends, LinkEnd, TopoLink, TopoNode } from './graph.ts';
import { endKey, linkId } from './link-id.ts';
import { compareStrings } from './order.ts';
import { readBy, reportersOf } from './reporters.ts';

/** an adjacency of the node keeping it: its port, the far router (node id) */
export interface GoneAdjacency { port: string; remote: string }

/** the link id it went down with */
export function goneLinkId(node: string, g: GoneAdjacency): string {
  return linkId({ node, port: g.port }, { node: g.remote });
}

const adjacencyKey = (near: LinkEnd, remote: string) => `${endKey(near)}\u0000${remote}`;

/** the link that carries an adjacency on `near` to the router `remote` this run, if one does, and that adjacency's far end */
export type AdjacencyIndex = (near: LinkEnd, remote: string) => { link: TopoLink; far: LinkEnd } | undefined;

/**
 * The adjacencies a graph's links carry, by near port and far router: the own ends of the links
 * OSPF reports (unless they carry adjacencies of other ends: ospfEnds) and those other ends.
 */
export function adjacencyLinks(links: Iterable<TopoLink>): AdjacencyIndex {
  let byKey: Map<string, { link: TopoLink; far: LinkEnd }> | undefined; // indexed on first use: most runs never ask
  const index = () => {
    const m = new Map<string, { link: TopoLink; far: LinkEnd }>();
    for (const link of links) {
      if (!readBy(link, 'ospf')) continue;
      for (const { a, b } of adjacencyEnds(link)) {
        for (const [near, far] of [[a, b], [b, a]]) if (near.port !== undefined && !m.has(adjacencyKey(near, far.node))) m.set(adjacencyKey(near, far.node), { link, far });
      }
    }
    return m;
  };
  return (near, remote) => (byKey ??= index()).get(adjacencyKey(near, remote));
}

/** the ends of the adjacencies a link carries: its ospfEnds seen this run (stale ones are unseen, ospf-unread.ts), else its own */
function adjacencyEnds(l: TopoLink): Ends[] {
  const carried = l.ospfEnds?.filter((e) => !e.stale) ?? [];
  return carried.length ? carried : [l];
}

/** an OSPF link between managed nodes with one port left out: its near end (the one with a port) and far router */
export function portLess(l: TopoLink, managed: (node: string) => boolean): { near: LinkEnd; remote: string } | undefined {
  const ends = [l.a, l.b].filter((e) => e.port === undefined);
  if (ends.length !== 1 || !managed(l.a.node) || !managed(l.b.node) || !reportersOf(l).some((r) => r.source === 'ospf')) return undefined;
  const near = ends[0] === l.a ? l.b : l.a;
  return { near, remote: ends[0].node };
}

/**
 * Sets each managed node's `ospfGone`: those it had, and the port-less OSPF links of its port that
 * went down this run (`dropped`), while the far router is a managed node and no adjacency on that
 * port to it is back (`back`: this run's adjacencyLinks).
 */
export function keepGoneAdjacencies(nodes: Map<string, TopoNode>, back: AdjacencyIndex, previous: TopoNode[], dropped: TopoLink[]) {
  const managed = (id: string) => !!nodes.get(id)?.managed;
  const gone = new Map<string, Map<string, GoneAdjacency>>(); // node -> link id -> adjacency
  const keep = (node: string, g: GoneAdjacency) => {
    if (!managed(node) || !managed(g.remote) || back({ node, port: g.port }, g.remote)) return;
    const own = gone.get(node) ?? new Map<string, GoneAdjacency>();
    gone.set(node, own.set(goneLinkId(node, g), { port: g.port, remote: g.remote }));
  };
  for (const n of previous) for (const g of n.ospfGone ?? []) keep(n.id, g);
  for (const l of dropped) {
    const p = portLess(l, managed);
    if (p) keep(p.near.node, { port: p.near.port!, remote: p.remote });
  }
  // last run's first, this run's after: past the bound, last run's go first (an agent renaming its ports every run)
  for (const [node, own] of gone) nodes.get(node)!.ospfGone = [...own].slice(-MAX_GONE_PER_NODE).sort(([x], [y]) => compareStrings(x, y)).map(([, g]) => g);
}

/** the most port-less adjacencies a node keeps waiting to come back (a router has fewer such ports) */
export const MAX_GONE_PER_NODE = 256;
