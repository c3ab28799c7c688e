/** The Poller around its polls: shutdown, devices changed or removed mid-poll, poll --once batching. */
import { describe, expect, it, vi } from 'vitest';
import { MemorySink } from '../../src/model/sample.ts';
import { Poller } from '../../src/poller/poller.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import { FakeIcmp, FakeSnmpClient, device, systemMib } from './fakes.ts';

const SETTINGS = { timeoutMs: 100, retries: 0, maxRepetitions: 10 };

/** counts GETs going and done */
function countingSnmp() {
  const snmp = new FakeSnmpClient();
  const gets = { going: 0, maxGoing: 0, done: 0 };
  const get = snmp.get.bind(snmp);
  snmp.get = async (t, oids) => {
    gets.going++;
    gets.maxGoing = Math.max(gets.maxGoing, gets.going);
    try {
      return await get(t, oids);
    } finally {
      gets.going--;
      gets.done++;
    }
  };
  return { snmp, gets };
}

describe('Poller.stop', () => {
  it('waits (within the grace time) for polls whose SNMP part is done and whose ICMP answer is pending', async () => {
    const { snmp, gets } = countingSnmp();
    snmp.agent('127.0.0.1', 161, systemMib());
    const icmp = new FakeIcmp();
    icmp.up.add('127.0.0.1');
    const sink = new MemorySink();
    const poller = new Poller({ snmp, icmp, sink, profiles: buildProfileRegistry(), concurrency: 4, snmpSettings: SETTINGS });
    poller.setDevices([device('d', { intervalMs: 1000 })]);
    poller.start();
    await vi.waitFor(() => expect(gets.done).toBe(1), { timeout: 10_000 });
    await poller.stop(5000);
    expect(sink.samples.map((s) => s.measurement).sort()).toEqual(['device_status', 'icmp', 'snmp_system']);
    expect(poller.registry.get('d')?.state).toBe('up');
  });
});

describe('Poller: devices changed while polled', () => {
  it('a device renamed mid-poll: the old name writes nothing and leaves no status behind', async () => {
    const { snmp, gets } = countingSnmp();
    snmp.agent('127.0.0.1', 161, systemMib(), undefined, 300);
    const sink = new MemorySink();
    const poller = new Poller({ snmp, sink, profiles: buildProfileRegistry(), concurrency: 4, snmpSettings: SETTINGS });
    const d = device('old-name', { intervalMs: 60_000, icmp: false });
    poller.setDevices([d]);
    poller.start();
    try {
      expect(poller.expedite('old-name')).toBe('queued');
      await vi.waitFor(() => expect(gets.going).toBe(1), { timeout: 10_000 });
      poller.setDevices([{ ...d, name: 'new-name' }]);
      await vi.waitFor(() => expect(gets.done).toBe(1), { timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 20));
      expect(sink.samples.filter((s) => s.tags.device === 'old-name')).toEqual([]);
      expect(poller.registry.list().map((s) => s.device)).toEqual(['new-name']);
    } finally {
      await poller.stop(0);
    }
  });

  it('a device changed mid-poll: the new config\'s first run follows the old run, never beside it', async () => {
    const { snmp, gets } = countingSnmp();
    snmp.agent('127.0.0.1', 161, systemMib(), undefined, 300);
    const poller = new Poller({ snmp, sink: new MemorySink(), profiles: buildProfileRegistry(), concurrency: 4, snmpSettings: SETTINGS });
    const e = device('e', { intervalMs: 60_000, icmp: false });
    poller.setDevices([e]);
    poller.start();
    try {
      expect(poller.expedite('e')).toBe('queued');
      await vi.waitFor(() => expect(gets.going).toBe(1), { timeout: 10_000 });
      poller.setDevices([{ ...e, tags: { site: 'x' } }]);
      expect(poller.expedite('e')).toBe('queued');
      await vi.waitFor(() => expect(gets.done).toBe(2), { timeout: 10_000 });
      expect(gets.maxGoing).toBe(1);
    } finally {
      await poller.stop(0);
    }
  });
});

describe('Poller.pollAll', () => {
  it('later rounds of devices do not each wait for an ICMP batch window: one batch for all', async () => {
    const snmp = new FakeSnmpClient();
    const devs = [1, 2, 3].map((i) => {
      snmp.agent(`127.0.0.${i}`, 161, systemMib());
      return device(`d${i}`, { address: `127.0.0.${i}` });
    });
    const icmp = new FakeIcmp();
    const poller = new Poller({ snmp, icmp, sink: new MemorySink(), profiles: buildProfileRegistry(), concurrency: 1, snmpSettings: SETTINGS });
    const results = await poller.pollAll(devs);
    expect(results.map((r) => [r.device, r.state])).toEqual([['d1', 'up'], ['d2', 'up'], ['d3', 'up']]);
    expect(icmp.calls).toEqual([['127.0.0.1', '127.0.0.2', '127.0.0.3']]);
  });
});
