/**
 * Poller.stop with the fallback engine (the system ping, one child per host) on loopback: probes
 * still running after the grace time are ended, so no ping child of netpulse keeps probing once
 * it has stopped; a poll whose probe was cut short writes no `icmp` sample claiming its host down.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PingPackageChecker } from '../../src/icmp/ping-checker.ts';
import type { IcmpChecker } from '../../src/icmp/types.ts';
import { MemorySink } from '../../src/model/sample.ts';
import { Poller } from '../../src/poller/poller.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import { pingChildrenOf } from '../icmp/fping-procs.ts';
import { FakeSnmpClient, device, systemMib } from './fakes.ts';

// 100 probes 100 ms apart: a probe of ~10 s, far past the grace time
const LONG = { count: 100, periodMs: 100 };
const strays: number[] = [];
afterEach(() => {
  for (const pid of strays.splice(0)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
});

function setup(addresses: string[], icmp: IcmpChecker) {
  const snmp = new FakeSnmpClient();
  const devices = addresses.map((address, i) => {
    snmp.agent(address, 161, systemMib());
    return device(`d${i}`, { address, intervalMs: 60_000 });
  });
  const sink = new MemorySink();
  const poller = new Poller({
    snmp, icmp, icmpOptions: LONG, icmpBatchWindowMs: 10,
    sink, profiles: buildProfileRegistry(), concurrency: 4, snmpSettings: { timeoutMs: 100, retries: 0, maxRepetitions: 10 },
  });
  return { poller, devices, sink };
}

describe('Poller.stop with ping probes still running', () => {
  it('ends them after the grace time: no ping child is left', async () => {
    const { poller, devices } = setup(['127.0.0.1', '127.0.0.2', '127.0.0.3'], new PingPackageChecker());
    poller.setDevices(devices);
    poller.start();
    for (const d of devices) expect(poller.expedite(d.name)).toBe('queued');
    await vi.waitFor(() => expect(pingChildrenOf(process.pid)).toHaveLength(3), { timeout: 10_000, interval: 20 });
    strays.push(...pingChildrenOf(process.pid).map((p) => p.pid));
    await poller.stop(100);
    expect(pingChildrenOf(process.pid)).toEqual([]);
  });

  it('a poll whose probe the checker cut short keeps its SNMP verdict and writes no icmp sample', async () => {
    const icmp: IcmpChecker = new PingPackageChecker();
    const { poller, devices, sink } = setup(['127.0.0.1'], icmp);
    const poll = poller.pollNow(devices[0]);
    await vi.waitFor(() => expect(pingChildrenOf(process.pid)).toHaveLength(1), { timeout: 10_000, interval: 20 });
    strays.push(...pingChildrenOf(process.pid).map((p) => p.pid));
    await icmp.close?.();
    const r = await poll;
    expect(r.icmp?.cancelled).toBe(true);
    expect(r.state).toBe('up');
    expect(sink.samples.filter((s) => s.measurement === 'icmp')).toEqual([]);
    expect(sink.samples.some((s) => s.measurement === 'device_status')).toBe(true);
  });
});
