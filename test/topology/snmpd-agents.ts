/** The snmpd-* tests' Net-SNMP agents (community `topo`, tables served with `override` lines) and how they are read. */
import type { SnmpClient } from '../../src/snmp/types.ts';
import { collectDevice } from '../../src/topology/collect.ts';
import type { DeviceReport } from '../../src/topology/report.ts';
import { startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';

const COMMUNITY = 'topo';

/** an agent answering as `sysName` with these `override` lines */
export function startAgent(sysName: string, overrides: string[]): Promise<SnmpdHandle> {
  return startSnmpd({ versions: ['2c'], community: COMMUNITY, sysName, extraConfig: overrides });
}

/** collectDevice's target for an agent */
export function agentTarget(a: SnmpdHandle, maxRepetitions = 25) {
  return { address: a.address, port: a.port, credential: { version: '2c' as const, community: COMMUNITY }, timeoutMs: 2000, retries: 1, maxRepetitions };
}

/** each agent read as device `<prefix><n>` (n from 1, in the agents' order) */
export function collectAgents(client: SnmpClient, agents: SnmpdHandle[], prefix: string): Promise<DeviceReport[]> {
  return Promise.all(agents.map((a, i) => collectDevice(client, `${prefix}${i + 1}`, agentTarget(a))));
}

/** closes the client, then stops the agents */
export async function stopAgents(client: SnmpClient, agents: SnmpdHandle[]): Promise<void> {
  await client.close();
  await Promise.all(agents.map((a) => a.stop()));
}
