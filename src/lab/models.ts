/** Device models that look like real gear: identity, ports and which vendor MIBs they serve. */
export type DeviceKind = 'switch' | 'router' | 'server';

export interface PortSpec {
  name: string;
  descr: string;
  speedMbps: number;
  /** IANAifType */
  type: number;
}

export interface DeviceModel {
  id: string;
  kind: DeviceKind;
  vendor: 'cisco' | 'juniper' | 'arista' | 'linux';
  sysObjectID: string;
  sysDescr: (hostname: string) => string;
  modelName: string;
  /** OUI of the chassis MAC */
  oui: [number, number, number];
  ports: PortSpec[];
  cpus: number;
  memoryKb: number;
  storage: { descr: string; type: 'ram' | 'virtual' | 'fixed' | 'flash'; sizeKb: number; units: number }[];
  lldpPortIdSubtype: 3 | 5 | 7;
  cdp: boolean;
  ospf: boolean;
  bridge: boolean;
  entVendorType: string;
  sysServices: number;
}

const eth = (names: string[], speed: number, descr = (n: string) => n): PortSpec[] =>
  names.map((n) => ({ name: n, descr: descr(n), speedMbps: speed, type: 6 }));
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1));

const IOS_XE = (h: string, plat: string, ver: string) =>
  `Cisco IOS Software [Amsterdam], ${plat} Software (CAT9K_IOSXE), Version ${ver}, RELEASE SOFTWARE (fc3)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2021 by Cisco Systems, Inc.\r\nCompiled Fri 20-Aug-21 03:14 by mcpre` + (h ? '' : '');

export const MODELS: DeviceModel[] = [
  {
    id: 'cisco-c9300-48p', kind: 'switch', vendor: 'cisco', sysObjectID: '1.3.6.1.4.1.9.1.2494', modelName: 'C9300-48P',
    sysDescr: (h) => IOS_XE(h, 'Catalyst L3 Switch', '17.3.4'), oui: [0x00, 0x1b, 0x54],
    ports: [...eth(range(48, (i) => `Gi1/0/${i}`), 1000, (n) => n.replace('Gi', 'GigabitEthernet')), ...eth(range(4, (i) => `Te1/1/${i}`), 10000, (n) => n.replace('Te', 'TenGigabitEthernet'))],
    cpus: 4, memoryKb: 8_388_608, storage: [{ descr: 'Processor', type: 'ram', sizeKb: 1_680_000, units: 1 }, { descr: 'flash:', type: 'flash', sizeKb: 11_000_000, units: 4096 }],
    lldpPortIdSubtype: 5, cdp: true, ospf: true, bridge: true, entVendorType: '1.3.6.1.4.1.9.12.3.1.3.1900', sysServices: 6,
  },
  {
    id: 'cisco-c2960x-24', kind: 'switch', vendor: 'cisco', sysObjectID: '1.3.6.1.4.1.9.1.1208', modelName: 'WS-C2960X-24TS-L',
    sysDescr: () => 'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2021 by Cisco Systems, Inc.\r\nCompiled Sat 05-Jun-21 21:46 by mcpre',
    oui: [0x00, 0x26, 0x0b],
    ports: [...eth(range(24, (i) => `Gi1/0/${i}`), 1000, (n) => n.replace('Gi', 'GigabitEthernet')), ...eth(range(2, (i) => `Gi1/0/${24 + i}`), 1000, (n) => n.replace('Gi', 'GigabitEthernet'))],
    cpus: 1, memoryKb: 524_288, storage: [{ descr: 'Processor', type: 'ram', sizeKb: 260_000, units: 1 }, { descr: 'flash:', type: 'flash', sizeKb: 122_000, units: 512 }],
    lldpPortIdSubtype: 5, cdp: true, ospf: false, bridge: true, entVendorType: '1.3.6.1.4.1.9.12.3.1.3.1208', sysServices: 2,
  },
  {
    id: 'arista-7050sx3-48', kind: 'switch', vendor: 'arista', sysObjectID: '1.3.6.1.4.1.30065.1.3011.7050.3741.48', modelName: 'DCS-7050SX3-48YC8',
    sysDescr: () => 'Arista Networks EOS version 4.28.3M running on an Arista Networks DCS-7050SX3-48YC8', oui: [0x00, 0x1c, 0x73],
    ports: [...eth(range(48, (i) => `Ethernet${i}`), 25000), ...eth(range(8, (i) => `Ethernet${48 + i}/1`), 100000)],
    cpus: 4, memoryKb: 16_000_000, storage: [{ descr: 'RAM', type: 'ram', sizeKb: 16_000_000, units: 1024 }, { descr: '/mnt/flash', type: 'flash', sizeKb: 3_900_000, units: 4096 }],
    lldpPortIdSubtype: 5, cdp: false, ospf: true, bridge: true, entVendorType: '1.3.6.1.4.1.30065.3.1.1.3011.7050.3741.48', sysServices: 14,
  },
  {
    id: 'juniper-mx204', kind: 'router', vendor: 'juniper', sysObjectID: '1.3.6.1.4.1.2636.1.1.1.2.150', modelName: 'MX204',
    sysDescr: (h) => `Juniper Networks, Inc. mx204 internet router, kernel JUNOS 21.4R3-S3.4, Build date: 2023-03-14 09:12:40 UTC Copyright (c) 1996-2023 Juniper Networks, Inc.${h ? '' : ''}`,
    oui: [0x00, 0x05, 0x85],
    ports: [...eth(range(4, (i) => `et-0/0/${i - 1}`), 100000), ...eth(range(8, (i) => `xe-0/1/${i - 1}`), 10000)],
    cpus: 8, memoryKb: 33_554_432, storage: [{ descr: 'RAM', type: 'ram', sizeKb: 32_000_000, units: 1024 }, { descr: '/var', type: 'fixed', sizeKb: 40_000_000, units: 4096 }],
    lldpPortIdSubtype: 7, cdp: false, ospf: true, bridge: false, entVendorType: '1.3.6.1.4.1.2636.1.1.2.2.150', sysServices: 4,
  },
  {
    id: 'cisco-isr4451', kind: 'router', vendor: 'cisco', sysObjectID: '1.3.6.1.4.1.9.1.2068', modelName: 'ISR4451-X/K9',
    sysDescr: () => 'Cisco IOS Software [Bengaluru], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.6.5, RELEASE SOFTWARE (fc2)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2023 by Cisco Systems, Inc.\r\nCompiled Wed 25-Jan-23 16:17 by mcpre',
    oui: [0x70, 0x6d, 0x15],
    ports: eth(range(4, (i) => `Gi0/0/${i - 1}`), 1000, (n) => n.replace('Gi', 'GigabitEthernet')),
    cpus: 4, memoryKb: 8_388_608, storage: [{ descr: 'Processor', type: 'ram', sizeKb: 2_000_000, units: 1 }, { descr: 'bootflash:', type: 'flash', sizeKb: 7_000_000, units: 4096 }],
    lldpPortIdSubtype: 5, cdp: true, ospf: true, bridge: false, entVendorType: '1.3.6.1.4.1.9.12.3.1.3.1488', sysServices: 6,
  },
  {
    id: 'linux-netsnmp', kind: 'server', vendor: 'linux', sysObjectID: '1.3.6.1.4.1.8072.3.2.10', modelName: 'PowerEdge R650',
    sysDescr: (h) => `Linux ${h} 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 x86_64`, oui: [0x52, 0x54, 0x00],
    ports: eth(['eth0', 'eth1'], 10000),
    cpus: 8, memoryKb: 65_843_200,
    storage: [
      { descr: 'Physical memory', type: 'ram', sizeKb: 65_843_200, units: 1024 },
      { descr: 'Virtual memory', type: 'virtual', sizeKb: 74_231_808, units: 1024 },
      { descr: '/', type: 'fixed', sizeKb: 102_687_672, units: 4096 },
      { descr: '/var', type: 'fixed', sizeKb: 411_176_996, units: 4096 },
    ],
    lldpPortIdSubtype: 3, cdp: false, ospf: false, bridge: false, entVendorType: '0.0', sysServices: 72,
  },
];

export const MODEL_BY_ID = new Map(MODELS.map((m) => [m.id, m]));
