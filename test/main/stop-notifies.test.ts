/**
 * Stopping: the alert manager closes before the notifier, so a clear the store refused and close()
 * saved at last is still sent; the notifier then gets a moment to deliver. A real runtime, a local
 * webhook, the state store's alert save failing on demand.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { startNetpulse } from '../../src/main/runtime.ts';
import { webhookServer } from '../alerts/sinks.ts';
import { untilWithLog } from './runtime-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'netpulse-stop-notifies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a clear saved by close()\'s retries is notified', async () => {
  mkdirSync(join(dir, 'mibs'));
  const hook = await webhookServer();
  const logLines: string[] = [];
  const until = untilWithLog(logLines);
  const config = parseConfig(`
devices: []
dataDir: ${join(dir, 'data')}
mibDirs: [${join(dir, 'mibs')}]
mibWarmup: false
notifications:
  channels: { hook: { type: webhook, url: "${hook.url()}" } }
  routes: [{ channels: [hook] }]
`, 'stop-notifies.yaml', {});
  const rt = await startNetpulse(config, { log: (l) => logLines.push(l), availabilityWarmup: false });
  try {
    const events = () => hook.hits.map((h) => JSON.parse(h.body).event as string);
    rt.alerts.raise({ action: 'raise', key: 'device-state:sw1:down', source: 'device', rule: 'device-down', device: 'sw1', severity: 'critical', message: 'sw1 is down', time: Date.now() });
    await until('the open notified', () => events().length === 1);
    const repo = rt.storage.state.alerts;
    const save = repo.save;
    repo.save = () => { throw new Error('SQLITE_BUSY: database is locked'); };
    rt.alerts.clearKey('device-state:sw1:down', 'auto', Date.now());
    repo.save = save;
    expect(rt.alerts.store.active('device-state:sw1:down')).toBeDefined();
    await rt.stop();
    expect(events()).toHaveLength(2);
    expect(JSON.parse(hook.hits[1].body)).toMatchObject({ alert: { key: 'device-state:sw1:down', state: 'cleared' } });
  } finally {
    await rt.stop();
    await hook.close();
  }
});
