/** Rates end to end: the real SNMP engine against a real snmpd, two polls of the interfaces profile. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemorySink } from '../../src/model/sample.ts';
import { createSnmpClient } from '../../src/snmp/client.ts';
import { Poller } from '../../src/poller/poller.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import { startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';
import { device } from './fakes.ts';

let agent: SnmpdHandle;
const snmp = createSnmpClient();

beforeAll(async () => {
  agent = await startSnmpd({ versions: ['2c'], community: 'ratecomm' });
});
afterAll(async () => {
  await snmp.close();
  await agent?.stop();
});

it('second poll of a real agent yields per-second rates from 64-bit counters, no rate on the first', async () => {
  const sink = new MemorySink();
  const poller = new Poller({
    snmp, sink, profiles: buildProfileRegistry(), concurrency: 4,
    snmpSettings: { timeoutMs: 2000, retries: 1, maxRepetitions: 25 },
  });
  const dev = device('live', { port: agent.port, icmp: false, profiles: ['system', 'interfaces'], credential: { version: '2c', community: 'ratecomm' } });
  const first = await poller.pollNow(dev);
  expect(first.state, first.error).toBe('up');
  const lo1 = first.samples.find((s) => s.measurement === 'snmp_interface' && s.tags.ifName === 'lo')!;
  expect(typeof lo1.fields.in_octets).toBe('bigint');
  expect(lo1.fields.in_bps).toBeUndefined();
  await new Promise((r) => setTimeout(r, 1100));
  const second = await poller.pollNow(dev);
  const lo2 = second.samples.find((s) => s.measurement === 'snmp_interface' && s.tags.ifName === 'lo')!;
  expect(lo2.fields.in_octets as bigint).toBeGreaterThanOrEqual(lo1.fields.in_octets as bigint);
  expect(typeof lo2.fields.in_bps).toBe('number');
  // snmpd caches interface counters for a few seconds, so the delta may be 0; the math must match either way
  const expected = (8 * Number((lo2.fields.in_octets as bigint) - (lo1.fields.in_octets as bigint))) / ((lo2.time - lo1.time) / 1000);
  expect(lo2.fields.in_bps as number).toBeCloseTo(expected, 6);
  expect(typeof lo2.fields.in_pps).toBe('number');
  expect(second.samples.find((s) => s.measurement === 'device_status')?.fields).toMatchObject({ state: 'up', state_code: 0n, missed_polls: 0n });
  await poller.stop(0);
});
