/**
 * OSPF adjacencies (state full or unknown) as links (pure, called by buildGraph). A router's end
 * is the interface whose subnet holds the neighbour address; the far end is the interface that
 * owns it. One link per adjacency (ospf-adjacencies.ts): parallel adjacencies of a router pair on
 * other subnets are other links. An adjacency joins the pair's link at one of its ports (LLDP on
 * the same cable), else the pair's first link (least id) no adjacency has joined (OSPF over a
 * VLAN or port-channel interface LLDP does not name), else makes its own link.
 * An unnumbered interface (ospfNbrAddressLessIndex, the neighbour address its loopback) is the
 * router's end itself; the far end is the other router's row over its own unnumbered interface.
 * Rows are taken in the order of device names and neighbour addresses, and links are found by
 * pair and by end through Maps: the graph does not depend on the order of the reports, and the
 * work is linear in the neighbours, links and addresses.
 */
import type { Ends, LinkEnd, LinkSource, TopoLink, TopoNode } from './graph.ts';
import { endKey, linkId, pairKey } from './link-id.ts';
import { ipv4ToInt, networkOf } from './normalize.ts';
import { OSPF_FULL } from './oids.ts';
import { groupAdjacencies, type AdjacencyRow } from './ospf-adjacencies.ts';
import { compareStrings, pushTo } from './order.ts';
import type { DeviceReport, OspfNeighbor } from './report.ts';
import type { SilentRouters } from './ospf-silent.ts';
import { portsUnknown } from './table-health.ts';

export interface OspfLinkContext {
  reports: DeviceReport[];
  addressOwner: Map<string, { device: string; ifIndex?: number }>;
  nodes: Map<string, TopoNode>;
  links: Map<string, TopoLink>;
  /** adds the link of these ends (or reports the one they have) and returns it */
  addLink(ends: Ends, source: LinkSource, reporter: string): TopoLink;
  reportLink(link: TopoLink, source: LinkSource, reporter: string): void;
  label(r: DeviceReport, ifIndex: number): string;
  /** managed routers unread this run, known by their last-run router id and adjacencies */
  silent?: SilentRouters;
}

interface Row extends AdjacencyRow {
  local: LinkEnd;
  far: LinkEnd;
}

/** an adjacency's rows and the ends of the link it makes when it joins none */
interface Adjacency {
  rows: Row[];
  ends: Ends;
}

export function addOspfLinks(c: OspfLinkContext) {
  const byDevice = new Map(c.reports.map((r) => [r.device, r]));
  const byRouterId = new Map<string, string>();
  for (const r of c.reports) if (r.ospfRouterId) byRouterId.set(r.ospfRouterId, r.device);
  const pairs = new Map<string, Row[]>();
  const unresolved: { r: DeviceReport; n: OspfNeighbor; local: LinkEnd }[] = [];
  for (const r of [...c.reports].sort((x, y) => compareStrings(x.device, y.device))) {
    if (portsUnknown(r) || r.ospf.length === 0) continue;
    const subnetOf = subnetIndex(r);
    const neighbours = [...r.ospf].sort((x, y) => compareStrings(x.ip, y.ip) || compareStrings(x.routerId, y.routerId) || (x.addressLessIndex ?? 0) - (y.addressLessIndex ?? 0));
    for (const n of neighbours) {
      if (n.state !== OSPF_FULL && n.state !== 0) continue;
      const remote = c.addressOwner.get(n.ip)?.device ?? byRouterId.get(n.routerId) ?? c.silent?.device(n.routerId);
      if (remote === r.device) continue;
      // the router id its neighbours name it by: known next run while it cannot be read (ospf-silent.ts)
      const remoteNode = remote ? c.nodes.get(remote) : undefined;
      if (remoteNode?.managed && !remoteNode.ospfRouterId) remoteNode.ospfRouterId = n.routerId;
      const unnumbered = n.addressLessIndex !== undefined && n.addressLessIndex > 0 ? n.addressLessIndex : undefined;
      const localAddr = unnumbered === undefined ? subnetOf(n.ip) : undefined;
      const localIf = unnumbered ?? localAddr?.ifIndex;
      const local: LinkEnd = localIf !== undefined ? { node: r.device, port: c.label(r, localIf), ifIndex: localIf } : { node: r.device };
      if (!remote) {
        unresolved.push({ r, n, local });
        continue;
      }
      // over an unnumbered interface the neighbour address is its loopback, no end of the link
      const owner = unnumbered === undefined ? c.addressOwner.get(n.ip) : undefined;
      const far: LinkEnd = owner?.ifIndex !== undefined ? { node: remote, port: c.label(byDevice.get(remote)!, owner.ifIndex), ifIndex: owner.ifIndex }
        : c.silent?.farEnd(local, remote) ?? { node: remote };
      const keys = [...(localAddr ? [localAddr.ip] : []), ...[local, far].filter((e) => e.port !== undefined).map(endKey)];
      pushTo(pairs, pairKey(r.device, remote), { reporter: r.device, ip: n.ip, keys, local, far, ...(unnumbered !== undefined ? { addressLessIndex: unnumbered } : {}) });
    }
  }
  if (pairs.size > 0) {
    const pairLinks = new Map<string, TopoLink[]>();
    for (const l of c.links.values()) {
      const pair = pairKey(l.a.node, l.b.node);
      if (pairs.has(pair)) pushTo(pairLinks, pair, l);
    }
    for (const pair of [...pairs.keys()].sort(compareStrings)) joinAdjacencies(c, groupAdjacencies(pairs.get(pair)!), pairLinks.get(pair) ?? []);
  }
  if (unresolved.length > 0) addUnresolved(c, unresolved, byDevice);
}

/** each adjacency to the pair's link at one of its ports, else to the first one left, else to a link of its own */
function joinAdjacencies(c: OspfLinkContext, adjacencies: Row[][], links: TopoLink[]) {
  const sorted = [...links].sort((x, y) => compareStrings(x.id, y.id));
  const atPort = new Map<string, TopoLink[]>();
  for (const l of sorted) for (const e of [l.a, l.b]) if (e.port !== undefined) pushTo(atPort, endKey(e), l);
  const joined = new Set<TopoLink>();
  const left: Adjacency[] = [];
  const oneSided = new Map<string, Row[][]>();
  for (const rows of adjacencies) {
    const atItsPorts = rows.flatMap((row) => row.keys.flatMap((k) => atPort.get(k) ?? []));
    const link = atItsPorts.sort((x, y) => compareStrings(x.id, y.id))[0];
    if (link) report(c, link, rows, joined, endsOf(rows));
    else if (rows.every((row) => row.addressLessIndex !== undefined && row.reporter === rows[0].reporter)) pushTo(oneSided, rows[0].reporter, rows);
    else left.push({ rows, ends: endsOf(rows) });
  }
  left.push(...pairUnnumbered(oneSided));
  let next = 0;
  for (const { rows, ends } of left) {
    while (next < sorted.length && joined.has(sorted[next])) next++;
    const link = next < sorted.length ? sorted[next] : c.addLink(ends, 'ospf', rows[0].reporter);
    report(c, link, rows, joined, ends);
  }
}

/**
 * Unnumbered adjacencies no link at their ports ties to the other router's: with one left on each
 * side they are one adjacency, both ports known. With more, which port of one router faces which
 * of the other's is unknown: the router with more of them (the first by name on a tie) makes one
 * link per port, its far port left out, and the other's join them in row order (address, ifIndex).
 */
function pairUnnumbered(byReporter: Map<string, Row[][]>): Adjacency[] {
  const [mine = [], theirs = []] = [...byReporter.values()]
    .sort((x, y) => y.length - x.length || compareStrings(x[0][0].reporter, y[0][0].reporter));
  if (mine.length === 1 && theirs.length === 1) {
    const rows = [...mine[0], ...theirs[0]];
    return [{ rows, ends: endsOf(rows) }];
  }
  return mine.map((rows, i) => ({ rows: [...rows, ...(theirs[i] ?? [])], ends: { a: rows[0].local, b: rows[0].far } }));
}

/**
 * The adjacency's rows report `link`; its own ends, when they are not the link's, are kept on it
 * (ospfEnds). Ends that name only the link's ports, one left out (an unnumbered row alone does not
 * know the far port), are the link seen from one side.
 */
function report(c: OspfLinkContext, link: TopoLink, rows: Row[], joined: Set<TopoLink>, ends: Ends) {
  for (const row of rows) c.reportLink(link, 'ospf', row.reporter);
  joined.add(link);
  const linkEnds = new Set([endKey(link.a), endKey(link.b)]);
  if ([ends.a, ends.b].every((e) => e.port === undefined || linkEnds.has(endKey(e)))) return;
  const own = linkId(ends.a, ends.b);
  if (link.ospfEnds?.some((e) => linkId(e.a, e.b) === own)) return;
  const [a, b] = endKey(ends.a) <= endKey(ends.b) ? [ends.a, ends.b] : [ends.b, ends.a];
  (link.ospfEnds ??= []).push({ a: { ...a }, b: { ...b } });
}

/** the first row's ends, a router's port it does not name taken from the other rows */
function endsOf(rows: Row[]): Ends {
  const fill = (e: LinkEnd): LinkEnd => {
    if (e.port !== undefined) return e;
    const named = rows.flatMap((row) => [row.local, row.far]).find((x) => x.node === e.node && x.port !== undefined);
    return named ? { ...named } : e;
  };
  return { a: fill(rows[0].local), b: fill(rows[0].far) };
}

/**
 * A neighbour that is no managed device: on a port whose LLDP/CDP link leads to a managed device
 * that did not answer, it joins that link; else it is the node `ospf:<router-id>`.
 */
function addUnresolved(c: OspfLinkContext, rows: { r: DeviceReport; n: OspfNeighbor; local: LinkEnd }[], byDevice: Map<string, DeviceReport>) {
  const atEnd = new Map<string, { link: TopoLink; far: LinkEnd }[]>();
  for (const l of c.links.values()) {
    pushTo(atEnd, endKey(l.a), { link: l, far: l.b });
    if (l.b.node !== l.a.node) pushTo(atEnd, endKey(l.b), { link: l, far: l.a });
  }
  for (const { r, n, local } of rows) {
    const viaSilent = local.port !== undefined && atEnd.get(endKey(local))?.find((e) => byDevice.get(e.far.node)?.unreachable)?.link;
    if (viaSilent) {
      c.reportLink(viaSilent, 'ospf', r.device);
      continue;
    }
    const id = `ospf:${n.routerId}`;
    if (!c.nodes.has(id)) c.nodes.set(id, { id, label: n.routerId, managed: false, address: n.ip });
    c.addLink({ a: local, b: { node: id } }, 'ospf', r.device);
  }
}

/**
 * The first of a device's addresses (in its order) whose subnet holds an IPv4 address, as a
 * subnet test of each in turn would give, looked up once per prefix length the device uses.
 */
function subnetIndex(r: DeviceReport): (ip: string) => DeviceReport['addresses'][number] | undefined {
  const byLength = new Map<number, Map<number, number>>(); // prefix length -> network -> position in r.addresses
  r.addresses.forEach((a, i) => {
    const x = ipv4ToInt(a.ip);
    if (x === undefined || a.prefixLength === undefined || a.prefixLength <= 0 || a.prefixLength > 32) return;
    const nets = byLength.get(a.prefixLength) ?? new Map<number, number>();
    const net = networkOf(x, a.prefixLength);
    if (!nets.has(net)) nets.set(net, i);
    byLength.set(a.prefixLength, nets);
  });
  return (ip) => {
    const x = ipv4ToInt(ip);
    if (x === undefined) return undefined;
    let first: number | undefined;
    for (const [length, nets] of byLength) {
      const i = nets.get(networkOf(x, length));
      if (i !== undefined && (first === undefined || i < first)) first = i;
    }
    return first === undefined ? undefined : r.addresses[first];
  };
}
