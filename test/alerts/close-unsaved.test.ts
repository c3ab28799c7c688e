/**
 * Shutdown with source changes the store refused: close() tries them once more and, while the store
 * still fails, again for a bounded wait; the ones still not saved are logged (how many, keys, alert
 * ids), never dropped silently. Fake clock, the SQLite and the memory store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { MemoryAlertStore } from '../../src/alerts/store.ts';
import type { AlertEvent } from '../../src/alerts/types.ts';
import { failingStore, STORES } from './failing-store.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] }); });
afterEach(() => { vi.useRealTimers(); });

const ev = (key: string, over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key, source: 'threshold', rule: 'r', device: 'sw-1', severity: 'major', message: key, time: Date.now(), ...over,
});

describe.each(STORES)('close() with changes not saved (%s store)', (_, makeStore) => {
  /** `b` open and saved; then, the store failing for `a` and `b`: a raise of the new key `a` and a clear of `b` wait */
  function setup() {
    const inner = makeStore();
    const fail = failingStore(inner, ['a', 'b']);
    const warnings: string[] = [];
    const m = new AlertManager(fail.store, { logger: { warn: (w) => warnings.push(w), info: () => {} } });
    const changes: string[] = [];
    m.onChange((c) => changes.push(`${c.kind} ${c.alert.key}`));
    m.raise(ev('b'));
    const idOfB = inner.active('b')!.id;
    fail.failing = true;
    m.raise(ev('a'));
    m.clearKey('b', 'auto', Date.now());
    warnings.length = 0;
    return { m, fail, inner, warnings, changes, idOfB };
  }

  it('the store back within the wait: both saved at the next try, nothing logged lost', async () => {
    const t = setup();
    const closed = t.m.close(2000);
    await vi.advanceTimersByTimeAsync(600);
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(2000);
    await closed;
    expect(t.inner.active('a')).toMatchObject({ key: 'a', state: 'open' });
    expect(t.inner.active('b')).toBeUndefined();
    expect(t.changes).toEqual(['opened b', 'opened a', 'cleared b']);
    expect(t.warnings).toEqual([]);
  });

  it('the store failing throughout: tried for the wait only, then the loss logged with how many, keys and alert ids', async () => {
    const t = setup();
    const before = t.fail.failedSaves;
    let done = false;
    const closed = t.m.close(1000).then(() => { done = true; });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await closed;
    expect(done).toBe(true);
    // one pass now, then every 250 ms up to 1000 ms: 5 passes, each ending at its first failure
    expect(t.fail.failedSaves - before).toBe(5);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/^alerts: stopping: 2 alert changes not saved within 1000 ms are lost \(the store still fails: SQLITE_FULL.*\): /);
    expect(t.warnings[0]).toContain('raise of a (no alert yet)');
    expect(t.warnings[0]).toContain(`clear of b (alert ${t.idOfB})`);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('nothing waiting: resolves at once, logs nothing', async () => {
    const m = new AlertManager(makeStore(), { logger: { warn: () => { throw new Error('no warning expected'); }, info: () => {} } });
    m.raise(ev('a'));
    await m.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('close() naming the lost changes', () => {
  it('reads their alert ids once a change only until a read fails, and only for the ones it names', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
    const fail = failingStore(new MemoryAlertStore(), keys);
    const warnings: string[] = [];
    const m = new AlertManager(fail.store, { logger: { warn: (w) => warnings.push(w), info: () => {} } });
    fail.failing = true;
    for (const k of keys) m.raise(ev(k));
    let reads = 0;
    // a store whose reads fail too (each one could block: SQLite's busy timeout)
    fail.store.active = () => {
      reads++;
      throw new Error('SQLITE_BUSY: database is locked');
    };
    warnings.length = 0;
    await m.close(0);
    // the one try of the close pass, then the first id lookup: no read for each of the 300
    expect(reads).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^alerts: stopping: 300 alert changes not saved within 0 ms are lost \(the store still fails: SQLITE_BUSY/);
    expect(warnings[0]).toContain('raise of k0 (alert id unknown), raise of k1 (alert id unknown)');
    expect(warnings[0]).toMatch(/raise of k199 \(alert id unknown\), and 100 more$/);
  });
});
