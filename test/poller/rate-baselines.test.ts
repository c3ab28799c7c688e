/** Counter baselines across polls, through pollDevice and the Poller with an in-memory agent and a fake clock. */
import { describe, expect, it } from 'vitest';
import { NetpulseError } from '../../src/errors/index.ts';
import { MemorySink } from '../../src/model/sample.ts';
import { CounterStore } from '../../src/poller/counter-memory.ts';
import { pollDevice, type DevicePollResult } from '../../src/poller/device-poll.ts';
import { Poller } from '../../src/poller/poller.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import { FakeSnmpClient, device, systemMib, vb } from './fakes.ts';

const SETTINGS = { timeoutMs: 100, retries: 0, maxRepetitions: 10 };
const HC_COLUMNS = ['6', '7', '8', '9', '10', '11', '12', '13'];

/** an agent whose uptime follows the fake clock and whose eth0 counts 1000 octets/s (8000 bit/s) */
function lab() {
  const snmp = new FakeSnmpClient();
  const clock = { t: 1_000_000 };
  const agent = (address = '127.0.0.1', octets = BigInt(clock.t), uptimeTicks = Math.round(clock.t / 10)) => snmp.agent(address, 161, [
    ...systemMib(uptimeTicks), vb('1.3.6.1.2.1.2.2.1.2.1', 'OctetString', Buffer.from('eth0')), vb('1.3.6.1.2.1.2.2.1.8.1', 'Integer', 1),
    vb('1.3.6.1.2.1.31.1.1.1.1.1', 'OctetString', Buffer.from('eth0')), vb('1.3.6.1.2.1.31.1.1.1.15.1', 'Gauge32', 1000),
    ...HC_COLUMNS.map((c) => vb(`1.3.6.1.2.1.31.1.1.1.${c}.1`, 'Counter64', octets)),
  ]);
  const deps = { snmp, profiles: buildProfileRegistry(), counters: new CounterStore(() => clock.t), snmpSettings: SETTINGS, now: () => clock.t, clock: () => clock.t };
  return { snmp, clock, agent, deps };
}

const ifSample = (r: DevicePollResult) => r.samples.find((s) => s.measurement === 'snmp_interface');

describe('interface rates across jobs and extra runs', () => {
  it('interfaces in a job slower than the primary one keep their baseline between their polls', async () => {
    const { clock, agent, deps } = lab();
    const dev = device('d', { profiles: ['system', 'interfaces'], profileIntervalsMs: { interfaces: 300_000 }, icmp: false });
    const rates: unknown[] = [];
    for (let minute = 0; minute <= 10; minute++) {
      agent();
      await pollDevice(dev, ['system'], deps, { icmp: false });
      if (minute % 5 === 0) rates.push(ifSample(await pollDevice(dev, ['interfaces'], deps, { icmp: false }))?.fields.in_bps);
      clock.t += 60_000;
    }
    expect(rates).toEqual([undefined, 8000, 8000]);
  });

  it('extra runs without profiles (expedite) between two polls do not cost the rates', async () => {
    const { clock, agent, deps } = lab();
    const dev = device('dist1', { profiles: ['system', 'interfaces'], icmp: false });
    agent();
    await pollDevice(dev, dev.profiles, deps, { icmp: false });
    for (let i = 0; i < 4; i++) {
      clock.t += 5000;
      agent();
      await pollDevice(dev, [], deps, { icmp: false });
    }
    clock.t += 40_000;
    agent();
    expect(ifSample(await pollDevice(dev, dev.profiles, deps, { icmp: false }))?.fields.in_bps).toBe(8000);
  });

  it('a failed ifXTable walk on an agent known to have it: an error, no half sample, the next poll has its rate', async () => {
    const { snmp, clock, agent, deps } = lab();
    let failIfX = false;
    const table = snmp.table.bind(snmp);
    snmp.table = async (t, cols) => {
      if (failIfX && cols[0].startsWith('1.3.6.1.2.1.31.')) throw new NetpulseError({ scope: 'snmp', target: 'agent x', action: 'walk', reason: 'agent returned error-status GenErr', kind: 'protocol' });
      return table(t, cols);
    };
    const dev = device('d', { profiles: ['system', 'interfaces'], icmp: false });
    const polls: { bps: unknown; ifName: unknown; errors: string[] }[] = [];
    for (let i = 1; i <= 4; i++) {
      failIfX = i === 3;
      agent();
      const r = await pollDevice(dev, dev.profiles, deps, { icmp: false });
      polls.push({ bps: ifSample(r)?.fields.in_bps, ifName: ifSample(r)?.tags.ifName, errors: r.errors });
      clock.t += 60_000;
    }
    expect(polls).toEqual([
      { bps: undefined, ifName: 'eth0', errors: [] },
      { bps: 8000, ifName: 'eth0', errors: [] },
      { bps: undefined, ifName: undefined, errors: ['snmp: agent x: walk: agent returned error-status GenErr'] },
      { bps: 8000, ifName: 'eth0', errors: [] },
    ]);
  });
});

describe('another agent behind the same device name', () => {
  it('a device re-pointed at another address starts from no baseline (no invented traffic)', async () => {
    const { snmp, clock, agent } = lab();
    const sink = new MemorySink();
    const poller = new Poller({ snmp, sink, profiles: buildProfileRegistry(), concurrency: 4, snmpSettings: SETTINGS, now: () => clock.t, clock: () => clock.t });
    agent('127.0.0.1', 1_000_000n);
    // the new box: similar uptime, 900 GB counted
    agent('127.0.0.2', 900_000_000_000n, Math.round(clock.t / 10) + 6000);
    const d1 = device('edge1', { address: '127.0.0.1', profiles: ['system', 'interfaces'], icmp: false });
    poller.setDevices([d1]);
    await poller.pollNow(d1);
    clock.t += 60_000;
    const d2 = { ...d1, address: '127.0.0.2' };
    poller.setDevices([d2]);
    const r = await poller.pollNow(d2);
    expect(ifSample(r)?.fields.in_octets).toBe(900_000_000_000n);
    expect(ifSample(r)?.fields.in_bps).toBeUndefined();
  });

  it('the same agent with its credential keys written in another order keeps its baselines', async () => {
    const { snmp, clock, agent } = lab();
    const poller = new Poller({ snmp, sink: new MemorySink(), profiles: buildProfileRegistry(), concurrency: 4, snmpSettings: SETTINGS, now: () => clock.t, clock: () => clock.t });
    const d1 = device('edge1', { profiles: ['system', 'interfaces'], icmp: false });
    agent();
    poller.setDevices([d1]);
    await poller.pollNow(d1);
    clock.t += 60_000;
    agent();
    const d2 = { ...d1, intervalMs: 30_000, credential: { community: 'public', version: '2c' as const } };
    poller.setDevices([d2]);
    expect(ifSample(await poller.pollNow(d2))?.fields.in_bps).toBe(8000);
  });

  it('an uptime far ahead of the time that passed (box swapped at the same address) drops the baselines', async () => {
    const { clock, agent, deps } = lab();
    const dev = device('edge1', { profiles: ['system', 'interfaces'], icmp: false });
    agent('127.0.0.1', 1_000_000n, 100_000);
    await pollDevice(dev, dev.profiles, deps, { icmp: false });
    clock.t += 60_000;
    agent('127.0.0.1', 900_000_000_000n, 50_000_000);
    const r = await pollDevice(dev, dev.profiles, deps, { icmp: false });
    expect(r.restarted).toBe(true);
    expect(ifSample(r)?.fields.in_bps).toBeUndefined();
  });
});
