/**
 * OIDs every device of one model serves (system, IF-MIB, HOST-RESOURCES, ENTITY, LLDP local,
 * BRIDGE base, OSPF scalars, SNMP engine). Built once per model; values come from the device.
 */
import type { DeviceModel } from './models.ts';
import { MibBuilder, type MibEntry, type ValueFn } from './mib-index.ts';
import { portMac, portUp, type LabDevice } from './network.ts';
import { portCounters, wrap32 } from './traffic.ts';
import { unit } from './rng.ts';

const ticks = (d: LabDevice, now: number) => Math.floor((now - d.bootAt) / 10) >>> 0;
const str = (s: string) => Buffer.from(s);

const STORAGE_TYPE = { ram: '1.3.6.1.2.1.25.2.1.2', virtual: '1.3.6.1.2.1.25.2.1.3', fixed: '1.3.6.1.2.1.25.2.1.4', flash: '1.3.6.1.2.1.25.2.1.9' };

export function loopbackName(m: DeviceModel): string {
  return m.vendor === 'juniper' ? 'lo0' : m.vendor === 'linux' ? 'lo' : m.vendor === 'arista' ? 'Loopback0' : 'Loopback0';
}

export function buildStatic(m: DeviceModel): MibEntry[] {
  const b = new MibBuilder();
  const P = m.ports.length;
  const ifCount = P + 1;

  // SNMPv2-MIB system
  const sys = '1.3.6.1.2.1.1';
  b.add(`${sys}.1.0`, 'OctetString', (d) => str(d.model.sysDescr(d.name)));
  b.add(`${sys}.2.0`, 'OID', () => m.sysObjectID);
  b.add(`${sys}.3.0`, 'TimeTicks', ticks);
  b.add(`${sys}.4.0`, 'OctetString', () => str('NOC <noc@example.net>'));
  b.add(`${sys}.5.0`, 'OctetString', (d) => str(d.name));
  b.add(`${sys}.6.0`, 'OctetString', (d) => str(`DC${1 + (d.index % 3)}, row ${1 + (d.index % 12)}, rack ${1 + (d.index % 40)}`));
  b.add(`${sys}.7.0`, 'Integer', () => m.sysServices);

  // IF-MIB
  b.add('1.3.6.1.2.1.2.1.0', 'Integer', () => ifCount);
  const ift = '1.3.6.1.2.1.2.2.1';
  const ifx = '1.3.6.1.2.1.31.1.1.1';
  for (let i = 1; i <= ifCount; i++) {
    const port = m.ports[i - 1];
    const name = port ? port.name : loopbackName(m);
    const descr = port ? port.descr : loopbackName(m);
    const speedMbps = port ? port.speedMbps : 0;
    const type = port ? port.type : 24;
    const c = (out: boolean) => (d: LabDevice, now: number) => portCounters(d, i, out, now, d.seed);
    const cin = c(false);
    const cout = c(true);
    const oper: ValueFn = (d) => (portUp(d, i) ? 1 : 2);
    const admin: ValueFn = (d) => (portUp(d, i) || d.faults.downPorts.has(i) || unit(d.seed, d.index, i, 30) < 0.7 ? 1 : 2);
    const lastChange: ValueFn = (d) => {
      const t = d.lastChange.get(i);
      return t && t > d.bootAt ? Math.floor((t - d.bootAt) / 10) >>> 0 : 0;
    };
    const phys: ValueFn = (d) => (port ? Buffer.from(portMac(d, i)) : Buffer.alloc(0));
    b.row(ift, String(i), {
      1: ['Integer', () => i],
      2: ['OctetString', () => str(descr)],
      3: ['Integer', () => type],
      4: ['Integer', () => (port ? (m.kind === 'server' ? 1500 : 9216) : 65535)],
      5: ['Gauge32', () => (speedMbps >= 4295 ? 4294967295 : speedMbps * 1_000_000)],
      6: ['OctetString', phys],
      7: ['Integer', admin],
      8: ['Integer', oper],
      9: ['TimeTicks', lastChange],
      10: ['Counter32', (d, n) => wrap32(cin(d, n).octets)],
      11: ['Counter32', (d, n) => wrap32(cin(d, n).ucast)],
      12: ['Counter32', (d, n) => wrap32(cin(d, n).mcast + cin(d, n).bcast)],
      13: ['Counter32', (d, n) => wrap32(cin(d, n).discards)],
      14: ['Counter32', (d, n) => wrap32(cin(d, n).errors)],
      15: ['Counter32', () => 0],
      16: ['Counter32', (d, n) => wrap32(cout(d, n).octets)],
      17: ['Counter32', (d, n) => wrap32(cout(d, n).ucast)],
      18: ['Counter32', (d, n) => wrap32(cout(d, n).mcast + cout(d, n).bcast)],
      19: ['Counter32', (d, n) => wrap32(cout(d, n).discards)],
      20: ['Counter32', (d, n) => wrap32(cout(d, n).errors)],
      21: ['Gauge32', () => 0],
      22: ['OID', () => '0.0'],
    });
    const big = (f: (d: LabDevice, n: number) => number): ValueFn => (d, n) => BigInt(f(d, n));
    b.row(ifx, String(i), {
      1: ['OctetString', () => str(name)],
      2: ['Counter32', (d, n) => wrap32(cin(d, n).mcast)],
      3: ['Counter32', (d, n) => wrap32(cin(d, n).bcast)],
      4: ['Counter32', (d, n) => wrap32(cout(d, n).mcast)],
      5: ['Counter32', (d, n) => wrap32(cout(d, n).bcast)],
      6: ['Counter64', big((d, n) => cin(d, n).octets)],
      7: ['Counter64', big((d, n) => cin(d, n).ucast)],
      8: ['Counter64', big((d, n) => cin(d, n).mcast)],
      9: ['Counter64', big((d, n) => cin(d, n).bcast)],
      10: ['Counter64', big((d, n) => cout(d, n).octets)],
      11: ['Counter64', big((d, n) => cout(d, n).ucast)],
      12: ['Counter64', big((d, n) => cout(d, n).mcast)],
      13: ['Counter64', big((d, n) => cout(d, n).bcast)],
      14: ['Integer', () => (port ? 1 : 2)],
      15: ['Gauge32', () => speedMbps],
      16: ['Integer', () => 2],
      17: ['Integer', () => (port ? 1 : 2)],
      18: ['OctetString', (d) => {
        const p = d.peers.get(i);
        return str(p ? p.description : d.hosts.has(i) ? 'access' : '');
      }],
      19: ['TimeTicks', () => 0],
    });
  }

  // SNMP-FRAMEWORK-MIB snmpEngine
  b.add('1.3.6.1.6.3.10.2.1.1.0', 'OctetString', (d) => d.engineId);
  b.add('1.3.6.1.6.3.10.2.1.2.0', 'Integer', (d) => d.engineBoots);
  b.add('1.3.6.1.6.3.10.2.1.3.0', 'Integer', (d, n) => Math.floor((n - d.bootAt) / 1000));
  b.add('1.3.6.1.6.3.10.2.1.4.0', 'Integer', () => 1500);

  // HOST-RESOURCES-MIB
  b.add('1.3.6.1.2.1.25.1.1.0', 'TimeTicks', ticks);
  b.add('1.3.6.1.2.1.25.1.5.0', 'Gauge32', (d, n) => (m.kind === 'server' ? 1 + Math.floor(unit(d.index, Math.floor(n / 600_000)) * 4) : 0));
  b.add('1.3.6.1.2.1.25.1.6.0', 'Gauge32', (d, n) => 180 + Math.floor(unit(d.index, Math.floor(n / 60_000)) * 60));
  b.add('1.3.6.1.2.1.25.2.2.0', 'Integer', () => m.memoryKb);
  m.storage.forEach((s, k) => {
    const idx = k + 1;
    const units = s.units;
    const size = Math.floor((s.sizeKb * 1024) / units);
    b.row('1.3.6.1.2.1.25.2.3.1', String(idx), {
      1: ['Integer', () => idx],
      2: ['OID', () => STORAGE_TYPE[s.type]],
      3: ['OctetString', () => str(s.descr)],
      4: ['Integer', () => units],
      5: ['Integer', () => Math.min(size, 2147483647)],
      6: ['Integer', (d, n) => {
        const base = 0.2 + unit(d.seed, d.index, idx, 40) * 0.6;
        const wobble = 0.05 * Math.sin(n / 3_600_000 + d.index);
        return Math.min(2147483647, Math.floor(size * Math.max(0.01, Math.min(0.99, base + wobble))));
      }],
      7: ['Counter32', () => 0],
    });
  });
  for (let c = 0; c < m.cpus; c++) {
    const idx = 196608 + c;
    b.row('1.3.6.1.2.1.25.3.2.1', String(idx), {
      1: ['Integer', () => idx],
      2: ['OID', () => '1.3.6.1.2.1.25.3.1.3'],
      3: ['OctetString', () => str(m.vendor === 'linux' ? 'GenuineIntel: Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz' : `${m.modelName} CPU ${c}`)],
      4: ['OID', () => '0.0'],
      5: ['Integer', () => 2],
      6: ['Counter32', () => 0],
    });
    b.row('1.3.6.1.2.1.25.3.3.1', String(idx), {
      1: ['OID', () => '0.0'],
      2: ['Integer', (d, n) => {
        const base = 5 + unit(d.seed, d.index, 50) * 45;
        return Math.max(0, Math.min(100, Math.round(base + 20 * Math.sin(n / 300_000 + c + d.index) + 5 * unit(d.index, c, Math.floor(n / 5000)))));
      }],
    });
  }

  // ENTITY-MIB entPhysicalTable: chassis, 2 PSUs, fan tray, then one row per port
  const ent = '1.3.6.1.2.1.47.1.1.1.1';
  const entRow = (idx: number, descr: string, cls: number, parent: number, rel: number, name: string, serial: ValueFn, fru: boolean) => b.row(ent, String(idx), {
    2: ['OctetString', () => str(descr)],
    3: ['OID', () => m.entVendorType],
    4: ['Integer', () => parent],
    5: ['Integer', () => cls],
    6: ['Integer', () => rel],
    7: ['OctetString', () => str(name)],
    8: ['OctetString', () => str(cls === 3 ? 'V02' : '')],
    9: ['OctetString', () => str('')],
    10: ['OctetString', () => str(cls === 3 ? (m.sysDescr('x').match(/Version ([^,\s]+)|JUNOS (\S+)|EOS version (\S+)|Linux \S+ (\S+)/)?.slice(1).find(Boolean) ?? '') : '')],
    11: ['OctetString', serial],
    12: ['OctetString', () => str({ cisco: 'Cisco Systems, Inc.', juniper: 'Juniper Networks', arista: 'Arista Networks', linux: 'Dell Inc.' }[m.vendor])],
    13: ['OctetString', () => str(cls === 3 ? m.modelName : cls === 10 ? '' : cls === 6 ? 'PWR-AC-1100' : 'FAN-TRAY')],
    14: ['OctetString', () => str('')],
    15: ['OctetString', () => str('')],
    16: ['Integer', () => (fru ? 1 : 2)],
  });
  const serialOf = (d: LabDevice, k: number) => {
    const prefix = { cisco: 'FOC', juniper: 'JN1', arista: 'JPE', linux: 'CN7' }[m.vendor];
    return str(`${prefix}${(Math.floor(unit(d.seed, d.index, 60, k) * 1e8) + d.index).toString(36).toUpperCase().padStart(8, '0')}`);
  };
  entRow(1, `${m.modelName} chassis`, 3, 0, -1, 'Chassis', (d) => serialOf(d, 0), false);
  entRow(2, 'Power Supply 1', 6, 1, 1, 'PSU 1', (d) => serialOf(d, 1), true);
  entRow(3, 'Power Supply 2', 6, 1, 2, 'PSU 2', (d) => serialOf(d, 2), true);
  entRow(4, 'Fan Tray', 7, 1, 3, 'Fan Tray 1', (d) => serialOf(d, 3), true);
  m.ports.forEach((p, k) => entRow(1000 + k + 1, p.descr, 10, 1, k + 1, p.name, () => str(''), false));
  // ENTITY-MIB entAliasMappingIdentifier: port entity → ifIndex
  m.ports.forEach((_p, k) => b.add(`1.3.6.1.2.1.47.1.3.2.1.2.${1000 + k + 1}.0`, 'OID', () => `1.3.6.1.2.1.2.2.1.1.${k + 1}`));

  // LLDP-MIB local system and ports
  const lldp = '1.0.8802.1.1.2.1';
  b.add(`${lldp}.3.1.0`, 'Integer', () => 4);
  b.add(`${lldp}.3.2.0`, 'OctetString', (d) => Buffer.from(d.chassisMac));
  b.add(`${lldp}.3.3.0`, 'OctetString', (d) => str(d.name));
  b.add(`${lldp}.3.4.0`, 'OctetString', (d) => str(d.model.sysDescr(d.name)));
  b.add(`${lldp}.3.5.0`, 'OctetString', () => Buffer.from([lldpCaps(m)]));
  b.add(`${lldp}.3.6.0`, 'OctetString', () => Buffer.from([lldpCaps(m)]));
  m.ports.forEach((p, k) => {
    const i = k + 1;
    b.row(`${lldp}.3.7.1`, String(i), {
      2: ['Integer', () => m.lldpPortIdSubtype],
      3: ['OctetString', (d) => lldpPortId(d, i)],
      4: ['OctetString', () => str(p.descr)],
    });
  });

  if (m.bridge) {
    b.add('1.3.6.1.2.1.17.1.1.0', 'OctetString', (d) => Buffer.from(d.chassisMac));
    b.add('1.3.6.1.2.1.17.1.2.0', 'Integer', () => P);
    b.add('1.3.6.1.2.1.17.1.3.0', 'Integer', () => 2);
    for (let i = 1; i <= P; i++) {
      b.row('1.3.6.1.2.1.17.1.4.1', String(i), { 1: ['Integer', () => i], 2: ['Integer', () => i], 3: ['OID', () => '0.0'], 4: ['Counter32', () => 0], 5: ['Counter32', () => 0] });
    }
    b.add('1.3.6.1.2.1.17.4.2.0', 'Integer', () => 300);
  }
  if (m.ospf) {
    b.add('1.3.6.1.2.1.14.1.1.0', 'IpAddress', (d) => d.mgmtIp);
    b.add('1.3.6.1.2.1.14.1.2.0', 'Integer', () => 1);
  }
  if (m.cdp) b.add('1.3.6.1.4.1.9.9.23.1.3.1.0', 'Integer', () => 1);
  return b.build();
}

/** LLDP system capabilities BITS (first octet): bridge=0x20, router=0x08, station=0x01 */
export function lldpCaps(m: DeviceModel): number {
  return m.kind === 'server' ? 0x01 : m.kind === 'router' ? 0x08 : m.ospf ? 0x28 : 0x20;
}

/** the port ID this device advertises for ifIndex, per its model's LLDP port ID subtype */
export function lldpPortId(d: LabDevice, ifIndex: number): Buffer {
  const m = d.model;
  if (m.lldpPortIdSubtype === 3) return Buffer.from(portMac(d, ifIndex));
  if (m.lldpPortIdSubtype === 7) return str(String(ifIndex)); // Junos: the local port ID is the ifIndex
  return str(m.ports[ifIndex - 1]?.name ?? '');
}
