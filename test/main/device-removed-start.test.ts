/**
 * A device removed while netpulse was stopped: at start-up its alerts left active in state.db are
 * cleared as `device removed` (not a recovery); a device still in the inventory keeps its alerts.
 * state.db seeded before a real runtime starts (no devices polled: none reachable is needed).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { DEVICE_REMOVED } from '../../src/alerts/threshold.ts';
import { loadConfig } from '../../src/config/index.ts';
import { startNetpulse, type NetpulseRuntime } from '../../src/main/runtime.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';

const dir = mkdtempSync(join(tmpdir(), 'netpulse-device-removed-start-'));
const file = join(dir, 'netpulse.yaml');
let rt: NetpulseRuntime | undefined;

afterAll(async () => {
  await rt?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('alerts of a device gone from the config while stopped are cleared as device removed at start; the kept device\'s stay', async () => {
  mkdirSync(join(dir, 'mibs'));
  mkdirSync(join(dir, 'data'));
  const state = new StateStore(join(dir, 'data', 'state.db'));
  const before = new AlertManager(alertStoreFrom(state), { logger: { warn: () => {}, info: () => {} } });
  for (const device of ['gone', 'kept']) {
    before.raise({ action: 'raise', key: `device-state:${device}:down`, source: 'device', rule: 'device-down', device, severity: 'critical', message: `${device} is down`, time: Date.now() });
  }
  await before.close();
  state.close();

  writeFileSync(file, `
credentials:
  c: { version: 2c, community: public }
devices:
  - { name: kept, address: 127.0.0.1, port: 9, credentials: c }
defaults: { interval: 1h, timeout: 200ms, retries: 0, profiles: [system], icmp: { enabled: false } }
dataDir: ${JSON.stringify(join(dir, 'data'))}
mibDirs: [${JSON.stringify(join(dir, 'mibs'))}]
mibWarmup: false
`);
  const logLines: string[] = [];
  rt = await startNetpulse(loadConfig(file, {}), { log: (l) => logLines.push(l), availabilityWarmup: false });
  expect(rt.alerts.store.list({ state: 'active' }).map((a) => a.key)).toEqual(['device-state:kept:down']);
  const gone = rt.alerts.store.list({ state: 'cleared', device: 'gone' });
  expect(gone.map((a) => [a.key, a.clearedBy])).toEqual([['device-state:gone:down', DEVICE_REMOVED]]);
  expect(logLines.some((l) => l.includes(`alerts of devices removed cleared (${DEVICE_REMOVED}): device-state:gone:down`))).toBe(true);
});
