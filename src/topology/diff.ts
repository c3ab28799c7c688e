import type { LinkSource, TopoLink, TopologyGraph } from './graph.ts';
import { linkId, renamedEnd, renamedNodes } from './link-id.ts';

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
  link: TopoLink;
}

function event(type: LinkEvent['type'], l: TopoLink, ends: string, managed: Set<string>, time: number): LinkEvent {
  const [near, far] = managed.has(l.a.node) || !managed.has(l.b.node) ? [l.a, l.b] : [l.b, l.a];
  return {
    type, device: near.node, port: near.port, remoteDevice: far.node, remotePort: far.port,
    sources: [...l.sources], inferred: l.inferred, linkId: ends, time, link: l,
  };
}

/**
 * Links that appeared or disappeared. A link is not reported down when every device that
 * reported it is unreachable now: its state is unknown, not down. A link is the same when it
 * keeps its id (buildGraph carries it while the link is continued, previous-links.ts) or its
 * ends (ids recomputed from them, so a graph saved under an older port-name rule raises no events).
 */
export function diffLinks(before: TopologyGraph | undefined, after: TopologyGraph): LinkEvent[] {
  if (!before) return [];
  const managed = new Set([...before.nodes, ...after.nodes].filter((n) => n.managed).map((n) => n.id));
  const unreachable = new Set(after.anomalies.filter((a) => a.kind === 'unreachable' && a.device).map((a) => a.device!));
  const afterIds = new Set(after.nodes.map((n) => n.id));
  const renames = renamedNodes(before.nodes, (id) => afterIds.has(id));
  const old = new Map(before.links.map((l) => [linkId(renamedEnd(l.a, renames), renamedEnd(l.b, renames)), l]));
  const now = new Map(after.links.map((l) => [linkId(l.a, l.b), l]));
  const oldIds = new Set(before.links.map((l) => l.id));
  const nowIds = new Set(after.links.map((l) => l.id));
  const events: LinkEvent[] = [];
  for (const [key, l] of now) if (!old.has(key) && !oldIds.has(l.id)) events.push(event('link-up', l, key, managed, after.generatedAt));
  for (const [key, l] of old) {
    if (now.has(key) || nowIds.has(l.id)) continue;
    const reporters = l.reportedBy.length ? l.reportedBy : [l.a.node, l.b.node].filter((n) => managed.has(n));
    if (reporters.length > 0 && reporters.every((d) => unreachable.has(d))) continue;
    events.push(event('link-down', l, key, managed, after.generatedAt));
  }
  return events;
}
