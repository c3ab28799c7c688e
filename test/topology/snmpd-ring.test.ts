/**
 * Discovery against REAL Net-SNMP agents whose LLDP and CDP tables are served with
 * snmpd's `override` directive: a ring of three must come back as exactly that ring,
 * with the right ports on both ends, and a CDP neighbour that is not managed as its own node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnmpClient } from '../../src/snmp/index.ts';
import { buildGraph } from '../../src/topology/graph.ts';
import type { SnmpdHandle } from '../peers/snmpd.ts';
import { collectAgents, startAgent, stopAgents } from './snmpd-agents.ts';

const LLDP = '.1.0.8802.1.1.2.1';
const CDP = '.1.3.6.1.4.1.9.9.23.1.2.1.1';
const macHex = (n: number) => `0x02000000${n.toString(16).padStart(2, '0')}00`;

interface Neighbor { localPort: number; remote: number; remotePort: number }

function lldpOverrides(n: number, neighbors: Neighbor[]): string[] {
  const lines = [
    `override ${LLDP}.3.1.0 integer 4`,
    `override ${LLDP}.3.2.0 octet_str ${macHex(n)}`,
    `override ${LLDP}.3.3.0 octet_str "sw${n}"`,
  ];
  for (const p of [1, 2, 3]) {
    lines.push(`override ${LLDP}.3.7.1.2.${p} integer 5`, `override ${LLDP}.3.7.1.3.${p} octet_str "Gi0/${p}"`, `override ${LLDP}.3.7.1.4.${p} octet_str "GigabitEthernet0/${p}"`);
  }
  for (const nb of neighbors) {
    const idx = `0.${nb.localPort}.1`;
    lines.push(
      `override ${LLDP}.4.1.1.4.${idx} integer 4`,
      `override ${LLDP}.4.1.1.5.${idx} octet_str ${macHex(nb.remote)}`,
      `override ${LLDP}.4.1.1.6.${idx} integer 5`,
      `override ${LLDP}.4.1.1.7.${idx} octet_str "Gi0/${nb.remotePort}"`,
      `override ${LLDP}.4.1.1.9.${idx} octet_str "sw${nb.remote}.lab.example"`,
    );
  }
  return lines;
}

describe('topology discovery against real snmpd agents', () => {
  const agents: SnmpdHandle[] = [];
  const client = createSnmpClient({ maxConcurrency: 8 });

  beforeAll(async () => {
    // ring: sw1.Gi0/1 - sw2.Gi0/2, sw2.Gi0/1 - sw3.Gi0/2, sw3.Gi0/1 - sw1.Gi0/2
    const ring: Record<number, Neighbor[]> = {
      1: [{ localPort: 1, remote: 2, remotePort: 2 }, { localPort: 2, remote: 3, remotePort: 1 }],
      2: [{ localPort: 1, remote: 3, remotePort: 2 }, { localPort: 2, remote: 1, remotePort: 1 }],
      3: [{ localPort: 1, remote: 1, remotePort: 2 }, { localPort: 2, remote: 2, remotePort: 1 }],
    };
    for (const n of [1, 2, 3]) {
      const extra = lldpOverrides(n, ring[n]);
      if (n === 1) {
        // a Cisco IP phone on sw1's third port, seen only through CDP
        extra.push(
          `override ${CDP}.3.3.1 integer 1`,
          `override ${CDP}.4.3.1 octet_str 0x7f000063`,
          `override ${CDP}.6.3.1 octet_str "SEP001122334455"`,
          `override ${CDP}.7.3.1 octet_str "Port 1"`,
          `override ${CDP}.8.3.1 octet_str "Cisco IP Phone 8845"`,
        );
      }
      agents.push(await startAgent(`sw${n}`, extra));
    }
  });

  afterAll(() => stopAgents(client, agents));

  it('finds exactly the ring, each link once with both ports, and the unmanaged CDP neighbour', async () => {
    const reports = await collectAgents(client, agents, 'sw');
    for (const r of reports) expect(r.unreachable).toBeUndefined();
    expect(reports[0].chassisId).toBe('02:00:00:00:01:00');
    const g = buildGraph(reports, Date.now());
    const lldpLinks = g.links.filter((l) => l.sources.includes('lldp'))
      .map((l) => [`${l.a.node}:${l.a.port}`, `${l.b.node}:${l.b.port}`].sort().join(' - ')).sort();
    expect(lldpLinks).toEqual(['sw1:Gi0/1 - sw2:Gi0/2', 'sw1:Gi0/2 - sw3:Gi0/1', 'sw2:Gi0/1 - sw3:Gi0/2']);
    expect(g.links.filter((l) => l.sources.includes('lldp')).every((l) => l.reportedBy.length === 2)).toBe(true);
    const phone = g.nodes.find((n) => n.id === 'cdp:sep001122334455');
    expect(phone?.managed).toBe(false);
    expect(phone?.address).toBe('127.0.0.99');
    expect(g.anomalies.filter((a) => a.kind === 'one-sided' || a.kind === 'self-neighbor')).toEqual([]);
  });
});
