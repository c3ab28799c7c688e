/**
 * Builds one topology graph from every managed device's DeviceReport (pure).
 * Nodes are managed devices plus neighbours seen but not managed; a link joins
 * node+port to node+port, counted once when both ends report it, and carries its sources.
 * Layer-2 links are inferred from forwarding tables only where LLDP/CDP are silent.
 */
import { ifLabel } from './collect.ts';
import { normalizeMac, sameSubnet, shortName } from './normalize.ts';
import type { DeviceReport } from './report.ts';
import { OSPF_FULL } from './oids.ts';

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
}

export interface LinkEnd {
  node: string;
  port?: string;
  ifIndex?: number;
}

export interface TopoLink {
  id: string;
  a: LinkEnd;
  b: LinkEnd;
  sources: LinkSource[];
  /** true when only forwarding tables suggest the link */
  inferred: boolean;
  /** node ids whose tables reported the link */
  reportedBy: string[];
  firstSeen: number;
  lastSeen: number;
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

interface Ends { a: LinkEnd; b: LinkEnd }

export function buildGraph(reports: DeviceReport[], now: number, previous?: TopologyGraph): TopologyGraph {
  const anomalies: Anomaly[] = [];
  const nodes = new Map<string, TopoNode>();
  const links = new Map<string, TopoLink>();
  const byDevice = new Map(reports.map((r) => [r.device, r]));

  for (const r of reports) {
    nodes.set(r.device, { id: r.device, label: r.sysName || r.device, managed: true, device: r.device, address: r.address, sysName: r.sysName, chassisId: r.chassisId, kind: deviceKind(r) });
    if (r.unreachable) anomalies.push({ kind: 'unreachable', device: r.device, message: `${r.device}: ${r.unreachable}` });
    for (const p of r.problems) anomalies.push({ kind: 'table-error', device: r.device, message: `${r.device}: ${p}` });
  }

  const index = buildIndex(reports, anomalies);
  const protocolPorts = new Map<string, Set<string>>(); // device -> port keys with LLDP/CDP links

  const addLink = (ends: Ends, source: LinkSource, reporter: string, inferred = false) => {
    const ka = endKey(ends.a), kb = endKey(ends.b);
    const [first, second] = ka <= kb ? [ends.a, ends.b] : [ends.b, ends.a];
    const id = `${endKey(first)}|${endKey(second)}`;
    let link = links.get(id);
    if (!link) {
      link = { id, a: first, b: second, sources: [], inferred, reportedBy: [], firstSeen: now, lastSeen: now };
      links.set(id, link);
    }
    if (!link.sources.includes(source)) link.sources.push(source);
    if (!link.reportedBy.includes(reporter)) link.reportedBy.push(reporter);
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
  };

  // LLDP
  for (const r of reports) {
    for (const n of r.lldp) {
      if (n.chassisIdSubtype === 4 && n.chassisId.startsWith('hex:')) {
        anomalies.push({ kind: 'bad-identifier', device: r.device, message: `${r.device}: LLDP neighbour on ${n.localPort} has a malformed MAC chassis ID ${n.chassisId}` });
      }
      const remote = index.resolve({ chassisId: n.chassisId, sysName: n.sysName, addresses: n.managementAddresses, mac: normalizeMac(n.chassisId) });
      if (remote === r.device) {
        anomalies.push({ kind: 'self-neighbor', device: r.device, message: `${r.device}: LLDP neighbour on ${n.localPort} names the device itself` });
        continue;
      }
      const local: LinkEnd = { node: r.device, port: n.localPort, ifIndex: n.localIfIndex };
      let far: LinkEnd;
      if (remote) {
        far = remotePort(byDevice.get(remote)!, [n.portId, n.portDesc], n.portIdSubtype === 3 ? n.portId : undefined);
      } else {
        const id = unmanagedId(nodes, 'lldp', n.sysName, n.chassisId);
        if (!nodes.has(id)) nodes.set(id, { id, label: n.sysName || n.chassisId, managed: false, sysName: n.sysName, chassisId: n.chassisId, address: n.managementAddresses[0] });
        far = { node: id, port: n.portDesc && n.portIdSubtype === 3 ? n.portDesc : n.portId || n.portDesc };
      }
      addLink({ a: local, b: far }, 'lldp', r.device);
    }
  }

  // CDP
  for (const r of reports) {
    for (const n of r.cdp) {
      const remote = index.resolve({ sysName: n.deviceId, addresses: n.address ? [n.address] : [], chassisId: n.deviceId });
      if (remote === r.device) {
        anomalies.push({ kind: 'self-neighbor', device: r.device, message: `${r.device}: CDP neighbour on ifIndex ${n.localIfIndex} names the device itself` });
        continue;
      }
      const local: LinkEnd = { node: r.device, port: ifLabel(r, n.localIfIndex), ifIndex: n.localIfIndex };
      let far: LinkEnd;
      if (remote) far = remotePort(byDevice.get(remote)!, [n.port]);
      else {
        const id = unmanagedId(nodes, 'cdp', n.deviceId, n.deviceId);
        if (!nodes.has(id)) nodes.set(id, { id, label: n.deviceId, managed: false, sysName: n.deviceId, platform: n.platform, address: n.address });
        far = { node: id, port: n.port };
      }
      addLink({ a: local, b: far }, 'cdp', r.device);
    }
  }

  // one-sided protocol links between managed devices that both speak the protocol
  for (const link of links.values()) {
    const ra = byDevice.get(link.a.node), rb = byDevice.get(link.b.node);
    if (!ra || !rb || link.reportedBy.length > 1) continue;
    const speaks = (r: DeviceReport) => (link.sources.includes('lldp') && r.lldp.length > 0) || (link.sources.includes('cdp') && r.cdp.length > 0);
    const silent = link.reportedBy[0] === ra.device ? rb : ra;
    if (speaks(silent) && !silent.unreachable) {
      anomalies.push({ kind: 'one-sided', device: silent.device, message: `link ${describe(link)} is reported by ${link.reportedBy[0]} only` });
    }
  }

  inferFromForwarding(reports, index, protocolPorts, links, addLink);
  addOspf(reports, index, nodes, links, addLink);

  // first/last seen carried over from the previous graph
  const prev = new Map(previous?.links.map((l) => [l.id, l]) ?? []);
  for (const l of links.values()) {
    const p = prev.get(l.id);
    if (p) l.firstSeen = p.firstSeen;
  }
  // links only unreachable devices reported are unknown, not gone: kept with their old lastSeen
  const unreachable = new Set(reports.filter((r) => r.unreachable).map((r) => r.device));
  for (const p of previous?.links ?? []) {
    if (links.has(p.id) || p.reportedBy.length === 0 || !p.reportedBy.every((d) => unreachable.has(d))) continue;
    links.set(p.id, structuredClone(p));
    for (const end of [p.a, p.b]) {
      if (nodes.has(end.node)) continue;
      const old = previous!.nodes.find((n) => n.id === end.node);
      if (old) nodes.set(old.id, { ...old });
    }
  }
  return {
    generatedAt: now,
    nodes: [...nodes.values()].sort((x, y) => x.id.localeCompare(y.id)),
    links: [...links.values()].sort((x, y) => x.id.localeCompare(y.id)),
    anomalies,
  };
}

function deviceKind(r: DeviceReport): TopoNode['kind'] {
  if (r.unreachable) return 'unknown';
  if (r.fdb.length > 0 || r.bridgeAddress) return 'switch';
  if (r.ospfRouterId || r.ospf.length > 0) return 'router';
  return 'host';
}

function describe(l: TopoLink): string {
  return `${l.a.node}:${l.a.port ?? '?'} - ${l.b.node}:${l.b.port ?? '?'}`;
}

function endKey(e: LinkEnd): string {
  return `${e.node}#${(e.port ?? '').toLowerCase()}`;
}

function fillEnd(target: LinkEnd, from: LinkEnd) {
  if (target.ifIndex === undefined && from.ifIndex !== undefined) target.ifIndex = from.ifIndex;
}

function unmanagedId(nodes: Map<string, TopoNode>, kind: string, sysName: string | undefined, id: string): string {
  if (sysName) {
    const short = shortName(sysName);
    for (const n of nodes.values()) if (!n.managed && n.sysName && shortName(n.sysName) === short) return n.id;
  }
  return `${kind}:${sysName ? shortName(sysName) : id}`;
}

/** The managed remote device's own name for the port a neighbour table points at. */
function remotePort(r: DeviceReport, names: (string | undefined)[], mac?: string): LinkEnd {
  for (const name of names) {
    if (!name) continue;
    const n = name.toLowerCase();
    const i = r.interfaces.find((x) => [x.name, x.descr, x.alias].some((v) => v?.toLowerCase() === n));
    if (i) return { node: r.device, port: ifLabel(r, i.ifIndex), ifIndex: i.ifIndex };
  }
  if (mac) {
    const i = r.interfaces.find((x) => x.mac === mac);
    if (i) return { node: r.device, port: ifLabel(r, i.ifIndex), ifIndex: i.ifIndex };
  }
  return { node: r.device, port: names.find((n) => !!n) };
}

interface Lookup {
  chassisId?: string;
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
  const names = unique('sysName', distinctPairs(reports.flatMap((r) => [
    [shortName(r.device), r.device] as [string, string],
    ...(r.sysName ? [[shortName(r.sysName), r.device] as [string, string]] : []),
  ])), false);
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
      if (l.chassisId) {
        const d = chassis.get(l.chassisId.toLowerCase());
        if (d) return d;
      }
      if (l.mac) {
        const d = macOwner.get(l.mac);
        if (d) return d.device;
      }
      if (l.sysName) {
        const d = names.get(shortName(l.sysName));
        if (d) return d;
      }
      for (const a of l.addresses ?? []) {
        const d = addressOwner.get(a);
        if (d) return d.device;
      }
      return undefined;
    },
  };
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

type AddLink = (ends: Ends, source: LinkSource, reporter: string, inferred?: boolean) => void;

/**
 * A.p and B.q are directly connected when B is reached through A.p, A through B.q, and
 * nothing reached through A.p is also reached through B.q (the complementary-sets rule).
 */
function inferFromForwarding(reports: DeviceReport[], index: DeviceIndex, protocolPorts: Map<string, Set<string>>, links: Map<string, TopoLink>, addLink: AddLink) {
  type Port = { report: DeviceReport; key: string; end: LinkEnd; reach: Set<string>; arp: boolean };
  const ports = new Map<string, Map<string, Port>>(); // device -> portKey -> Port
  // A bridge is behind exactly one port of another bridge; a router or host attached to the
  // domain at two points is not, so those are counted per MAC, not per device.
  const bridges = new Set(reports.filter((r) => r.fdb.length > 0).map((r) => r.device));
  for (const r of reports) {
    const m = new Map<string, Port>();
    for (const e of r.fdb) {
      const owner = index.macOwner.get(e.mac);
      if (!owner || owner.device === r.device) continue;
      const end: LinkEnd = e.ifIndex !== undefined ? { node: r.device, port: ifLabel(r, e.ifIndex), ifIndex: e.ifIndex } : { node: r.device, port: `bridge port ${e.bridgePort}` };
      const key = endKey(end);
      const p = m.get(key) ?? { report: r, key, end, reach: new Set<string>(), arp: false };
      p.reach.add(bridges.has(owner.device) ? owner.device : `mac:${e.mac}`);
      if (owner.viaArp) p.arp = true;
      m.set(key, p);
    }
    ports.set(r.device, m);
  }
  const linked = new Set<string>();
  for (const l of links.values()) linked.add([l.a.node, l.b.node].sort().join('|'));
  for (const [a, aPorts] of ports) {
    for (const pa of aPorts.values()) {
      if (protocolPorts.get(a)?.has(pa.key)) continue;
      for (const b of pa.reach) {
        if (b <= a && ports.get(b)?.size) continue; // each pair once, from the smaller name, when b has tables
        const pair = [a, b].sort().join('|');
        if (linked.has(pair)) continue;
        for (const pb of ports.get(b)?.values() ?? []) {
          if (!pb.reach.has(a) || protocolPorts.get(b)?.has(pb.key)) continue;
          let disjoint = true;
          for (const x of pa.reach) if (pb.reach.has(x)) { disjoint = false; break; }
          if (!disjoint) continue;
          addLink({ a: { ...pa.end }, b: { ...pb.end } }, 'fdb', a, true);
          const id = [endKey(pa.end), endKey(pb.end)].sort().join('|');
          const link = links.get(id)!;
          if (!link.reportedBy.includes(b)) link.reportedBy.push(b);
          if ((pa.arp || pb.arp) && !link.sources.includes('arp')) link.sources.push('arp');
          linked.add(pair);
        }
      }
    }
  }
}

function addOspf(reports: DeviceReport[], index: DeviceIndex, nodes: Map<string, TopoNode>, links: Map<string, TopoLink>, addLink: AddLink) {
  const byRouterId = new Map<string, string>();
  for (const r of reports) if (r.ospfRouterId) byRouterId.set(r.ospfRouterId, r.device);
  for (const r of reports) {
    for (const n of r.ospf) {
      if (n.state !== OSPF_FULL && n.state !== 0) continue;
      const remote = index.addressOwner.get(n.ip)?.device ?? byRouterId.get(n.routerId);
      if (remote === r.device) continue;
      const localAddr = r.addresses.find((a) => a.prefixLength !== undefined && sameSubnet(a.ip, n.ip, a.prefixLength));
      const local: LinkEnd = localAddr ? { node: r.device, port: ifLabel(r, localAddr.ifIndex), ifIndex: localAddr.ifIndex } : { node: r.device };
      if (!remote) {
        // the neighbour on a port whose LLDP/CDP link leads to a managed device that did not answer
        const viaSilent = localAddr && [...links.values()].find((l) => {
          const [near, far] = l.a.node === r.device ? [l.a, l.b] : l.b.node === r.device ? [l.b, l.a] : [];
          return near && far && endKey(near) === endKey(local) && reports.find((x) => x.device === far.node)?.unreachable;
        });
        if (viaSilent) {
          if (!viaSilent.sources.includes('ospf')) viaSilent.sources.push('ospf');
          continue;
        }
        const id = `ospf:${n.routerId}`;
        if (!nodes.has(id)) nodes.set(id, { id, label: n.routerId, managed: false, address: n.ip });
        addLink({ a: local, b: { node: id } }, 'ospf', r.device);
        continue;
      }
      const existing = [...links.values()].find((l) => (l.a.node === r.device && l.b.node === remote) || (l.b.node === r.device && l.a.node === remote));
      if (existing) {
        if (!existing.sources.includes('ospf')) existing.sources.push('ospf');
        if (!existing.reportedBy.includes(r.device)) existing.reportedBy.push(r.device);
        continue;
      }
      const owner = index.addressOwner.get(n.ip);
      const rr = reports.find((x) => x.device === remote)!;
      const far: LinkEnd = owner?.ifIndex !== undefined ? { node: remote, port: ifLabel(rr, owner.ifIndex), ifIndex: owner.ifIndex } : { node: remote };
      addLink({ a: local, b: far }, 'ospf', r.device);
    }
  }
}
