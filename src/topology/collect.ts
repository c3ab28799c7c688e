/**
 * Reads one managed device's neighbour, forwarding, ARP, OSPF and address tables into a
 * DeviceReport. A table the agent lacks is simply empty; a table that fails is noted in
 * `problems` and discovery goes on with the rest.
 */
import { errorMessage } from '../errors/index.ts';
import type { SnmpClient, SnmpTarget, TableRow, Varbind } from '../snmp/types.ts';
import {
  decodeInetAddress, decodeInteger, decodeIpAddress, decodeMac, decodeString, parseIndexArcs,
} from '../snmp/index-decode.ts';
import { OID } from './oids.ts';
import { rowsBeforeCut } from './partial-rows.ts';
import { chassisIdText, maskToPrefix, normalizeMac, octetText, portIdText, printable } from './normalize.ts';
import { emptyReport, type DeviceReport } from './report.ts';

export interface CollectOptions {
  /** walk caps per table */
  maxVarbinds?: number;
  maxDurationMs?: number;
}

/** InterfaceIndex(OrZero)'s upper bound (IF-MIB) */
const MAX_IF_INDEX = 2_147_483_647;

const num = (vb: Varbind | undefined): number | undefined =>
  vb && typeof vb.value === 'number' ? vb.value : vb && typeof vb.value === 'bigint' ? Number(vb.value) : undefined;
const buf = (vb: Varbind | undefined): Buffer | undefined =>
  vb && Buffer.isBuffer(vb.value) ? vb.value : vb && typeof vb.value === 'string' ? Buffer.from(vb.value, 'latin1') : undefined;
const text = (vb: Varbind | undefined): string | undefined => {
  const b = buf(vb);
  return b ? (printable(b) ?? undefined) : vb ? octetText(vb.value) : undefined;
};

export async function collectDevice(
  client: SnmpClient, device: string, target: SnmpTarget, opts: CollectOptions = {},
): Promise<DeviceReport> {
  const report = emptyReport(device, target.address);
  const walkOpts = { maxVarbinds: opts.maxVarbinds ?? 50_000, maxDurationMs: opts.maxDurationMs ?? 30_000 };

  try {
    const scalars = await client.get(target, [OID.sysName, OID.lldpLocChassisIdSubtype, OID.lldpLocChassisId, OID.dot1dBaseBridgeAddress, OID.ospfRouterId]);
    const by = new Map(scalars.map((v) => [v.oid, v]));
    report.sysName = text(by.get(OID.sysName));
    const sub = num(by.get(OID.lldpLocChassisIdSubtype));
    const cid = buf(by.get(OID.lldpLocChassisId));
    if (sub !== undefined && cid) {
      report.chassisIdSubtype = sub;
      report.chassisId = chassisIdText(sub, cid);
    }
    report.bridgeAddress = normalizeMac(buf(by.get(OID.dot1dBaseBridgeAddress)));
    const rid = by.get(OID.ospfRouterId);
    if (rid && typeof rid.value === 'string') report.ospfRouterId = rid.value;
  } catch (err) {
    report.unreachable = errorMessage(err);
    return report;
  }

  // A failed table is named in failedTables (the graph keeps the links it alone reported);
  // the complete rows a stopped walk read are used.
  const table = async (label: string, columns: string[]): Promise<TableRow[]> => {
    try {
      return await client.table(target, columns, walkOpts);
    } catch (err) {
      report.problems.push(`${label}: ${errorMessage(err)}`);
      (report.failedTables ??= []).push(label);
      // an SnmpWalkError (walk cap, loop) carries what it read and which columns had ended; not
      // imported, to keep net-snmp out of the graph's imports
      const { partial, ended } = err as { partial?: unknown; ended?: unknown };
      return Array.isArray(partial) ? rowsBeforeCut(columns, partial as Varbind[], Array.isArray(ended) ? (ended as string[]) : []) : [];
    }
  };
  const col = (row: TableRow, oid: string) => row.values.get(oid);
  const decodeProblem = (label: string, index: string, err: unknown) =>
    report.problems.push(`${label}: row ${index}: ${errorMessage(err)}`);

  // interfaces
  const ifRows = await table('ifTable', [OID.ifDescr, OID.ifPhysAddress, OID.ifName, OID.ifAlias]);
  for (const row of ifRows) {
    const ifIndex = Number(row.index);
    if (!Number.isInteger(ifIndex)) continue;
    report.interfaces.push({
      ifIndex,
      descr: text(col(row, OID.ifDescr)),
      name: text(col(row, OID.ifName)),
      alias: text(col(row, OID.ifAlias)),
      mac: normalizeMac(buf(col(row, OID.ifPhysAddress))),
    });
  }
  const ifByName = new Map<string, number>();
  for (const i of report.interfaces) {
    for (const n of [i.name, i.descr, i.alias]) if (n) ifByName.set(n.toLowerCase(), i.ifIndex);
  }
  const ifs = interfaceIndex(report);

  // addresses
  for (const row of await table('ipAddrTable', [OID.ipAdEntIfIndex, OID.ipAdEntNetMask])) {
    try {
      const ip = decodeIpAddress(parseIndexArcs(row.index)).value;
      const ifIndex = num(col(row, OID.ipAdEntIfIndex));
      const mask = col(row, OID.ipAdEntNetMask);
      if (ifIndex !== undefined) report.addresses.push({ ip, ifIndex, prefixLength: typeof mask?.value === 'string' ? maskToPrefix(mask.value) : undefined });
    } catch (err) { decodeProblem('ipAddrTable', row.index, err); }
  }
  if (report.addresses.length === 0) {
    for (const row of await table('ipAddressTable', [OID.ipAddressIfIndex, OID.ipAddressPrefix])) {
      try {
        const { value } = decodeInetAddress(parseIndexArcs(row.index));
        const ifIndex = num(col(row, OID.ipAddressIfIndex));
        // ipAddressPrefix points at an ipAddressPrefixTable row, whose index ends with the prefix length
        const prefix = col(row, OID.ipAddressPrefix)?.value;
        const prefixLength = typeof prefix === 'string' && /^1\.3\.6\.1\.2\.1\.4\.32\.1\.\d+\./.test(prefix) ? Number(prefix.split('.').at(-1)) : undefined;
        if (ifIndex !== undefined && (value.type === 1 || value.type === 2)) report.addresses.push({ ip: value.address, ifIndex, prefixLength });
      } catch (err) { decodeProblem('ipAddressTable', row.index, err); }
    }
  }

  // LLDP
  const locPorts = new Map<number, { ifIndex?: number; name?: string }>();
  for (const row of await table('lldpLocPortTable', [OID.lldpLocPortIdSubtype, OID.lldpLocPortId, OID.lldpLocPortDesc])) {
    const portNum = Number(row.index);
    const sub = num(col(row, OID.lldpLocPortIdSubtype)) ?? 0;
    const idBuf = buf(col(row, OID.lldpLocPortId));
    const id = idBuf ? portIdText(sub, idBuf) : undefined;
    const desc = text(col(row, OID.lldpLocPortDesc));
    let ifIndex: number | undefined;
    for (const n of [id, desc]) if (n && ifByName.has(n.toLowerCase())) { ifIndex = ifByName.get(n.toLowerCase()); break; }
    if (ifIndex === undefined && sub === 3 && id) ifIndex = ifs.byMac(id);
    if (ifIndex === undefined && sub === 7 && id && /^\d+$/.test(id) && ifs.has(Number(id))) ifIndex = Number(id);
    locPorts.set(portNum, { ifIndex, name: ifIndex !== undefined ? ifs.label(ifIndex) : (id ?? desc) });
    if (id !== undefined) (report.lldpLocalPorts ??= []).push({ portNum, portIdSubtype: sub, portId: id, ifIndex });
  }
  const remRows = await table('lldpRemTable', [
    OID.lldpRemChassisIdSubtype, OID.lldpRemChassisId, OID.lldpRemPortIdSubtype, OID.lldpRemPortId, OID.lldpRemPortDesc, OID.lldpRemSysName,
  ]);
  const manAddrs = new Map<string, string[]>();
  for (const row of await table('lldpRemManAddrTable', [OID.lldpRemManAddrIfSubtype])) {
    try {
      const arcs = parseIndexArcs(row.index);
      const key = arcs.slice(0, 3).join('.');
      const addr = decodeString(arcs, 4).value;
      const family = arcs[3];
      const ip = family === 1 && addr.length === 4 ? [...addr].join('.') : undefined;
      if (ip) manAddrs.set(key, [...(manAddrs.get(key) ?? []), ip]);
    } catch (err) { decodeProblem('lldpRemManAddrTable', row.index, err); }
  }
  for (const row of remRows) {
    try {
      const arcs = parseIndexArcs(row.index);
      if (arcs.length < 3) throw new Error('index shorter than timeMark.localPortNum.index');
      const localPortNum = arcs[1];
      const cSub = num(col(row, OID.lldpRemChassisIdSubtype)) ?? 0;
      const cBuf = buf(col(row, OID.lldpRemChassisId));
      const pSub = num(col(row, OID.lldpRemPortIdSubtype)) ?? 0;
      const pBuf = buf(col(row, OID.lldpRemPortId));
      if (!cBuf) throw new Error('no lldpRemChassisId');
      const loc = locPorts.get(localPortNum);
      const localIfIndex = loc?.ifIndex ?? (locPorts.size === 0 && ifs.has(localPortNum) ? localPortNum : undefined);
      report.lldp.push({
        localPortNum,
        localIfIndex,
        localPort: loc?.name ?? (localIfIndex !== undefined ? ifs.label(localIfIndex) : `port ${localPortNum}`),
        chassisIdSubtype: cSub,
        chassisId: chassisIdText(cSub, cBuf),
        portIdSubtype: pSub,
        portId: pBuf ? portIdText(pSub, pBuf) : '',
        portDesc: text(col(row, OID.lldpRemPortDesc)),
        sysName: text(col(row, OID.lldpRemSysName)),
        managementAddresses: manAddrs.get(arcs.slice(0, 3).join('.')) ?? [],
      });
    } catch (err) { decodeProblem('lldpRemTable', row.index, err); }
  }

  // CDP
  for (const row of await table('cdpCacheTable', [OID.cdpCacheAddressType, OID.cdpCacheAddress, OID.cdpCacheDeviceId, OID.cdpCacheDevicePort, OID.cdpCachePlatform])) {
    try {
      const [ifIndex] = parseIndexArcs(row.index);
      const deviceId = cdpDeviceId(col(row, OID.cdpCacheDeviceId));
      if (deviceId === undefined) throw new Error('no cdpCacheDeviceId');
      const addrBuf = buf(col(row, OID.cdpCacheAddress));
      const addrType = num(col(row, OID.cdpCacheAddressType));
      report.cdp.push({
        localIfIndex: ifIndex,
        deviceId,
        port: text(col(row, OID.cdpCacheDevicePort)),
        address: addrType === 1 && addrBuf?.length === 4 ? [...addrBuf].join('.') : undefined,
        platform: text(col(row, OID.cdpCachePlatform)),
      });
    } catch (err) { decodeProblem('cdpCacheTable', row.index, err); }
  }

  // forwarding tables
  const portIfIndex = new Map<number, number>();
  for (const row of await table('dot1dBasePortTable', [OID.dot1dBasePortIfIndex])) {
    const ifIndex = num(col(row, OID.dot1dBasePortIfIndex));
    if (ifIndex !== undefined) portIfIndex.set(Number(row.index), ifIndex);
  }
  // Forwarding tables are the big ones (every MAC of the layer-2 domain on every bridge), so:
  // only on bridges, only the port column (self entries are the device's own MACs, which the
  // graph ignores anyway; invalid ones carry port 0), and dot1d only when Q-BRIDGE is absent.
  if (portIfIndex.size > 0) {
    const seen = new Set<string>();
    for (const row of await table('dot1qTpFdbTable', [OID.dot1qTpFdbPort])) {
      try {
        const arcs = parseIndexArcs(row.index);
        const vlan = decodeInteger(arcs).value;
        const mac = decodeMac(arcs, 1).value;
        const port = num(col(row, OID.dot1qTpFdbPort));
        if (port === undefined || port === 0 || seen.has(`${mac}/${port}`)) continue;
        seen.add(`${mac}/${port}`);
        report.fdb.push({ mac, bridgePort: port, ifIndex: portIfIndex.get(port), vlan });
      } catch (err) { decodeProblem('dot1qTpFdbTable', row.index, err); }
    }
    if (seen.size === 0) {
      for (const row of await table('dot1dTpFdbTable', [OID.dot1dTpFdbPort])) {
        try {
          const mac = decodeMac(parseIndexArcs(row.index)).value;
          const port = num(col(row, OID.dot1dTpFdbPort));
          if (port === undefined || port === 0) continue;
          report.fdb.push({ mac, bridgePort: port, ifIndex: portIfIndex.get(port) });
        } catch (err) { decodeProblem('dot1dTpFdbTable', row.index, err); }
      }
    }
  }

  // ARP
  for (const row of await table('ipNetToPhysicalTable', [OID.ipNetToPhysicalPhysAddress])) {
    try {
      const arcs = parseIndexArcs(row.index);
      const ifIndex = decodeInteger(arcs).value;
      const { value } = decodeInetAddress(arcs, 1);
      const mac = normalizeMac(buf(col(row, OID.ipNetToPhysicalPhysAddress)));
      if (value.type === 1 && mac) report.arp.push({ ifIndex, ip: value.address, mac });
    } catch (err) { decodeProblem('ipNetToPhysicalTable', row.index, err); }
  }
  if (report.arp.length === 0) {
    for (const row of await table('ipNetToMediaTable', [OID.ipNetToMediaPhysAddress])) {
      try {
        const arcs = parseIndexArcs(row.index);
        const ifIndex = decodeInteger(arcs).value;
        const ip = decodeIpAddress(arcs, 1).value;
        const mac = normalizeMac(buf(col(row, OID.ipNetToMediaPhysAddress)));
        if (mac) report.arp.push({ ifIndex, ip, mac });
      } catch (err) { decodeProblem('ipNetToMediaTable', row.index, err); }
    }
  }

  // OSPF
  for (const row of await table('ospfNbrTable', [OID.ospfNbrRtrId, OID.ospfNbrState])) {
    try {
      // index: ospfNbrIpAddr, ospfNbrAddressLessIndex (0 on a numbered interface)
      const arcs = parseIndexArcs(row.index);
      const { value: ip, next } = decodeIpAddress(arcs);
      const addressLessIndex = next < arcs.length ? decodeInteger(arcs, next).value : 0;
      if (addressLessIndex > MAX_IF_INDEX) throw new Error(`ospfNbrAddressLessIndex ${addressLessIndex} is beyond ${MAX_IF_INDEX}`);
      const rid = col(row, OID.ospfNbrRtrId);
      report.ospf.push({
        ip, routerId: typeof rid?.value === 'string' ? rid.value : ip, state: num(col(row, OID.ospfNbrState)) ?? 0,
        ...(addressLessIndex > 0 ? { addressLessIndex } : {}),
      });
    } catch (err) { decodeProblem('ospfNbrTable', row.index, err); }
  }
  return report;
}

/** An empty device ID is legal; a binary one is a MAC (6 octets) or kept as hex. */
function cdpDeviceId(vb: Varbind | undefined): string | undefined {
  const b = buf(vb);
  if (!b) return vb ? octetText(vb.value) : undefined;
  return printable(b) ?? (b.length === 6 ? normalizeMac(b) : undefined) ?? `hex:${b.toString('hex')}`;
}

export interface InterfaceIndex {
  /** the port's label: ifName, else ifDescr, else `ifIndex N` */
  label(ifIndex: number): string;
  has(ifIndex: number): boolean;
  byMac(mac: string): number | undefined;
}

/**
 * A device's ifTable by ifIndex and by MAC, built once per device (a find over the list per
 * neighbour costs interfaces x neighbours on a hub). The first interface claiming a key wins,
 * as that find did.
 */
export function interfaceIndex(report: DeviceReport): InterfaceIndex {
  const labels = new Map<number, string>();
  const macs = new Map<string, number>();
  for (const i of report.interfaces) {
    if (!labels.has(i.ifIndex)) labels.set(i.ifIndex, i.name || i.descr || `ifIndex ${i.ifIndex}`);
    if (i.mac && !macs.has(i.mac)) macs.set(i.mac, i.ifIndex);
  }
  return {
    label: (ifIndex) => labels.get(ifIndex) ?? `ifIndex ${ifIndex}`,
    has: (ifIndex) => labels.has(ifIndex),
    byMac: (mac) => macs.get(mac),
  };
}

/** interfaceIndex cached per report, for code that looks up many devices' ports (one graph build). */
export function interfaceIndexes(): (report: DeviceReport) => InterfaceIndex {
  const built = new Map<DeviceReport, InterfaceIndex>();
  return (report) => {
    let index = built.get(report);
    if (!index) built.set(report, (index = interfaceIndex(report)));
    return index;
  };
}
