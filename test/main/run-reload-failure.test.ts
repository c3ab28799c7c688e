/**
 * runUntilSignal under `netpulse start`: a SIGHUP whose reload rejects is logged, and netpulse
 * runs on (an unhandled rejection would end the process). The runtime is a stand-in.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NetpulseConfig } from '../../src/config/types.ts';

const stopped = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/main/runtime.ts', () => ({
  startNetpulse: async () => ({
    reload: () => Promise.reject(new Error('inventory: cannot index device x')),
    stop: async () => void stopped.count++,
  }),
}));
const { runUntilSignal } = await import('../../src/main/run.ts');

const added = (signal: NodeJS.Signals, before: Function[]) => process.listeners(signal).filter((l) => !before.includes(l));

afterEach(() => vi.restoreAllMocks());

describe('runUntilSignal with reloadOnHangup', () => {
  it('logs a reload that rejects and keeps running until a stop signal', async () => {
    vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const hupBefore = process.listeners('SIGHUP');
    const termBefore = process.listeners('SIGTERM');
    const log: string[] = [];
    const config = { file: '/etc/netpulse.yaml', warnings: [] } as unknown as NetpulseConfig;
    let up!: () => void;
    const started = new Promise<void>((r) => (up = r));
    const done = runUntilSignal(config, { reloadOnHangup: true, log: (l) => log.push(l), onStarted: () => up() });
    await started;
    for (const l of added('SIGHUP', hupBefore)) (l as (s: NodeJS.Signals) => void)('SIGHUP');
    await new Promise((r) => setImmediate(r));
    expect(log).toContain('netpulse: error: SIGHUP: config reload of /etc/netpulse.yaml failed: inventory: cannot index device x');
    expect(stopped.count).toBe(0);

    for (const l of added('SIGTERM', termBefore)) (l as (s: NodeJS.Signals) => void)('SIGTERM');
    expect(await done).toBe(0);
    expect(stopped.count).toBe(1);
    expect(added('SIGHUP', hupBefore)).toEqual([]);
  });
});
