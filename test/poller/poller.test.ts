import { describe, expect, it, vi } from 'vitest';
import { MemorySink } from '../../src/model/sample.ts';
import { Poller, jobsOf } from '../../src/poller/poller.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import type { StateChange } from '../../src/poller/status-registry.ts';
import { FakeIcmp, FakeSnmpClient, device, systemMib, vb } from './fakes.ts';

function setup() {
  const snmp = new FakeSnmpClient();
  const icmp = new FakeIcmp();
  const sink = new MemorySink();
  const poller = new Poller({
    snmp, icmp, sink, profiles: buildProfileRegistry(), concurrency: 10,
    snmpSettings: { timeoutMs: 100, retries: 0, maxRepetitions: 10 },
  });
  return { snmp, icmp, sink, poller };
}

describe('Poller.pollAll: state from ICMP and SNMP together', () => {
  it.each([
    ['up', true, undefined, 'up'],
    ['answers ping, SNMP silent', true, 'timeout', 'snmp-unreachable'],
    ['nothing answers', false, 'timeout', 'down'],
    ['v3 report error', true, 'auth', 'auth-failed'],
    ['SNMP answers, ping filtered', false, undefined, 'up'],
  ] as const)('%s', async (_n, pingUp, snmpFail, want) => {
    const { snmp, icmp, sink, poller } = setup();
    snmp.agent('127.0.0.1', 1161, systemMib(), snmpFail);
    if (pingUp) icmp.up.add('127.0.0.1');
    const [r] = await poller.pollAll([device('d', { port: 1161 })]);
    expect(r.state).toBe(want);
    expect(r.version).toBe('2c');
    if (snmpFail) expect(r.error).toMatch(/^snmp: agent 127\.0\.0\.1:1161: get 6: /);
    const status = sink.samples.find((s) => s.measurement === 'device_status')!;
    expect(status.tags).toEqual({ device: 'd', snmp_version: '2c' });
    expect(status.fields.state).toBe(want);
    expect(typeof status.fields.state_code).toBe('bigint');
    expect(sink.samples.some((s) => s.measurement === 'icmp')).toBe(true);
    expect(sink.samples.some((s) => s.measurement === 'snmp_system')).toBe(snmpFail === undefined);
    expect(poller.registry.get('d')?.state).toBe(want);
  });

  it('checks ICMP for all devices in one batch, skips profiles after a failed probe, reports state changes', async () => {
    const { snmp, icmp, poller } = setup();
    const changes: StateChange[] = [];
    poller.registry.on('change', (c) => changes.push(c));
    snmp.agent('127.0.0.1', 1, [...systemMib(), vb('1.3.6.1.2.1.2.2.1.10.1', 'Counter32', 5)]);
    snmp.agent('127.0.0.2', 1, [], 'timeout');
    icmp.up.add('127.0.0.1');
    const devs = [
      device('a', { address: '127.0.0.1', port: 1, profiles: ['system', 'interfaces', 'nope'] }),
      device('b', { address: '127.0.0.2', port: 1, profiles: ['system', 'interfaces'] }),
      device('c', { address: '127.0.0.3', port: 1, icmp: false, credential: { version: '3', user: 'u', level: 'noAuthNoPriv' } }),
    ];
    const results = await poller.pollAll(devs);
    expect(icmp.calls).toEqual([['127.0.0.1', '127.0.0.2']]);
    expect(results.map((r) => [r.device, r.state, r.version])).toEqual([['a', 'up', '2c'], ['b', 'down', '2c'], ['c', 'down', '3']]);
    expect(results[0].errors).toEqual(['poller: device a: unknown poll profile "nope"']);
    expect(results[0].samples.filter((s) => s.measurement === 'snmp_interface')).toHaveLength(1);
    expect(snmp.requests.filter((r) => r.startsWith('127.0.0.2'))).toEqual(['127.0.0.2:1 get 6']);
    expect(changes.map((c) => `${c.device}:${c.from}->${c.to}`).sort()).toEqual(['a:unknown->up', 'b:unknown->down', 'c:unknown->down']);
  });
});

describe('jobsOf', () => {
  it('groups profiles by interval; the device interval is the primary job even when empty', () => {
    expect(jobsOf(device('d', { profiles: ['system', 'interfaces', 'entity'], profileIntervalsMs: { entity: 3_600_000 } }))).toEqual([
      { intervalMs: 60_000, profiles: ['system', 'interfaces'], primary: true },
      { intervalMs: 3_600_000, profiles: ['entity'], primary: false },
    ]);
    expect(jobsOf(device('d', { profiles: ['entity'], profileIntervalsMs: { entity: 300_000 } }))).toEqual([
      { intervalMs: 60_000, profiles: [], primary: true },
      { intervalMs: 300_000, profiles: ['entity'], primary: false },
    ]);
  });
});

describe('Poller.expedite', () => {
  it('checks a scheduled device now through the scheduler: probe and ICMP only, state in the registry', async () => {
    const { snmp, icmp, sink, poller } = setup();
    snmp.agent('127.0.0.1', 1161, systemMib());
    icmp.up.add('127.0.0.1');
    poller.setDevices([device('parent', { port: 1161, intervalMs: 3_600_000, profiles: ['system', 'entity'], profileIntervalsMs: { entity: 7_200_000 } })]);
    expect(poller.expedite('parent')).toBe('stopped');
    poller.start();
    try {
      expect(poller.expedite('nope')).toBe('unknown');
      expect(poller.expedite('parent')).toBe('queued');
      expect(poller.expedite('parent')).toBe('busy');
      // the ICMP answer comes with the batcher's window (1 s)
      await vi.waitFor(() => expect(poller.registry.get('parent')?.state).toBe('up'), { timeout: 10_000 });
      expect(snmp.requests).toEqual(['127.0.0.1:1161 get 6']); // the probe; no profile
      expect(sink.samples.map((x) => x.measurement).sort()).toEqual(['device_status', 'icmp']);
      expect(poller.expedite('parent', 60_000)).toBe('recent');
      expect(poller.metrics()).toMatchObject({ pollsStarted: 1, missedPolls: 0 });
    } finally {
      await poller.stop(100);
    }
  });
});

describe('Poller: a failing state listener', () => {
  it('is logged; polling goes on and nothing is left unhandled', async () => {
    const { snmp, icmp } = setup();
    const lines: string[] = [];
    const sink = new MemorySink();
    const poller = new Poller({
      snmp, icmp, sink, profiles: buildProfileRegistry(), concurrency: 10,
      snmpSettings: { timeoutMs: 100, retries: 0, maxRepetitions: 10 }, log: (l: string) => lines.push(l),
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    snmp.agent('127.0.0.1', 1161, systemMib());
    icmp.up.add('127.0.0.1');
    poller.registry.on('change', () => { throw new Error('listener bug'); });
    poller.setDevices([device('d', { port: 1161, intervalMs: 3_600_000 })]);
    poller.start();
    try {
      expect(poller.expedite('d')).toBe('queued');
      await vi.waitFor(() => expect(lines.some((l) => l.includes('recording the result: listener bug'))).toBe(true), { timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
      expect(poller.registry.get('d')?.state).toBe('up');
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await poller.stop(100);
    }
  });
});
