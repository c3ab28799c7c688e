/**
 * The simulated network: devices (model, addresses, MACs, SNMP version and credentials) and the
 * links between their ports for a ring, tree or mesh topology. Pure data, no sockets.
 */
import type { SnmpVersion, V3Credential } from '../model/credentials.ts';
import { MODEL_BY_ID, type DeviceModel } from './models.ts';
import { hash32, unit } from './rng.ts';

export type Topology = 'ring' | 'tree' | 'mesh';

export interface PortPeer {
  device: number;
  ifIndex: number;
  link: number;
  /** true if this device is the link's `a` end (traffic direction a→b is "out" for a) */
  isA: boolean;
  localIp: string;
  peerIp: string;
  /** the link runs at the slower end's speed */
  speedMbps: number;
  /** for ifAlias: "to lab-sw-0003 Gi1/0/52" */
  description: string;
}

/** a simulated end host behind an access port (seen in FDB and ARP tables) */
export interface HostEntry {
  mac: number[];
  ip: string;
}

export interface LabDeviceFaults {
  silent: boolean;
  slowMs: number;
  /** walks return a non-increasing OID after this many varbinds into the ifTable */
  nonIncreasing: boolean;
  /** ifIndexes currently flapped down */
  downPorts: Set<number>;
}

export interface LabDevice {
  index: number;
  name: string;
  model: DeviceModel;
  /** address and port the device's agent listens on */
  address: string;
  port: number;
  /** management IPv4 used in MIB data (LLDP/CDP management address, ipAddrTable): == address in per-address mode */
  mgmtIp: string;
  chassisMac: number[];
  version: SnmpVersion;
  community: string;
  /** name of the v3 user netpulse's config uses for this device (all LAB_V3_USERS are accepted) */
  v3User?: string;
  engineId: Buffer;
  engineBoots: number;
  /** ms epoch of the last (simulated) agent boot; counters restart there */
  bootAt: number;
  peers: Map<number, PortPeer>;
  hosts: Map<number, HostEntry>;
  faults: LabDeviceFaults;
  /** ms epoch when a port last changed state, by ifIndex */
  lastChange: Map<number, number>;
  /** model-shape key: devices with equal keys share their static OID index */
  shapeKey: string;
  seed: number;
}

export const LAB_COMMUNITY = 'np-lab-ro';

/** Every v3 device accepts all these users; the generated config rotates through them. */
export const LAB_V3_USERS: V3Credential[] = [
  { version: '3', user: 'np-sha256-aes', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'lab-auth-256', privProtocol: 'AES', privKey: 'lab-priv-aes128' },
  { version: '3', user: 'np-sha512-aes256', level: 'authPriv', authProtocol: 'SHA-512', authKey: 'lab-auth-512', privProtocol: 'AES-256', privKey: 'lab-priv-aes256' },
  { version: '3', user: 'np-sha-aes', level: 'authPriv', authProtocol: 'SHA', authKey: 'lab-auth-sha1', privProtocol: 'AES', privKey: 'lab-priv-sha1aes' },
  { version: '3', user: 'np-sha224-auth', level: 'authNoPriv', authProtocol: 'SHA-224', authKey: 'lab-auth-224' },
  { version: '3', user: 'np-md5-des', level: 'authPriv', authProtocol: 'MD5', authKey: 'lab-auth-md5', privProtocol: 'DES', privKey: 'lab-priv-des' },
];

export interface NetworkOptions {
  devices: number;
  topology: Topology;
  seed: number;
  address: string;
  basePort: number;
  /** give every device its own 127.x.y.z address (all on basePort) instead of one port each */
  addressPerDevice: boolean;
  startMs: number;
}

/** 127.(1+hi).(mid).(lo) with lo in 1..254 */
export function loopbackFor(i: number, secondOctetBase = 1): string {
  const lo = (i % 254) + 1;
  const rest = Math.floor(i / 254);
  return `127.${secondOctetBase + Math.floor(rest / 256)}.${rest % 256}.${lo}`;
}

function versionFor(i: number): SnmpVersion {
  const k = i % 6;
  return k === 3 ? '1' : k >= 4 ? '3' : '2c';
}

function modelFor(i: number, seed: number, kindHint: 'router' | 'server' | 'switch'): DeviceModel {
  const pick = (ids: string[]) => MODEL_BY_ID.get(ids[hash32(seed, i, 7) % ids.length])!;
  if (kindHint === 'router') return pick(['juniper-mx204', 'cisco-isr4451']);
  if (kindHint === 'server') return pick(['linux-netsnmp']);
  return pick(['cisco-c9300-48p', 'cisco-c2960x-24', 'arista-7050sx3-48']);
}

function kindFor(i: number, n: number, topology: Topology): 'router' | 'server' | 'switch' {
  if (i % 10 === 0) return 'router';
  if (i % 5 === 4) {
    if (topology === 'tree' && 3 * i + 1 < n) return 'switch'; // tree servers must be leaves
    return 'server';
  }
  return 'switch';
}

export function buildNetwork(o: NetworkOptions): LabDevice[] {
  const devices: LabDevice[] = [];
  for (let i = 0; i < o.devices; i++) {
    const model = modelFor(i, o.seed, kindFor(i, o.devices, o.topology));
    const h = hash32(o.seed, i, 1);
    const chassisMac = [...model.oui, (i >> 10) & 0xff, (i >> 2) & 0xff, (i & 3) << 6]; // low 6 bits: port MACs
    const mgmtIp = o.addressPerDevice ? loopbackFor(i) : loopbackFor(i, 100);
    const version = versionFor(i);
    const prefix = model.kind === 'router' ? 'rtr' : model.kind === 'server' ? 'srv' : 'sw';
    const engineId = model.vendor === 'linux'
      ? Buffer.concat([Buffer.from('80001f8880', 'hex'), Buffer.from([h >>> 24, (h >>> 16) & 255, (h >>> 8) & 255, h & 255, 0x5e, 0x1a, (i >> 8) & 255, i & 255])])
      : Buffer.concat([Buffer.from({ cisco: '8000000903', juniper: '80000a4c03', arista: '8000757103' }[model.vendor], 'hex'), Buffer.from(chassisMac)]);
    devices.push({
      index: i,
      name: `lab-${prefix}-${String(i + 1).padStart(4, '0')}`,
      model,
      address: o.addressPerDevice ? mgmtIp : o.address,
      port: o.addressPerDevice || o.basePort === 0 ? o.basePort : o.basePort + i,
      mgmtIp,
      chassisMac,
      version,
      community: LAB_COMMUNITY,
      v3User: version === '3' ? LAB_V3_USERS[(Math.floor(i / 6) * 2 + (i % 6) - 4) % 4].user : undefined, // DES user not rotated in: net-snmp needs the OpenSSL legacy provider for it
      engineId,
      engineBoots: 1 + (h % 20),
      bootAt: o.startMs - Math.floor((3600 + unit(o.seed, i, 2) * 45 * 86400) * 1000),
      peers: new Map(),
      hosts: new Map(),
      faults: { silent: false, slowMs: 0, nonIncreasing: false, downPorts: new Set() },
      lastChange: new Map(),
      shapeKey: model.id,
      seed: o.seed,
    });
  }
  link(devices, o);
  addHosts(devices, o.seed);
  return devices;
}

function link(devices: LabDevice[], o: NetworkOptions): void {
  const used = new Map<number, Set<number>>();
  let linkId = 0;
  // network links take ports from the top (uplinks), server links from the bottom
  const freePort = (d: LabDevice, fromTop: boolean): number | undefined => {
    const u = used.get(d.index) ?? new Set<number>();
    used.set(d.index, u);
    const n = d.model.ports.length;
    for (let k = 0; k < n; k++) {
      const ifIndex = fromTop ? n - k : k + 1;
      if (!u.has(ifIndex)) {
        u.add(ifIndex);
        return ifIndex;
      }
    }
    return undefined;
  };
  const connect = (a: LabDevice, b: LabDevice) => {
    if (a === b) return;
    for (const p of a.peers.values()) if (p.device === b.index) return;
    const ap = freePort(a, b.model.kind !== 'server');
    const bp = freePort(b, true);
    if (ap === undefined || bp === undefined) return;
    const id = linkId++;
    const base = id * 4;
    const aIp = `127.200.${Math.floor(base / 256) % 256}.${(base % 256) + 1}`;
    const bIp = `127.200.${Math.floor(base / 256) % 256}.${(base % 256) + 2}`;
    const speedMbps = Math.min(a.model.ports[ap - 1].speedMbps, b.model.ports[bp - 1].speedMbps);
    const to = (x: LabDevice, port: number) => `to ${x.name} ${x.model.ports[port - 1].name}`;
    a.peers.set(ap, { device: b.index, ifIndex: bp, link: id, isA: true, localIp: aIp, peerIp: bIp, speedMbps, description: to(b, bp) });
    b.peers.set(bp, { device: a.index, ifIndex: ap, link: id, isA: false, localIp: bIp, peerIp: aIp, speedMbps, description: to(a, ap) });
  };
  const net = devices.filter((d) => d.model.kind !== 'server');
  if (o.topology === 'tree') {
    for (let i = 1; i < devices.length; i++) connect(devices[Math.floor((i - 1) / 3)], devices[i]);
    return;
  }
  const m = net.length;
  if (m >= 2) {
    for (let k = 0; k < m; k++) {
      if (m === 2 && k === 1) break;
      connect(net[k], net[(k + 1) % m]);
    }
    if (o.topology === 'mesh' && m > 3) for (let k = 0; k < m; k++) connect(net[k], net[(k + 2) % m]);
  }
  for (const d of devices) {
    if (d.model.kind !== 'server') continue;
    const up = [...net].reverse().find((x) => x.index < d.index) ?? net[0];
    if (up) connect(up, d);
  }
}

function addHosts(devices: LabDevice[], seed: number): void {
  for (const d of devices) {
    if (!d.model.bridge) continue;
    d.model.ports.forEach((_p, k) => {
      const ifIndex = k + 1;
      if (d.peers.has(ifIndex) || unit(seed, d.index, ifIndex, 3) > 0.35) return;
      const h = hash32(seed, d.index, ifIndex, 4);
      d.hosts.set(ifIndex, {
        mac: [0x00, 0x50, 0x56, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff],
        ip: `127.201.${d.index % 250}.${ifIndex}`,
      });
    });
  }
}

/** an up port: linked, has a host, or a flap fault has not taken it down */
export function portUp(d: LabDevice, ifIndex: number): boolean {
  if (d.faults.downPorts.has(ifIndex)) return false;
  return d.peers.has(ifIndex) || d.hosts.has(ifIndex) || ifIndex > d.model.ports.length;
}

export function portMac(d: LabDevice, ifIndex: number): number[] {
  const m = [...d.chassisMac];
  m[5] |= ifIndex & 0x3f;
  return m;
}
