/**
 * A parent hold whose end failed to save, then a run dated before the hold's end (src/main: a
 * device's change is dated at its poll's start, seconds before now): the hold goes on for that run,
 * but its retry must still come on its timer. It used to be lost: the timer fired at the retry, found
 * nothing due and re-armed at the same instant, over and over (a busy timer; an endless loop on a
 * fake clock), and the hold never ended.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { MemoryAlertStore } from '../../src/alerts/store.ts';
import { isHeldNow } from '../../src/alerts/types.ts';
import { deviceStateChanges } from './device-changes.ts';
import { failingHoldManager, HOLD, KEY1, T0 } from './failing-hold.ts';

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

it('a hold whose end failed is retried on its timer after a run dated before its end, and ends', () => {
  const inner = new MemoryAlertStore();
  const { m, fail, states } = failingHoldManager(inner);
  deviceStateChanges(m, states)('access-1', 'down');
  fail.failing = true;
  vi.advanceTimersByTime(HOLD);
  expect(fail.failedSaves).toBe(1);
  // a change of access-2 whose poll started 2 s ago: for that time the hold goes on
  m.reevaluateSuppressed(Date.now() - 2000, 'access-2');
  expect(m.heldCount).toBe(1);
  fail.failing = false;
  const armed = vi.spyOn(globalThis, 'setTimeout');
  // the retry is due 1 s after the failed end
  vi.advanceTimersByTime(5000);
  expect(m.heldCount).toBe(0);
  expect(isHeldNow(inner.active(KEY1)!)).toBe(false);
  expect(inner.active(KEY1)!.suppressed!.until).toBe(T0 + HOLD + 1000);
  // the timer fires once for the retry (and is not set again: nothing else waits)
  expect(armed.mock.calls.length).toBeLessThanOrEqual(1);
  expect(vi.getTimerCount()).toBe(0);
});
