/**
 * OSPF adjacencies a last-run link carried (`ospfEnds`: joined to a link of other ends, OSPF over
 * a VLAN; or an OSPF link's own ends when a link of other ends continues its id) that no link has
 * or carries this run (pure). Unseen while one of its routers could not read OSPF (unreachable, a
 * table OSPF needs failed), its state is unknown, not down: it is kept, `stale`, on the link that
 * continues its carrier (as a link nobody could see is kept, graph.ts), so diffLinks raises its
 * link-down only in a run that reads both routers and sees it gone.
 */
import type { Ends, LinkEnd, OspfEnds, TopoLink } from './graph.ts';
import { linkId } from './link-id.ts';
import type { AdjacencyIndex } from './ospf-gone.ts';
import { readBy } from './reporters.ts';

/** an adjacency a last-run link carried, gone this run */
export interface VanishedAdjacency {
  /** the last-run link that carried it */
  carrier: TopoLink;
  /** its own ends */
  ends: Ends;
}

/**
 * Keeps the unread ones on their carrier's continuation (same id; a stale carrier is kept whole,
 * its ospfEnds with it; with no continuation, diffLinks skips those of an unreachable router) and
 * returns the ones gone as links of their own ends with the carrier's reporters
 * (keepGoneAdjacencies remembers a port-less one on its near node, ospf-gone.ts).
 * `back`: adjacencyLinks of `current`.
 */
export function keepUnreadAdjacencies(current: TopoLink[], previous: TopoLink[], back: AdjacencyIndex, unread: (device: string) => boolean): TopoLink[] {
  const byId = new Map(current.map((l) => [l.id, l]));
  const gone: TopoLink[] = [];
  for (const { carrier: p, ends: e } of vanishedAdjacencies(previous, current, back)) {
    if (!unread(e.a.node) && !unread(e.b.node)) {
      gone.push({ ...p, a: e.a, b: e.b, ospfEnds: undefined });
      continue;
    }
    const carrier = byId.get(p.id);
    const kept: OspfEnds = { a: { ...e.a }, b: { ...e.b }, stale: true };
    if (carrier) (carrier.ospfEnds ??= []).push(kept);
  }
  return gone;
}

/**
 * The adjacencies last run's links carried (carriedAdjacencies) that no link of `current` has or
 * carries (stale ospfEnds too) and that do not go on (goesOn), each once, with its first carrier.
 * `rename`: a last-run end under this run's node ids (diff.ts, link-id.ts renamedNodes).
 */
export function vanishedAdjacencies(previous: TopoLink[], current: TopoLink[], back: AdjacencyIndex, rename = (e: LinkEnd) => e): VanishedAdjacency[] {
  const seen = new Set<string>();
  for (const l of current) {
    seen.add(linkId(l.a, l.b));
    for (const e of l.ospfEnds ?? []) seen.add(linkId(e.a, e.b));
  }
  const ids = new Set(current.map((l) => l.id));
  const out: VanishedAdjacency[] = [];
  for (const carrier of previous) {
    for (const e of carriedAdjacencies(carrier, ids.has(carrier.id))) {
      const ends = { a: rename(e.a), b: rename(e.b) };
      const own = linkId(ends.a, ends.b);
      if (seen.has(own) || goesOn(ends, back)) continue;
      seen.add(own);
      out.push({ carrier, ends });
    }
  }
  return out;
}

/**
 * The adjacencies a last-run link carried that can be gone while its id goes on: its ospfEnds, or
 * the ends of an OSPF link a link of other ends continues this run (`continued`, previous-links.ts).
 */
function carriedAdjacencies(p: TopoLink, continued: boolean): Ends[] {
  if (p.ospfEnds) return p.ospfEnds;
  return continued && readBy(p, 'ospf') ? [p] : [];
}

/**
 * An adjacency on one of its ports to its far router goes on this run (ospf-gone.ts): the same
 * adjacency with a port now known or left out (`sw1#gi0/3|sw2#`, untied unnumbered rows), not gone.
 */
function goesOn(e: Ends, back: AdjacencyIndex): boolean {
  return (e.a.port !== undefined && !!back(e.a, e.b.node)) || (e.b.port !== undefined && !!back(e.b, e.a.node));
}
