/**
 * Poller.stop with the real fping on loopback: a batch still running after the grace time is
 * ended, so no fping child of netpulse keeps probing once it has stopped.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FpingChecker } from '../../src/icmp/fping-checker.ts';
import { MemorySink } from '../../src/model/sample.ts';
import { Poller } from '../../src/poller/poller.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import { fpingChildrenOf } from '../icmp/fping-procs.ts';
import { FakeSnmpClient, device, systemMib } from './fakes.ts';

const strays: number[] = [];
afterEach(() => {
  for (const pid of strays.splice(0)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
});

describe('Poller.stop with fping batches still running', () => {
  it('ends them after the grace time: no fping child is left', async () => {
    const snmp = new FakeSnmpClient();
    const devices = ['127.0.0.1', '127.0.0.2', '127.0.0.3'].map((address, i) => {
      snmp.agent(address, 161, systemMib());
      return device(`d${i}`, { address, intervalMs: 60_000 });
    });
    // 100 probes 100 ms apart: the batch runs ~10 s, far past the grace time
    const poller = new Poller({
      snmp, icmp: new FpingChecker(), icmpOptions: { count: 100, periodMs: 100 }, icmpBatchWindowMs: 10,
      sink: new MemorySink(), profiles: buildProfileRegistry(), concurrency: 4, snmpSettings: { timeoutMs: 100, retries: 0, maxRepetitions: 10 },
    });
    poller.setDevices(devices);
    poller.start();
    for (const d of devices) expect(poller.expedite(d.name)).toBe('queued');
    await vi.waitFor(() => expect(fpingChildrenOf(process.pid)).toHaveLength(1), { timeout: 10_000, interval: 20 });
    strays.push(...fpingChildrenOf(process.pid).map((p) => p.pid));
    await poller.stop(100);
    expect(fpingChildrenOf(process.pid)).toEqual([]);
  });
});
