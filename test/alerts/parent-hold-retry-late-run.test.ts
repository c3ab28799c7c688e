/**
 * A parent hold whose end failed to save, then a run dated before the hold's end (src/main: a
 * device's change is dated at its poll's start, seconds before now): the hold goes on for that run,
 * but its retry must still come on its timer. It used to be lost: the timer fired at the retry, found
 * nothing due and re-armed at the same instant, over and over (a busy timer; an endless loop on a
 * fake clock), and the hold never ended.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { MemoryAlertStore } from '../../src/alerts/store.ts';
import { suppressorFrom } from '../../src/alerts/suppression.ts';
import { isHeldNow } from '../../src/alerts/types.ts';
import type { DeviceState } from '../../src/model/device.ts';
import { deviceStateChanges } from './device-changes.ts';
import { failingStore } from './failing-store.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');
const HOLD = 30_000;
const PARENTS: Record<string, string[]> = { 'access-1': ['core-1'], 'access-2': ['core-1'] };
const KEY1 = 'device-state:access-1:down';

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

it('a hold whose end failed is retried on its timer after a run dated before its end, and ends', () => {
  const inner = new MemoryAlertStore();
  const states: Record<string, DeviceState> = { 'core-1': 'up' };
  const ctx = { windows: () => [], tagsOf: () => undefined, parentsOf: (d: string) => PARENTS[d] ?? [], stateOf: (d: string) => states[d] };
  const fail = failingStore(inner, [KEY1]);
  const m = new AlertManager(fail.store, {
    suppressor: suppressorFrom(ctx),
    parentHold: { ms: HOLD, parentsOf: ctx.parentsOf, stateOf: ctx.stateOf },
    logger: { warn: () => {}, info: () => {} },
  });
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
