/**
 * close()'s wait for changes the store refused is a deadline on a monotonic clock (checked between
 * keys), and a pass ends at its first failure: a store that blocks on each failed save (SQLite's
 * busy timeout) cannot stretch it. A fake store counting saves and a fake clock, no time measured.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { MemoryAlertStore, type AlertStore } from '../../src/alerts/store.ts';
import type { AlertEvent } from '../../src/alerts/types.ts';

const T0 = Date.parse('2026-12-04T21:00:00Z');
beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

const ev = (key: string): AlertEvent => ({ action: 'raise', key, source: 'trap', rule: 'r', device: 'd', severity: 'major', message: key, time: T0 });

/**
 * A store whose saves, while `failing`, cost `failMs` on the fake monotonic clock and throw
 * SQLITE_BUSY; saves that work cost `okMs`. Ten raises wait for it when returned.
 */
function setup(o: { failMs: number; okMs?: number; clockFollowsTimers?: boolean }) {
  const inner = new MemoryAlertStore();
  const s = { failing: true, saves: 0, failed: 0, clock: 0 };
  const store: AlertStore = {
    active: (k) => inner.active(k), byId: (i) => inner.byId(i), list: (q) => inner.list(q),
    save: (a) => {
      s.saves++;
      if (s.failing) {
        s.failed++;
        s.clock += o.failMs;
        throw new Error('SQLITE_BUSY: database is locked');
      }
      s.clock += o.okMs ?? 0;
      inner.save(a);
    },
  };
  const warnings: string[] = [];
  // the monotonic clock: the store's cost plus, when asked, the (fake) time the sleeps between passes take
  const monotonicNow = () => s.clock + (o.clockFollowsTimers ? Date.now() - T0 : 0);
  const m = new AlertManager(store, { logger: { warn: (w) => warnings.push(w), info: () => {} }, monotonicNow });
  for (let i = 0; i < 10; i++) m.raise(ev(`k${i}`));
  Object.assign(s, { saves: 0, failed: 0, clock: 0 });
  warnings.length = 0;
  return { m, s, inner, warnings };
}

async function closeAll(m: AlertManager, waitMs: number): Promise<void> {
  const closed = m.close(waitMs);
  await vi.runAllTimersAsync();
  await closed;
}

it('a failed save blocking past the whole wait: one save tried, not one per change and pass', async () => {
  const t = setup({ failMs: 5000 });
  await closeAll(t.m, 2000);
  expect(t.s.failed).toBe(1);
  expect(t.warnings).toHaveLength(1);
  expect(t.warnings[0]).toMatch(/^alerts: stopping: 10 alert changes not saved within 2000 ms are lost \(the store still fails: SQLITE_BUSY/);
});

it('cheap failures: each pass (now, then every 250 ms) ends at its first failure', async () => {
  const t = setup({ failMs: 0, clockFollowsTimers: true });
  await closeAll(t.m, 1000);
  // passes at 0, 250, 500, 750 and 1000 ms
  expect(t.s.failed).toBe(5);
  expect(t.warnings[0]).toMatch(/^alerts: stopping: 10 alert changes not saved/);
});

it('the store back but slow: saves go on until the deadline, checked between keys; the rest are logged lost', async () => {
  const t = setup({ failMs: 0, okMs: 300 });
  t.s.failing = false;
  await closeAll(t.m, 1000);
  // 0 → 300 → 600 → 900 → 1200 ms: the fifth would start past the deadline
  expect(t.s.saves).toBe(4);
  expect(t.inner.list({ state: 'active' }).map((a) => a.key).sort()).toEqual(['k0', 'k1', 'k2', 'k3']);
  expect(t.warnings).toHaveLength(1);
  expect(t.warnings[0]).toMatch(/^alerts: stopping: 6 alert changes not saved within 1000 ms are lost \(the wait ran out before they were tried\): raise of k4 /);
});

it('the store back at the second pass: everything saved in order, nothing lost', async () => {
  const t = setup({ failMs: 0, clockFollowsTimers: true });
  const closed = t.m.close(2000);
  await vi.advanceTimersByTimeAsync(100);
  t.s.failing = false;
  await vi.runAllTimersAsync();
  await closed;
  expect(t.s.failed).toBe(1);
  expect(t.inner.list({ state: 'active' })).toHaveLength(10);
  expect(t.warnings).toEqual([]);
});
