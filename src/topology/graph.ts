/**
 * Builds one topology graph from every managed device's DeviceReport (pure).
 * Nodes are managed devices plus neighbours seen but not managed (unmanaged.ts); a link joins
 * node+port to node+port (ports compared in canonical form, link-id.ts), counted once when both
 * ends report it, and carries its sources.
 * Layer-2 links are inferred from forwarding tables only where LLDP/CDP are silent.
 */
import { parseCdpDeviceId } from './cdp-id.ts';
import { interfaceIndexes } from './collect.ts';
import { endKey, linkId, pairKey, renamedEnd, renamedNodes } from './link-id.ts';
import { normalizeMac, shortName } from './normalize.ts';
import type { DeviceReport } from './report.ts';
import { adjacencyLinks, keepGoneAdjacencies, type GoneAdjacency } from './ospf-gone.ts';
import { addOspfLinks } from './ospf-links.ts';
import { keptRouterId, silentRouters } from './ospf-silent.ts';
import { keepUnreadAdjacencies } from './ospf-unread.ts';
import { compareStrings } from './order.ts';
import { RemotePorts } from './remote-port.ts';
import { continuations, eldest } from './previous-links.ts';
import { sameUnmanagedBox } from './same-box.ts';
import { byReporter, combinedReporters, mergeReporters, type LinkReporter } from './reporters.ts';
import { blindSources, portsUnknown } from './table-health.ts';
import { UnmanagedNodes } from './unmanaged.ts';

export type LinkSource = 'lldp' | 'cdp' | 'fdb' | 'arp' | 'ospf';

export interface TopoNode {
  id: string;
  label: string;
  managed: boolean;
  device?: string;
  address?: string;
  sysName?: string;
  chassisId?: string;
  platform?: string;
  /** switch (has forwarding tables), router (speaks OSPF, no bridge), host, or unknown */
  kind?: 'switch' | 'router' | 'host' | 'unknown';
  /**
   * OSPF adjacencies on its ports that went down with the far port unknown and are not back
   * (ospf-gone.ts): their link-down is cleared by an adjacency on that port to that router;
   * absent when there is none
   */
  ospfGone?: GoneAdjacency[];
  /** its OSPF router id: its own; else, while its OSPF cannot be read, the last run's (ospf-silent.ts); else the one its neighbours' rows name it by */
  ospfRouterId?: string;
}

export interface LinkEnd {
  node: string;
  port?: string;
  ifIndex?: number;
}

export interface TopoLink {
  /** the canonical ends in sorted order when the link first appeared, kept while it goes on (previous-links.ts) */
  id: string;
  a: LinkEnd;
  b: LinkEnd;
  sources: LinkSource[];
  /** true when only forwarding tables suggest the link */
  inferred: boolean;
  /** node ids whose tables reported the link */
  reportedBy: string[];
  /**
   * each source's reporters with when each last reported the link (reporters.ts): those that
   * report it this run, and those that could not be read this run (`stale`, their old
   * lastSeen). `sources` and `reportedBy` name this run's reporters; on a stale link, the kept
   * ones. Always set by buildGraph; absent in graphs saved before they were kept.
   */
  reporters?: LinkReporter[];
  /**
   * the own ends of the OSPF adjacencies this link carries where they are not its ends (joined to
   * LLDP's link on other ports, OSPF over a VLAN interface): the link each would be alone, in
   * which name it comes up and goes down (diff.ts); absent when there is none
   */
  ospfEnds?: OspfEnds[];
  firstSeen: number;
  lastSeen: number;
  /**
   * kept from an earlier run: nobody reports it this run and each of its reporters could not read
   * the tables its source needs (an inferred link: one of them), so its state is unknown, not down
   */
  stale?: boolean;
}

export type AnomalyKind = 'one-sided' | 'duplicate-chassis' | 'self-neighbor' | 'bad-identifier' | 'unreachable' | 'table-error';

export interface Anomaly {
  kind: AnomalyKind;
  device?: string;
  message: string;
}

export interface TopologyGraph {
  generatedAt: number;
  nodes: TopoNode[];
  links: TopoLink[];
  anomalies: Anomaly[];
}

/** a link's two ends, in either order */
export interface Ends { a: LinkEnd; b: LinkEnd }

export interface OspfEnds extends Ends {
  /** kept from the last run: unseen while one of its routers could not read OSPF (ospf-unread.ts) */
  stale?: boolean;
}

export function buildGraph(reports: DeviceReport[], now: number, previous?: TopologyGraph): TopologyGraph {
  const anomalies: Anomaly[] = [];
  const nodes = new Map<string, TopoNode>();
  const links = new Map<string, TopoLink>();
  const byDevice = new Map(reports.map((r) => [r.device, r]));

  const blind = new Map(reports.map((r) => [r.device, blindSources(r)]));
  const unreadOspf = (device: string) => !!blind.get(device)?.has('ospf');
  const oldNodes = new Map(previous?.nodes.map((n) => [n.id, n]));
  for (const r of reports) {
    nodes.set(r.device, {
      id: r.device, label: r.sysName || r.device, managed: true, device: r.device, address: r.address, sysName: r.sysName, chassisId: r.chassisId, kind: deviceKind(r),
      ...keptRouterId(r.ospfRouterId, unreadOspf(r.device), oldNodes.get(r.device)),
    });
    if (r.unreachable) anomalies.push({ kind: 'unreachable', device: r.device, message: `${r.device}: ${r.unreachable}` });
    for (const p of r.problems) anomalies.push({ kind: 'table-error', device: r.device, message: `${r.device}: ${p}` });
  }

  const index = buildIndex(reports, anomalies);
  // each device's ifTable indexed once, on first use, for port labels here and in RemotePorts
  const interfacesOf = interfaceIndexes();
  const remotePorts = new RemotePorts(previous, interfacesOf);
  const unmanaged = new UnmanagedNodes(nodes);
  const protocolPorts = new Map<string, Set<string>>(); // device -> port keys with LLDP/CDP links
  const label: PortLabel = (r, ifIndex) => interfacesOf(r).label(ifIndex);

  const addLink = (ends: Ends, source: LinkSource, reporter: string, inferred = false): TopoLink => {
    const [first, second] = endKey(ends.a) <= endKey(ends.b) ? [ends.a, ends.b] : [ends.b, ends.a];
    const id = linkId(first, second);
    let link = links.get(id);
    if (!link) {
      link = { id, a: first, b: second, sources: [], inferred, reportedBy: [], reporters: [], firstSeen: now, lastSeen: now };
      links.set(id, link);
    }
    reportLink(link, source, reporter, now);
    if (!inferred) link.inferred = false;
    fillEnd(link.a, first);
    fillEnd(link.b, second);
    if (source === 'lldp' || source === 'cdp') {
      for (const e of [first, second]) {
        if (!byDevice.has(e.node)) continue;
        const set = protocolPorts.get(e.node) ?? new Set<string>();
        set.add(endKey(e));
        protocolPorts.set(e.node, set);
      }
    }
    return link;
  };

  // LLDP (a device whose own port names are unknown this run adds nothing: its links are kept below)
  for (const r of reports) {
    if (portsUnknown(r)) continue;
    for (const n of r.lldp) {
      if (n.chassisIdSubtype === 4 && n.chassisId.startsWith('hex:')) {
        anomalies.push({ kind: 'bad-identifier', device: r.device, message: `${r.device}: LLDP neighbour on ${n.localPort} has a malformed MAC chassis ID ${n.chassisId}` });
      }
      const remote = index.resolve({
        chassisId: n.chassisId, chassisIdSubtype: n.chassisIdSubtype, sysName: n.sysName, addresses: n.managementAddresses,
        mac: n.chassisIdSubtype === 4 ? normalizeMac(n.chassisId) : undefined,
      });
      if (remote === r.device) {
        anomalies.push({ kind: 'self-neighbor', device: r.device, message: `${r.device}: LLDP neighbour on ${n.localPort} names the device itself` });
        continue;
      }
      const local: LinkEnd = { node: r.device, port: n.localPort, ifIndex: n.localIfIndex };
      let far: LinkEnd;
      if (remote) {
        far = remotePorts.resolve(byDevice.get(remote)!, local, {
          names: [n.portId, n.portDesc], lldpPortId: { subtype: n.portIdSubtype, id: n.portId }, mac: n.portIdSubtype === 3 ? n.portId : undefined,
        });
      } else {
        far = { node: unmanaged.lldp(r.device, n), port: n.portDesc && n.portIdSubtype === 3 ? n.portDesc : n.portId || n.portDesc };
      }
      addLink({ a: local, b: far }, 'lldp', r.device);
    }
  }

  // CDP
  for (const r of reports) {
    if (portsUnknown(r)) continue;
    for (const n of r.cdp) {
      const remote = index.resolve({ sysName: parseCdpDeviceId(n.deviceId).name, addresses: n.address ? [n.address] : [], deviceId: n.deviceId, mac: normalizeMac(n.deviceId) });
      if (remote === r.device) {
        anomalies.push({ kind: 'self-neighbor', device: r.device, message: `${r.device}: CDP neighbour on ifIndex ${n.localIfIndex} names the device itself` });
        continue;
      }
      const local: LinkEnd = { node: r.device, port: label(r, n.localIfIndex), ifIndex: n.localIfIndex };
      let far: LinkEnd;
      if (remote) far = remotePorts.resolve(byDevice.get(remote)!, local, { names: [n.port] });
      else far = { node: unmanaged.cdp(r.device, n), port: n.port };
      addLink({ a: local, b: far }, 'cdp', r.device);
    }
  }

  // one-sided protocol links between managed devices that both speak the protocol
  for (const link of links.values()) {
    const ra = byDevice.get(link.a.node), rb = byDevice.get(link.b.node);
    if (!ra || !rb || link.reportedBy.length > 1) continue;
    const speaks = (r: DeviceReport) => (link.sources.includes('lldp') && r.lldp.length > 0) || (link.sources.includes('cdp') && r.cdp.length > 0);
    const silent = link.reportedBy[0] === ra.device ? rb : ra;
    if (speaks(silent) && !link.sources.some((s) => blind.get(silent.device)!.has(s))) {
      anomalies.push({ kind: 'one-sided', device: silent.device, message: `link ${describe(link)} is reported by ${link.reportedBy[0]} only` });
    }
  }

  inferFromForwarding(reports, index, protocolPorts, links, addLink, label, now);
  addOspfLinks({
    reports, addressOwner: index.addressOwner, nodes, links, label, addLink,
    reportLink: (link, source, reporter) => reportLink(link, source, reporter, now),
    silent: silentRouters(previous, unreadOspf),
  });

  const dropped = mergePrevious(links, nodes, blind, now, previous, oldNodes);
  if (previous) {
    const current = [...links.values()];
    const back = adjacencyLinks(current);
    const gone = keepUnreadAdjacencies(current, previous.links, back, unreadOspf);
    keepGoneAdjacencies(nodes, back, previous.nodes, [...dropped, ...gone]);
  }
  for (const l of links.values()) l.reporters?.sort(byReporter);
  return {
    generatedAt: now,
    nodes: [...nodes.values()].sort((x, y) => compareStrings(x.id, y.id)),
    links: [...links.values()].sort((x, y) => compareStrings(x.id, y.id)),
    anomalies,
  };
}

function deviceKind(r: DeviceReport): TopoNode['kind'] {
  if (r.unreachable) return 'unknown';
  if (r.fdb.length > 0 || r.bridgeAddress) return 'switch';
  if (r.ospfRouterId || r.ospf.length > 0) return 'router';
  return 'host';
}

/** `device` reports the link by `source` this run */
function reportLink(link: TopoLink, source: LinkSource, device: string, now: number) {
  if (!link.sources.includes(source)) link.sources.push(source);
  if (!link.reportedBy.includes(device)) link.reportedBy.push(device);
  const reporters = (link.reporters ??= []);
  if (!reporters.some((r) => r.source === source && r.device === device)) reporters.push({ source, device, lastSeen: now });
}

function describe(l: TopoLink): string {
  return `${l.a.node}:${l.a.port ?? '?'} - ${l.b.node}:${l.b.port ?? '?'}`;
}

/**
 * Each link of this run takes over the last run's links it continues (previous-links.ts: by their
 * ends, recomputed, so a graph saved under an older port-name rule still matches; through OSPF;
 * or by its managed end and the same unmanaged box, seen by the other protocol, same-box.ts):
 * the id of the first seen of them, its firstSeen, and their reporters merged with this run's
 * (reporters.ts). Last-run links nothing continues whose reporters could not read are kept,
 * marked stale, with their old lastSeen. A new link whose id a kept one or any last-run link had
 * gets another (`<ends>~2`): a link dropped under other ends than its id's must still go down.
 * Returns the last-run links dropped (nothing continues or keeps them). `oldNodes`: previous.nodes by id.
 */
function mergePrevious(
  links: Map<string, TopoLink>, nodes: Map<string, TopoNode>, blind: Map<string, Set<LinkSource>>, now: number, previous: TopologyGraph | undefined,
  oldNodes: Map<string, TopoNode>,
): TopoLink[] {
  if (!previous) return [];
  const unread = (device: string, source: LinkSource) => !!blind.get(device)?.has(source);
  const renames = renamedNodes(previous.nodes, (id) => nodes.has(id));
  const renamed = previous.links.map((old) => (renames.size ? { ...old, a: renamedEnd(old.a, renames), b: renamedEnd(old.b, renames) } : old));
  // the last run's nodes under the ids the renamed links use
  const renamedFrom = new Map([...renames].map(([from, to]) => [to, oldNodes.get(from)!]));
  const before = (id: string) => oldNodes.get(id) ?? renamedFrom.get(id);
  const neighbours = {
    managed: (id: string) => nodes.get(id)?.managed ?? before(id)?.managed ?? false,
    sameBox: (old: string, cur: string) => {
      const b = before(old), n = nodes.get(cur);
      return !!b && !!n && sameUnmanagedBox(b, n);
    },
  };
  const kept = new Set<string>();
  const dropped: TopoLink[] = [];
  for (const [key, olds] of continuations(links, renamed, neighbours)) {
    const first = eldest(olds);
    const cur = links.get(key);
    const merged = mergeReporters({
      now, current: (cur?.reporters ?? []).filter((r) => !r.stale), previous: combinedReporters(olds), inferred: olds.every((p) => p.inferred), unread,
    });
    const firstSeen = Math.min(...olds.map((p) => p.firstSeen));
    if (cur) {
      Object.assign(cur, { id: first.id, firstSeen: Math.min(cur.firstSeen, firstSeen), reporters: merged.reporters });
      kept.add(key);
      continue;
    }
    if (merged.state !== 'stale') {
      dropped.push(...olds);
      continue;
    }
    const reporters = merged.reporters;
    links.set(key, {
      ...structuredClone(first), stale: true, reporters, firstSeen, lastSeen: Math.max(...olds.map((p) => p.lastSeen)),
      sources: [...new Set([...olds.flatMap((p) => p.sources), ...reporters.map((r) => r.source)])],
      reportedBy: [...new Set([...olds.flatMap((p) => p.reportedBy), ...reporters.map((r) => r.device)])],
    });
    kept.add(key);
    for (const p of olds) {
      for (const end of [p.a, p.b]) {
        const old = oldNodes.get(end.node);
        if (!nodes.has(end.node) && old) nodes.set(old.id, { ...old });
      }
    }
  }
  // a new link takes neither an id kept this run nor one a last-run link had (dropped under other ends): diffLinks pairs links by id
  const taken = new Set([...previous.links.map((l) => l.id), ...[...kept].map((k) => links.get(k)!.id)]);
  for (const [key, l] of links) {
    if (kept.has(key) || !taken.has(l.id)) continue;
    let n = 2;
    while (taken.has(`${key}~${n}`)) n++;
    l.id = `${key}~${n}`;
    taken.add(l.id);
  }
  return dropped;
}

function fillEnd(target: LinkEnd, from: LinkEnd) {
  if (target.ifIndex === undefined && from.ifIndex !== undefined) target.ifIndex = from.ifIndex;
}

interface Lookup {
  /** an LLDP chassis ID: matches, and vetoes a name/MAC/address match to a device whose own differs */
  chassisId?: string;
  chassisIdSubtype?: number;
  /** a CDP device ID: tried against chassis IDs, no veto */
  deviceId?: string;
  sysName?: string;
  addresses?: string[];
  mac?: string;
}

interface DeviceIndex {
  resolve(l: Lookup): string | undefined;
  macOwner: Map<string, { device: string; viaArp: boolean }>;
  addressOwner: Map<string, { device: string; ifIndex?: number }>;
}

function buildIndex(reports: DeviceReport[], anomalies: Anomaly[]): DeviceIndex {
  const unique = <K>(label: string, pairs: [K, string][], reportDup: boolean) => {
    const map = new Map<K, string>();
    const dup = new Set<K>();
    for (const [k, d] of pairs) {
      const cur = map.get(k);
      if (cur !== undefined && cur !== d) {
        dup.add(k);
        if (reportDup) anomalies.push({ kind: 'duplicate-chassis', device: d, message: `${label} ${String(k)} is claimed by both ${cur} and ${d}: not used for matching` });
      } else map.set(k, d);
    }
    for (const k of dup) map.delete(k);
    return map;
  };
  const chassis = unique('chassis ID', reports.filter((r) => r.chassisId).map((r) => [r.chassisId!.toLowerCase(), r.device] as [string, string]), true);
  const names = nameIndex(reports);
  const byDevice = new Map(reports.map((r) => [r.device, r]));
  // same chassis ID subtype, different value: another box, whatever its name or address says
  const vetoed = (l: Lookup, device: string) => {
    const r = byDevice.get(device)!;
    return !!(l.chassisId && r.chassisId && l.chassisIdSubtype !== undefined && l.chassisIdSubtype === r.chassisIdSubtype
      && l.chassisId.toLowerCase() !== r.chassisId.toLowerCase());
  };
  // an address claimed by two devices (several agents on one host, anycast, NAT) matches neither
  const addressOwner = new Map<string, { device: string; ifIndex?: number }>();
  const shared = new Set<string>();
  for (const r of reports) {
    const own = new Map<string, number | undefined>([[r.address, undefined]]);
    for (const a of r.addresses) own.set(a.ip, a.ifIndex);
    for (const [ip, ifIndex] of own) {
      const cur = addressOwner.get(ip);
      if (cur && cur.device !== r.device) shared.add(ip);
      else if (!cur || cur.ifIndex === undefined) addressOwner.set(ip, { device: r.device, ifIndex });
    }
  }
  for (const ip of shared) addressOwner.delete(ip);
  const macOwner = new Map<string, { device: string; viaArp: boolean }>();
  const macPairs: [string, string][] = [];
  for (const r of reports) {
    for (const i of r.interfaces) if (i.mac) macPairs.push([i.mac, r.device]);
    if (r.bridgeAddress) macPairs.push([r.bridgeAddress, r.device]);
    if (r.chassisIdSubtype === 4 && r.chassisId && !r.chassisId.startsWith('hex:')) macPairs.push([r.chassisId, r.device]);
  }
  for (const [mac, device] of unique('MAC', distinctPairs(macPairs), false)) {
    macOwner.set(mac, { device, viaArp: false });
  }
  for (const r of reports) {
    for (const e of r.arp) {
      const owner = addressOwner.get(e.ip);
      if (owner && !macOwner.has(e.mac) && owner.device !== r.device) macOwner.set(e.mac, { device: owner.device, viaArp: true });
    }
  }
  return {
    macOwner,
    addressOwner,
    resolve(l) {
      for (const id of [l.chassisId, l.deviceId]) {
        const d = id ? chassis.get(id.toLowerCase()) : undefined;
        if (d) return d;
      }
      const candidates = [
        l.mac ? macOwner.get(l.mac)?.device : undefined,
        l.sysName ? names.lookup(l.sysName, (d) => !vetoed(l, d)) : undefined,
        ...(l.addresses ?? []).map((a) => addressOwner.get(a)?.device),
      ];
      return candidates.find((d) => d !== undefined && !vetoed(l, d));
    },
  };
}

/**
 * sysName matching: the full name first, then the host part among devices whose domain does not
 * contradict the neighbour's ("sw2.branch.example.net" is not "sw2.lab"); a host part that still
 * names two devices matches neither.
 */
function nameIndex(reports: DeviceReport[]) {
  const full = new Map<string, Set<string>>();
  const short = new Map<string, Set<string>>();
  const domains = new Map<string, string[]>();
  const add = (m: Map<string, Set<string>>, k: string, d: string) => m.set(k, (m.get(k) ?? new Set<string>()).add(d));
  for (const r of reports) {
    const own = [r.device, ...(r.sysName ? [r.sysName] : [])].map((n) => n.trim().toLowerCase());
    for (const n of own) {
      add(full, n, r.device);
      add(short, shortName(n), r.device);
    }
    domains.set(r.device, own.map(domainOf).filter((d) => d.length > 0));
  }
  return {
    lookup(sysName: string, allowed: (device: string) => boolean): string | undefined {
      const n = sysName.trim().toLowerCase();
      const exact = [...(full.get(n) ?? [])].filter(allowed);
      if (exact.length === 1) return exact[0];
      const dom = domainOf(n);
      const hits = [...(short.get(shortName(n)) ?? [])].filter((d) => allowed(d) && domainsAgree(dom, domains.get(d)!));
      return hits.length === 1 ? hits[0] : undefined;
    },
  };
}

function domainOf(name: string): string {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return '';
  const dot = name.indexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}

/** No domain on either side, or one is the other cut short ("lab" and "lab.example.net"). */
function domainsAgree(dom: string, own: string[]): boolean {
  if (!dom || own.length === 0) return true;
  return own.some((o) => o === dom || o.startsWith(`${dom}.`) || dom.startsWith(`${o}.`));
}

function distinctPairs(pairs: [string, string][]): [string, string][] {
  const seen = new Set<string>();
  return pairs.filter(([k, d]) => {
    const key = `${k}\u0000${d}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type AddLink = (ends: Ends, source: LinkSource, reporter: string, inferred?: boolean) => TopoLink;
type PortLabel = (r: DeviceReport, ifIndex: number) => string;


/**
 * A.p and B.q are directly connected when B is reached through A.p, A through B.q, and
 * nothing reached through A.p is also reached through B.q (the complementary-sets rule).
 */
function inferFromForwarding(reports: DeviceReport[], index: DeviceIndex, protocolPorts: Map<string, Set<string>>, links: Map<string, TopoLink>, addLink: AddLink, label: PortLabel, now: number) {
  type Port = { report: DeviceReport; key: string; end: LinkEnd; reach: Set<string>; arp: boolean };
  const ports = new Map<string, Map<string, Port>>(); // device -> portKey -> Port
  // A bridge is behind exactly one port of another bridge; a router or host attached to the
  // domain at two points is not, so those are counted per MAC, not per device.
  const bridges = new Set(reports.filter((r) => r.fdb.length > 0).map((r) => r.device));
  for (const r of reports) {
    if (portsUnknown(r)) continue;
    const m = new Map<string, Port>();
    for (const e of r.fdb) {
      const owner = index.macOwner.get(e.mac);
      if (!owner || owner.device === r.device) continue;
      const end: LinkEnd = e.ifIndex !== undefined ? { node: r.device, port: label(r, e.ifIndex), ifIndex: e.ifIndex } : { node: r.device, port: `bridge port ${e.bridgePort}` };
      const key = endKey(end);
      const p = m.get(key) ?? { report: r, key, end, reach: new Set<string>(), arp: false };
      p.reach.add(bridges.has(owner.device) ? owner.device : `mac:${e.mac}`);
      if (owner.viaArp) p.arp = true;
      m.set(key, p);
    }
    ports.set(r.device, m);
  }
  const linked = new Set<string>();
  for (const l of links.values()) linked.add(pairKey(l.a.node, l.b.node));
  for (const [a, aPorts] of ports) {
    for (const pa of aPorts.values()) {
      if (protocolPorts.get(a)?.has(pa.key)) continue;
      for (const b of pa.reach) {
        if (b <= a && ports.get(b)?.size) continue; // each pair once, from the smaller name, when b has tables
        const pair = pairKey(a, b);
        if (linked.has(pair)) continue;
        for (const pb of ports.get(b)?.values() ?? []) {
          if (!pb.reach.has(a) || protocolPorts.get(b)?.has(pb.key)) continue;
          let disjoint = true;
          for (const x of pa.reach) if (pb.reach.has(x)) { disjoint = false; break; }
          if (!disjoint) continue;
          const link = addLink({ a: { ...pa.end }, b: { ...pb.end } }, 'fdb', a, true);
          reportLink(link, 'fdb', b, now);
          if (pa.arp) reportLink(link, 'arp', a, now);
          if (pb.arp) reportLink(link, 'arp', b, now);
          linked.add(pair);
        }
      }
    }
  }
}
