import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/topology/graph.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import type { DeviceReport } from '../../src/topology/report.ts';
import { lldp, mac, sw } from './fixtures.ts';

const pairs = (g: ReturnType<typeof buildGraph>) =>
  g.links.map((l) => [`${l.a.node}:${l.a.port}`, `${l.b.node}:${l.b.port}`].sort().join(' - ')).sort();

/** what a report of a device that timed out holds */
function silent(r: DeviceReport): DeviceReport {
  return { ...r, sysName: undefined, chassisId: undefined, chassisIdSubtype: undefined, interfaces: [], lldp: [], cdp: [], unreachable: 'snmp: agent x: get: timeout after 1 retries' };
}

describe('a link keeps its identity when the far end does not answer', () => {
  it.each<[string, (a: DeviceReport, b: DeviceReport) => void]>([
    ['LLDP port ID in the long form', (a, b) => lldp(a, 1, b, 2, { portId: 'GigabitEthernet0/2' })],
    ['CDP port in the long form', (a, b) => a.cdp.push({ localIfIndex: 1, deviceId: 'sw2.lab', port: 'GigabitEthernet0/2', address: b.address })],
    ['LLDP port ID a MAC (lldpd)', (a, b) => lldp(a, 1, b, 2, { portIdSubtype: 3, portId: mac(2, 2), portDesc: undefined })],
    ['LLDP port ID a local number (Junos)', (a, b) => lldp(a, 1, b, 2, { portIdSubtype: 7, portId: '502', portDesc: undefined })],
  ])('%s: no events while it is silent nor when it is back, firstSeen kept', (_, seen) => {
    const run = (bDown: boolean) => {
      const a = sw(1), b = sw(2);
      b.lldpLocalPorts = [{ portNum: 2, portIdSubtype: 7, portId: '502', ifIndex: 2 }];
      seen(a, b);
      lldp(b, 2, a, 1);
      return [a, bDown ? silent(b) : b];
    };
    const g1 = buildGraph(run(false), 1000);
    expect(pairs(g1)).toEqual(['sw1:Gi0/1 - sw2:Gi0/2']);
    const g2 = buildGraph(run(true), 2000, g1);
    const g3 = buildGraph(run(false), 3000, g2);
    expect(pairs(g2)).toEqual(['sw1:Gi0/1 - sw2:Gi0/2']);
    expect(diffLinks(g1, g2)).toEqual([]);
    expect(diffLinks(g2, g3)).toEqual([]);
    expect(g3.links.map((l) => l.firstSeen)).toEqual([1000]);
  });
});

describe('matching neighbours to managed devices', () => {
  const nb = (sysName: string, chassisId: string, port: number) => ({
    localPortNum: port, localIfIndex: port, localPort: `Gi0/${port}`, chassisIdSubtype: 4, chassisId,
    portIdSubtype: 5, portId: 'Gi0/24', sysName, managementAddresses: ['10.77.0.1'],
  });

  it('a sysName match to a device whose chassis ID differs is another box (and not the device itself)', () => {
    const [a, b] = [sw(1), sw(2)];
    b.sysName = 'Switch';
    a.lldp.push(nb('Switch', '0a:0b:0c:0d:0e:0f', 3));
    b.lldp.push(nb('Switch', '0a:0b:0c:0d:0e:10', 4));
    const g = buildGraph([a, b], 1);
    expect(pairs(g)).toEqual(['lldp:0a:0b:0c:0d:0e:0f:Gi0/24 - sw1:Gi0/3', 'lldp:0a:0b:0c:0d:0e:10:Gi0/24 - sw2:Gi0/4']);
    expect(g.anomalies).toEqual([]);
  });

  it.each([
    ['another domain', 'sw2.branch.example.net', false],
    ['the same FQDN', 'sw2.lab', true],
    ['a longer form of the domain', 'sw2.lab.example.net', true],
    ['no domain', 'SW2', true],
  ])('sysName with %s (chassis ID not comparable)', (_, sysName, matches) => {
    const [a, b] = [sw(1), sw(2)];
    a.lldp.push({ ...nb(sysName, 'serial-XYZ', 3), chassisIdSubtype: 7, managementAddresses: [] });
    const g = buildGraph([a, b], 1);
    expect(g.links[0].b.node === 'sw2' || g.links[0].a.node === 'sw2').toBe(matches);
  });

  it('a local chassis ID that happens to read as a MAC is not matched as one', () => {
    const [a, b] = [sw(1), sw(2)];
    a.lldp.push({ ...nb('server9', mac(2, 1).replace(/:/g, ''), 4), chassisIdSubtype: 7, managementAddresses: [] });
    expect(buildGraph([a, b], 1).nodes.map((n) => n.id)).toEqual(['lldp:020000020001', 'sw1', 'sw2']);
  });

  it('LLDP port ID subtype local from a managed peer maps through its lldpLocPortTable: one link, no anomaly', () => {
    const [a, b] = [sw(1), sw(2)];
    b.lldpLocalPorts = [{ portNum: 2, portIdSubtype: 7, portId: '2', ifIndex: 2 }];
    lldp(a, 1, b, 2, { portIdSubtype: 7, portId: '2', portDesc: undefined });
    lldp(b, 2, a, 1);
    const g = buildGraph([a, b], 1);
    expect(pairs(g)).toEqual(['sw1:Gi0/1 - sw2:Gi0/2']);
    expect(g.anomalies).toEqual([]);
  });

  it('a CDP device ID in the NX-OS form name(serial) matches the sysName', () => {
    const [a, b] = [sw(1), sw(2)];
    b.sysName = 'n7k-core1';
    a.cdp.push({ localIfIndex: 1, deviceId: 'n7k-core1(JAF1234ABCD)', port: 'Ethernet1/1', address: '10.200.0.2' });
    expect(buildGraph([a, b], 1).nodes.map((n) => n.id)).toEqual(['sw1', 'sw2']);
  });
});

describe('unmanaged neighbours', () => {
  const seen = (r: DeviceReport, port: number, chassisId: string, sysName: string, portId = 'Gi0/1', portDesc?: string) => r.lldp.push({
    localPortNum: port, localIfIndex: port, localPort: `Gi0/${port}`, chassisIdSubtype: 4, chassisId, portIdSubtype: 5, portId, portDesc, sysName, managementAddresses: [],
  });

  it('boxes sharing a default sysName stay apart (keyed by chassis ID)', () => {
    const [a, b] = [sw(1), sw(2)];
    seen(a, 3, '0a:00:00:00:00:01', 'Switch');
    seen(b, 3, '0a:00:00:00:00:02', 'Switch');
    seen(b, 4, '0a:00:00:00:00:01', 'Switch');
    const g = buildGraph([a, b], 1);
    expect(g.nodes.filter((n) => !n.managed).map((n) => n.id)).toEqual(['lldp:0a:00:00:00:00:01', 'lldp:0a:00:00:00:00:02']);
    expect(pairs(g)).toEqual(['lldp:0a:00:00:00:00:01:Gi0/1 - sw1:Gi0/3', 'lldp:0a:00:00:00:00:01:Gi0/1 - sw2:Gi0/4', 'lldp:0a:00:00:00:00:02:Gi0/1 - sw2:Gi0/3']);
  });

  it.each([
    ['plain host name', 'acc9.branch.example'],
    ['NX-OS name(serial)', 'acc9(FOX1234)'],
  ])('a Cisco box speaking LLDP and CDP is one node and one link (%s)', (_, deviceId) => {
    const a = sw(1);
    seen(a, 3, '0a:0b:0c:0d:0e:0f', 'acc9.branch.example', 'Gi1/0/48', 'GigabitEthernet1/0/48');
    a.cdp.push({ localIfIndex: 3, deviceId, port: 'GigabitEthernet1/0/48', address: '10.9.0.9', platform: 'cisco WS-C2960X' });
    const g = buildGraph([a], 1);
    expect(g.nodes.map((n) => n.id)).toEqual(['lldp:0a:0b:0c:0d:0e:0f', 'sw1']);
    expect(g.links.map((l) => `${l.a.node}:${l.a.port} - ${l.b.node}:${l.b.port} ${l.sources}`)).toEqual(['lldp:0a:0b:0c:0d:0e:0f:Gi1/0/48 - sw1:Gi0/3 lldp,cdp']);
    expect(g.nodes[0].platform).toBe('cisco WS-C2960X');
  });

  it('neighbours that send an empty chassis ID are not merged into one node', () => {
    const a = sw(1);
    seen(a, 2, '', 'srv-a');
    seen(a, 3, '', 'srv-b');
    seen(a, 4, 'hex:', undefined as unknown as string);
    const g = buildGraph([a], 1);
    expect(g.nodes.filter((n) => !n.managed).map((n) => n.id)).toEqual(['lldp:srv-a', 'lldp:srv-b', 'lldp:sw1/4']);
    expect(pairs(g)).toEqual(['lldp:srv-a:Gi0/1 - sw1:Gi0/2', 'lldp:srv-b:Gi0/1 - sw1:Gi0/3', 'lldp:sw1/4:Gi0/1 - sw1:Gi0/4']);
  });

  it('CDP neighbours without a device ID get a node by address', () => {
    const a = sw(1);
    a.cdp.push({ localIfIndex: 2, deviceId: '', port: 'Port 1', address: '10.0.0.9' });
    expect(pairs(buildGraph([a], 1))).toEqual(['cdp:10.0.0.9:Port 1 - sw1:Gi0/2']);
  });
});

describe('a graph saved under the earlier identity rules', () => {
  it('raises no events and keeps firstSeen (unmanaged nodes then keyed by sysName, ports by their raw name)', () => {
    const run = () => {
      const a = sw(1);
      a.lldp.push({ localPortNum: 3, localIfIndex: 3, localPort: 'Gi0/3', chassisIdSubtype: 4, chassisId: '0a:0b:0c:0d:0e:0f', portIdSubtype: 5, portId: 'eth0', sysName: 'server7', managementAddresses: [] });
      a.cdp.push({ localIfIndex: 4, deviceId: 'acc9', port: 'GigabitEthernet1/0/48' });
      return [a];
    };
    const link = (id: string, a: [string, string], b: [string, string], sources: ('lldp' | 'cdp')[]) =>
      ({ id, a: { node: a[0], port: a[1] }, b: { node: b[0], port: b[1] }, sources, inferred: false, reportedBy: ['sw1'], firstSeen: 10, lastSeen: 500 });
    const saved = {
      generatedAt: 500,
      nodes: [
        { id: 'lldp:server7', label: 'server7', managed: false, sysName: 'server7', chassisId: '0a:0b:0c:0d:0e:0f' },
        { id: 'cdp:acc9', label: 'acc9', managed: false, sysName: 'acc9' },
        { id: 'sw1', label: 'sw1.lab', managed: true, device: 'sw1' },
      ],
      links: [
        link('cdp:acc9#gigabitethernet1/0/48|sw1#gi0/4', ['cdp:acc9', 'GigabitEthernet1/0/48'], ['sw1', 'Gi0/4'], ['cdp']),
        link('lldp:server7#eth0|sw1#gi0/3', ['lldp:server7', 'eth0'], ['sw1', 'Gi0/3'], ['lldp']),
      ],
      anomalies: [],
    };
    const g = buildGraph(run(), 1000, saved);
    expect(diffLinks(saved, g)).toEqual([]);
    expect(g.links.map((l) => l.firstSeen)).toEqual([10, 10]);
  });
});
