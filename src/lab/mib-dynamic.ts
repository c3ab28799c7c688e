/**
 * OIDs whose index depends on the device's place in the topology: IP addresses, LLDP/CDP
 * neighbours, forwarding tables, ARP, OSPF neighbours. Built per device on first use.
 */
import { MibBuilder, ipBuf, type MibEntry } from './mib-index.ts';
import { lldpCaps, lldpPortId } from './mib-static.ts';
import { portMac, portUp, type LabDevice } from './network.ts';

const str = (s: string) => Buffer.from(s);

export function buildDynamic(d: LabDevice, all: LabDevice[]): MibEntry[] {
  const b = new MibBuilder();
  const m = d.model;
  const loIf = m.ports.length + 1;
  const addrs: { ip: string; ifIndex: number; mask: string; prefix: number }[] = [{ ip: d.mgmtIp, ifIndex: loIf, mask: '255.255.255.255', prefix: 32 }];
  for (const [ifIndex, p] of d.peers) addrs.push({ ip: p.localIp, ifIndex, mask: '255.255.255.252', prefix: 30 });

  // IP-MIB ipAddrTable, ipAddressTable and the ipAddressPrefixTable rows its ipAddressPrefix points at
  for (const a of addrs) {
    b.row('1.3.6.1.2.1.4.20.1', a.ip, {
      1: ['IpAddress', () => a.ip], 2: ['Integer', () => a.ifIndex], 3: ['IpAddress', () => a.mask], 4: ['Integer', () => 1], 5: ['Integer', () => 18024],
    });
    const net = a.ip.split('.').map(Number);
    if (a.prefix === 30) net[3] &= 0xfc;
    b.row('1.3.6.1.2.1.4.34.1', `1.4.${a.ip}`, {
      3: ['Integer', () => a.ifIndex], 4: ['Integer', () => 1],
      5: ['OID', () => `1.3.6.1.2.1.4.32.1.5.${a.ifIndex}.1.4.${net.join('.')}.${a.prefix}`],
      6: ['Integer', () => 2], 7: ['Integer', () => 1], 8: ['TimeTicks', () => 0], 9: ['TimeTicks', () => 0], 10: ['Integer', () => 1], 11: ['Integer', () => 3],
    });
    // origin manual(2), onLink true, autonomous false, lifetimes infinite
    b.row('1.3.6.1.2.1.4.32.1', `${a.ifIndex}.1.4.${net.join('.')}.${a.prefix}`, {
      5: ['Integer', () => 2], 6: ['Integer', () => 1], 7: ['Integer', () => 2], 8: ['Gauge32', () => 4294967295], 9: ['Gauge32', () => 4294967295],
    });
  }

  const lldp = '1.0.8802.1.1.2.1';
  b.row(`${lldp}.3.8.1`, `1.4.${d.mgmtIp}`, {
    3: ['Integer', () => 2], 4: ['Integer', () => loIf], 5: ['OID', () => '0.0'],
  });
  // a link with either end flapped down has no neighbour on it (the responder rebuilds on flaps)
  const linkUp = (ifIndex: number, r: LabDevice, rIfIndex: number) => !d.faults.downPorts.has(ifIndex) && !r.faults.downPorts.has(rIfIndex);
  // LLDP-MIB lldpRemTable (timeMark 0, local port, remIndex) and lldpRemManAddrTable
  let remIndex = 0;
  for (const [ifIndex, p] of [...d.peers].sort((x, y) => x[0] - y[0])) {
    const r = all[p.device];
    const ri = ++remIndex;
    if (!linkUp(ifIndex, r, p.ifIndex)) continue;
    const idx = `0.${ifIndex}.${ri}`;
    b.row(`${lldp}.4.1.1`, idx, {
      4: ['Integer', () => 4],
      5: ['OctetString', () => Buffer.from(r.chassisMac)],
      6: ['Integer', () => r.model.lldpPortIdSubtype],
      7: ['OctetString', () => lldpPortId(r, p.ifIndex)],
      8: ['OctetString', () => str(r.model.ports[p.ifIndex - 1]?.descr ?? '')],
      9: ['OctetString', () => str(r.name)],
      10: ['OctetString', () => str(r.model.sysDescr(r.name))],
      11: ['OctetString', () => Buffer.from([lldpCaps(r.model)])],
      12: ['OctetString', () => Buffer.from([lldpCaps(r.model)])],
    });
    b.row(`${lldp}.4.2.1`, `${idx}.1.4.${r.mgmtIp}`, {
      3: ['Integer', () => 2], 4: ['Integer', () => r.model.ports.length + 1], 5: ['OID', () => '0.0'],
    });
  }

  // CISCO-CDP-MIB cdpCacheTable (only Cisco neighbours speak CDP)
  if (m.cdp) {
    for (const [ifIndex, p] of d.peers) {
      const r = all[p.device];
      if (!r.model.cdp || !linkUp(ifIndex, r, p.ifIndex)) continue;
      b.row('1.3.6.1.4.1.9.9.23.1.2.1.1', `${ifIndex}.${p.device + 1}`, {
        3: ['Integer', () => 1],
        4: ['OctetString', () => ipBuf(r.mgmtIp)],
        5: ['OctetString', () => str(r.model.sysDescr(r.name))],
        6: ['OctetString', () => str(`${r.name}.lab.example.net`)],
        7: ['OctetString', () => str(r.model.ports[p.ifIndex - 1]?.descr ?? '')],
        8: ['OctetString', () => str(`cisco ${r.model.modelName}`)],
        9: ['OctetString', () => Buffer.from([0, 0, 0, r.model.kind === 'router' ? 0x01 : 0x28])],
      });
    }
  }

  // BRIDGE-MIB / Q-BRIDGE-MIB forwarding tables: fdb.ts (they span the whole L2 domain)

  // IP-MIB ARP: ipNetToMediaTable and ipNetToPhysicalTable
  const arp: { ifIndex: number; ip: string; mac: number[] }[] = [];
  for (const [ifIndex, p] of d.peers) arp.push({ ifIndex, ip: p.peerIp, mac: portMac(all[p.device], p.ifIndex) });
  if (m.kind !== 'server' && (m.ospf || m.kind === 'router')) for (const [ifIndex, h] of d.hosts) arp.push({ ifIndex, ip: h.ip, mac: h.mac });
  for (const a of arp) {
    b.row('1.3.6.1.2.1.4.22.1', `${a.ifIndex}.${a.ip}`, {
      1: ['Integer', () => a.ifIndex], 2: ['OctetString', () => Buffer.from(a.mac)], 3: ['IpAddress', () => a.ip], 4: ['Integer', () => 3],
    });
    b.row('1.3.6.1.2.1.4.35.1', `${a.ifIndex}.1.4.${a.ip}`, {
      4: ['OctetString', () => Buffer.from(a.mac)], 5: ['TimeTicks', (dd, n) => Math.floor((n - dd.bootAt) / 10) >>> 0],
      6: ['Integer', () => 3], 7: ['Integer', () => 1], 8: ['Integer', () => 1],
    });
  }

  // OSPF-MIB ospfNbrTable: adjacencies with OSPF-speaking neighbours (Full while the port is up)
  if (m.ospf) {
    for (const [ifIndex, p] of d.peers) {
      const r = all[p.device];
      if (!r.model.ospf) continue;
      b.row('1.3.6.1.2.1.14.10.1', `${p.peerIp}.0`, {
        1: ['IpAddress', () => p.peerIp], 2: ['Integer', () => 0], 3: ['IpAddress', () => r.mgmtIp], 4: ['Integer', () => 2],
        5: ['Integer', () => 1], 6: ['Integer', (dd) => (portUp(dd, ifIndex) ? 8 : 1)],
        7: ['Counter32', (dd) => 6 + dd.engineBoots], 8: ['Gauge32', () => 0], 9: ['Integer', () => 1], 10: ['Integer', () => 2], 11: ['Integer', () => 2],
      });
    }
  }
  return b.build();
}

/** the subtrees buildDynamic fills: the responder skips the per-device index outside them */
export const DYNAMIC_SUBTREES: number[][] = [
  '1.0.8802.1.1.2.1.3.8', '1.0.8802.1.1.2.1.4', '1.3.6.1.2.1.4.20', '1.3.6.1.2.1.4.22', '1.3.6.1.2.1.4.34',
  '1.3.6.1.2.1.4.32', '1.3.6.1.2.1.4.35', '1.3.6.1.2.1.14.10', '1.3.6.1.4.1.9.9.23.1.2',
].map((s) => s.split('.').map(Number));
