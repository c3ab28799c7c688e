/**
 * The parent hold: a child's device-state alert waits `parentHold` before it is notified, so a
 * parent failing in the same poll round (its state change handled after the child's) suppresses
 * it. Fake clock (vitest timers + Date), the real Notifier with a recording channel.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceStateAlerts } from '../../src/alerts/device-state.ts';
import { AlertManager } from '../../src/alerts/manager.ts';
import { MemoryAlertStore, type AlertStore } from '../../src/alerts/store.ts';
import { suppressorFrom } from '../../src/alerts/suppression.ts';
import type { DeviceState } from '../../src/model/device.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { deviceStateChanges } from './device-changes.ts';
import { recordingNotifier } from './recording-notifier.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');
const HOLD = 30_000;
const PARENTS: Record<string, string[]> = { 'access-1': ['core-1'], 'access-2': ['core-1', 'core-2'], leaf: ['access-1'] };

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

function setup(opts: { holdMs?: number; store?: AlertStore } = {}) {
  const states: Record<string, DeviceState> = { 'core-1': 'up', 'core-2': 'up', 'access-1': 'up', 'access-2': 'up', edge: 'up' };
  const ctx = { windows: () => [], tagsOf: () => undefined, parentsOf: (d: string) => PARENTS[d] ?? [], stateOf: (d: string) => states[d] };
  const rechecked: string[] = [];
  const m = new AlertManager(opts.store ?? new MemoryAlertStore(), {
    suppressor: suppressorFrom(ctx),
    parentHold: { ms: opts.holdMs ?? HOLD, parentsOf: ctx.parentsOf, stateOf: ctx.stateOf, recheck: (d) => void rechecked.push(d) },
  });
  const { changes, notified } = recordingNotifier(m, T0);
  const change = deviceStateChanges(m, states);
  // what src/main does when a primary poll of the device (started at `startedAt`) concludes: the state change first, then its device_status
  const polled = (device: string, to: DeviceState, startedAt = Date.now()) => {
    if (states[device] !== to) change(device, to);
    m.devicePolled(device, startedAt);
  };
  return { m, states, change, changes, notified, polled, rechecked };
}

describe('parent hold', () => {
  it('child down first, parent down within the hold: the child is suppressed, never notified', async () => {
    const { m, change, notified, changes } = setup();
    change('access-1', 'down');
    expect(m.heldCount).toBe(1);
    await vi.advanceTimersByTimeAsync(4_000);
    change('core-1', 'down');
    expect(m.heldCount).toBe(0);
    expect(m.store.active('device-state:access-1:down')!.suppressed).toMatchObject({ kind: 'parent', reason: 'parent core-1 down', by: 'core-1', since: T0 + 4_000 });
    await vi.advanceTimersByTimeAsync(HOLD * 2);
    expect(await notified()).toEqual(['opened core-1 @4s']);
    expect(changes).toEqual(['opened access-1 notify=false held', 'opened core-1 notify=true', 'repeated access-1 notify=false']);
    expect(m.stats).toMatchObject({ heldForParents: 1, suppressedParent: 1, released: 0 });
    // parent back, child still down: not at once (the recovery grace), released when the grace ends with it still down
    change('core-1', 'up');
    expect(await notified()).toEqual(['opened core-1 @4s', 'cleared core-1 @64s']);
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(await notified()).toEqual(['opened core-1 @4s', 'cleared core-1 @64s', 'opened access-1 @94s']);
  });

  it('the decision is asked again when the hold ends, even when nobody re-evaluates before', async () => {
    const { m, states, notified } = setup();
    new DeviceStateAlerts(m).handle({ device: 'access-1', from: 'up', to: 'down', time: Date.now() });
    states['access-1'] = 'down';
    await vi.advanceTimersByTimeAsync(HOLD - 1);
    states['core-1'] = 'down'; // the registry knows; its change handler has not run yet
    expect(m.heldCount).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(m.heldCount).toBe(0);
    expect(m.store.active('device-state:access-1:down')!.suppressed?.reason).toBe('parent core-1 down');
    expect(await notified()).toEqual([]);
  });

  it('parent never goes down: the child is notified when the hold ends, not before; repeats and acks in between stay silent', async () => {
    const { m, change, notified } = setup();
    change('access-1', 'down');
    const a = m.store.active('device-state:access-1:down')!;
    await vi.advanceTimersByTimeAsync(10_000);
    m.acknowledge(a.id, 'alice', Date.now());
    new DeviceStateAlerts(m).handle({ device: 'access-1', from: 'down', to: 'down', time: Date.now() });
    await vi.advanceTimersByTimeAsync(HOLD - 10_000 - 1);
    expect(await notified()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await notified()).toEqual(['opened access-1 @30s']);
    expect(m.heldCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    change('access-1', 'up');
    expect(await notified()).toEqual(['opened access-1 @30s', 'cleared access-1 @30s']);
  });

  it('two parents: held, then notified when only one of them went down', async () => {
    const { change, notified } = setup();
    change('access-2', 'down');
    change('core-1', 'down');
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(await notified()).toEqual(['opened core-1 @0s', 'opened access-2 @30s']);
  });

  it('child clears during the hold: nothing is notified, the history keeps the alert', async () => {
    const { m, change, notified, changes } = setup();
    change('access-1', 'snmp-unreachable');
    const a = m.store.active('device-state:access-1:snmp-unreachable')!;
    await vi.advanceTimersByTimeAsync(5_000);
    change('access-1', 'up');
    expect(m.heldCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(await notified()).toEqual([]);
    expect(m.store.byId(a.id)).toMatchObject({ state: 'cleared', clearedAt: T0 + 5_000, severity: 'major' });
    expect(changes).toEqual(['opened access-1 notify=false held', 'cleared access-1 notify=false held']);
  });

  it('a new alert of the same key after a clear gets its own hold', async () => {
    const { m, change, notified } = setup();
    change('access-1', 'down');
    await vi.advanceTimersByTimeAsync(20_000);
    change('access-1', 'up');
    change('access-1', 'down');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await notified()).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await notified()).toEqual(['opened access-1 @50s']);
    expect(m.stats.heldForParents).toBe(2);
  });

  it('not held: devices without parents, auth-failed, other sources, a parent already down, parentHold 0', async () => {
    const { m, change, notified } = setup();
    change('edge', 'down');
    change('access-1', 'auth-failed');
    m.raise({ action: 'raise', key: 'trap:access-2:linkDown:1', source: 'trap', rule: 'linkDown', device: 'access-2', severity: 'major', message: 'link down', time: Date.now() });
    expect(m.heldCount).toBe(0);
    expect(await notified()).toEqual(['opened edge @0s', 'opened access-1 @0s', 'opened access-2 @0s']);
    // behind a parent known down: suppressed at once, as before
    change('core-1', 'down');
    change('access-1', 'down');
    expect(m.heldCount).toBe(0);
    expect(m.store.active('device-state:access-1:down')!.suppressed?.reason).toBe('parent core-1 down');

    const off = setup({ holdMs: 0 });
    off.change('access-1', 'down');
    expect(off.m.heldCount).toBe(0);
    expect(await off.notified()).toEqual(['opened access-1 @0s']);
  });

  it('close() stops the timer', () => {
    const { m, change } = setup();
    change('access-1', 'down');
    expect(vi.getTimerCount()).toBe(1);
    m.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('parent hold of a child unreachable because of the path (down or snmp-unreachable)', () => {
  // a router in front failing: the child behind it may answer ping but not SNMP; same hold, same suppression, same release
  it.each(['down', 'snmp-unreachable'] as const)('a %s child, parent down within the hold: held, suppressed, released when its check after the parent is back finds it still so', async (bad) => {
    const { m, change, notified, changes, polled } = setup();
    change('access-1', bad);
    expect(m.heldCount).toBe(1);
    await vi.advanceTimersByTimeAsync(4_000);
    change('core-1', 'down');
    expect(m.heldCount).toBe(0);
    expect(m.store.active(`device-state:access-1:${bad}`)!.suppressed).toMatchObject({ kind: 'parent', reason: 'parent core-1 down', by: 'core-1', since: T0 + 4_000 });
    await vi.advanceTimersByTimeAsync(HOLD * 2);
    expect(await notified()).toEqual(['opened core-1 @4s']);
    expect(changes).toEqual(['opened access-1 notify=false held', 'opened core-1 notify=true', 'repeated access-1 notify=false']);
    expect(m.stats).toMatchObject({ heldForParents: 1, suppressedParent: 1, released: 0 });
    expect(m.suppressedCount).toBe(1);
    change('core-1', 'up');
    expect(m.stats.released).toBe(0);
    // its check after the parent's recovery finds it still so: released then, not at the end of the grace
    await vi.advanceTimersByTimeAsync(3_000);
    polled('access-1', bad, T0 + 64_500);
    expect(await notified()).toEqual(['opened core-1 @4s', 'cleared core-1 @64s', 'opened access-1 @67s']);
    expect(m.store.active(`device-state:access-1:${bad}`)!.suppressed).toMatchObject({ until: T0 + 67_000 });
    expect(m.stats).toMatchObject({ heldForParents: 1, suppressedParent: 1, released: 1 });
    expect(m.suppressedCount).toBe(0);
  });

  it.each(['down', 'snmp-unreachable'] as const)('a %s child back before its parent: its suppressed alert clears silently, nothing is released later', async (bad) => {
    const { m, change, notified } = setup();
    change('access-1', bad);
    change('core-1', 'down');
    await vi.advanceTimersByTimeAsync(10_000);
    change('access-1', 'up');
    change('core-1', 'up');
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(await notified()).toEqual(['opened core-1 @0s', 'cleared core-1 @10s']);
    expect(m.stats).toMatchObject({ heldForParents: 1, suppressedParent: 1, released: 0 });
    expect(m.suppressedCount).toBe(0);
  });

  it.each(['down', 'snmp-unreachable'] as const)('a %s child behind a parent already down: suppressed at once, not held', async (bad) => {
    const { m, change, notified } = setup();
    change('core-1', 'down');
    change('access-1', bad);
    expect(m.heldCount).toBe(0);
    expect(m.store.active(`device-state:access-1:${bad}`)!.suppressed?.reason).toBe('parent core-1 down');
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(await notified()).toEqual(['opened core-1 @0s']);
    expect(m.stats).toMatchObject({ heldForParents: 0, suppressedParent: 1 });
  });

  it('snmp-unreachable, then down within the hold while the parent goes down: the first clears silently, the second is suppressed', async () => {
    const { m, change, notified, changes } = setup();
    change('access-1', 'snmp-unreachable');
    await vi.advanceTimersByTimeAsync(2_000);
    change('core-1', 'down');
    change('access-1', 'down');
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(await notified()).toEqual(['opened core-1 @2s']);
    expect(changes).toEqual([
      'opened access-1 notify=false held', 'opened core-1 notify=true', 'repeated access-1 notify=false',
      'cleared access-1 notify=false', 'opened access-1 notify=false',
    ]);
    expect(m.store.active('device-state:access-1:down')!.suppressed?.reason).toBe('parent core-1 down');
    expect(m.stats).toMatchObject({ heldForParents: 1, suppressedParent: 2, released: 0 });
  });

  it('an auth-failed child is alerted normally, parent down or not: neither held nor suppressed, nothing released', async () => {
    const { m, change, notified } = setup();
    change('access-1', 'auth-failed');
    change('core-1', 'down');
    change('access-2', 'auth-failed');
    change('core-2', 'down');
    expect(m.heldCount).toBe(0);
    expect(m.suppressedCount).toBe(0);
    expect(m.store.active('device-state:access-1:auth-failed')!.suppressed).toBeUndefined();
    expect(m.store.active('device-state:access-2:auth-failed')!.suppressed).toBeUndefined();
    change('core-1', 'up');
    change('core-2', 'up');
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(await notified()).toEqual([
      'opened access-1 @0s', 'opened core-1 @0s', 'opened access-2 @0s', 'opened core-2 @0s', 'cleared core-1 @0s', 'cleared core-2 @0s',
    ]);
    expect(m.stats).toMatchObject({ heldForParents: 0, suppressedParent: 0, released: 0 });
  });
});

describe('recovery grace: a parent back up does not page its children that come back with it', () => {
  /** core-1 down with access-1 (and access-2's both parents) behind it, all suppressed; returns when core-1 came back (ms after T0) */
  async function outage(s: ReturnType<typeof setup>, children: string[] = ['access-1']) {
    s.change('core-1', 'down');
    s.change('core-2', 'down');
    for (const c of children) s.change(c, 'down');
    await s.notified();
    await vi.advanceTimersByTimeAsync(60_000);
    s.change('core-1', 'up');
    s.change('core-2', 'up');
    return Date.now() - T0;
  }

  it('a child up at its check within the grace: its alert clears silently, nothing is notified, no timer is left', async () => {
    const s = setup();
    const { m, notified, polled, rechecked, changes } = s;
    await outage(s, ['access-1', 'access-2']);
    expect(m.recoveringCount).toBe(2);
    expect(rechecked.sort()).toEqual(['access-1', 'access-2']);
    await vi.advanceTimersByTimeAsync(2_000);
    polled('access-1', 'up', T0 + 60_500);
    polled('access-2', 'up', T0 + 60_700);
    await vi.advanceTimersByTimeAsync(HOLD * 2);
    expect((await notified()).filter((x) => x.includes('access'))).toEqual([]);
    for (const c of ['access-1', 'access-2']) {
      expect(m.store.active(`device-state:${c}:down`)).toBeUndefined();
      expect(changes.filter((x) => x.includes(c)).at(-1)).toBe(`cleared ${c} notify=false`);
    }
    expect(m.stats).toMatchObject({ released: 0, clearedAfterParentRecovery: 2, suppressedParent: 2 });
    expect(m.recoveringCount).toBe(0);
    expect(m.suppressedCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a child still down when the grace ends (no check came): released and notified exactly once', async () => {
    const s = setup();
    const { m, notified, changes } = s;
    const back = await outage(s);
    await vi.advanceTimersByTimeAsync(HOLD - 1);
    expect((await notified()).filter((x) => x.includes('access'))).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await notified()).filter((x) => x.includes('access'))).toEqual([`opened access-1 @${(back + HOLD) / 1000}s`]);
    // later re-evaluations, polls and timers do not notify it again
    m.reevaluateSuppressed(Date.now());
    s.polled('access-1', 'down');
    await vi.advanceTimersByTimeAsync(HOLD * 2);
    m.reevaluateSuppressed(Date.now());
    expect((await notified()).filter((x) => x.includes('access'))).toHaveLength(1);
    expect(changes.filter((x) => x === 'opened access-1 notify=true')).toHaveLength(1);
    expect(m.store.active('device-state:access-1:down')!.suppressed).toMatchObject({ until: T0 + back + HOLD });
    expect(m.stats).toMatchObject({ released: 1, clearedAfterParentRecovery: 0 });
    expect(vi.getTimerCount()).toBe(0);
    // it clears like any notified alert
    s.change('access-1', 'up');
    expect((await notified()).filter((x) => x.includes('access'))).toEqual([`opened access-1 @${(back + HOLD) / 1000}s`, `cleared access-1 @${(back + HOLD * 3) / 1000}s`]);
  });

  it('a check that started before the parent was back does not end the grace; the one after does', async () => {
    const s = setup();
    const { m, notified, polled } = s;
    const back = await outage(s);
    polled('access-1', 'down', T0 + back - 1);
    expect(m.recoveringCount).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    polled('access-1', 'down', T0 + back + 1_000);
    expect(m.recoveringCount).toBe(0);
    expect((await notified()).filter((x) => x.includes('access'))).toEqual([`opened access-1 @${(back + 5_000) / 1000}s`]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the parent down again within the grace: the child stays suppressed, nothing is sent', async () => {
    const s = setup();
    const { m, notified, change } = s;
    await outage(s);
    await vi.advanceTimersByTimeAsync(5_000);
    change('core-1', 'down');
    expect(m.recoveringCount).toBe(0);
    await vi.advanceTimersByTimeAsync(HOLD * 2);
    expect((await notified()).filter((x) => x.includes('access'))).toEqual([]);
    expect(m.store.active('device-state:access-1:down')!.suppressed).toMatchObject({ reason: 'parent core-1 down' });
    expect(m.store.active('device-state:access-1:down')!.suppressed!.until).toBeUndefined();
    expect(m.stats.released).toBe(0);
  });

  it('a child no longer unreachable when its parent is back (e.g. its trap alert) is released at once, as before', async () => {
    const { m, change, states, notified } = setup();
    change('core-1', 'down');
    change('access-1', 'down');
    m.raise({ action: 'raise', key: 'trap:access-1:linkDown:1', source: 'trap', rule: 'linkDown', device: 'access-1', severity: 'major', message: 'link down', time: Date.now() });
    states['access-1'] = 'up'; // the registry knows; the alerts see it with the parent's change
    change('core-1', 'up');
    expect(m.recoveringCount).toBe(0);
    expect((await notified()).filter((x) => x.includes('access'))).toContain('opened access-1 @0s');
    expect(m.stats.released).toBe(2);
  });

  it('shutdown during the grace: no crash, no timer left, nothing sent; the alert stays active and suppressed', async () => {
    const s = setup();
    const { m, notified } = s;
    await outage(s);
    expect(vi.getTimerCount()).toBe(1);
    m.close();
    expect(vi.getTimerCount()).toBe(0);
    // late calls after close (a poll finishing, a last re-evaluation) arm nothing
    m.reevaluateSuppressed(Date.now());
    await vi.advanceTimersByTimeAsync(HOLD * 2);
    expect(vi.getTimerCount()).toBe(0);
    expect((await notified()).filter((x) => x.includes('access'))).toEqual([]);
    expect(m.store.active('device-state:access-1:down')!.suppressed?.until).toBeUndefined();
    expect(m.stats.released).toBe(0);
  });

  it('a recheck callback that throws is logged; the grace still ends by its timer', async () => {
    const warnings: string[] = [];
    const states: Record<string, DeviceState> = { core: 'down', access: 'down' };
    const ctx = { windows: () => [], tagsOf: () => undefined, parentsOf: (d: string) => (d === 'access' ? ['core'] : []), stateOf: (d: string) => states[d] };
    const m = new AlertManager(new MemoryAlertStore(), {
      logger: { warn: (w) => warnings.push(w), info: () => {} }, suppressor: suppressorFrom(ctx),
      parentHold: { ms: HOLD, parentsOf: ctx.parentsOf, stateOf: ctx.stateOf, recheck: () => { throw new Error('scheduler stopped'); } },
    });
    new DeviceStateAlerts(m).handle({ device: 'access', from: 'up', to: 'down', time: Date.now() });
    states.core = 'up';
    expect(() => m.reevaluateSuppressed(Date.now())).not.toThrow();
    expect(warnings.join('\n')).toMatch(/access.*scheduler stopped/);
    expect(() => vi.advanceTimersByTime(HOLD)).not.toThrow();
    expect(m.stats.released).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  describe('the suppression reason says what the grace waits for', () => {
    const until = (back: number) => new Date(T0 + back + HOLD).toISOString();

    it('during the grace it names the parents back and the check; released after a check: the original cause stays, the outcome follows it', async () => {
      const s = setup();
      const { m, changes } = s;
      const back = await outage(s, ['access-1', 'access-2']);
      // access-2's suppression (every parent down) ended with core-1 back: it names core-1 only
      for (const [c, cause] of [['access-1', 'parent core-1 down'], ['access-2', 'parent core-1, core-2 down']]) {
        expect(m.store.active(`device-state:${c}:down`)!.suppressed).toEqual({
          kind: 'parent', by: 'core-1', since: T0, reason: `${cause}; core-1 back up, checking ${c} (until ${until(back)})`,
        });
      }
      // the API and the UI learn it from a silent change
      expect(changes.filter((x) => x.startsWith('repeated access-1')).at(-1)).toBe('repeated access-1 notify=false');
      await vi.advanceTimersByTimeAsync(1_000);
      s.polled('access-1', 'down', T0 + back + 500);
      expect(m.store.active('device-state:access-1:down')!.suppressed).toEqual({
        kind: 'parent', by: 'core-1', since: T0, until: T0 + back + 1_000, reason: 'parent core-1 down; released: core-1 back up and access-1 still unreachable at its check',
      });
      await vi.advanceTimersByTimeAsync(HOLD);
      expect(m.store.active('device-state:access-2:down')!.suppressed).toMatchObject({
        until: T0 + back + HOLD, reason: 'parent core-1, core-2 down; released: core-1 back up and access-2 not back up within 30 s',
      });
    });

    it('a child up within the grace: its cleared alert says so, no "checking" left', async () => {
      const s = setup();
      const back = await outage(s);
      const a = s.m.store.active('device-state:access-1:down')!;
      expect(a.suppressed!.reason).toBe(`parent core-1 down; core-1 back up, checking access-1 (until ${until(back)})`);
      s.polled('access-1', 'up', T0 + back);
      expect(s.m.store.byId(a.id)).toMatchObject({ state: 'cleared', suppressed: { kind: 'parent', reason: 'parent core-1 down; core-1 back up and access-1 up again' } });
      expect(s.m.store.byId(a.id)!.suppressed!.reason).not.toContain('checking');
    });

    it('the parent down again within the grace: back to "parent <name> down", also when only the timer sees it', async () => {
      const s = setup();
      const { m, states } = s;
      await outage(s);
      states['core-1'] = 'down'; // the registry knows; its change handler has not run yet
      await vi.advanceTimersByTimeAsync(HOLD);
      expect(m.store.active('device-state:access-1:down')!.suppressed).toEqual({ kind: 'parent', by: 'core-1', since: Date.now(), reason: 'parent core-1 down' });
      expect(m.stats.released).toBe(0);
    });

    it('a grandchild behind a snmp-unreachable parent: the grace names the ancestor back, the release keeps the cause', async () => {
      const s = setup();
      const { m, change, polled, notified } = s;
      change('core-1', 'down');
      change('access-1', 'snmp-unreachable');
      change('leaf', 'down');
      expect(m.store.active('device-state:leaf:down')!.suppressed).toMatchObject({ kind: 'parent', by: 'core-1', reason: 'parent access-1 unreachable behind core-1 down' });
      await vi.advanceTimersByTimeAsync(60_000);
      change('core-1', 'up');
      const back = Date.now() - T0;
      expect(m.store.active('device-state:leaf:down')!.suppressed!.reason)
        .toBe(`parent access-1 unreachable behind core-1 down; core-1 back up, checking leaf (until ${until(back)})`);
      await vi.advanceTimersByTimeAsync(1_000);
      polled('leaf', 'down');
      expect(m.store.active('device-state:leaf:down')!.suppressed).toMatchObject({
        by: 'core-1', until: T0 + back + 1_000, reason: 'parent access-1 unreachable behind core-1 down; released: core-1 back up and leaf still unreachable at its check',
      });
      expect((await notified()).filter((x) => x.includes('leaf'))).toEqual([`opened leaf @${(back + 1_000) / 1000}s`]);
    });

    it('cleared by hand during the grace: the cause stays, then how it ended', async () => {
      const s = setup();
      await outage(s);
      const a = s.m.store.active('device-state:access-1:down')!;
      s.m.clear(a.id, 'alice', Date.now());
      expect(s.m.store.byId(a.id)!.suppressed!.reason).toBe('parent core-1 down; core-1 back up, cleared by hand while checking access-1');
    });

    it('persisted in the StateStore: the grace reason and the released one read back as written; a restart starts a new grace', async () => {
      const state = new StateStore(':memory:');
      try {
        const s = setup({ store: alertStoreFrom(state) });
        const back = await outage(s);
        expect(state.alerts.active('device-state:access-1:down')!.suppressed).toEqual({
          kind: 'parent', by: 'core-1', since: T0, reason: `parent core-1 down; core-1 back up, checking access-1 (until ${until(back)})`,
        });
        s.m.close();
        // restart during the grace: the new manager starts its own grace, under a fresh reason
        await vi.advanceTimersByTimeAsync(5_000);
        const again = setup({ store: alertStoreFrom(state) });
        Object.assign(again.states, s.states);
        expect(again.m.suppressedCount).toBe(1);
        again.m.reevaluateSuppressed(Date.now());
        expect(again.m.recoveringCount).toBe(1);
        expect(state.alerts.active('device-state:access-1:down')!.suppressed!.reason).toBe(`parent core-1 down; core-1 back up, checking access-1 (until ${until(back + 5_000)})`);
        again.polled('access-1', 'down', Date.now());
        expect(state.alerts.active('device-state:access-1:down')!.suppressed).toEqual({
          kind: 'parent', by: 'core-1', since: T0, until: T0 + back + 5_000, reason: 'parent core-1 down; released: core-1 back up and access-1 still unreachable at its check',
        });
      } finally {
        state.close();
      }
    });
  });
});

describe('the reason of an alert only held, notified when its hold ends', () => {
  it('says how long it waited, for which parents, and their states then', async () => {
    const { m, change, notified } = setup();
    change('access-2', 'down');
    change('core-1', 'down');
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(await notified()).toEqual(['opened core-1 @0s', 'opened access-2 @30s']);
    const a = m.store.active('device-state:access-2:down')!;
    expect(a.suppressed).toEqual({ kind: 'parent', reason: 'held 30 s for parents core-1, core-2; core-1 down, core-2 up', by: 'core-2', since: T0, until: T0 + HOLD });
    // not suppressed: repeats stay quiet as ever, a clear is notified, the stats count no release
    expect(m.suppressedCount).toBe(0);
    expect(m.stats).toMatchObject({ heldForParents: 1, released: 0, suppressedParent: 0 });
    change('access-2', 'up');
    expect(await notified()).toEqual(['opened core-1 @0s', 'opened access-2 @30s', 'cleared access-2 @30s']);
  });

  it('one parent up; same alert (id, key), so dedup and the history are unchanged; saved in the state store', async () => {
    const state = new StateStore(':memory:');
    const { m, change, changes } = setup({ store: alertStoreFrom(state) });
    change('access-1', 'snmp-unreachable');
    const opened = m.store.active('device-state:access-1:snmp-unreachable')!;
    // while held it says so (test/alerts/parent-hold-held-reason.test.ts)
    expect(opened.suppressed).toMatchObject({ kind: 'parent', by: 'core-1', since: T0, holdUntil: T0 + HOLD });
    await vi.advanceTimersByTimeAsync(HOLD);
    const after = alertStoreFrom(state).active('device-state:access-1:snmp-unreachable')!;
    expect(after).toMatchObject({ id: opened.id, key: opened.key, count: 1, message: opened.message });
    expect(after.suppressed).toEqual({ kind: 'parent', reason: 'held 30 s for parent core-1; core-1 up', by: 'core-1', since: T0, until: T0 + HOLD });
    expect(changes).toEqual(['opened access-1 notify=false held', 'opened access-1 notify=true']);
    state.close();
  });

  it('a parent still unknown to the poller, a hold shorter than 10 s', async () => {
    const { m, change, states } = setup({ holdMs: 2_500 });
    delete (states as Record<string, DeviceState | undefined>)['core-1'];
    change('access-1', 'down');
    await vi.advanceTimersByTimeAsync(2_500);
    expect(m.store.active('device-state:access-1:down')!.suppressed?.reason).toBe('held 2.5 s for parent core-1; core-1 not polled');
  });

  it('an alert suppressed at the end of its hold keeps the suppression reason', async () => {
    const { m, change } = setup();
    change('access-1', 'down');
    change('core-1', 'down');
    expect(m.store.active('device-state:access-1:down')!.suppressed?.reason).toBe('parent core-1 down');
  });
});
