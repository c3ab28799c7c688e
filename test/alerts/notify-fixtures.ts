// Set-up shared by the notification tests that run on fake timers.
import { afterEach, beforeEach, vi } from 'vitest';
import type { AlertEvent } from '../../src/alerts/types.ts';

/** fake timers from `t0` for each test; returns the list whose callbacks (e.g. a Notifier's close) run after each test */
export function useFakeClock(t0: number): (() => void)[] {
  const cleanups: (() => void)[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ now: t0 });
  });
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
    vi.useRealTimers();
  });
  return cleanups;
}

let seq = 0;
/** a device-down raise on sw1 at the current (fake) time, with a key of its own */
export const ev = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key: `k${seq++}`, source: 'device', rule: 'device-down', device: 'sw1', severity: 'major', message: 'device down', time: Date.now(), ...over,
});
