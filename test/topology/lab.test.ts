/**
 * Discovery of the simulated lab (src/lab) through the real SNMP client: every topology the lab
 * builds must come back as exactly the lab's own truth, with the right port names on both ends;
 * forwarding tables alone and OSPF alone must reproduce the links they can see.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { startLab, type Lab, type Topology } from '../../src/lab/index.ts';
import { createSnmpClient } from '../../src/snmp/index.ts';
import { buildGraph, type TopologyGraph } from '../../src/topology/graph.ts';
import { collectDevice } from '../../src/topology/collect.ts';
import { createTopologyService } from '../../src/topology/service.ts';
import type { DeviceReport } from '../../src/topology/report.ts';
import type { SnmpClient } from '../../src/snmp/types.ts';
import { OID } from '../../src/topology/oids.ts';

const labs: Lab[] = [];
const client = createSnmpClient({ maxConcurrency: 32 });

afterAll(async () => {
  await client.close();
  await Promise.all(labs.map((l) => l.stop()));
});

async function lab(topology: Topology, devices: number): Promise<Lab> {
  const l = await startLab({ devices, topology, seed: 7, basePort: 0 });
  labs.push(l);
  return l;
}

const key = (a: string, ap: string | undefined, b: string, bp: string | undefined) => [`${a}:${ap}`, `${b}:${bp}`].sort().join(' - ');
const found = (g: TopologyGraph, filter = (_: TopologyGraph['links'][0]) => true) =>
  g.links.filter(filter).map((l) => key(l.a.node, l.a.port, l.b.node, l.b.port)).sort();
const truth = (l: Lab, keep = (_a: string, _b: string) => true) =>
  l.truth.links.filter((t) => keep(t.a, t.b)).map((t) => key(t.a, t.aPort, t.b, t.bPort)).sort();

async function reports(l: Lab, hideIpAddrTable = false): Promise<DeviceReport[]> {
  const config = parseConfig(l.config);
  const c: SnmpClient = hideIpAddrTable
    ? { ...client, table: (t, cols, o) => (cols.includes(OID.ipAdEntIfIndex) ? Promise.resolve([]) : client.table(t, cols, o)) }
    : client;
  return Promise.all(config.devices.map((d) => collectDevice(c, d.name, {
    address: d.address, port: d.port, credential: d.credential, timeoutMs: 2000, retries: 1, maxRepetitions: 25,
  })));
}

describe('topology discovery of the lab (real SNMP, v1/v2c/v3 devices)', () => {
  it.each([
    ['ring', 8],
    ['tree', 13],
    ['mesh', 10],
  ] as const)('a %s of %i devices comes back as exactly the lab\'s links, ports on both ends', async (topology, n) => {
    const l = await lab(topology, n);
    const config = parseConfig(l.config);
    const service = createTopologyService({
      client,
      devices: () => config.devices,
      target: (d) => ({ address: d.address, port: d.port, credential: d.credential, timeoutMs: 2000, retries: 1, maxRepetitions: 25 }),
    });
    const g = await service.discover();
    expect(g.anomalies).toEqual([]);
    expect(found(g)).toEqual(truth(l));
    expect(g.nodes.filter((x) => x.managed).map((x) => x.id).sort()).toEqual(l.devices.map((d) => d.name).sort());
    expect(g.nodes.every((x) => x.managed)).toBe(true);
    // every link is seen by LLDP from both ends; Cisco pairs add CDP
    for (const link of g.links) {
      expect(link.sources).toContain('lldp');
      expect(link.reportedBy).toHaveLength(2);
      expect(link.inferred).toBe(false);
      const [a, b] = [l.device(link.a.node), l.device(link.b.node)];
      expect(link.sources.includes('cdp')).toBe(a.model.cdp && b.model.cdp);
      expect(link.a.ifIndex).toBeGreaterThan(0);
      expect(link.b.ifIndex).toBeGreaterThan(0);
    }
    service.stop();
  });

  it('forwarding tables alone reproduce the links between bridges (LLDP/CDP removed)', async () => {
    const l = await lab('ring', 12);
    const rs = (await reports(l)).map((r) => ({ ...r, lldp: [], cdp: [], ospf: [] }));
    const g = buildGraph(rs, 1);
    const bridge = (name: string) => l.device(name).model.bridge;
    expect(found(g)).toEqual(truth(l, (a, b) => bridge(a) && bridge(b)));
    expect(g.links.every((x) => x.inferred && x.sources.includes('fdb'))).toBe(true);
  });

  it.each([
    ['ipAddrTable', false],
    ['ipAddressTable (ipAddrTable hidden, as on agents that dropped the deprecated table)', true],
  ])('OSPF neighbour tables alone join the OSPF speakers on their link interfaces, subnets from %s', async (_, hideIpAddrTable) => {
    const l = await lab('mesh', 10);
    const rs = (await reports(l, hideIpAddrTable)).map((r) => ({ ...r, lldp: [], cdp: [], fdb: [] }));
    const g = buildGraph(rs, 1);
    const ospf = (name: string) => l.device(name).model.ospf;
    expect(found(g)).toEqual(truth(l, (a, b) => ospf(a) && ospf(b)));
    expect(g.links.every((x) => x.sources.join() === 'ospf' && x.reportedBy.length === 2)).toBe(true);
  });
});
