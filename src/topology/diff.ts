import type { Ends, LinkSource, TopoLink, TopologyGraph } from './graph.ts';
import { linkId, renamedEnd, renamedNodes } from './link-id.ts';
import { adjacencyLinks, goneLinkId, portLess } from './ospf-gone.ts';
import { vanishedAdjacencies } from './ospf-unread.ts';

/**
 * A link that appeared or disappeared between two discoveries, shaped for alert rules:
 * `device`/`port` is the managed end (the first one when both are), `remote*` the other end.
 */
export interface LinkEvent {
  type: 'link-up' | 'link-down';
  device: string;
  port?: string;
  remoteDevice: string;
  remotePort?: string;
  sources: LinkSource[];
  inferred: boolean;
  /**
   * The id of the link's ends (linkId), not the id the graph kept for it (`link.id`, which can be
   * older ends: previous-links.ts): a link that went down comes back as a new link with the id
   * of its ends, so its link-down and that link-up pair on this.
   */
  linkId: string;
  time: number;
  /** the link; for an OSPF adjacency up under its own ends (`ospfEnds`), the link it joined */
  link: TopoLink;
}

function event(type: LinkEvent['type'], l: TopoLink, ends: string, managed: Set<string>, time: number, at: Ends = l): LinkEvent {
  const [near, far] = managed.has(at.a.node) || !managed.has(at.b.node) ? [at.a, at.b] : [at.b, at.a];
  return {
    type, device: near.node, port: near.port, remoteDevice: far.node, remotePort: far.port,
    sources: at === l ? [...l.sources] : ['ospf'], inferred: at === l && l.inferred, linkId: ends, time, link: l,
  };
}

/**
 * Links that appeared or disappeared. A link is not reported down when every device that
 * reported it is unreachable now: its state is unknown, not down. A link is the same when it
 * keeps its id (buildGraph carries it while the link is continued, previous-links.ts) or its
 * ends (ids recomputed from them, so a graph saved under an older port-name rule raises no events).
 * An OSPF adjacency joined to a link of other ends (`ospfEnds`) is the link of its own ends alone:
 * it comes up under them when no link had or carried those ends last run, whichever link it joins
 * (one that carried another adjacency too), so a link-down of those ends (OSPF's link dropped)
 * clears when the adjacency is back beside LLDP; a new link of ends carried last run is not new.
 * When the link that had those ends goes down in the same run the adjacency joins another link,
 * nothing went down: that link-down is not raised. One last run's links carried (ospf-unread.ts) that
 * no link has or carries now goes down under its own ends, while its carrier may stay; not while an
 * adjacency on one of its ports to its far router goes on, nor when a router of it is gone or
 * unreachable (one that could not read OSPF keeps it, stale). An adjacency that went down keyed with a port
 * left out (its node's `ospfGone`, ospf-gone.ts) comes up under that key when an adjacency on that
 * port to that router is back, whatever its far port is now; gone in a run that has one, it did not go down.
 */
export function diffLinks(before: TopologyGraph | undefined, after: TopologyGraph): LinkEvent[] {
  if (!before) return [];
  const managed = new Set([...before.nodes, ...after.nodes].filter((n) => n.managed).map((n) => n.id));
  const unreachable = new Set(after.anomalies.filter((a) => a.kind === 'unreachable' && a.device).map((a) => a.device!));
  const afterIds = new Set(after.nodes.map((n) => n.id));
  const afterManaged = new Set(after.nodes.filter((n) => n.managed).map((n) => n.id));
  const renames = renamedNodes(before.nodes, (id) => afterIds.has(id));
  const renamedId = (e: Ends) => linkId(renamedEnd(e.a, renames), renamedEnd(e.b, renames));
  const old = new Map(before.links.map((l) => [renamedId(l), l]));
  const now = new Map(after.links.map((l) => [linkId(l.a, l.b), l]));
  const oldById = new Map(before.links.map((l) => [l.id, l]));
  const nowIds = new Set(after.links.map((l) => l.id));
  // the own ends of the adjacencies last run's links carried (ospfEnds): up under them already
  const carried = new Set(before.links.flatMap((l) => (l.ospfEnds ?? []).map(renamedId)));
  const events: LinkEvent[] = [];
  for (const [key, l] of now) if (!old.has(key) && !oldById.has(l.id) && !carried.has(key)) events.push(event('link-up', l, key, managed, after.generatedAt));
  const up = new Set(events.map((e) => e.linkId));
  const down = new Set<string>();
  for (const [key, l] of old) {
    if (now.has(key) || nowIds.has(l.id)) continue;
    const reporters = l.reportedBy.length ? l.reportedBy : [l.a.node, l.b.node].filter((n) => managed.has(n));
    if (reporters.length > 0 && reporters.every((d) => unreachable.has(d))) continue;
    events.push(event('link-down', l, key, managed, after.generatedAt));
    down.add(key);
  }
  const back = adjacencyLinks(after.links);
  // an adjacency last run's links carried that no link has or carries now: down under its own ends
  const routerHere = (n: string) => afterManaged.has(n) && !unreachable.has(n);
  for (const { carrier, ends } of vanishedAdjacencies(before.links, after.links, back, (e) => renamedEnd(e, renames))) {
    const own = linkId(ends.a, ends.b);
    if (down.has(own) || !routerHere(ends.a.node) || !routerHere(ends.b.node)) continue;
    events.push(event('link-down', carrier, own, managed, after.generatedAt, ends));
    down.add(own);
  }
  const cancelled = new Set<string>();
  for (const l of now.values()) {
    if (l.stale || !l.ospfEnds) continue;
    for (const ends of l.ospfEnds) {
      if (ends.stale) continue;
      const own = linkId(ends.a, ends.b);
      if (now.has(own) || up.has(own)) continue;
      up.add(own);
      // its link went down this run while the adjacency goes on, joined to another: nothing went down
      if (down.has(own)) cancelled.add(own);
      else if (!old.has(own) && !carried.has(own)) events.push(event('link-up', l, own, managed, after.generatedAt, ends));
    }
  }
  // a link of a port-less adjacency (ospf-gone.ts) gone while an adjacency on its port to its router goes on: nothing went down
  for (const key of down) {
    const l = old.get(key);
    const p = l && portLess(l, (n) => managed.has(n));
    if (p && back(p.near, p.remote)) cancelled.add(key);
  }
  // one that went down in an earlier run is back: up under the key it went down with
  for (const n of before.nodes) {
    for (const g of n.ospfGone ?? []) {
      const key = goneLinkId(n.id, g), near = { node: n.id, port: g.port };
      const link = back(near, g.remote)?.link;
      if (!link || up.has(key)) continue;
      up.add(key);
      events.push(event('link-up', link, key, managed, after.generatedAt, { a: near, b: { node: g.remote } }));
    }
  }
  return cancelled.size ? events.filter((e) => !(e.type === 'link-down' && cancelled.has(e.linkId))) : events;
}
