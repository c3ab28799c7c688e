/**
 * OSPF over unnumbered interfaces read from REAL Net-SNMP agents (ospfNbrTable rows served with
 * snmpd's `override` directive): ospfNbrAddressLessIndex, the last arc of the row index, tells
 * two adjacencies to the same loopback apart, so they are two links on their own ports.
 * snmpd's override cannot serve IpAddress values: ospfNbrRtrId is absent (the neighbour address
 * stands for it) and the routers are found by their loopbacks in ipAddrTable (ipAdEntIfIndex).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnmpClient } from '../../src/snmp/index.ts';
import { buildGraph } from '../../src/topology/graph.ts';
import type { SnmpdHandle } from '../peers/snmpd.ts';
import { linkView } from './fixtures.ts';
import { collectAgents, startAgent, stopAgents } from './snmpd-agents.ts';

const IF_NAME = '.1.3.6.1.2.1.31.1.1.1.1';
const IP_AD_ENT_IF_INDEX = '.1.3.6.1.2.1.4.20.1.2';
const OSPF_NBR_STATE = '.1.3.6.1.2.1.14.10.1.6';

/** router n: Loopback0 (ifIndex 1000, 10.255.0.n), unnumbered Gi0/1 (1001) and Gi0/3 (1003) to the other's loopback */
function routerOverrides(n: number): string[] {
  const other = n === 1 ? 2 : 1;
  return [
    `override ${IF_NAME}.1000 octet_str "Loopback0"`,
    `override ${IF_NAME}.1001 octet_str "Gi0/1"`,
    `override ${IF_NAME}.1003 octet_str "Gi0/3"`,
    `override ${IP_AD_ENT_IF_INDEX}.10.255.0.${n} integer 1000`,
    `override ${OSPF_NBR_STATE}.10.255.0.${other}.1001 integer 8`,
    `override ${OSPF_NBR_STATE}.10.255.0.${other}.1003 integer 8`,
  ];
}

describe('unnumbered OSPF adjacencies from real snmpd agents', () => {
  const agents: SnmpdHandle[] = [];
  const client = createSnmpClient({ maxConcurrency: 4 });

  beforeAll(async () => {
    for (const n of [1, 2]) agents.push(await startAgent(`r${n}`, routerOverrides(n)));
  });

  afterAll(() => stopAgents(client, agents));

  it('collects each row with its address-less index and makes one link per local port', async () => {
    const reports = await collectAgents(client, agents, 'r');
    for (const r of reports) expect(r.unreachable).toBeUndefined();
    expect(reports[0].ospf).toEqual([
      { ip: '10.255.0.2', routerId: '10.255.0.2', state: 8, addressLessIndex: 1001 },
      { ip: '10.255.0.2', routerId: '10.255.0.2', state: 8, addressLessIndex: 1003 },
    ]);
    const g = buildGraph(reports, Date.now());
    // no LLDP to tell which of r2's ports faces which of r1's: r1's ports, r2's left out
    expect(linkView(g).sort())
      .toEqual(['r1#gi0/1|r2# = r1:Gi0/1 - r2: ospf by r1+r2', 'r1#gi0/3|r2# = r1:Gi0/3 - r2: ospf by r1+r2']);
  });
});
