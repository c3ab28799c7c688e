/**
 * OSPF adjacencies a last-run link carried (`ospfEnds`: joined to a link of other ends, OSPF over
 * a VLAN; or an OSPF link's own ends when a link of other ends continues its id) that no link has
 * or carries this run (pure). Unseen while one of its routers could not read OSPF (unreachable, a
 * table OSPF needs failed), its state is unknown, not down: it is kept, `stale`, on the link that
 * continues its carrier (as a link nobody could see is kept, graph.ts), so diffLinks raises its
 * link-down only in a run that reads both routers and sees it gone.
 */
import type { Ends, OspfEnds, TopoLink } from './graph.ts';
import { linkId } from './link-id.ts';
import { adjacencyLinks } from './ospf-gone.ts';
import { reportersOf } from './reporters.ts';

/**
 * Keeps the unread ones on their carrier's continuation (same id; a stale carrier is kept whole,
 * its ospfEnds with it; with no continuation, diffLinks skips those of an unreachable router) and
 * returns the ones gone as links of their own ends with the carrier's reporters
 * (keepGoneAdjacencies remembers a port-less one on its near node, ospf-gone.ts).
 */
export function keepUnreadAdjacencies(links: Iterable<TopoLink>, previous: TopoLink[], unread: (device: string) => boolean): TopoLink[] {
  const current = [...links];
  const seen = new Set<string>();
  for (const l of current) {
    seen.add(linkId(l.a, l.b));
    for (const e of l.ospfEnds ?? []) seen.add(linkId(e.a, e.b));
  }
  const byId = new Map(current.map((l) => [l.id, l]));
  const back = adjacencyLinks(current);
  const gone: TopoLink[] = [];
  for (const p of previous) {
    for (const e of carriedAdjacencies(p, byId.has(p.id))) {
      const own = linkId(e.a, e.b);
      if (seen.has(own) || goesOn(e, back)) continue;
      seen.add(own);
      if (!unread(e.a.node) && !unread(e.b.node)) {
        gone.push({ ...p, a: e.a, b: e.b, ospfEnds: undefined });
        continue;
      }
      const carrier = byId.get(p.id);
      const kept: OspfEnds = { a: { ...e.a }, b: { ...e.b }, stale: true };
      if (carrier) (carrier.ospfEnds ??= []).push(kept);
    }
  }
  return gone;
}

/**
 * The adjacencies a last-run link carried that can be gone while its id goes on: its ospfEnds, or
 * the ends of an OSPF link a link of other ends continues this run (`continued`, previous-links.ts).
 */
export function carriedAdjacencies(p: TopoLink, continued: boolean): Ends[] {
  if (p.ospfEnds) return p.ospfEnds;
  return continued && !p.stale && reportersOf(p).some((r) => r.source === 'ospf' && !r.stale) ? [p] : [];
}

/**
 * An adjacency on one of its ports to its far router goes on this run (ospf-gone.ts): the same
 * adjacency with a port now known or left out (`sw1#gi0/3|sw2#`, untied unnumbered rows), not gone.
 */
export function goesOn(e: Ends, back: ReturnType<typeof adjacencyLinks>): boolean {
  return (e.a.port !== undefined && !!back(e.a, e.b.node)) || (e.b.port !== undefined && !!back(e.b, e.a.node));
}
