/**
 * A stop that signals the whole process group (Ctrl-C: SIGINT to the foreground group) reaches
 * netpulse and its engine children at once. fping and iputils ping handle SIGINT themselves: they
 * exit normally with the statistics of the probes sent so far. Such a run says nothing about its
 * host (cancelled, no partial loss, no down); a run that sent and answered every probe stays real.
 * Real fping and ping on 127.0.0.1, netpulse stood in for by group-stop-child.ts.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { FpingChecker } from '../../src/icmp/fping-checker.ts';
import { PingPackageChecker } from '../../src/icmp/ping-checker.ts';
import type { IcmpResult } from '../../src/icmp/types.ts';
import { fpingChildrenOf, pingChildrenOf } from './fping-procs.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const childrenOf = { fping: fpingChildrenOf, ping: pingChildrenOf };

/**
 * runs a check of 127.0.0.1 in its own process group; once the engine child runs and a few probes
 * went out, SIGINT goes to each of `to` in turn (the group, or the stand-in alone)
 */
async function checkInterrupted(engine: 'fping' | 'ping', count: number, periodMs: number, to: ('group' | 'netpulse')[], listen = 'on') {
  const child = spawn(process.execPath, ['bin/run-ts', 'test/icmp/group-stop-child.ts', engine, String(count), String(periodMs), listen], {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  try {
    await vi.waitFor(() => expect(childrenOf[engine](child.pid!)).toHaveLength(1), { timeout: 20_000, interval: 20 });
    await new Promise((r) => setTimeout(r, 2 * periodMs + 50));
    for (const target of to) {
      process.kill(target === 'group' ? -child.pid! : child.pid!, 'SIGINT');
      // heard before the next one (a `once` listener hears only the first)
      if (listen !== 'none') await vi.waitFor(() => expect(stdout).toContain('signal SIGINT'), { timeout: 20_000, interval: 20 });
    }
    const signal = await ended;
    const last = stdout.trim().split('\n').at(-1)!;
    return { signal, ...(last.startsWith('{') ? (JSON.parse(last) as { signals: string[]; result: IcmpResult }) : {}) };
  } finally {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
  }
}

describe('an engine child that ends normally on the group stop signal, its probes unfinished', () => {
  it('fping: the host is cancelled, not a partial loss', async () => {
    const { signals, result } = await checkInterrupted('fping', 50, 100, ['group']);
    expect(signals).toEqual(['SIGINT']);
    expect(result).toMatchObject({ cancelled: true, sent: 0, received: 0 });
    expect(result!.error).toBe('icmp: host 127.0.0.1: fping: cancelled (cut short: netpulse is stopping)');
  });

  it('ping fallback: the host is cancelled, not a partial loss', async () => {
    const { signals, result } = await checkInterrupted('ping', 50, 200, ['group']);
    expect(signals).toEqual(['SIGINT']);
    expect(result).toMatchObject({ cancelled: true, sent: 0, received: 0 });
    expect(result!.error).toBe('icmp: host 127.0.0.1: ping: cancelled (cut short): a stop signal reached netpulse');
  });
});

describe('a run that sent and answered every probe stays a real result', () => {
  // the stop signal reaches netpulse alone; its engine child runs to the end
  for (const [engine, periodMs] of [['fping', 100], ['ping', 200]] as const) {
    it(`${engine}: ended after the stop signal, complete`, async () => {
      const { signals, result } = await checkInterrupted(engine, 5, periodMs, ['netpulse']);
      expect(signals).toEqual(['SIGINT']);
      expect(result!.cancelled).toBeUndefined();
      expect(result).toMatchObject({ sent: 5, received: 5, lossPct: 0, up: true });
    });
  }
});

describe('a run that ended before close() stays a real result', () => {
  for (const [engine, periodMs] of [['fping', 20], ['ping', 200]] as const) {
    it(engine, async () => {
      const checker = engine === 'fping' ? new FpingChecker({ path: '/usr/bin/fping' }) : new PingPackageChecker();
      const r = (await checker.check(['127.0.0.1'], { count: 3, periodMs })).get('127.0.0.1')!;
      await checker.close();
      expect(r.cancelled).toBeUndefined();
      expect(r).toMatchObject({ sent: 3, received: 3, up: true });
    });
  }
});

describe('watching for stop signals never takes their default action away', () => {
  it('a process that does not listen for SIGINT still dies of it', async () => {
    const { signal, result } = await checkInterrupted('fping', 50, 100, ['group'], 'none');
    expect(signal).toBe('SIGINT');
    expect(result).toBeUndefined();
  });

  it('nor one whose listener went away while fping ran', async () => {
    const { signal, signals } = await checkInterrupted('fping', 50, 100, ['netpulse', 'netpulse'], 'once');
    expect(signal).toBe('SIGINT');
    expect(signals).toBeUndefined();
  });
});
