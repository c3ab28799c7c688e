/**
 * clearAlertsOfDevices(): the alerts of a device that left the inventory are cleared as `device
 * removed` (no recovery, and the notification says so), whatever raised them; the raises of it
 * still waiting for the store never open. SQLite and memory stores.
 */
import { describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { changeVars } from '../../src/alerts/notify/render.ts';
import { MemoryAlertStore, type AlertStore } from '../../src/alerts/store.ts';
import { DEVICE_REMOVED } from '../../src/alerts/threshold.ts';
import type { AlertChange, AlertEvent } from '../../src/alerts/types.ts';
import { failingStore, STORES } from './failing-store.ts';

const T0 = Date.parse('2026-12-04T21:00:00Z');
const ev = (key: string, over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key, source: 'device', rule: 'device-down', device: 'sw1', severity: 'major', message: key, time: T0, ...over,
});

/** one alert of each source on sw1, and the same on sw2 */
const OF_EACH_SOURCE = (d: string): AlertEvent[] => [
  ev(`device-state:${d}:down`, { device: d }),
  ev(`rule:api-7:${d}`, { rule: 'api-7', device: d }),
  ev(`threshold:h1:device=${d}`, { source: 'threshold', rule: 'h1', device: d }),
  ev(`linkDown:${d}:Gi0/1`, { source: 'trap', rule: 'linkDown', device: d }),
  ev(`topology:link:${d}-core`, { rule: 'topology-link-down', device: d }),
];

function recorded(store: AlertStore) {
  const m = new AlertManager(store, { logger: { warn: () => {}, info: () => {} } });
  const changes: string[] = [];
  m.onChange((c: AlertChange) => changes.push(`${c.kind} ${c.alert.key}${c.alert.clearedBy ? ` ${c.alert.clearedBy}` : ''}`));
  return { m, changes };
}

describe.each(STORES)('clearAlertsOfDevices (%s store)', (_, makeStore) => {
  it('clears every source\'s alert of the device as device removed, not the other device\'s', () => {
    const { m, changes } = recorded(makeStore());
    for (const e of [...OF_EACH_SOURCE('sw1'), ...OF_EACH_SOURCE('sw2')]) m.raise(e);
    changes.length = 0;
    const keys = OF_EACH_SOURCE('sw1').map((e) => e.key);
    expect(m.clearAlertsOfDevices(['sw1'], T0 + 1000).sort()).toEqual([...keys].sort());
    expect(changes.sort()).toEqual(keys.map((k) => `cleared ${k} ${DEVICE_REMOVED}`).sort());
    expect(m.store.list({ state: 'active' }).map((a) => a.device)).toEqual(Array(5).fill('sw2'));
    expect(m.stats.active).toBe(5);
  });

  it('a raise of the device waiting for the store is dropped: it never opens', () => {
    const fail = failingStore(makeStore(), ['device-state:sw1:down']);
    const { m, changes } = recorded(fail.store);
    fail.failing = true;
    expect(m.raise(ev('device-state:sw1:down'))).toBeUndefined();
    fail.failing = false;
    expect(m.clearAlertsOfDevices(['sw1'])).toEqual(['device-state:sw1:down']);
    m.reevaluateSuppressed(T0 + 120_000);
    expect(changes).toEqual([]);
    expect(m.store.list({})).toEqual([]);
  });
});

it('many devices at once: one listing of the active alerts, not one per device', () => {
  const inner = new MemoryAlertStore();
  let lists = 0;
  const store: AlertStore = { active: (k) => inner.active(k), byId: (i) => inner.byId(i), save: (a) => inner.save(a), list: (q) => { lists++; return inner.list(q); } };
  const { m } = recorded(store);
  const devices = Array.from({ length: 100 }, (_, i) => `sw${i}`);
  for (const d of devices) m.raise(ev(`device-state:${d}:down`, { device: d }));
  lists = 0;
  expect(m.clearAlertsOfDevices(devices)).toHaveLength(100);
  expect(lists).toBe(1);
  lists = 0;
  expect(m.clearAlertsOfDevices([])).toEqual([]);
  expect(lists).toBe(0);
});

describe('a clear because the device was removed is not a recovery', () => {
  it.each([
    [DEVICE_REMOVED, 'CLEARED (device removed, not a recovery)'],
    ['rule removed', 'CLEARED (rule removed, not a recovery)'],
    ['auto', 'CLEARED'],
  ])('cleared by %s: state %j', (by, state) => {
    const alert = { id: 'a1', key: 'k', source: 'device', rule: 'device-down', device: 'sw1', severity: 'major', message: 'm', state: 'cleared', firstSeen: T0, lastSeen: T0, clearedAt: T0, clearedBy: by, count: 1, flapping: false, labels: {} } as const;
    expect(changeVars({ kind: 'cleared', alert: { ...alert, labels: {} }, notify: true }).state).toBe(state);
  });
});
