/**
 * fping children never outlive a stop: a long batch (many probes, a long period) is ended when
 * the checker is closed, and when the process dies of an uncaught error. Real fping, loopback.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FpingChecker } from '../../src/icmp/fping-checker.ts';
import { fpingChildrenOf, fpingProbing, markerAddress } from './fping-procs.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
// 400 probes 100 ms apart: a batch of ~40 s, far longer than any wait below (20 s)
const LONG = { count: 400, periodMs: 100 };
const strays: number[] = [];

afterEach(() => {
  // what a failing test left behind must not disturb the next
  for (const pid of strays.splice(0)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
});

describe('FpingChecker.close', () => {
  it('ends a batch still running: its hosts get an error and no fping child is left', async () => {
    const checker = new FpingChecker();
    const check = checker.check(['127.0.0.1', '127.0.0.2'], LONG);
    await vi.waitFor(() => expect(fpingChildrenOf(process.pid)).toHaveLength(1), { timeout: 10_000, interval: 20 });
    strays.push(...fpingChildrenOf(process.pid).map((p) => p.pid));
    await checker.close();
    expect(fpingChildrenOf(process.pid)).toEqual([]);
    const results = await check;
    expect(results.get('127.0.0.1')?.error).toMatch(/^icmp: host 127\.0\.0\.1: fping: killed by SIGTERM \(the checker was closed/);
    expect(results.get('127.0.0.2')?.up).toBe(false);
    expect(results.get('127.0.0.2')).toMatchObject({ cancelled: true, sent: 0 });
  });

  it('a check begun after close() runs as usual', async () => {
    const checker = new FpingChecker();
    await checker.close();
    const r = await checker.check(['127.0.0.1'], { count: 1 });
    expect(r.get('127.0.0.1')?.up).toBe(true);
  });
});

describe('fping children when the process dies of an uncaught error', () => {
  it('are killed on the way out, not left probing as orphans', async () => {
    const address = markerAddress();
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['bin/run-ts', 'test/icmp/fping-crash-child.ts', address], { cwd: root }, (_err, out) => resolve({ code: child.exitCode, stdout: out }));
    });
    strays.push(...fpingProbing(address).map((p) => p.pid));
    expect(stdout).toContain('fping running');
    expect(code).toBe(1);
    // the exit hook's SIGKILL is sent but may not have been acted on yet (a loaded machine): an orphan
    // left probing would still be there after the wait, its batch runs ~40 s
    await vi.waitFor(() => expect(fpingProbing(address)).toEqual([]), { timeout: 20_000, interval: 20 });
  });
});

describe('netpulse ping stopped by a signal mid-batch', () => {
  // SIGHUP: the terminal of the command closed (its default action would orphan fping too)
  it.each([['SIGTERM', 143], ['SIGHUP', 129]] as const)('%s: exits %i and leaves no fping probing', async (signal, status) => {
    const address = markerAddress();
    const child = spawn(process.execPath, ['bin/netpulse', 'ping', '-c', '400', '-p', '100', address], { cwd: root, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await vi.waitFor(() => expect(fpingProbing(address)).toHaveLength(1), { timeout: 30_000, interval: 20 });
    strays.push(...fpingProbing(address).map((p) => p.pid));
    child.kill(signal);
    const code = await exited;
    // the exit hook's SIGKILL is sent but may not have been acted on yet (a loaded machine): an orphan
    // left probing would still be there after the wait, its batch runs ~40 s
    await vi.waitFor(() => expect(fpingProbing(address)).toEqual([]), { timeout: 20_000, interval: 20 });
    expect(code).toBe(status);
  });
});
