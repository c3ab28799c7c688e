/**
 * Which link of this run continues each link of the last run (pure), so that it keeps its id.
 * - By its ends: the last run's ends (renamed nodes, canonical ports) give this run's link id.
 * - Through OSPF: an adjacency joins whatever link its router pair has, so a last-run link no
 *   link of this run has the ends of is continued by a new link between the same pair that a
 *   router reporting it by OSPF reports by OSPF again: LLDP dropping out (OSPF's own ends now)
 *   or coming in (LLDP's ends on an OSPF-only link) keeps the link. LLDP, CDP and forwarding
 *   tables name both ports: other ends from them alone are another link.
 * Several last-run links can land on one (ports once compared by their raw names): they are
 * grouped, so none of their reporters is lost. A last-run link nothing continues is grouped under
 * its own ends, to be kept (stale) or dropped.
 */
import type { TopoLink } from './graph.ts';
import { linkId } from './link-id.ts';
import { reportersOf } from './reporters.ts';

/** this run's link id (ends) -> the last run's links it continues */
export function continuations(current: Map<string, TopoLink>, previous: TopoLink[]): Map<string, TopoLink[]> {
  const groups = new Map<string, TopoLink[]>();
  const unmatched: { p: TopoLink; key: string }[] = [];
  for (const p of previous) {
    const key = linkId(p.a, p.b);
    if (current.has(key)) push(groups, key, p);
    else unmatched.push({ p, key });
  }
  const fresh = new Map<string, string[]>(); // node pair -> ids of links no last-run link has the ends of
  for (const [key, l] of current) if (!groups.has(key)) push(fresh, pairOf(l), key);
  for (const { p, key } of unmatched) {
    const routers = new Set(reportersOf(p).filter((r) => r.source === 'ospf').map((r) => r.device));
    const next = routers.size === 0 ? undefined : fresh.get(pairOf(p))?.find((k) =>
      current.get(k)!.reporters?.some((r) => r.source === 'ospf' && !r.stale && routers.has(r.device)));
    push(groups, next ?? key, p);
  }
  return groups;
}

/** The one a group's link keeps the id of: the first seen (then the least id). */
export function eldest(links: TopoLink[]): TopoLink {
  return links.reduce((x, y) => (y.firstSeen < x.firstSeen || (y.firstSeen === x.firstSeen && y.id < x.id) ? y : x));
}

function pairOf(l: TopoLink): string {
  return l.a.node <= l.b.node ? `${l.a.node}\u0000${l.b.node}` : `${l.b.node}\u0000${l.a.node}`;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
