/**
 * Alert changes whose record cannot be saved (the store's save throws): nothing is notified that
 * the store does not hold, the alert stays as the store has it (in memory too: the memory store
 * hands back the very object the manager changes), the other alerts go on, the change is tried
 * again until saved, and each failing key is logged once. Fake clock, the SQLite and the memory store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertManager, TABLE_FULL_KEY } from '../../src/alerts/manager.ts';
import type { AlertStore } from '../../src/alerts/store.ts';
import { suppressorFrom, type Suppressor } from '../../src/alerts/suppression.ts';
import { isHeldNow, isSuppressedNow, type Alert, type AlertChange, type AlertEvent } from '../../src/alerts/types.ts';
import type { DeviceState } from '../../src/model/device.ts';
import { deviceStateChanges } from './device-changes.ts';
import { failingStore, STORES } from './failing-store.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');
const HOLD = 30_000;
const PARENTS: Record<string, string[]> = { 'access-1': ['core-1'], 'access-2': ['core-1'] };
const A1 = 'device-state:access-1:down';

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

/** a maintenance window `window.name` (none: undefined) over every alert, or the parents' suppressor */
function setup(inner: AlertStore, opts: { window?: string; parents?: boolean; maxActive?: number; failKeys?: string[] } = {}) {
  const states: Record<string, DeviceState> = { 'core-1': 'up' };
  const window = { name: opts.window };
  const ctx = { windows: () => [], tagsOf: () => undefined, parentsOf: (d: string) => PARENTS[d] ?? [], stateOf: (d: string) => states[d] };
  const byWindow: Suppressor = () => (window.name ? { kind: 'maintenance', by: window.name, reason: `maintenance ${window.name}` } : undefined);
  const fail = failingStore(inner);
  for (const k of opts.failKeys ?? []) fail.keys.add(k);
  const warnings: string[] = [];
  const infos: string[] = [];
  const rechecked: string[] = [];
  const m = new AlertManager(fail.store, {
    suppressor: opts.parents ? suppressorFrom(ctx) : byWindow,
    parentHold: opts.parents ? { ms: HOLD, parentsOf: ctx.parentsOf, stateOf: ctx.stateOf, recheck: (d) => void rechecked.push(d) } : undefined,
    logger: { warn: (w) => warnings.push(w), info: (i) => infos.push(i) },
    maxActive: opts.maxActive,
  });
  const changes: string[] = [];
  m.onChange((c: AlertChange) => changes.push(`${c.kind} ${c.alert.key}${c.notify ? ' notify' : ''}`));
  const notified = () => changes.filter((c) => c.endsWith(' notify'));
  return {
    m, fail, states, window, warnings, infos, rechecked, changes, notified,
    change: deviceStateChanges(m, states), stored: (key: string) => inner.active(key),
  };
}

const ev = (key: string, over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key, source: 'threshold', rule: 'r', device: 'sw-1', severity: 'major', message: key, time: Date.now(), ...over,
});

describe.each(STORES)('alert changes not saved (%s store)', (_, makeStore) => {
  it('a release not saved: nothing sent, still suppressed in memory as in the store, the others released; released once saved', () => {
    const t = setup(makeStore(), { window: 'w1', failKeys: ['a'] });
    t.m.raise(ev('a'));
    t.m.raise(ev('b'));
    t.fail.failing = true;
    t.window.name = undefined;
    expect(() => t.m.reevaluateSuppressed(Date.now())).not.toThrow();
    expect(t.notified()).toEqual(['opened b notify']);
    expect(isSuppressedNow(t.stored('a')!)).toBe(true);
    expect(t.stored('a')!.suppressed!.reason).toBe('maintenance w1');
    expect(t.m.suppressedCount).toBe(1);
    expect(t.m.stats.released).toBe(1);
    t.m.reevaluateSuppressed(Date.now());
    t.m.reevaluateSuppressed(Date.now());
    expect(t.fail.failedSaves).toBe(3);
    expect(t.warnings).toEqual([expect.stringMatching(/^alerts: .*\ba\b.*failed.*SQLITE_FULL/)]);
    expect(t.notified()).toEqual(['opened b notify']);
    t.fail.failing = false;
    t.m.reevaluateSuppressed(Date.now());
    expect(t.notified()).toEqual(['opened b notify', 'opened a notify']);
    expect(t.stored('a')!.suppressed!.until).toBe(Date.now());
    expect(t.m.suppressedCount).toBe(0);
    expect(t.m.stats.released).toBe(2);
    expect(t.infos.join('\n')).toMatch(/\ba\b.*saved/);
  });

  it('a changed suppression not saved: kept as it was, the others updated; saved at the next re-evaluation', () => {
    const t = setup(makeStore(), { window: 'w1', failKeys: ['a'] });
    t.m.raise(ev('a'));
    t.m.raise(ev('b'));
    t.changes.length = 0;
    t.fail.failing = true;
    t.window.name = 'w2';
    expect(() => t.m.reevaluateSuppressed(Date.now())).not.toThrow();
    expect(t.stored('a')!.suppressed!.reason).toBe('maintenance w1');
    expect(t.stored('b')!.suppressed!.reason).toBe('maintenance w2');
    expect(t.changes).toEqual(['repeated b']);
    t.m.reevaluateSuppressed(Date.now());
    expect(t.warnings).toHaveLength(1);
    t.fail.failing = false;
    t.m.reevaluateSuppressed(Date.now());
    expect(t.stored('a')!.suppressed!.reason).toBe('maintenance w2');
    expect(t.changes).toEqual(['repeated b', 'repeated a']);
  });

  it('a new alert not saved: not opened, nothing sent, the next alerts go on; opened and notified once saved, by its retry timer', async () => {
    const t = setup(makeStore(), { failKeys: ['device-state:sw-1:down'] });
    t.fail.failing = true;
    expect(() => t.change('sw-1', 'down')).not.toThrow();
    t.change('sw-2', 'down');
    expect(t.notified()).toEqual(['opened device-state:sw-2:down notify']);
    expect(t.stored('device-state:sw-1:down')).toBeUndefined();
    expect(t.m.stats.active).toBe(1);
    expect(t.m.stats.opened).toBe(1);
    expect(t.warnings).toEqual([expect.stringMatching(/device-state:sw-1:down.*SQLITE_FULL/)]);
    // tried again, spaced out, logged once
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(t.fail.failedSaves).toBeGreaterThan(1);
    expect(t.fail.failedSaves).toBeLessThan(20);
    expect(t.warnings).toHaveLength(1);
    expect(t.notified()).toEqual(['opened device-state:sw-2:down notify']);
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.notified()).toEqual(['opened device-state:sw-2:down notify', 'opened device-state:sw-1:down notify']);
    expect(t.stored('device-state:sw-1:down')!.firstSeen).toBe(T0);
    expect(t.m.stats.active).toBe(2);
    expect(t.infos.join('\n')).toMatch(/device-state:sw-1:down.*saved/);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an escalation not saved: the alert stays as it was; escalated and notified once saved', async () => {
    const t = setup(makeStore(), { failKeys: ['k'] });
    t.m.raise(ev('k'));
    t.fail.failing = true;
    expect(() => t.m.raise(ev('k', { severity: 'critical', message: 'worse', labels: { x: '1' } }))).not.toThrow();
    expect(t.stored('k')).toMatchObject({ severity: 'major', count: 1, message: 'k', labels: {} });
    expect(t.changes).toEqual(['opened k notify']);
    await vi.advanceTimersByTimeAsync(10_000);
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.changes).toEqual(['opened k notify', 'escalated k notify']);
    expect(t.stored('k')).toMatchObject({ severity: 'critical', count: 2, message: 'worse', labels: { x: '1' } });
  });

  it('a clear not saved: still active, nothing sent; cleared once saved. A clear by hand (API) not saved throws, nothing changed', async () => {
    const t = setup(makeStore(), { failKeys: ['k'] });
    const a = t.m.raise(ev('k'))!.alert;
    t.fail.failing = true;
    expect(() => t.m.clearKey('k', 'auto', Date.now())).not.toThrow();
    expect(t.stored('k')).toMatchObject({ state: 'open' });
    expect(t.stored('k')!.clearedAt).toBeUndefined();
    expect(t.m.stats.active).toBe(1);
    expect(() => t.m.clear(a.id, 'alice')).toThrow(/SQLITE_FULL/);
    expect(t.stored('k')).toMatchObject({ state: 'open' });
    expect(t.stored('k')!.clearedBy).toBeUndefined();
    expect(() => t.m.acknowledge(a.id, 'alice')).toThrow(/SQLITE_FULL/);
    expect(t.stored('k')).toMatchObject({ state: 'open' });
    expect(t.stored('k')!.acknowledgedBy).toBeUndefined();
    expect(t.changes).toEqual(['opened k notify']);
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.changes).toEqual(['opened k notify', 'cleared k notify']);
    expect(t.stored('k')).toBeUndefined();
    expect(t.m.stats.active).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a repeat not saved, then a clear by hand once the store is back: the repeat is dropped, not redone (it would reopen the alert)', async () => {
    const t = setup(makeStore(), { failKeys: ['k'] });
    const a = t.m.raise(ev('k'))!.alert;
    t.fail.failing = true;
    expect(t.m.raise(ev('k', { message: 'again' }))).toBeUndefined();
    t.fail.failing = false;
    t.m.clear(a.id, 'alice');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(t.changes).toEqual(['opened k notify', 'cleared k notify']);
    expect(t.stored('k')).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('events of a key while its saves fail count each failed attempt once (the retry backs off 1 s, 2 s, 4 s …)', async () => {
    const t = setup(makeStore(), { failKeys: ['k'] });
    t.m.raise(ev('k'));
    t.fail.failing = true;
    t.m.raise(ev('k', { message: 'a' }));
    t.m.raise(ev('k', { message: 'b' }));
    t.m.raise(ev('k', { message: 'c' }));
    // three events, each one attempt: the first retry is due after 4 s, not 32 s
    const before = t.fail.failedSaves;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(t.fail.failedSaves).toBe(before + 1);
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(8_000);
    expect(t.stored('k')).toMatchObject({ message: 'c', count: 4 });
    expect(t.infos.filter((i) => i.includes('saved again'))).toEqual(['alerts: k saved again after 4 failed attempts']);
  });

  it('an alert raised and cleared while its saves fail: nothing recorded, nothing sent, nothing left to retry', async () => {
    const t = setup(makeStore(), { failKeys: ['k'] });
    t.fail.failing = true;
    t.m.raise(ev('k'));
    t.m.clearKey('k', 'auto', Date.now());
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(t.changes).toEqual([]);
    expect(t.m.store.list({}).filter((a) => a.key === 'k')).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a recovery grace not saved: not started (no change, no recheck), still suppressed; started at the next re-evaluation once saved', () => {
    const t = setup(makeStore(), { parents: true, failKeys: [A1] });
    t.states['core-1'] = 'down';
    t.change('access-1', 'down');
    expect(t.stored(A1)!.suppressed!.reason).toBe('parent core-1 down');
    t.changes.length = 0;
    t.fail.failing = true;
    t.change('core-1', 'up');
    t.m.reevaluateSuppressed(Date.now());
    expect(t.m.recoveringCount).toBe(0);
    expect(t.rechecked).toEqual([]);
    expect(t.changes).toEqual([]);
    expect(t.stored(A1)!.suppressed!.reason).toBe('parent core-1 down');
    expect(isSuppressedNow(t.stored(A1)!)).toBe(true);
    expect(t.warnings).toEqual([expect.stringMatching(/device-state:access-1:down.*SQLITE_FULL/)]);
    t.fail.failing = false;
    t.m.reevaluateSuppressed(Date.now());
    expect(t.m.recoveringCount).toBe(1);
    expect(t.rechecked).toEqual(['access-1']);
    expect(t.stored(A1)!.suppressed!.reason).toMatch(/^parent core-1 down; core-1 back up, checking access-1/);
    expect(t.changes).toEqual([`repeated ${A1}`]);
    t.m.devicePolled('access-1', Date.now());
    expect(t.notified()).toEqual([`opened ${A1} notify`]);
  });

  it('the end of a recovery grace not saved: still suppressed, the grace kept and tried again; released once saved', async () => {
    const t = setup(makeStore(), { parents: true, failKeys: [A1] });
    t.states['core-1'] = 'down';
    t.change('access-1', 'down');
    t.change('core-1', 'up');
    expect(t.m.recoveringCount).toBe(1);
    t.fail.failing = true;
    expect(() => t.m.devicePolled('access-1', Date.now())).not.toThrow();
    expect(t.notified()).toEqual([]);
    expect(t.m.recoveringCount).toBe(1);
    expect(isSuppressedNow(t.stored(A1)!)).toBe(true);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(t.fail.failedSaves).toBeGreaterThan(1);
    expect(t.fail.failedSaves).toBeLessThan(20);
    expect(t.warnings).toHaveLength(1);
    expect(t.notified()).toEqual([]);
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.notified()).toEqual([`opened ${A1} notify`]);
    expect(t.stored(A1)!.suppressed!.reason).toMatch(/released: core-1 back up and access-1/);
    expect(t.m.recoveringCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a hold's parents' states not saved: the record kept as it was, logged once; rewritten once saved", () => {
    const t = setup(makeStore(), { parents: true, failKeys: [A1] });
    t.change('access-1', 'down');
    const held = structuredClone(t.stored(A1)!.suppressed);
    t.fail.failing = true;
    t.states['core-1'] = 'auth-failed';
    for (let i = 0; i < 3; i++) t.m.reevaluateSuppressed(Date.now());
    expect(t.fail.failedSaves).toBe(3);
    expect(t.warnings).toEqual([expect.stringMatching(/device-state:access-1:down.*SQLITE_FULL/)]);
    expect(t.stored(A1)!.suppressed).toEqual(held);
    expect(isHeldNow(t.stored(A1)!)).toBe(true);
    t.fail.failing = false;
    t.m.reevaluateSuppressed(Date.now());
    expect(t.stored(A1)!.suppressed!.reason).toMatch(/for parent core-1 \(auth-failed\)/);
    expect(t.infos.join('\n')).toMatch(/device-state:access-1:down.*saved/);
    expect(t.notified()).toEqual([]);
  });

  it('the end of a table-full episode not saved: the clear that ended it goes through; the meta-alert cleared once saved', async () => {
    const t = setup(makeStore(), { maxActive: 2, failKeys: [TABLE_FULL_KEY] });
    t.m.raise(ev('a'));
    t.m.raise(ev('b'));
    t.m.raise(ev('c'));
    expect(t.stored(TABLE_FULL_KEY)).toBeDefined();
    t.fail.failing = true;
    expect(() => t.m.clearKey('a', 'auto', Date.now())).not.toThrow();
    expect(t.stored('a')).toBeUndefined();
    expect(t.notified()).toContain('cleared a notify');
    expect(t.stored(TABLE_FULL_KEY)).toMatchObject({ state: 'open' });
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.stored(TABLE_FULL_KEY)).toBeUndefined();
    expect(t.notified()).toContain(`cleared ${TABLE_FULL_KEY} notify`);
    expect(t.infos.join('\n')).toMatch(/below 90 %.*1 new alerts were not opened/);
  });
});
