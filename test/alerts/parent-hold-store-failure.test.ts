/**
 * A parent hold whose end cannot be saved: nothing is notified that the store does not hold, the
 * alert stays held (in memory as in the store) and the end is tried again (timer, next state
 * change) until it is saved; then it is notified once. Logged once per failing hold, not per try.
 * Fake clock, the real Notifier with a recording channel, the SQLite store and the memory store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertStore } from '../../src/alerts/store.ts';
import { isHeldNow, type Alert } from '../../src/alerts/types.ts';
import { deviceStateChanges } from './device-changes.ts';
import { failingHoldManager, HOLD, KEY1, T0 } from './failing-hold.ts';
import { STORES } from './failing-store.ts';
import { recordingNotifier } from './recording-notifier.ts';

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

function setup(inner: AlertStore) {
  const warnings: string[] = [];
  const infos: string[] = [];
  const { m, fail, states } = failingHoldManager(inner, { warn: (w) => warnings.push(w), info: (i) => infos.push(i) });
  const { changes, notified } = recordingNotifier(m, T0);
  return { m, fail, states, warnings, infos, changes, notified, change: deviceStateChanges(m, states), stored: () => inner.active(KEY1)! };
}

describe.each(STORES)('a parent hold whose end fails to save (%s store)', (_, makeStore) => {
  it('is not notified while the save fails, stays held, is retried and notified once when the store is back', async () => {
    const { m, fail, warnings, infos, changes, notified, change, stored } = setup(makeStore());
    change('access-1', 'down');
    change('access-2', 'down');
    const held = structuredClone(stored().suppressed);
    fail.failing = true;
    await vi.advanceTimersByTimeAsync(HOLD);
    // nothing sent for access-1; access-2 (its save works) ended in the same run
    expect(await notified()).toEqual(['opened access-2 @30s']);
    expect(changes.filter((c) => c.includes('access-1'))).toEqual(['opened access-1 notify=false held']);
    // the store and the manager agree: still held, the record as it was (`holdUntil`, no `until`)
    expect(fail.failedSaves).toBe(1);
    expect(stored().suppressed).toEqual(held);
    expect(isHeldNow(stored())).toBe(true);
    expect(isHeldNow(m.store.active(KEY1)!)).toBe(true);
    expect(m.heldCount).toBe(1);
    expect(m.stats.suppressedParent).toBe(0);
    expect(warnings).toEqual([expect.stringMatching(/parent hold of device-state:access-1:down.*SQLITE_FULL/)]);
    // tried again on its timer, spaced out (no busy loop), still logged only once
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(fail.failedSaves).toBeGreaterThan(1);
    expect(fail.failedSaves).toBeLessThan(20);
    expect(warnings).toHaveLength(1);
    expect(await notified()).toEqual(['opened access-2 @30s']);
    expect(vi.getTimerCount()).toBe(1);
    // the store back: the next re-evaluation (src/main: any state change) ends the hold, saved, notified once
    fail.failing = false;
    m.reevaluateSuppressed(Date.now());
    expect(stored().suppressed).toMatchObject({ kind: 'parent', by: 'core-1', until: Date.now(), reason: expect.stringMatching(/^held 330 s for parent core-1; core-1 up$/) });
    expect(stored().suppressed!.holdUntil).toBeUndefined();
    expect(m.heldCount).toBe(0);
    expect(infos.join('\n')).toMatch(/parent hold of device-state:access-1:down.*saved/);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    m.reevaluateSuppressed(Date.now());
    expect(await notified()).toEqual(['opened access-2 @30s', 'opened access-1 @330s']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the store back before the next state change: its retry timer ends the hold', async () => {
    const { m, fail, notified, stored } = setup(makeStore());
    m.raise({ action: 'raise', key: KEY1, source: 'device', rule: 'device-down', device: 'access-1', severity: 'critical', message: 'access-1 is down', time: Date.now(), holdForParents: true });
    fail.failing = true;
    await vi.advanceTimersByTimeAsync(HOLD);
    fail.failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(isHeldNow(stored())).toBe(false);
    expect(stored().suppressed!.until).toBeDefined();
    expect(m.heldCount).toBe(0);
    expect((await notified()).filter((n) => n.startsWith('opened access-1'))).toHaveLength(1);
  });

  it('a parent found down while the save fails: not recorded as suppressed until saved; then suppressed, nothing sent', async () => {
    const { m, fail, states, notified, change, stored } = setup(makeStore());
    change('access-1', 'down');
    fail.failing = true;
    states['core-1'] = 'down';
    m.reevaluateSuppressed(Date.now());
    expect(isHeldNow(stored())).toBe(true);
    expect(m.heldCount).toBe(1);
    expect(m.suppressedCount).toBe(0);
    expect(m.stats.suppressedParent).toBe(0);
    fail.failing = false;
    m.reevaluateSuppressed(Date.now());
    expect(stored().suppressed).toMatchObject({ kind: 'parent', by: 'core-1' });
    expect(stored().suppressed!.holdUntil).toBeUndefined();
    expect(m.heldCount).toBe(0);
    expect(m.suppressedCount).toBe(1);
    expect(m.stats.suppressedParent).toBe(1);
    await vi.advanceTimersByTimeAsync(HOLD * 2);
    expect(await notified()).toEqual([]);
  });

  it('cleared while its hold end was failing: never notified, cleared silently as a held alert', async () => {
    const { m, fail, notified, change, stored } = setup(makeStore());
    change('access-1', 'down');
    fail.failing = true;
    await vi.advanceTimersByTimeAsync(HOLD);
    fail.failing = false;
    // no retry ran yet (the timer's next try is later): the clear comes first
    change('access-1', 'up');
    expect(stored()).toBeUndefined();
    expect(m.heldCount).toBe(0);
    const cleared = m.store.list({ state: 'cleared' }).find((a) => a.key === KEY1)!;
    expect(cleared.suppressed!.reason).toMatch(/cleared during the hold$/);
    await vi.advanceTimersByTimeAsync(HOLD * 2);
    expect(await notified()).toEqual([]);
  });
});
