/**
 * Which link of this run continues each link of the last run (pure), so that it keeps its id.
 * - By its ends: the last run's ends (renamed nodes, canonical ports) give this run's link id.
 * - Through OSPF: an adjacency joins a link its router pair has (ospf-links.ts), so a last-run link no
 *   link of this run has the ends of is continued by a new link between the same pair that a
 *   router reporting it by OSPF reports by OSPF again: LLDP dropping out (OSPF's own ends now)
 *   or coming in (LLDP's ends on an OSPF-only link) keeps the link. LLDP, CDP and forwarding
 *   tables name both ports: when they reported the last-run link last run and report the new
 *   one, other ends are another link (a moved cable), OSPF or not.
 *   One new link continues one last-run link this way (parallel links of a pair stay apart):
 *   every last-run link that shares a port with one takes it first (the eldest first, the least
 *   id), then the others take their pair's first one left.
 * - By the same box: an unmanaged neighbour is `lldp:<chassis>` while LLDP reports it and
 *   `cdp:<host>` when only CDP does; a last-run link to one is continued by a new link of the same
 *   managed end (device and port) to the other when both name one box (same-box.ts) and, where
 *   both give the box's own port an interface name, the same port; one to one, the eldest first,
 *   then the least id. Another box on that port, or the box's cable on another of its ports, is
 *   another link.
 * Several last-run links can land on one by their ends (ports once compared by their raw names):
 * they are grouped, so none of their reporters is lost. A last-run link nothing continues is
 * grouped under its own ends, to be kept (stale) or dropped.
 */
import type { LinkEnd, TopoLink } from './graph.ts';
import { endKey, linkId, pairKey } from './link-id.ts';
import { compareStrings, pushTo } from './order.ts';
import { portsAgree } from './port-name.ts';
import { readBy, reportersOf } from './reporters.ts';

/** What the nodes of both runs tell (graph.ts): without it, no link is continued by the same box. */
export interface Neighbours {
  managed(node: string): boolean;
  /** the last run's unmanaged node `before` and this run's `now` are one box; never two nodes of one protocol (same id prefix) */
  sameBox(before: string, now: string): boolean;
}

/** this run's link id (ends) -> the last run's links it continues */
export function continuations(current: Map<string, TopoLink>, previous: TopoLink[], neighbours?: Neighbours): Map<string, TopoLink[]> {
  const groups = new Map<string, TopoLink[]>();
  const unmatched: { p: TopoLink; key: string }[] = [];
  for (const p of previous) {
    const key = linkId(p.a, p.b);
    if (current.has(key)) pushTo(groups, key, p);
    else unmatched.push({ p, key });
  }
  const continued = (key: string) => groups.has(key);
  const ospf = ospfSuccessors(current, continued);
  const sameBox = neighbours ? boxSuccessors(current, continued, neighbours) : () => undefined;
  unmatched.sort((x, y) => x.p.firstSeen - y.p.firstSeen || compareStrings(x.p.id, y.p.id));
  // every link that shares a port with a new OSPF link takes it before any takes its pair's first free one
  const rest: typeof unmatched = [];
  for (const u of unmatched) {
    const found = ospf.byPort(u.p);
    if (found !== undefined) pushTo(groups, found, u.p); else rest.push(u);
  }
  for (const { p, key } of rest) pushTo(groups, ospf.byPair(p) ?? sameBox(p) ?? key, p);
  return groups;
}

/**
 * The new links from a managed end to an unmanaged node, by that end and the far node's protocol
 * (in id order): a last-run link continues the first one on its managed end whose node is its own
 * far node's box on the same port of its own where both name that port (port-name.ts portsAgree),
 * unless something already continues that link (`continued` is asked at each choice). Only the
 * other protocols' links are looked at: neighbours replaced by others of their protocol on one
 * port (virtual machines moved off a host) are not compared with each other.
 */
function boxSuccessors(current: Map<string, TopoLink>, continued: (key: string) => boolean, n: Neighbours): (p: TopoLink) => string | undefined {
  const atEnd = new Map<string, Map<string, { key: string; far: LinkEnd }[]>>();
  const managedEnds = (l: TopoLink) => [[l.a, l.b], [l.b, l.a]].filter(([near, far]) => n.managed(near.node) && !n.managed(far.node));
  for (const [key, l] of current) {
    if (continued(key)) continue;
    for (const [near, far] of managedEnds(l)) {
      const byProtocol = atEnd.get(endKey(near)) ?? new Map<string, { key: string; far: LinkEnd }[]>();
      atEnd.set(endKey(near), byProtocol);
      pushTo(byProtocol, protocolOf(far.node), { key, far });
    }
  }
  for (const byProtocol of atEnd.values()) for (const list of byProtocol.values()) list.sort((x, y) => compareStrings(x.key, y.key));
  return (p) => {
    for (const [near, far] of managedEnds(p)) {
      let found: string | undefined;
      for (const [protocol, list] of atEnd.get(endKey(near)) ?? []) {
        if (protocol === protocolOf(far.node)) continue;
        const c = list.find((c) => !continued(c.key) && n.sameBox(far.node, c.far.node) && portsAgree(far.port, c.far.port));
        if (c && (found === undefined || compareStrings(c.key, found) < 0)) found = c.key;
      }
      if (found !== undefined) return found;
    }
    return undefined;
  };
}

/** the protocol an unmanaged node is named by: `lldp:`, `cdp:`, ... */
function protocolOf(node: string): string {
  return node.slice(0, node.indexOf(':') + 1);
}

/**
 * The new links OSPF reports (no last-run link had their ends), by node pair in id order and by
 * pair and port; each is taken once. Linear in the links when each last-run link takes the first
 * one its pair has left (parallel adjacencies to one router): the pair's list is not rescanned.
 */
function ospfSuccessors(current: Map<string, TopoLink>, continued: (key: string) => boolean): { byPort: Successor; byPair: Successor } {
  const byPair = new Map<string, { keys: string[]; from: number }>();
  const byPort = new Map<string, string[]>();
  for (const [key, l] of current) {
    if (continued(key) || !readBy(l, 'ospf')) continue;
    const pair = byPair.get(pairOf(l)) ?? { keys: [], from: 0 };
    pair.keys.push(key);
    byPair.set(pairOf(l), pair);
    for (const e of portEnds(l)) pushTo(byPort, `${pairOf(l)}\u0001${endKey(e)}`, key);
  }
  for (const pair of byPair.values()) pair.keys.sort(compareStrings);
  const taken = new Set<string>();
  /** which new links may continue `p`: not taken, not pinned by other ends, reported by OSPF by a router that reported `p` so */
  const fitting = (p: TopoLink): ((key: string) => boolean) | undefined => {
    const reporters = reportersOf(p);
    const routers = new Set(reporters.filter((r) => r.source === 'ospf').map((r) => r.device));
    if (routers.size === 0) return undefined;
    // ends LLDP, CDP or forwarding tables named last run (with only stale reports of theirs, the ends can be OSPF's)
    const pinned = reporters.some((r) => r.source !== 'ospf' && !r.stale);
    return (key: string) => {
      const l = current.get(key)!;
      return !taken.has(key) && !(pinned && l.reporters!.some((r) => r.source !== 'ospf'))
        && l.reporters!.some((r) => r.source === 'ospf' && !r.stale && routers.has(r.device));
    };
  };
  const take = (found: string | undefined) => {
    if (found !== undefined) taken.add(found);
    return found;
  };
  return {
    /** a new link sharing a port with `p` (the least id) */
    byPort(p) {
      const fits = byPair.has(pairOf(p)) ? fitting(p) : undefined;
      if (!fits) return undefined;
      return take(portEnds(p).flatMap((e) => byPort.get(`${pairOf(p)}\u0001${endKey(e)}`) ?? []).filter(fits).sort(compareStrings)[0]);
    },
    /** the first new link of `p`'s pair left */
    byPair(p) {
      const pair = byPair.get(pairOf(p));
      const fits = pair ? fitting(p) : undefined;
      if (!pair || !fits) return undefined;
      while (pair.from < pair.keys.length && taken.has(pair.keys[pair.from])) pair.from++;
      for (let i = pair.from; i < pair.keys.length; i++) if (fits(pair.keys[i])) return take(pair.keys[i]);
      return undefined;
    },
  };
}

type Successor = (p: TopoLink) => string | undefined;

/** the ends that name a port (an OSPF neighbour's router has none) */
function portEnds(l: TopoLink) {
  return [l.a, l.b].filter((e) => !!e.port);
}

/** The one a group's link keeps the id of: the first seen (then the least id). */
export function eldest(links: TopoLink[]): TopoLink {
  return links.reduce((x, y) => (y.firstSeen < x.firstSeen || (y.firstSeen === x.firstSeen && y.id < x.id) ? y : x));
}

function pairOf(l: TopoLink): string {
  return pairKey(l.a.node, l.b.node);
}
