/**
 * Set-up and steps shared by the tests of owed sweeps (of removed devices, of removed rules): a
 * fake clock, a manager whose logs and changes are recorded, the store's listings counted along the clock.
 */
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import type { AlertStore } from '../../src/alerts/store.ts';
import type { AlertChange } from '../../src/alerts/types.ts';

/** fake timeouts and Date from `t0` in each test */
export function fakeClockFrom(t0: number): void {
  beforeEach(() => { vi.useFakeTimers({ now: t0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
  afterEach(() => { vi.useRealTimers(); });
}

/** an AlertManager on `store` recording its warnings, infos and changes (`kind key [clearedBy][ (silent)]`) */
export function recordedManager(store: AlertStore) {
  const warnings: string[] = [];
  const infos: string[] = [];
  const m = new AlertManager(store, { logger: { warn: (w) => warnings.push(w), info: (i) => infos.push(i) } });
  const changes: string[] = [];
  m.onChange((c: AlertChange) => changes.push(`${c.kind} ${c.alert.key}${c.alert.clearedBy ? ` ${c.alert.clearedBy}` : ''}${c.notify ? '' : ' (silent)'}`));
  return { m, changes, warnings, infos };
}

export const activeKeys = (store: AlertStore) => store.list({ state: 'active' }).map((a) => a.key).sort();

/** from a count of 0, advances the clock by each step's ms, then expects that many listings in all */
export async function expectListings(fail: { lists: number }, steps: [ms: number, lists: number][]): Promise<void> {
  fail.lists = 0;
  let elapsed = 0;
  for (const [ms, lists] of steps) {
    await vi.advanceTimersByTimeAsync(ms);
    elapsed += ms;
    expect(fail.lists, `listings in the ${elapsed} ms`).toBe(lists);
  }
}

/** an owed sweep whose store still fails: tried again at 1 s, then 2 s later; not logged again, nothing changed */
export async function expectRetriedAt1sThen3s(t: { fail: { lists: number }; warnings: string[]; changes: string[] }): Promise<void> {
  await expectListings(t.fail, [[1000, 1], [1999, 1], [1, 2]]);
  expect(t.warnings).toHaveLength(1);
  expect(t.changes).toEqual([]);
}
