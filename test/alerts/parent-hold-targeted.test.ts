/**
 * reevaluateSuppressed(now, device), as src/main calls it on each state change: only the held and
 * suppressed alerts that device's state decides (its own, those of the devices behind it, through
 * every level) are asked again, with the holds due and the ones waiting for a retry. What it
 * relies on: the others' suppression cannot have changed, so the changes, records and their times
 * are those of a full run. Fake clock (vitest timers + Date), the memory store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceStateAlerts } from '../../src/alerts/device-state.ts';
import { AlertManager } from '../../src/alerts/manager.ts';
import { RecoveryGraces } from '../../src/alerts/recovery-graces.ts';
import { MemoryAlertStore, type AlertStore } from '../../src/alerts/store.ts';
import { suppressorFrom } from '../../src/alerts/suppression.ts';
import type { AlertChange } from '../../src/alerts/types.ts';
import type { DeviceState } from '../../src/model/device.ts';
import { failingStore } from './failing-store.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');
const HOLD = 30_000;

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

/** a manager on the shared `states` and `parents`, recording its changes (without the random ids) and rechecks */
function manager(states: Record<string, DeviceState>, parents: Record<string, string[]>, store: AlertStore = new MemoryAlertStore()) {
  const ctx = { windows: () => [], tagsOf: () => undefined, parentsOf: (d: string) => parents[d] ?? [], stateOf: (d: string) => states[d] };
  const suppressor = suppressorFrom(ctx);
  const asked: string[] = [];
  const rechecked: string[] = [];
  const m = new AlertManager(store, {
    suppressor: (a, t) => {
      asked.push(a.device!);
      return suppressor(a, t);
    },
    parentHold: { ms: HOLD, parentsOf: ctx.parentsOf, stateOf: ctx.stateOf, recheck: (d) => void rechecked.push(d) },
    logger: { warn: () => {}, info: () => {} },
  });
  const changes: string[] = [];
  m.onChange((c: AlertChange) => {
    const { id: _, ...alert } = c.alert;
    changes.push(JSON.stringify({ at: Date.now() - T0, kind: c.kind, notify: c.notify, released: c.released, held: c.held, alert }));
  });
  return { m, asked, rechecked, changes, deviceAlerts: new DeviceStateAlerts(m) };
}

describe('a device state change re-evaluates the alerts that device decides', () => {
  it('gives the same changes, records and rechecks as a full run, through holds, suppression, graces and a grandparent', async () => {
    const parents: Record<string, string[]> = {
      'dist-1': ['core-1'], 'acc-1': ['dist-1'], 'acc-2': ['dist-1', 'core-2'], 'acc-3': ['core-2'], 'acc-4': ['dist-1'], 'acc-5': ['core-2'],
    };
    const states: Record<string, DeviceState> = {};
    for (const d of ['core-1', 'core-2', ...Object.keys(parents)]) states[d] = 'up';
    const full = manager(states, parents);
    const targeted = manager(states, parents);
    const change = (device: string, to: DeviceState) => {
      const from = states[device]!;
      states[device] = to;
      const time = Date.now();
      for (const { deviceAlerts } of [full, targeted]) deviceAlerts.handle({ device, from, to, time });
      full.m.reevaluateSuppressed(time);
      targeted.m.reevaluateSuppressed(time, device);
    };
    const polled = (device: string, startedAt: number) => {
      for (const { m } of [full, targeted]) m.devicePolled(device, startedAt);
    };
    const at = (s: number) => vi.advanceTimersByTimeAsync(T0 + s * 1000 - Date.now());

    change('acc-1', 'down');
    change('acc-2', 'down');
    change('acc-3', 'down');
    await at(5);
    change('dist-1', 'snmp-unreachable');
    await at(8);
    // acc-1 behind dist-1 behind core-1: a grandparent's change reaches it
    change('core-1', 'down');
    await at(10);
    change('acc-4', 'down');
    // acc-2 and acc-3: their holds end on the timer, notified
    await at(40);
    change('acc-5', 'down');
    await at(45);
    change('core-2', 'down');
    await at(50);
    change('core-1', 'up');
    await at(52);
    change('dist-1', 'up');
    polled('acc-1', T0 + 51_000);
    await at(53);
    change('acc-4', 'up');
    await at(60);
    change('core-2', 'up');
    await at(200);
    for (const d of ['acc-1', 'acc-2', 'acc-3', 'acc-5']) change(d, 'up');

    expect(targeted.changes).toEqual(full.changes);
    expect(targeted.rechecked).toEqual(full.rechecked);
    const kinds = full.changes.map((c) => JSON.parse(c) as { kind: string; notify: boolean; released?: boolean; alert: { device: string } });
    // the scenario went through what it is meant to: holds ended notified and suppressed, graces released and cleared in (dist-1, acc-4)
    expect(kinds.filter((c) => c.notify).map((c) => `${c.kind} ${c.alert.device}${c.released ? ' released' : ''}`)).toEqual([
      'opened core-1', 'opened acc-2', 'opened acc-3', 'opened core-2', 'cleared core-1', 'opened acc-1 released',
      'cleared core-2', 'opened acc-5 released', 'cleared acc-1', 'cleared acc-2', 'cleared acc-3', 'cleared acc-5',
    ]);
    expect(full.m.stats).toEqual(targeted.m.stats);
    expect(targeted.m.stats).toMatchObject({ heldForParents: 5, clearedAfterParentRecovery: 2 });
    expect([targeted.m.heldCount, targeted.m.suppressedCount, targeted.m.recoveringCount]).toEqual([0, 0, 0]);
  });

  it('asks the suppressor only for the alerts of the device and of the devices behind it', () => {
    const parents: Record<string, string[]> = { 'acc-x': ['core-2'] };
    const states: Record<string, DeviceState> = { 'core-1': 'up', 'core-2': 'up', 'acc-x': 'up' };
    for (let i = 0; i < 100; i++) {
      parents[`acc-${i}`] = ['core-1'];
      states[`acc-${i}`] = 'up';
    }
    const { m, asked, deviceAlerts } = manager(states, parents);
    const change = (device: string, to: DeviceState, targeted = true) => {
      const from = states[device]!;
      states[device] = to;
      deviceAlerts.handle({ device, from, to, time: Date.now() });
      asked.length = 0;
      if (targeted) m.reevaluateSuppressed(Date.now(), device);
      else m.reevaluateSuppressed(Date.now());
      return [...asked];
    };
    for (let i = 0; i < 100; i++) change(`acc-${i}`, 'down');
    expect(m.heldCount).toBe(100);
    // an access device's change: its own alert only, whatever the number of holds
    expect(change('acc-x', 'down')).toEqual(['acc-x']);
    // a full run: every hold
    expect(change('acc-x', 'down', false)).toHaveLength(101);
    // the parent's change: the holds behind it, which it ends suppressed, then asked again as suppressed alerts (as a full run does)
    const behindCore1 = change('core-1', 'down');
    expect(behindCore1).toHaveLength(200);
    expect(behindCore1).not.toContain('acc-x');
    expect([m.heldCount, m.suppressedCount]).toEqual([1, 100]);
    expect(change('acc-x', 'up')).toEqual([]);
    expect(change('core-1', 'up')).toHaveLength(100);
  });

  it('a change that starts, ends and puts off no hold leaves the timer as it is, without going through the holds', () => {
    const parents: Record<string, string[]> = {};
    const states: Record<string, DeviceState> = { 'core-1': 'up' };
    for (let i = 0; i < 100; i++) {
      parents[`acc-${i}`] = ['core-1'];
      states[`acc-${i}`] = 'up';
    }
    const { m, deviceAlerts, changes } = manager(states, parents);
    const change = (device: string, to: DeviceState) => {
      const from = states[device]!;
      states[device] = to;
      deviceAlerts.handle({ device, from, to, time: Date.now() });
      m.reevaluateSuppressed(Date.now(), device);
    };
    for (let i = 0; i < 100; i++) change(`acc-${i}`, 'down');
    vi.advanceTimersByTime(HOLD / 2);
    // the timer's next time is found by going through every hold and grace (RecoveryGraces.nextDue among them)
    const timerLookups = vi.spyOn(RecoveryGraces.prototype, 'nextDue');
    // acc-5 reported down again: its alert repeats, its hold goes on
    change('acc-5', 'down');
    expect(timerLookups).not.toHaveBeenCalled();
    timerLookups.mockRestore();
    expect(m.heldCount).toBe(100);
    // the timer set before still ends every hold at its limit
    const from = changes.length;
    vi.advanceTimersByTime(HOLD / 2);
    expect(m.heldCount).toBe(0);
    expect(changes.slice(from).map((c) => JSON.parse(c) as { kind: string; notify: boolean }).filter((c) => c.kind === 'opened' && c.notify)).toHaveLength(100);
  });

  it('parents edited: a full run (src/main: every 10 s) files the alert under its new parents', () => {
    const parents: Record<string, string[]> = { 'acc-1': ['core-1'] };
    const states: Record<string, DeviceState> = { 'core-1': 'up', 'core-2': 'up', 'acc-1': 'up' };
    const { m, deviceAlerts } = manager(states, parents);
    const change = (device: string, to: DeviceState) => {
      const from = states[device]!;
      states[device] = to;
      deviceAlerts.handle({ device, from, to, time: Date.now() });
      m.reevaluateSuppressed(Date.now(), device);
    };
    change('acc-1', 'down');
    parents['acc-1'] = ['core-2'];
    m.reevaluateSuppressed(Date.now());
    change('core-2', 'down');
    expect(m.heldCount).toBe(0);
    expect(m.store.active('device-state:acc-1:down')!.suppressed).toMatchObject({ kind: 'parent', reason: 'parent core-2 down' });
  });

  it('a hold whose end failed to save is tried again at the next change of any device', async () => {
    const parents: Record<string, string[]> = { 'acc-1': ['core-1'], 'acc-2': ['core-2'] };
    const states: Record<string, DeviceState> = { 'core-1': 'up', 'core-2': 'up', 'acc-1': 'up', 'acc-2': 'up' };
    const fail = failingStore(new MemoryAlertStore(), ['device-state:acc-1:down']);
    const { m, deviceAlerts, changes } = manager(states, parents, fail.store);
    const change = (device: string, to: DeviceState) => {
      const from = states[device]!;
      states[device] = to;
      deviceAlerts.handle({ device, from, to, time: Date.now() });
      m.reevaluateSuppressed(Date.now(), device);
    };
    change('acc-1', 'down');
    fail.failing = true;
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(m.heldCount).toBe(1);
    fail.failing = false;
    // not a device acc-1 depends on: it is retried all the same, as a full run would
    change('acc-2', 'down');
    expect(m.heldCount).toBe(1);
    expect(changes.map((c) => JSON.parse(c) as { kind: string; notify: boolean; alert: { device: string } }).filter((c) => c.notify).map((c) => `${c.kind} ${c.alert.device}`)).toEqual(['opened acc-1']);
  });
});
