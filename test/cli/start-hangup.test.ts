/**
 * `netpulse start` handles SIGHUP from before it loads the runtime's modules (most of its
 * start-up) to the process's exit: one while they load reloads once netpulse is up, one after
 * runUntilSignal returned is ignored (SIGHUP's default action would end the process).
 * run.ts is replaced by a stand-in whose loading is the moment a SIGHUP arrives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

type Opts = { reloadOnHangup?: boolean; reloadWhenUp?: boolean; exitWhenStopped?: boolean };
const calls = vi.hoisted(() => [] as Opts[]);
vi.mock('../../src/main/run.ts', () => {
  // the module loads: a SIGHUP arrives (emitted, so that without a listener nothing happens)
  process.emit('SIGHUP', 'SIGHUP');
  return {
    runUntilSignal: async (_config: unknown, opts: Opts) => {
      calls.push({ reloadOnHangup: opts.reloadOnHangup, reloadWhenUp: opts.reloadWhenUp, exitWhenStopped: opts.exitWhenStopped });
      return 0;
    },
  };
});
const { run: startCmd } = await import('../../src/cli/commands/start.ts');

const dir = mkdtempSync(join(tmpdir(), 'netpulse-start-hangup-'));
const file = join(dir, 'netpulse.yaml');
writeFileSync(file, `dataDir: ${JSON.stringify(join(dir, 'data'))}\nmibDirs: []\nmibWarmup: false\n`);
const before = process.listeners('SIGHUP');
afterEach(() => {
  for (const l of process.listeners('SIGHUP')) if (!before.includes(l)) process.removeListener('SIGHUP', l);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('netpulse start and SIGHUP outside runUntilSignal', () => {
  it('one during start-up is remembered: runUntilSignal reloads once up; one after it returned is logged and ignored', async () => {
    expect(await startCmd(['--config', file])).toBe(0);
    // the process ends once stopped (a hung lookup in libuv's pool must not hold it: start-exit-held-pool.test.ts)
    expect(calls).toEqual([{ reloadOnHangup: true, reloadWhenUp: true, exitWhenStopped: true }]);
    expect(process.listenerCount('SIGHUP')).toBeGreaterThan(before.length);
    const err: string[] = [];
    const w = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
    try {
      process.emit('SIGHUP', 'SIGHUP');
    } finally {
      w.mockRestore();
    }
    expect(err.join('')).toMatch(/netpulse: SIGHUP: stopped already; no config reload\n$/);
  });
});
