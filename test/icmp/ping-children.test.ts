/**
 * The fallback engine's ping children never outlive a stop: a long probe (many probes, a long
 * interval) is ended when the checker is closed, and its host answers `cancelled`, not down.
 * Real system ping (iputils-ping), loopback.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PingPackageChecker } from '../../src/icmp/ping-checker.ts';
import type { IcmpChecker } from '../../src/icmp/types.ts';
import { pingChildrenOf } from './fping-procs.ts';

// 100 probes 100 ms apart: a probe of ~10 s, far longer than any wait below
const LONG = { count: 100, periodMs: 100 };
const strays: number[] = [];

afterEach(() => {
  // what a failing test left behind must not disturb the next
  for (const pid of strays.splice(0)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
});

describe('PingPackageChecker.close', () => {
  it('the system ping is installed (peer)', () => {
    expect(existsSync('/usr/bin/ping'), 'ping missing: apt-get install iputils-ping').toBe(true);
  });

  it('ends the probes still running: no ping child is left, their hosts are cancelled, not down', async () => {
    const checker: IcmpChecker = new PingPackageChecker();
    const check = checker.check(['127.0.0.1', '127.0.0.2'], LONG);
    await vi.waitFor(() => expect(pingChildrenOf(process.pid)).toHaveLength(2), { timeout: 10_000, interval: 20 });
    strays.push(...pingChildrenOf(process.pid).map((p) => p.pid));
    await checker.close?.();
    expect(pingChildrenOf(process.pid)).toEqual([]);
    const results = await check;
    for (const host of ['127.0.0.1', '127.0.0.2']) {
      const r = results.get(host)!;
      expect(r).toMatchObject({ cancelled: true, sent: 0, received: 0 });
      expect(r.error).toMatch(new RegExp(`^icmp: host ${host.replaceAll('.', '\\.')}: ping: cancelled \\(cut short\\): the checker was closed`));
    }
  });

  it('hosts of a check under way not yet probed are cancelled without a child', async () => {
    const checker = new PingPackageChecker(1);
    const check = checker.check(['127.0.0.1', '127.0.0.2'], LONG);
    await vi.waitFor(() => expect(pingChildrenOf(process.pid)).toHaveLength(1), { timeout: 10_000, interval: 20 });
    strays.push(...pingChildrenOf(process.pid).map((p) => p.pid));
    await checker.close();
    const results = await check;
    expect(pingChildrenOf(process.pid)).toEqual([]);
    expect(results.get('127.0.0.1')?.cancelled).toBe(true);
    expect(results.get('127.0.0.2')).toMatchObject({ cancelled: true, sent: 0 });
    expect(results.get('127.0.0.2')?.error).toMatch(/ping: cancelled \(not run\)/);
  });

  it('a check begun after close() runs as usual', async () => {
    const checker = new PingPackageChecker();
    await checker.close();
    const r = (await checker.check(['127.0.0.1'], { count: 2 })).get('127.0.0.1')!;
    expect(r).toMatchObject({ up: true, sent: 2, received: 2 });
    expect(r.cancelled).toBeUndefined();
    expect(pingChildrenOf(process.pid)).toEqual([]);
  });
});
