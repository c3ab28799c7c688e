// The runtime's state-retention job: registered in the cron registry, run once at start-up (old rows gone, logged, counted in /metrics).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { startNetpulse, type NetpulseRuntime } from '../../src/main/runtime.ts';
import { StateStore } from '../../src/storage/index.ts';
import { untilWithLog } from './runtime-fixtures.ts';

const DAY = 86_400_000;
let dir = '';
let rt: NetpulseRuntime | undefined;

afterAll(async () => {
  await rt?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('state-retention cron job', () => {
  it('is registered nightly and prunes at start-up what alerts.keepCleared and traps.logMaxRows say', async () => {
    dir = mkdtempSync(join(tmpdir(), 'netpulse-state-retention-'));
    mkdirSync(join(dir, 'mibs'));
    mkdirSync(join(dir, 'data'));
    const now = Date.now();
    // a state.db of an earlier run: 1,500 long-cleared alerts, one recent one, 2,500 traps
    const seed = new StateStore(join(dir, 'data', 'state.db'));
    seed.transaction(() => {
      for (let i = 0; i < 1501; i++) {
        const at = i === 0 ? now - DAY : now - 40 * DAY;
        seed.alerts.save({
          id: `a${i}`, key: `k${i}`, source: 'device', rule: 'down', severity: 'major', message: 'down', state: 'cleared',
          firstSeen: at, lastSeen: at, clearedAt: at, count: 1, flapping: false, labels: {},
        });
      }
      for (let i = 0; i < 2500; i++) seed.traps.add({ time: now - 2500 + i, source: '127.0.0.1:1', version: 'v2c', trapOid: '1.3.6.1.6.3.1.1.5.3', varbinds: [] });
    });
    seed.close();
    // alerts 1000 + 500, traps by age 1 (none that old), by the row cap 1000 + 500: 5 batches
    const config = parseConfig(`
devices: []
dataDir: ${join(dir, 'data')}
mibDirs: [${join(dir, 'mibs')}]
mibWarmup: false
alerts: { keepCleared: 30d }
traps: { listen: "127.0.0.1:0", logMaxRows: 1000 }
`, 'retention.yaml', {});
    const lines: string[] = [];
    rt = await startNetpulse(config, { log: (l) => lines.push(l), availabilityWarmup: false });
    const job = rt.cron.list().find((j) => j.name === 'state-retention');
    expect(job).toMatchObject({ expression: '40 0 * * *' });
    expect(job!.nextRunAt).toBeGreaterThan(now);
    const until = untilWithLog(lines);
    const line = await until('the start-up prune', () => lines.find((l) => l.startsWith('storage: state retention: ')));
    expect(line).toBe('storage: state retention: removed 1500 cleared alerts (older than 30d) and 1500 traps (older than 30d, beyond 1000 rows) in 5 batches');
    expect(rt.storage.state.alerts.list().map((a) => a.id)).toEqual(['a0']);
    expect(rt.storage.state.traps.count()).toBe(1000);
    expect(rt.cron.list().find((j) => j.name === 'state-retention')).toMatchObject({ runs: 1, failures: 0 });
    const families = await rt.services.metrics();
    expect(families.find((f) => f.name === 'netpulse_state_rows_pruned_total')?.samples).toEqual([
      { labels: { table: 'alerts' }, value: 1500 }, { labels: { table: 'traps' }, value: 1500 },
    ]);
  }, 60_000);
});
