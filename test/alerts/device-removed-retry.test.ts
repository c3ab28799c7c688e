/**
 * A sweep for removed devices whose listing fails (state.db locked) is owed and retried (1 s
 * doubling, by the timer and at re-evaluations) until it lists: the alerts are cleared then as
 * `device removed` and notified; a device the inventory has again by then keeps its alerts. At
 * start-up, alerts naming a device the inventory no longer has are cleared the same way. A store
 * whose listings fail on demand, a fake clock; SQLite and memory stores.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEVICE_REMOVED } from '../../src/alerts/threshold.ts';
import type { AlertEvent } from '../../src/alerts/types.ts';
import { listFailingStore, STORES } from './failing-store.ts';
import { activeKeys, expectListings, expectRetriedAt1sThen3s, fakeClockFrom, recordedManager as managerOn } from './owed-sweep-harness.ts';

const T0 = Date.parse('2026-12-04T21:00:00Z');
fakeClockFrom(T0);

const ev = (key: string, device: string, over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key, source: 'device', rule: 'device-down', device, severity: 'major', message: key, time: Date.now(), ...over,
});

describe.each(STORES)('removed devices whose sweep could not list (%s store)', (_, makeStore) => {
  function setup() {
    const fail = listFailingStore(makeStore());
    const t = managerOn(fail.store);
    for (const d of ['sw1', 'sw2', 'sw3']) {
      t.m.raise(ev(`device-state:${d}:down`, d));
      t.m.raise(ev(`linkDown:${d}:Gi0/1`, d, { source: 'trap', rule: 'linkDown' }));
    }
    t.changes.length = 0;
    return { ...t, fail };
  }

  it('retried by the timer until it lists: then cleared as device removed and notified, logged once', async () => {
    const t = setup();
    t.fail.failing = true;
    expect(t.m.clearAlertsOfDevices(['sw1'])).toEqual([]);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/^alerts: listing the active alerts of devices removed \(sw1\) failed: they stay open, tried again in 1 s and until listed: SQLITE_BUSY/);
    await expectRetriedAt1sThen3s(t);
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(4000);
    expect(t.changes.sort()).toEqual([`cleared device-state:sw1:down ${DEVICE_REMOVED}`, `cleared linkDown:sw1:Gi0/1 ${DEVICE_REMOVED}`]);
    expect(activeKeys(t.fail.inner)).toEqual(['device-state:sw2:down', 'device-state:sw3:down', 'linkDown:sw2:Gi0/1', 'linkDown:sw3:Gi0/1']);
    expect(t.m.stats.active).toBe(4);
    expect(t.infos.some((i) => /listed again after 3 failed attempts/.test(i))).toBe(true);
    // nothing owed any more: no further listing
    await expectListings(t.fail, [[120_000, 0]]);
  });

  it('the next removal sweeps the owed devices too; a re-evaluation once due retries as well', async () => {
    const t = setup();
    t.fail.failing = true;
    t.m.clearAlertsOfDevices(['sw1']);
    t.fail.failing = false;
    expect(t.m.clearAlertsOfDevices(['sw2']).sort()).toEqual(['device-state:sw1:down', 'device-state:sw2:down', 'linkDown:sw1:Gi0/1', 'linkDown:sw2:Gi0/1']);
    expect(activeKeys(t.fail.inner)).toEqual(['device-state:sw3:down', 'linkDown:sw3:Gi0/1']);

    t.fail.failing = true;
    t.m.clearAlertsOfDevices(['sw3']);
    t.fail.failing = false;
    vi.setSystemTime(T0 + 1000);
    const out = t.m.reevaluateSuppressed(Date.now());
    expect(out.map((c) => `${c.kind} ${c.alert.key}`).sort()).toEqual(['cleared device-state:sw3:down', 'cleared linkDown:sw3:Gi0/1']);
    expect(activeKeys(t.fail.inner)).toEqual([]);
  });

  it('a device re-added before the retry keeps its alerts; the other removed device is swept', async () => {
    const t = setup();
    const inventory = new Set(['sw1', 'sw2', 'sw3']);
    expect(t.m.clearAlertsOfDevicesGone((d) => inventory.has(d))).toEqual([]);
    inventory.delete('sw1');
    inventory.delete('sw2');
    t.fail.failing = true;
    t.m.clearAlertsOfDevices(['sw1', 'sw2']);
    inventory.add('sw1');
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.changes.sort()).toEqual([`cleared device-state:sw2:down ${DEVICE_REMOVED}`, `cleared linkDown:sw2:Gi0/1 ${DEVICE_REMOVED}`]);
    expect(activeKeys(t.fail.inner)).toEqual(['device-state:sw1:down', 'device-state:sw3:down', 'linkDown:sw1:Gi0/1', 'linkDown:sw3:Gi0/1']);
  });

  it('close() stops the retries: the alerts stay for the start-up sweep', async () => {
    const t = setup();
    t.fail.failing = true;
    t.m.clearAlertsOfDevices(['sw1']);
    await t.m.close();
    t.fail.failing = false;
    await expectListings(t.fail, [[120_000, 0]]);
    expect(t.changes).toEqual([]);
  });
});

describe.each(STORES)('start-up: alerts of devices no longer in the inventory (%s store)', (_, makeStore) => {
  /** a store holding active alerts of sw1 … sw3 and one without a device, as a previous run left it */
  function stored() {
    const fail = listFailingStore(makeStore());
    const before = managerOn(fail.store).m;
    for (const d of ['sw1', 'sw2', 'sw3']) before.raise(ev(`threshold:h1:device=${d}`, d, { source: 'threshold', rule: 'h1' }));
    before.raise(ev('coldStart:10.0.0.9', 'x', { source: 'trap', rule: 'coldStart', device: undefined }));
    return fail;
  }

  it('cleared as device removed and notified; those of devices present and those naming none stay', () => {
    const fail = stored();
    const t = managerOn(fail.store);
    expect(t.m.clearAlertsOfDevicesGone((d) => d === 'sw2').sort()).toEqual(['threshold:h1:device=sw1', 'threshold:h1:device=sw3']);
    expect(t.changes.sort()).toEqual([`cleared threshold:h1:device=sw1 ${DEVICE_REMOVED}`, `cleared threshold:h1:device=sw3 ${DEVICE_REMOVED}`]);
    expect(activeKeys(fail.inner)).toEqual(['coldStart:10.0.0.9', 'threshold:h1:device=sw2']);
    expect(t.m.stats.active).toBe(2);
  });

  it('the store failing to list at start: retried until it lists, against the inventory as it is then', async () => {
    const fail = stored();
    const t = managerOn(fail.store);
    const inventory = new Set(['sw2']);
    fail.failing = true;
    expect(t.m.clearAlertsOfDevicesGone((d) => inventory.has(d))).toEqual([]);
    expect(t.warnings[0]).toMatch(/^alerts: listing the active alerts of devices no longer in the inventory failed: they stay open, tried again in 1 s/);
    await vi.advanceTimersByTimeAsync(1000);
    inventory.add('sw3');
    fail.failing = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.changes).toEqual([`cleared threshold:h1:device=sw1 ${DEVICE_REMOVED}`]);
    expect(activeKeys(fail.inner)).toEqual(['coldStart:10.0.0.9', 'threshold:h1:device=sw2', 'threshold:h1:device=sw3']);
  });
});
