/**
 * A capped lldpRemTable walk against a REAL snmpd whose LLDP rows are served with `override`
 * lines: lldpRemPortDesc is present on the first row only, so that column ends after one row
 * while the others go on. The rows every column still being walked got past are kept; the
 * ended optional column does not cut them back to its one row. Run on the in-thread client and
 * on the SNMP threads (the error, and which columns ended, cross the thread boundary).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnmpClient, stopSnmpThreads } from '../../src/snmp/index.ts';
import { collectDevice } from '../../src/topology/collect.ts';
import type { SnmpdHandle } from '../peers/snmpd.ts';
import { agentTarget, startAgent } from './snmpd-agents.ts';

const LLDP = '.1.0.8802.1.1.2.1';
const PEERS = [1, 2, 3, 4, 5, 6];

function overrides(): string[] {
  const lines = [`override ${LLDP}.3.1.0 integer 4`, `override ${LLDP}.3.2.0 octet_str 0x020000000100`];
  for (const p of PEERS) {
    const idx = `0.${p}.1`;
    lines.push(
      `override ${LLDP}.3.7.1.2.${p} integer 5`, `override ${LLDP}.3.7.1.3.${p} octet_str "Gi0/${p}"`,
      `override ${LLDP}.4.1.1.4.${idx} integer 4`,
      `override ${LLDP}.4.1.1.5.${idx} octet_str 0x0a00000000${p.toString(16).padStart(2, '0')}`,
      `override ${LLDP}.4.1.1.6.${idx} integer 5`,
      `override ${LLDP}.4.1.1.7.${idx} octet_str "eth0"`,
      `override ${LLDP}.4.1.1.9.${idx} octet_str "peer${p}"`,
    );
    // lldpRemPortDesc, optional: one row has it
    if (p === 1) lines.push(`override ${LLDP}.4.1.1.8.${idx} octet_str "uplink"`);
  }
  return lines;
}

describe('a capped lldpRemTable walk with a sparse column (real snmpd)', () => {
  let agent: SnmpdHandle;
  const clients = { 'in-thread': createSnmpClient({ maxConcurrency: 4 }), threaded: createSnmpClient({ threads: 1, maxConcurrency: 4 }) };

  beforeAll(async () => {
    agent = await startAgent('sw1', overrides());
  });

  afterAll(async () => {
    await Promise.all(Object.values(clients).map((c) => c.close()));
    await stopSnmpThreads();
    await agent?.stop();
  });

  // maxRepetitions 4 is 10 varbinds a round: one row per column over six columns (6 varbinds),
  // then lldpRemPortDesc has ended (5), then two rows per column over five (10): the cap of 19
  // stops that third round with lldpRemSysName at row 0.2.1, the other columns at 0.4.1.
  it.each(Object.keys(clients) as (keyof typeof clients)[])('%s client: rows 0.1.1-0.2.1 kept, not only the sparse column\'s one row', async (name) => {
    const target = agentTarget(agent, 4);
    const full = await collectDevice(clients[name], 'sw1', target);
    expect(full.lldp.map((n) => n.sysName)).toEqual(PEERS.map((p) => `peer${p}`));
    expect(full.lldp.map((n) => n.portDesc)).toEqual(['uplink', ...Array(5).fill(undefined)]);

    const capped = await collectDevice(clients[name], 'sw1', target, { maxVarbinds: 19 });
    expect(capped.failedTables).toContain('lldpRemTable');
    expect(capped.problems.find((p) => p.startsWith('lldpRemTable:'))).toMatch(/cap 19/);
    expect(capped.lldp.map((n) => [n.sysName, n.portId, n.portDesc])).toEqual([['peer1', 'eth0', 'uplink'], ['peer2', 'eth0', undefined]]);
  });
});
