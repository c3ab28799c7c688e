/**
 * A held alert says why it is held while it is held: its suppression (kind `parent`, `holdUntil`
 * set, `until` not) names the parents with their states now and when it is notified at the latest;
 * it follows the parents' states during the hold, and gives way to the records the hold's end
 * writes (notified, suppressed, cleared). Fake clock, the real Notifier with a recording channel.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { MemoryAlertStore, type AlertStore } from '../../src/alerts/store.ts';
import { suppressorFrom } from '../../src/alerts/suppression.ts';
import { isHeldNow, isSuppressedNow } from '../../src/alerts/types.ts';
import type { DeviceState } from '../../src/model/device.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { deviceStateChanges } from './device-changes.ts';
import { recordingNotifier } from './recording-notifier.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');
const HOLD = 30_000;
const PARENTS: Record<string, string[]> = { 'access-1': ['core-1'], 'access-2': ['core-1', 'core-2'], 'access-3': ['core-1', 'core-2', 'core-3'] };
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

function setup(opts: { store?: AlertStore; withStates?: boolean; warnings?: string[] } = {}) {
  const states: Record<string, DeviceState> = { 'core-1': 'up', 'core-2': 'up', 'core-3': 'unknown' };
  const ctx = { windows: () => [], tagsOf: () => undefined, parentsOf: (d: string) => PARENTS[d] ?? [], stateOf: (d: string) => states[d] };
  const m = new AlertManager(opts.store ?? new MemoryAlertStore(), {
    suppressor: suppressorFrom(ctx),
    parentHold: { ms: HOLD, parentsOf: ctx.parentsOf, ...(opts.withStates === false ? {} : { stateOf: ctx.stateOf }) },
    logger: { warn: (w) => { if (!opts.warnings) throw new Error(`unexpected warning: ${w}`); opts.warnings.push(w); }, info: () => {} },
  });
  const { changes, notified } = recordingNotifier(m, T0);
  return { m, states, change: deviceStateChanges(m, states), changes, notified };
}

describe('a held alert carries its hold while it is held', () => {
  it('since when, for which parent (its state now), until when at most; held back, so listed as suppressed', async () => {
    const { m, change, notified } = setup();
    vi.advanceTimersByTime(1_000);
    change('access-1', 'down');
    const a = m.store.active('device-state:access-1:down')!;
    expect(a.suppressed).toEqual({
      kind: 'parent', by: 'core-1', since: T0 + 1_000, holdUntil: T0 + 31_000,
      reason: `held since ${iso(T0 + 1_000)} for parent core-1 (up); notified at ${iso(T0 + 31_000)} at the latest unless core-1 is found down`,
    });
    expect(isHeldNow(a)).toBe(true);
    expect(isSuppressedNow(a)).toBe(true);
    expect(m.store.list({ state: 'active', suppressed: true }).map((x) => x.key)).toEqual(['device-state:access-1:down']);
    // a hold is not a suppression: not re-evaluated as one, not counted as one
    expect(m.suppressedCount).toBe(0);
    expect(m.heldCount).toBe(1);
    expect(m.stats).toMatchObject({ suppressedParent: 0, heldForParents: 1 });
    // acked and repeated during the hold: the record stays, nothing is sent
    const record = structuredClone(a.suppressed);
    m.acknowledge(a.id, 'alice', Date.now());
    const again = m.raise({ action: 'raise', key: a.key, source: 'device', rule: a.rule, device: 'access-1', severity: 'critical', message: a.message, time: Date.now(), holdForParents: true });
    expect(again).toMatchObject({ kind: 'repeated', held: true, notify: false });
    expect(m.store.active('device-state:access-1:down')!.suppressed).toEqual(record);
    expect(await notified()).toEqual([]);
  });

  it('ends as today: notified at the limit with the ended record, the hold\'s fields gone', async () => {
    const { m, change, changes, notified } = setup();
    change('access-1', 'down');
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(m.store.active('device-state:access-1:down')!.suppressed).toEqual({
      kind: 'parent', reason: 'held 30 s for parent core-1; core-1 up', by: 'core-1', since: T0, until: T0 + HOLD,
    });
    expect(await notified()).toEqual(['opened access-1 @30s']);
    expect(changes).toEqual(['opened access-1 notify=false held', 'opened access-1 notify=true']);
  });

  it('ends suppressed when its parent is found down: the suppression replaces the hold', async () => {
    const { m, change, notified } = setup();
    change('access-1', 'down');
    vi.advanceTimersByTime(4_000);
    change('core-1', 'down');
    expect(m.store.active('device-state:access-1:down')!.suppressed).toEqual({ kind: 'parent', reason: 'parent core-1 down', by: 'core-1', since: T0 + 4_000 });
    expect(m.heldCount).toBe(0);
    expect(await notified()).toEqual(['opened core-1 @4s']);
  });

  it('follows its parents\' states during the hold: one found down, it waits on the other (a silent, held `repeated`)', async () => {
    const { m, change, changes, notified } = setup();
    change('access-2', 'down');
    const reason = (until: number) => m.store.active('device-state:access-2:down')!.suppressed!.reason.replace(`; notified at ${iso(until)} at the latest`, '');
    expect(reason(T0 + HOLD)).toBe(`held since ${iso(T0)} for parents core-1 (up), core-2 (up) unless core-1 and core-2 are found down`);
    vi.advanceTimersByTime(3_000);
    change('core-1', 'down');
    expect(reason(T0 + HOLD)).toBe(`held since ${iso(T0)} for parents core-1 (down), core-2 (up) unless core-2 is found down`);
    expect(m.store.active('device-state:access-2:down')!.suppressed).toMatchObject({ by: 'core-2', since: T0, holdUntil: T0 + HOLD });
    expect(changes).toEqual(['opened access-2 notify=false held', 'opened core-1 notify=true', 'repeated access-2 notify=false held']);
    // nothing changed: no further change, no save
    m.reevaluateSuppressed(Date.now());
    expect(changes).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(HOLD - 3_000);
    expect(m.store.active('device-state:access-2:down')!.suppressed).toEqual({
      kind: 'parent', reason: 'held 30 s for parents core-1, core-2; core-1 down, core-2 up', by: 'core-2', since: T0, until: T0 + HOLD,
    });
    expect(await notified()).toEqual(['opened core-1 @3s', 'opened access-2 @30s']);
  });

  it('a refresh whose save fails is tried again at the next run', () => {
    class FailingOnce extends MemoryAlertStore {
      failNext = false;
      override save(alert: Parameters<MemoryAlertStore['save']>[0]): void {
        if (this.failNext) { this.failNext = false; throw new Error('disk full'); }
        super.save(alert);
      }
    }
    const store = new FailingOnce();
    const warnings: string[] = [];
    const { m, states, change, changes } = setup({ store, warnings });
    change('access-2', 'down');
    states['core-1'] = 'down';
    store.failNext = true;
    m.reevaluateSuppressed(Date.now());
    expect(warnings).toEqual([expect.stringContaining('disk full')]);
    expect(changes).toEqual(['opened access-2 notify=false held']);
    // the states it failed to record are recorded now (the memory store shares the object, so the emitted change shows it)
    m.reevaluateSuppressed(Date.now());
    expect(changes).toEqual(['opened access-2 notify=false held', 'repeated access-2 notify=false held']);
    expect(m.store.active('device-state:access-2:down')!.suppressed!.reason).toContain('core-1 (down)');
  });

  it('three parents, one never polled; without stateOf only the names', () => {
    const s = setup();
    delete (s.states as Record<string, DeviceState | undefined>)['core-2'];
    s.change('access-3', 'down');
    expect(s.m.store.active('device-state:access-3:down')!.suppressed!.reason).toBe(
      `held since ${iso(T0)} for parents core-1 (up), core-2 (not polled), core-3 (unknown); notified at ${iso(T0 + HOLD)} at the latest unless core-1, core-2 and core-3 are found down`);
    const bare = setup({ withStates: false });
    bare.change('access-1', 'down');
    expect(bare.m.store.active('device-state:access-1:down')!.suppressed!.reason).toBe(
      `held since ${iso(T0)} for parent core-1; notified at ${iso(T0 + HOLD)} at the latest unless core-1 is found down`);
  });

  it.each([['auto', 'cleared during the hold'], ['alice', 'cleared by hand during the hold']])('cleared during the hold (%s): never notified, the record says how it ended', async (by, outcome) => {
    const { m, change, notified } = setup();
    change('access-1', 'down');
    vi.advanceTimersByTime(12_000);
    const a = m.store.active('device-state:access-1:down')!;
    if (by === 'auto') change('access-1', 'up');
    else m.clear(a.id, by, Date.now());
    expect(m.store.byId(a.id)).toMatchObject({ state: 'cleared' });
    expect(m.store.byId(a.id)!.suppressed).toEqual({ kind: 'parent', reason: `held 12 s for parent core-1; ${outcome}`, by: 'core-1', since: T0 });
    expect(m.heldCount).toBe(0);
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(await notified()).toEqual([]);
  });

  it('a restart during the hold: read back from the state store, the hold goes on for a full hold from the restart, then ends as usual', async () => {
    const state = new StateStore(':memory:');
    try {
      const first = setup({ store: alertStoreFrom(state) });
      first.change('access-1', 'down');
      first.m.close();
      vi.advanceTimersByTime(20_000);
      const again = setup({ store: alertStoreFrom(state) });
      again.states['access-1'] = 'down';
      expect(again.m.heldCount).toBe(1);
      expect(again.m.suppressedCount).toBe(0);
      // its first re-evaluation (src/main: a state change, the suppression check) moves the limit and says so
      again.m.reevaluateSuppressed(Date.now());
      expect(state.alerts.active('device-state:access-1:down')!.suppressed).toMatchObject({ since: T0, holdUntil: T0 + 50_000, reason: expect.stringContaining(`notified at ${iso(T0 + 50_000)}`) });
      await vi.advanceTimersByTimeAsync(29_999);
      expect(await again.notified()).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(await again.notified()).toEqual(['opened access-1 @50s']);
      expect(state.alerts.active('device-state:access-1:down')!.suppressed).toEqual({
        kind: 'parent', reason: 'held 50 s for parent core-1; core-1 up', by: 'core-1', since: T0, until: T0 + 50_000,
      });
    } finally {
      state.close();
    }
  });
});
