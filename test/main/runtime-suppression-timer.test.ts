/** Review fix: the runtime's suppression re-check timer must survive a failing state store (it would end the process). */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { startNetpulse, type NetpulseRuntime } from '../../src/main/runtime.ts';

let dir = '';
let rt: NetpulseRuntime | undefined;

afterAll(async () => {
  await rt?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('suppression re-check timer', () => {
  it('a failing prune is logged, the timer goes on, nothing escapes it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'netpulse-supp-timer-'));
    mkdirSync(join(dir, 'mibs'));
    const config = parseConfig(`
devices: []
dataDir: ${join(dir, 'data')}
mibDirs: [${join(dir, 'mibs')}]
`, 'timer.yaml', {});
    const lines: string[] = [];
    rt = await startNetpulse(config, { log: (l) => lines.push(l) });
    let calls = 0;
    rt.storage.state.maintenance.pruneEnded = () => {
      calls++;
      throw new Error('SQLITE_BUSY: database is locked');
    };
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.prependListener('uncaughtException', onUncaught);
    try {
      // its first run is 10 s after the start; the second (20 s) is not waited for
      await vi.waitFor(() => expect(lines.join('\n')).toMatch(/alerts: error: .*database is locked/), { timeout: 19_000, interval: 100 });
    } finally {
      process.removeListener('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(calls).toBe(1);
    expect(lines.join('\n')).toMatch(/alerts: error: .*database is locked/);
  }, 60_000);
});
