/**
 * Names the port of a managed device that a neighbour table points at, by that device's own
 * ifName, so the link has one identity whoever reports it. When the device's ifTable is
 * missing this run (unreachable, table failed) the name the link had before is kept.
 */
import { interfaceIndexes, type InterfaceIndex } from './collect.ts';
import { endKey } from './link-id.ts';
import { canonicalPort } from './port-name.ts';
import type { DeviceReport } from './report.ts';
import type { LinkEnd, TopologyGraph } from './graph.ts';

export interface PortHint {
  /** names to try: LLDP port ID / description, CDP port */
  names: (string | undefined)[];
  /** the LLDP port ID as sent, matched against the device's lldpLocPortTable */
  lldpPortId?: { subtype: number; id: string };
  /** an LLDP port ID of subtype MAC */
  mac?: string;
}

export class RemotePorts {
  private readonly indexes = new Map<string, { ifs: InterfaceIndex; byName: Map<string, number>; byLldp: Map<string, number> }>();
  private readonly before = new Map<string, LinkEnd>();

  constructor(previous?: TopologyGraph, private readonly interfacesOf: (r: DeviceReport) => InterfaceIndex = interfaceIndexes()) {
    for (const l of previous?.links ?? []) {
      if (l.b.port !== undefined) this.before.set(`${endKey(l.a)}>${l.b.node}`, l.b);
      if (l.a.port !== undefined) this.before.set(`${endKey(l.b)}>${l.a.node}`, l.a);
    }
  }

  resolve(r: DeviceReport, local: LinkEnd, hint: PortHint): LinkEnd {
    if (r.interfaces.length === 0) {
      const kept = this.before.get(`${endKey(local)}>${r.device}`);
      if (kept) return { node: r.device, port: kept.port, ifIndex: kept.ifIndex };
      return { node: r.device, port: hint.names.find((n) => !!n) };
    }
    const ix = this.index(r);
    let ifIndex = hint.lldpPortId ? ix.byLldp.get(`${hint.lldpPortId.subtype}/${hint.lldpPortId.id}`) : undefined;
    for (const name of hint.names) {
      if (ifIndex !== undefined) break;
      if (name) ifIndex = ix.byName.get(canonicalPort(name));
    }
    if (ifIndex === undefined && hint.mac) ifIndex = ix.ifs.byMac(hint.mac);
    if (ifIndex !== undefined) return { node: r.device, port: ix.ifs.label(ifIndex), ifIndex };
    return { node: r.device, port: hint.names.find((n) => !!n) };
  }

  private index(r: DeviceReport) {
    let ix = this.indexes.get(r.device);
    if (ix) return ix;
    ix = { ifs: this.interfacesOf(r), byName: new Map(), byLldp: new Map() };
    // the first interface claiming a name wins, as a linear find over the ifTable did
    for (const i of r.interfaces) {
      for (const n of [i.name, i.descr, i.alias]) if (n && !ix.byName.has(canonicalPort(n))) ix.byName.set(canonicalPort(n), i.ifIndex);
    }
    for (const p of r.lldpLocalPorts ?? []) if (p.ifIndex !== undefined) ix.byLldp.set(`${p.portIdSubtype}/${p.portId}`, p.ifIndex);
    this.indexes.set(r.device, ix);
    return ix;
  }
}
