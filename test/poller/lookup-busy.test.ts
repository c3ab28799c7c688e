/**
 * A device name that waited too long for a lookup slot (a local queue limit, not a DNS answer)
 * must not decide the device's state: the poll counts as lookupBusy, the state stays.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySink } from '../../src/model/sample.ts';
import { NameResolver } from '../../src/icmp/name-resolver.ts';
import { useNameResolver } from '../../src/icmp/resolve.ts';
import { PingPackageChecker } from '../../src/icmp/ping-checker.ts';
import { agentAddress } from '../../src/snmp/agent-address.ts';
import type { SnmpClient } from '../../src/snmp/types.ts';
import { Poller } from '../../src/poller/poller.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import { decideState } from '../../src/poller/state.ts';
import { DeviceStatusRegistry } from '../../src/poller/status-registry.ts';
import { FakeSnmpClient, device, systemMib } from './fakes.ts';

describe('decideState: SNMP kind busy (name waited for a lookup slot)', () => {
  it.each([
    [undefined, undefined],
    [true, undefined],
    [false, 'down'],
  ] as const)('icmp %s → %s', (icmpUp, want) => {
    expect(decideState({ icmpUp, snmpErrorKind: 'busy' })).toBe(want);
  });
});

/** the fake agents, reached through the real agentAddress (so through the process's resolver) */
function resolvingClient(fake: FakeSnmpClient): SnmpClient {
  const at = async <T>(t: Parameters<SnmpClient['get']>[0], f: (address: string) => Promise<T>) => f(await agentAddress(t, `agent ${t.address}:${t.port}`, 'get'));
  return {
    get: (t, oids) => at(t, (address) => fake.get({ ...t, address }, oids)),
    walk: (t, root) => at(t, (address) => fake.walk({ ...t, address }, root)),
    table: (t, cols) => at(t, (address) => fake.table({ ...t, address }, cols)),
    close: () => fake.close(),
  };
}

let restore: NameResolver | undefined;
afterEach(() => {
  if (restore) useNameResolver(restore);
  restore = undefined;
});

function setup(resolver: NameResolver) {
  restore = useNameResolver(resolver);
  const fake = new FakeSnmpClient();
  fake.agent('127.0.0.1', 161, systemMib());
  const registry = new DeviceStatusRegistry();
  registry.register('sw', 'sw.example', '2c', 0);
  registry.report('sw', { state: 'up', error: undefined, at: 1, durationMs: 1 });
  const sink = new MemorySink();
  // the real ping checker: a name it cannot resolve is not pinged
  const poller = new Poller({
    snmp: resolvingClient(fake), icmp: new PingPackageChecker(), icmpBatchWindowMs: 0, sink, registry,
    profiles: buildProfileRegistry(), concurrency: 1, snmpSettings: { timeoutMs: 100, retries: 0, maxRepetitions: 10 },
  });
  return { poller, sink, registry };
}

describe('Poller: a lookup that only waited for a slot', () => {
  it.each([
    ['ICMP on', true],
    ['ICMP off', false],
  ])('keeps the previous state and writes no device_status or icmp sample (%s)', async (_n, icmp) => {
    // no lookup slot at all: every caller's wait runs out (2 s); nothing is looked up
    const { poller, sink, registry } = setup(new NameResolver({ maxConcurrent: 0, lookup: () => Promise.reject(new Error('not called')) }));
    const [r] = await poller.pollAll([device('sw', { address: 'sw.example', icmp })]);
    expect(r.lookupBusy).toBe(true);
    expect(r.error).toMatch(/^snmp: agent sw\.example:161: get: name lookup: no answer within 2000 ms, waiting for a lookup slot/);
    expect(registry.get('sw')).toMatchObject({ state: 'up', since: 1, pollsDone: 1 });
    expect(sink.samples.map((s) => s.measurement)).toEqual([]);
    expect(poller.metrics().lookupBusy).toBe(1);
    await poller.stop();
  });

  it('a name that does not resolve still makes the device down', async () => {
    const notFound = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const { poller, sink, registry } = setup(new NameResolver({ maxConcurrent: 1, lookup: notFound }));
    const [r] = await poller.pollAll([device('sw', { address: 'sw.example', icmp: false })]);
    expect(r.lookupBusy).toBeUndefined();
    expect(r.state).toBe('down');
    expect(registry.get('sw')?.state).toBe('down');
    expect(sink.samples.find((s) => s.measurement === 'device_status')?.fields.state).toBe('down');
    expect(poller.metrics().lookupBusy).toBe(0);
    await poller.stop();
  });
});
