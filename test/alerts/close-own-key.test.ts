/**
 * close(): a change the store refuses for its own key does not keep the others waiting behind it
 * from being saved: each pass starts after the change whose failure ended the one before. Fake
 * clock, the SQLite and the memory store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import type { AlertEvent } from '../../src/alerts/types.ts';
import { failingStore, STORES } from './failing-store.ts';

const T0 = Date.parse('2026-12-04T21:00:00Z');
beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] }); });
afterEach(() => { vi.useRealTimers(); });

const ev = (key: string): AlertEvent => ({ action: 'raise', key, source: 'trap', rule: 'r', device: 'd', severity: 'major', message: key, time: T0 });

/** k0..k3 raised while the store is down; it comes back refusing `refused` alone; close(1000) */
async function closeWithRefused(makeStore: (typeof STORES)[number][1], refused: string[]) {
  const inner = makeStore();
  const fail = failingStore(inner, ['k0', 'k1', 'k2', 'k3']);
  const warnings: string[] = [];
  const m = new AlertManager(fail.store, { logger: { warn: (w) => warnings.push(w), info: () => {} } });
  const changes: string[] = [];
  m.onChange((c) => changes.push(`${c.kind} ${c.alert.key}`));
  fail.failing = true;
  for (const k of ['k0', 'k1', 'k2', 'k3']) m.raise(ev(k));
  fail.keys = new Set(refused);
  warnings.length = 0;
  const closed = m.close(1000);
  await vi.runAllTimersAsync();
  await closed;
  return { active: inner.list({ state: 'active' }).map((a) => a.key).sort(), changes, warnings };
}

describe.each(STORES)('close() with one key the store keeps refusing (%s store)', (_, makeStore) => {
  it('the others are saved and notified; only that one is logged lost', async () => {
    const { active, changes, warnings } = await closeWithRefused(makeStore, ['k0']);
    expect(active).toEqual(['k1', 'k2', 'k3']);
    expect(changes).toEqual(['opened k1', 'opened k2', 'opened k3']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^alerts: stopping: 1 alert changes not saved within 1000 ms are lost \(the store still fails: SQLITE_FULL.*\): raise of k0 \(no alert yet\)$/);
  });
  it('two keys the store refuses do not keep the ones after them from being saved', async () => {
    const { active, changes, warnings } = await closeWithRefused(makeStore, ['k0', 'k1']);
    expect(active).toEqual(['k2', 'k3']);
    expect(changes).toEqual(['opened k2', 'opened k3']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^alerts: stopping: 2 alert changes not saved within 1000 ms are lost \(the store still fails: SQLITE_FULL.*\): raise of k0 \(no alert yet\), raise of k1 \(no alert yet\)$/);
  });
});
