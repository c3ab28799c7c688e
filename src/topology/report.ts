/** What discovery learns from one managed device: the raw material of the graph. */
export interface InterfaceInfo {
  ifIndex: number;
  name?: string;
  descr?: string;
  alias?: string;
  mac?: string;
}

export interface LldpNeighbor {
  localPortNum: number;
  /** local interface resolved from lldpLocPortTable (ifIndex when it maps) */
  localIfIndex?: number;
  localPort?: string;
  chassisIdSubtype: number;
  chassisId: string;
  portIdSubtype: number;
  portId: string;
  portDesc?: string;
  sysName?: string;
  managementAddresses: string[];
}

export interface CdpNeighbor {
  localIfIndex: number;
  deviceId: string;
  port?: string;
  address?: string;
  platform?: string;
}

export interface FdbEntry {
  mac: string;
  bridgePort: number;
  ifIndex?: number;
  vlan?: number;
}

export interface ArpEntry {
  ifIndex: number;
  ip: string;
  mac: string;
}

export interface OspfNeighbor {
  ip: string;
  routerId: string;
  state: number;
  /** ospfNbrAddressLessIndex when not 0: the adjacency is over this unnumbered interface (our ifIndex), `ip` the neighbour's loopback */
  addressLessIndex?: number;
}

export interface IpAddressEntry {
  ip: string;
  ifIndex: number;
  /** prefix length when known */
  prefixLength?: number;
}

/** A row of the device's own lldpLocPortTable: what it advertises as port ID on each port. */
export interface LldpLocalPort {
  portNum: number;
  portIdSubtype: number;
  portId: string;
  ifIndex?: number;
}

export interface DeviceReport {
  device: string;
  address: string;
  sysName?: string;
  chassisIdSubtype?: number;
  chassisId?: string;
  bridgeAddress?: string;
  ospfRouterId?: string;
  interfaces: InterfaceInfo[];
  addresses: IpAddressEntry[];
  lldp: LldpNeighbor[];
  cdp: CdpNeighbor[];
  fdb: FdbEntry[];
  arp: ArpEntry[];
  ospf: OspfNeighbor[];
  /** lldpLocPortTable, so neighbours' port IDs (MAC, local number) map to this device's ifIndex */
  lldpLocalPorts?: LldpLocalPort[];
  /** tables that could not be read, and decode problems: `lldpRemTable: timeout` */
  problems: string[];
  /** labels of the tables that failed (rows they did return are kept): `lldpRemTable` */
  failedTables?: string[];
  /** the device could not be reached at all */
  unreachable?: string;
}

export function emptyReport(device: string, address: string): DeviceReport {
  return { device, address, interfaces: [], addresses: [], lldp: [], cdp: [], fdb: [], arp: [], ospf: [], problems: [] };
}
