/**
 * A Ctrl-C in a terminal sends SIGINT to the whole foreground process group. fping and iputils
 * ping handle SIGINT themselves: in netpulse's group they would exit normally with the statistics
 * of the probes sent so far, a partial loss that never happened. The engine children run in a
 * process group of their own: the check in flight runs to its end and netpulse alone decides when
 * to end them. Real fping and ping on 127.0.0.1, `netpulse start` stood in for by group-stop-child.ts.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { IcmpResult } from '../../src/icmp/types.ts';
import { fpingChildrenOf, pingChildrenOf, type Proc } from './fping-procs.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const childrenOf = { fping: fpingChildrenOf, ping: pingChildrenOf };

/** a check of 127.0.0.1 in a stand-in leading its own process group; SIGINT to the group once the engine child probes */
async function checkWithGroupInterrupt(engine: 'fping' | 'ping', count: number, periodMs: number) {
  const standIn = spawn(process.execPath, ['bin/run-ts', 'test/icmp/group-stop-child.ts', engine, String(count), String(periodMs)], {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  standIn.stdout.on('data', (d) => { stdout += d; });
  const ended = new Promise<number | null>((resolve) => standIn.on('close', (code) => resolve(code)));
  try {
    let engineChild: Proc | undefined;
    await vi.waitFor(() => {
      [engineChild] = childrenOf[engine](standIn.pid!);
      expect(engineChild).toBeDefined();
    }, { timeout: 20_000, interval: 20 });
    // a few probes out first: in the stand-in's group the engine would print partial statistics
    await new Promise((r) => setTimeout(r, 3 * periodMs));
    process.kill(-standIn.pid!, 'SIGINT');
    await vi.waitFor(() => expect(stdout).toContain('signal SIGINT'), { timeout: 20_000, interval: 20 });
    const code = await ended;
    const last = stdout.trim().split('\n').at(-1)!;
    return { code, engineChild: engineChild!, ...(JSON.parse(last) as { signals: string[]; result: IcmpResult }) };
  } finally {
    try { process.kill(-standIn.pid!, 'SIGKILL'); } catch { /* gone */ }
  }
}

describe('a Ctrl-C (SIGINT to netpulse\'s process group) while an engine child probes', () => {
  for (const [engine, count, periodMs] of [['fping', 20, 100], ['ping', 10, 200]] as const) {
    it(`${engine}: does not reach the child; the check is the complete real run`, async () => {
      const { code, engineChild, signals, result } = await checkWithGroupInterrupt(engine, count, periodMs);
      expect(signals).toEqual(['SIGINT']);
      expect(code).toBe(0);
      expect(result.cancelled).toBeUndefined();
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ sent: count, received: count, lossPct: 0, up: true });
      // the stand-in (its parent) leads the group the SIGINT went to
      expect(engineChild.pgrp).not.toBe(engineChild.ppid);
    });
  }
});
