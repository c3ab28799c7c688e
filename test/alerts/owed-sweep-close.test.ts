/**
 * close() drops the sweeps owed (removed devices, removed rules) that could not list the store:
 * nothing retries them afterwards, a re-evaluation after close() included (the next start-up sweeps).
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { MemoryAlertStore } from '../../src/alerts/store.ts';
import { listFailingStore } from './failing-store.ts';

const T0 = Date.parse('2026-12-04T23:00:00Z');
beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

it('a device sweep owed at close() is not retried by a re-evaluation after it', async () => {
  const fail = listFailingStore(new MemoryAlertStore());
  const m = new AlertManager(fail.store, { logger: { warn: () => {}, info: () => {} } });
  m.raise({ action: 'raise', key: 'device-state:sw1:down', source: 'device', rule: 'device-down', device: 'sw1', severity: 'critical', message: 'down', time: T0 });
  fail.failing = true;
  m.clearAlertsOfDevices(['sw1']);
  await m.close();
  fail.failing = false;
  fail.lists = 0;
  vi.setSystemTime(T0 + 5000);
  m.reevaluateSuppressed(T0 + 5000);
  expect(fail.lists).toBe(0);
  expect(fail.inner.list({ state: 'active' }).map((a) => a.key)).toEqual(['device-state:sw1:down']);
});
