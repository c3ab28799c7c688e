/**
 * The fallback engine's ping children never outlive a stop: a long probe (many probes, a long
 * interval) is ended when the checker is closed, and its host answers `cancelled`, not down.
 * Real system ping (iputils-ping), loopback.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PingPackageChecker } from '../../src/icmp/ping-checker.ts';
import type { IcmpChecker } from '../../src/icmp/types.ts';
import { pingChildrenOf } from './fping-procs.ts';

// 100 probes 100 ms apart: a probe of ~10 s, far longer than any wait below
const LONG = { count: 100, periodMs: 100 };
const strays: number[] = [];

/** the state letter of a process in /proc (Z: exited, not yet reaped by its parent), or null once it is gone */
function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return null;
  }
}

/**
 * Blocks the event loop until the process has exited: Node reaps its children (and emits 'exit')
 * only from the loop, so on return the child is a zombie that netpulse has not seen end yet.
 */
function blockUntilExited(pid: number): void {
  for (let i = 0; procState(pid) !== 'Z'; i++) {
    if (i > 1_000_000 || procState(pid) === null) throw new Error(`test: ping ${pid} did not exit (state ${procState(pid)})`);
  }
}

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

  it('a ping that finished by itself before close() keeps its result, even when netpulse has not seen it end yet', async () => {
    const checker = new PingPackageChecker();
    const long = checker.check(['127.0.0.2'], LONG);
    const short = checker.check(['127.0.0.1'], { count: 3 });
    await vi.waitFor(() => expect(pingChildrenOf(process.pid)).toHaveLength(2), { timeout: 10_000, interval: 5 });
    const children = pingChildrenOf(process.pid);
    strays.push(...children.map((p) => p.pid));
    const shortPid = children.find((p) => p.args.includes('127.0.0.1'))!.pid;
    blockUntilExited(shortPid);
    // the race: its exit status is waiting to be read when close() signals the children
    const closing = checker.close();
    const done = (await short).get('127.0.0.1')!;
    expect(done).toMatchObject({ up: true, sent: 3, received: 3 });
    expect(done.cancelled).toBeUndefined();
    expect(done.error).toBeUndefined();
    await closing;
    expect((await long).get('127.0.0.2')).toMatchObject({ cancelled: true, sent: 0 });
    expect(pingChildrenOf(process.pid)).toEqual([]);
  });

  it('a ping that finished before close() keeps its result while its check has not yet taken it', async () => {
    const checker = new PingPackageChecker();
    const short = checker.check(['127.0.0.1'], { count: 3 });
    await vi.waitFor(() => expect(pingChildrenOf(process.pid)).toHaveLength(1), { timeout: 10_000, interval: 5 });
    strays.push(...pingChildrenOf(process.pid).map((p) => p.pid));
    // close() right when netpulse sees the child end, before the check reads the outcome
    const emit = ChildProcess.prototype.emit;
    let closing: Promise<void> | undefined;
    ChildProcess.prototype.emit = function (this: ChildProcess, event: string | symbol, ...args: unknown[]) {
      if (event === 'exit' && !closing) closing = checker.close();
      return Reflect.apply(emit, this, [event, ...args]) as boolean;
    };
    try {
      const done = (await short).get('127.0.0.1')!;
      expect(closing).toBeDefined();
      expect(done).toMatchObject({ up: true, sent: 3, received: 3 });
      expect(done.cancelled).toBeUndefined();
    } finally {
      ChildProcess.prototype.emit = emit;
    }
    await closing;
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
