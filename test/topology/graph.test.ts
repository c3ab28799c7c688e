import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/topology/graph.ts';
import { toDot, toGraphml } from '../../src/topology/export.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import { lldp, mac, ospf, sw } from './fixtures.ts';

const pairs = (g: ReturnType<typeof buildGraph>) =>
  g.links.map((l) => [`${l.a.node}:${l.a.port}`, `${l.b.node}:${l.b.port}`].sort().join(' - ')).sort();

describe('buildGraph', () => {
  it('a ring reported from both ends comes back as exactly that ring, each link once', () => {
    const [a, b, c] = [sw(1), sw(2), sw(3)];
    lldp(a, 1, b, 2); lldp(b, 2, a, 1);
    lldp(b, 1, c, 2); lldp(c, 2, b, 1);
    lldp(c, 1, a, 2); lldp(a, 2, c, 1);
    const g = buildGraph([a, b, c], 1000);
    expect(pairs(g)).toEqual(['sw1:Gi0/1 - sw2:Gi0/2', 'sw1:Gi0/2 - sw3:Gi0/1', 'sw2:Gi0/1 - sw3:Gi0/2']);
    expect(g.links.every((l) => l.reportedBy.length === 2 && l.sources.join() === 'lldp' && !l.inferred)).toBe(true);
    expect(g.nodes.map((n) => n.id)).toEqual(['sw1', 'sw2', 'sw3']);
    expect(g.anomalies).toEqual([]);
  });

  it('a link only one side reports is kept and the anomaly is reported', () => {
    const [a, b] = [sw(1), sw(2)];
    lldp(a, 1, b, 2);
    lldp(b, 3, { ...sw(9), chassisId: mac(9) }, 1); // b speaks LLDP but does not list a
    const g = buildGraph([a, b], 1);
    expect(pairs(g)).toContain('sw1:Gi0/1 - sw2:Gi0/2');
    expect(g.anomalies.map((x) => x.kind)).toContain('one-sided');
  });

  it('matches neighbours by sysName and management address when the chassis ID is unknown', () => {
    const [a, b] = [sw(1), sw(2)];
    lldp(a, 1, b, 2, { chassisIdSubtype: 7, chassisId: 'serial-XYZ', sysName: 'SW2' });
    lldp(b, 2, a, 1, { chassisIdSubtype: 7, chassisId: 'serial-ABC', sysName: undefined, managementAddresses: [a.address] });
    const g = buildGraph([a, b], 1);
    expect(pairs(g)).toEqual(['sw1:Gi0/1 - sw2:Gi0/2']);
  });

  it.each([
    ['duplicate chassis IDs', 'duplicate-chassis'],
    ['a neighbour naming itself', 'self-neighbor'],
    ['a garbage MAC chassis ID', 'bad-identifier'],
  ])('stays consistent with %s', (_, kind) => {
    const [a, b] = [sw(1), sw(2)];
    if (kind === 'duplicate-chassis') { b.chassisId = a.chassisId; lldp(a, 1, b, 2, { sysName: 'sw2' }); }
    if (kind === 'self-neighbor') lldp(a, 1, a, 2);
    if (kind === 'bad-identifier') lldp(a, 1, b, 2, { chassisId: 'hex:0102', sysName: 'sw2' });
    const g = buildGraph([a, b], 1);
    expect(g.anomalies.map((x) => x.kind)).toContain(kind);
    for (const l of g.links) {
      expect(g.nodes.some((n) => n.id === l.a.node)).toBe(true);
      expect(g.nodes.some((n) => n.id === l.b.node)).toBe(true);
      expect(l.a.node).not.toBe(l.b.node);
    }
  });

  it('neighbours seen but not managed become unmanaged nodes (LLDP and CDP)', () => {
    const a = sw(1);
    a.lldp.push({ localPortNum: 3, localIfIndex: 3, localPort: 'Gi0/3', chassisIdSubtype: 4, chassisId: '0a:0b:0c:0d:0e:0f', portIdSubtype: 5, portId: 'eth0', sysName: 'server7', managementAddresses: [] });
    a.cdp.push({ localIfIndex: 4, deviceId: 'phone-12.example', port: 'Port 1', platform: 'Cisco IP Phone' });
    const g = buildGraph([a], 1);
    expect(g.nodes.filter((n) => !n.managed).map((n) => n.id).sort()).toEqual(['cdp:phone-12', 'lldp:0a:0b:0c:0d:0e:0f']);
    expect(pairs(g)).toEqual(['cdp:phone-12:Port 1 - sw1:Gi0/4', 'lldp:0a:0b:0c:0d:0e:0f:eth0 - sw1:Gi0/3']);
  });

  it('LLDP and CDP describing the same link merge their sources', () => {
    const [a, b] = [sw(1), sw(2)];
    lldp(a, 1, b, 2); lldp(b, 2, a, 1);
    a.cdp.push({ localIfIndex: 1, deviceId: 'sw2.lab', port: 'GigabitEthernet0/2' });
    const g = buildGraph([a, b], 1);
    expect(g.links).toHaveLength(1);
    expect(g.links[0].sources.sort()).toEqual(['cdp', 'lldp']);
  });

  it('infers layer-2 links from forwarding tables only where LLDP/CDP are silent (a chain a-b-c)', () => {
    const [a, b, c] = [sw(1), sw(2), sw(3)];
    // a.1 -> b.2 ; b.1 -> c.2
    a.fdb.push({ mac: mac(2, 2), bridgePort: 1, ifIndex: 1 }, { mac: mac(3, 2), bridgePort: 1, ifIndex: 1 });
    b.fdb.push({ mac: mac(1, 1), bridgePort: 2, ifIndex: 2 }, { mac: mac(3, 2), bridgePort: 1, ifIndex: 1 });
    c.fdb.push({ mac: mac(2, 1), bridgePort: 2, ifIndex: 2 }, { mac: mac(1, 1), bridgePort: 2, ifIndex: 2 });
    const g = buildGraph([a, b, c], 1);
    expect(pairs(g)).toEqual(['sw1:Gi0/1 - sw2:Gi0/2', 'sw2:Gi0/1 - sw3:Gi0/2']);
    expect(g.links.every((l) => l.inferred && l.sources.includes('fdb'))).toBe(true);
  });

  it('does not infer from forwarding tables where LLDP already links the pair', () => {
    const [a, b] = [sw(1), sw(2)];
    lldp(a, 1, b, 2); lldp(b, 2, a, 1);
    a.fdb.push({ mac: mac(2, 2), bridgePort: 1, ifIndex: 1 });
    b.fdb.push({ mac: mac(1, 1), bridgePort: 2, ifIndex: 2 });
    const g = buildGraph([a, b], 1);
    expect(g.links).toHaveLength(1);
    expect(g.links[0].inferred).toBe(false);
  });

  it('OSPF adjacencies join routers on their subnet interfaces', () => {
    const [a, b] = [sw(1), sw(2)];
    ospf(a, b);
    const g = buildGraph([a, b], 1);
    expect(pairs(g)).toEqual(['sw1:Gi0/3 - sw2:Gi0/4']);
    expect(g.links[0].sources).toEqual(['ospf']);
    expect(g.links[0].reportedBy.sort()).toEqual(['sw1', 'sw2']);
  });

  it('keeps first-seen across discoveries and reports link events', () => {
    const [a, b, c] = [sw(1), sw(2), sw(3)];
    lldp(a, 1, b, 2); lldp(b, 2, a, 1);
    const g1 = buildGraph([a, b, c], 100);
    lldp(b, 1, c, 2); lldp(c, 2, b, 1);
    a.lldp = []; b.lldp = b.lldp.filter((n) => n.localPortNum !== 2);
    const g2 = buildGraph([a, b, c], 200, g1);
    const events = diffLinks(g1, g2).map((e) => `${e.type} ${e.link.id}`).sort();
    expect(events).toEqual(['link-down sw1#gi0/1|sw2#gi0/2', 'link-up sw2#gi0/1|sw3#gi0/2']);
    const g3 = buildGraph([a, b, c], 300, g2);
    expect(g3.links[0].firstSeen).toBe(200);
    expect(g3.links[0].lastSeen).toBe(300);
  });

  it('exports DOT and GraphML', () => {
    const [a, b] = [sw(1), sw(2)];
    lldp(a, 1, b, 2); lldp(b, 2, a, 1);
    const g = buildGraph([a, b], 1);
    expect(toDot(g)).toContain('"sw1" -- "sw2" [taillabel="Gi0/1", headlabel="Gi0/2", label="lldp"]');
    const gml = toGraphml(g);
    expect(gml).toContain('<node id="sw1">');
    expect(gml).toContain('<edge id="e0" source="sw1" target="sw2">');
  });
});
