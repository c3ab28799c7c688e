/**
 * A core back up in front of many suppressed children: their recovery graces are saved together
 * (one transaction per slice: AlertStore.saveAll), announced only once saved, and done `sliceSize`
 * at a time, one slice per event-loop turn. A commit that fails saves nothing, announces nothing,
 * starts no grace, and is tried again whole. The grace ends (timer) are committed the same way.
 * Fake clock for the hold timer (setImmediate stays real: the slices run on it), the real Notifier
 * with a recording channel, the SQLite state store (in memory) and the memory store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertCore } from '../../src/alerts/alert-core.ts';
import { HoldTimer } from '../../src/alerts/hold-timer.ts';
import { CHILDREN, HOLD, T0, keyOf, nextTurn, setup } from './recovery-harness.ts';

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

describe.each(['sqlite', 'memory'] as const)('core back up in front of many suppressed children (%s store)', (kind) => {
  it('starts every child\'s recovery grace in one commit and announces them only after it', async () => {
    const { m, db, rechecks, changes, notified, announcedSaved, change, reasons, outage } = setup(kind);
    outage();
    announcedSaved.length = 0;
    vi.advanceTimersByTime(5000);
    const out = change('core-1', 'up');
    // core-1's own alert cleared with one save; the ten graces in one commit
    expect(db.commits).toEqual([CHILDREN.length]);
    expect(db.saves).toBe(1);
    expect(out).toHaveLength(CHILDREN.length);
    expect(m.recoveringCount).toBe(CHILDREN.length);
    expect(m.deferredCount).toBe(0);
    expect(rechecks).toEqual(CHILDREN);
    expect(reasons().every((r) => r?.startsWith('parent core-1 down; core-1 back up, checking acc-'))).toBe(true);
    // each change announced found its record saved already
    expect(announcedSaved).toHaveLength(1 + CHILDREN.length);
    expect(announcedSaved.every(Boolean)).toBe(true);
    expect(changes.filter((c) => c.startsWith('repeated acc-'))).toHaveLength(CHILDREN.length);
    expect(await notified()).toEqual(['opened core-1 @0s', 'cleared core-1 @5s']);
    await m.whenIdle();
    m.close();
  });

  it('a commit that fails saves nothing, announces nothing, starts no grace, and is tried again whole', async () => {
    const { m, db, warnings, infos, rechecks, changes, notified, change, reasons, outage } = setup(kind);
    outage();
    const before = reasons();
    const changesBefore = changes.length;
    db.failing = true;
    change('core-1', 'up');
    expect(db.failedCommits).toBe(1);
    // the store and the manager agree: every child as it was, nothing started or asked for
    expect(reasons()).toEqual(before);
    expect(CHILDREN.map((d) => m.store.active(keyOf(d))?.suppressed?.reason)).toEqual(before);
    expect(m.recoveringCount).toBe(0);
    expect(m.suppressedCount).toBe(CHILDREN.length);
    expect(rechecks).toEqual([]);
    expect(changes.slice(changesBefore)).toEqual(['cleared core-1 notify=true']);
    expect(warnings).toEqual([expect.stringMatching(/^alerts: saving 10 suppression changes \(re-evaluation\) in one transaction failed \(the first of device-state:acc-0:down\): none saved or sent, each stays as it was and is tried again: SQLITE_BUSY/)]);
    // tried again at the next re-evaluation, even one for another device's change; logged once
    m.reevaluateSuppressed(Date.now(), 'core-9');
    expect(db.failedCommits).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(m.recoveringCount).toBe(0);
    // the store back: the next re-evaluation starts every grace, in one commit, silently
    db.failing = false;
    vi.advanceTimersByTime(10_000);
    m.reevaluateSuppressed(Date.now());
    expect(db.commits).toEqual([CHILDREN.length]);
    expect(m.recoveringCount).toBe(CHILDREN.length);
    expect(rechecks).toEqual(CHILDREN);
    expect(reasons().every((r) => r?.includes('core-1 back up, checking acc-'))).toBe(true);
    expect(infos).toContain('alerts: a batch of 10 suppression changes (re-evaluation) saved after 2 failed attempts');
    expect((await notified()).map((n) => n.replace(/ @.*/, ''))).toEqual(['opened core-1', 'cleared core-1']);
    m.close();
  });

  it('the graces ending on the timer: released in one commit; a failing commit releases nothing and is retried by the timer', async () => {
    const { m, db, warnings, changes, notified, change, reasons, outage } = setup(kind);
    outage();
    change('core-1', 'up');
    const during = reasons();
    db.commits = [];
    db.failing = true;
    await vi.advanceTimersByTimeAsync(HOLD);
    expect(db.failedCommits).toBe(1);
    expect(reasons()).toEqual(during);
    expect(m.recoveringCount).toBe(CHILDREN.length);
    expect(m.stats.released).toBe(0);
    expect(warnings).toEqual([expect.stringMatching(/saving 10 ends of recovery graces in one transaction failed/)]);
    expect(await notified()).toEqual(['opened core-1 @0s', 'cleared core-1 @0s']);
    // retried by the timer (1 s later), once the store is back: every one released, once
    db.failing = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(db.commits).toEqual([CHILDREN.length]);
    expect(m.recoveringCount).toBe(0);
    expect(m.stats.released).toBe(CHILDREN.length);
    expect(reasons().every((r) => /; released: core-1 back up and acc-\d not back up within 30 s$/.test(r!))).toBe(true);
    // notified once each (the channel's own limit makes a digest of some: not the manager's concern here)
    const released = () => changes.filter((c) => c.startsWith('opened acc-') && c.endsWith('notify=true'));
    expect(released().sort()).toEqual(CHILDREN.map((d) => `opened ${d} notify=true`).sort());
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(released()).toHaveLength(CHILDREN.length);
    expect(m.recoveringCount).toBe(0);
    m.close();
  });

  it('in slices of sliceSize, one commit each, the event loop turning between them', async () => {
    const { m, db, rechecks, notified, change, reasons, outage } = setup(kind, 4);
    outage();
    const out = change('core-1', 'up');
    // the first slice now, the rest left for later turns
    expect(out.map((c) => c.alert.device)).toEqual(['acc-0', 'acc-1', 'acc-2', 'acc-3']);
    expect(db.commits).toEqual([4]);
    expect(m.recoveringCount).toBe(4);
    expect(m.deferredCount).toBe(6);
    expect(rechecks).toEqual(['acc-0', 'acc-1', 'acc-2', 'acc-3']);
    expect(reasons().filter((r) => r?.includes('checking'))).toHaveLength(4);
    // something queued after the change runs before the last slice: the loop is not held for the whole batch
    let seenByOther = -1;
    setImmediate(() => { seenByOther = m.recoveringCount; });
    let idle = false;
    void m.whenIdle().then(() => { idle = true; });
    await nextTurn();
    expect(db.commits).toEqual([4, 4]);
    expect(m.deferredCount).toBe(2);
    expect(idle).toBe(false);
    await nextTurn();
    expect(seenByOther).toBe(8);
    expect(db.commits).toEqual([4, 4, 2]);
    expect(m.deferredCount).toBe(0);
    await m.whenIdle();
    expect(idle).toBe(true);
    expect(m.recoveringCount).toBe(CHILDREN.length);
    expect(rechecks).toEqual(CHILDREN);
    expect(reasons().every((r) => r?.includes('core-1 back up, checking acc-'))).toBe(true);
    expect(await notified()).toEqual(['opened core-1 @0s', 'cleared core-1 @0s']);
    m.close();
  });

  it('sliced or not, the same records, changes and rechecks', async () => {
    const run = async (sliceSize: number) => {
      vi.setSystemTime(T0);
      const s = setup(kind, sliceSize);
      s.outage();
      vi.advanceTimersByTime(1000);
      s.change('core-1', 'up');
      // before the later slices: the first child back, the last checked still down
      s.change('acc-9', 'up');
      s.m.devicePolled('acc-8', Date.now());
      await s.m.whenIdle();
      s.change('acc-3', 'up');
      s.m.devicePolled('acc-4', Date.now());
      await vi.advanceTimersByTimeAsync(HOLD);
      // the grace ends due on the timer go in slices too
      await s.m.whenIdle();
      const records = CHILDREN.map((d) => s.db.inner.list({ device: d }).map(({ id: _, ...a }) => a));
      // the order of the rechecks asked differs (the children back first are asked first), not the set
      const result = { records, changes: [...s.changes].sort(), rechecks: [...s.rechecks].sort(), stats: { ...s.m.stats }, sent: [...(await s.notified())].sort() };
      s.m.close();
      return result;
    };
    const whole = await run(1000);
    expect(whole.stats.released).toBe(CHILDREN.length - 2);
    expect(whole.stats.clearedAfterParentRecovery).toBe(2);
    // sliced, acc-9 (cleared) and acc-8 (checked) were settled by that clear and that check before
    // their slice: no recheck, as the check is done (whole: the recheck asked is that check, one poll either way)
    const settledAtTheirCheck = whole.rechecks.filter((d) => d !== 'acc-8' && d !== 'acc-9');
    for (const sliceSize of [3, 1]) {
      const sliced = await run(sliceSize);
      expect({ ...sliced, rechecks: whole.rechecks }).toEqual(whole);
      expect(sliced.rechecks).toEqual(settledAtTheirCheck);
    }
  });

  it('an alert left for a later slice that changes first is re-evaluated right before: its grace starts, then ends as usual', async () => {
    const { m, changes, notified, change, outage, db } = setup(kind, 4);
    outage();
    change('core-1', 'up');
    expect(m.deferredCount).toBe(6);
    // acc-9 up at once (its alert clears) and acc-8 checked still down, before their slice came
    change('acc-9', 'up');
    m.devicePolled('acc-8', Date.now());
    expect(m.deferredCount).toBe(4);
    const acc9 = db.inner.list({ device: 'acc-9' })[0]!;
    expect(acc9.state).toBe('cleared');
    expect(acc9.suppressed?.reason).toBe('parent core-1 down; core-1 back up and acc-9 up again');
    expect(m.stats.clearedAfterParentRecovery).toBe(1);
    expect(db.inner.active(keyOf('acc-8'))?.suppressed?.reason).toBe('parent core-1 down; released: core-1 back up and acc-8 still unreachable at its check');
    expect(changes.filter((c) => c.includes('acc-9'))).toEqual(['opened acc-9 notify=false', 'repeated acc-9 notify=false', 'cleared acc-9 notify=false']);
    await m.whenIdle();
    expect(m.recoveringCount).toBe(8);
    expect(await notified()).toEqual(['opened core-1 @0s', 'cleared core-1 @0s', 'opened acc-8 @0s']);
    m.close();
  });

  it('review: a second store outage is logged again once a single save worked in between; each info line counts its own outage', async () => {
    const { m, db, warnings, infos, change, outage } = setup(kind);
    outage();
    db.failing = true;
    change('core-1', 'up');
    expect(warnings).toHaveLength(1);
    // the store back: one save of another alert (not a batch) works
    db.failing = false;
    m.handle({ action: 'raise', key: 'trap:srv-1:linkDown', source: 'trap', rule: 'link-down', device: 'srv-1', severity: 'minor', message: 'link down', time: Date.now() });
    expect(infos).toEqual(['alerts: the store saves again (trap:srv-1:linkDown saved) after 1 failed batch commits']);
    // days later, a second outage: its first failed batch is logged
    vi.setSystemTime(Date.now() + 3 * 86_400_000);
    db.failing = true;
    m.reevaluateSuppressed(Date.now());
    expect(db.failedCommits).toBe(2);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/^alerts: saving 10 suppression changes \(re-evaluation\) in one transaction failed/);
    db.failing = false;
    m.reevaluateSuppressed(Date.now());
    expect(m.recoveringCount).toBe(CHILDREN.length);
    expect(infos.at(-1)).toBe('alerts: a batch of 10 suppression changes (re-evaluation) saved after 1 failed attempts');
    m.close();
  });

  it('review: a device\'s check settles its own deferred keys only, without looking at the others', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `acc-${i}`);
    const { m, change, outage, rechecks } = setup(kind, 4, many);
    outage();
    change('core-1', 'up');
    expect(m.deferredCount).toBe(4996);
    // checks of devices with nothing waiting (the runtime calls it for every device_status while graces
    // run): none looks at the keys waiting (a scan of them all per call was 60-160 µs at this size)
    // the suppressed keys' index, where a key's device is looked up
    const lookups = vi.spyOn((m as unknown as { core: AlertCore }).core.index.byKey, 'get');
    for (let i = 0; i < 2000; i++) m.devicePolled(`srv-${i}`, Date.now());
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(2000);
    lookups.mockRestore();
    expect(m.deferredCount).toBe(4996);
    // acc-4321's check: its key only, its grace started and ended by that check
    m.devicePolled('acc-4321', Date.now());
    expect(m.deferredCount).toBe(4995);
    expect(m.stats.released).toBe(1);
    expect(m.store.active(keyOf('acc-4321'))?.suppressed?.reason).toBe('parent core-1 down; released: core-1 back up and acc-4321 still unreachable at its check');
    expect(rechecks).toEqual(['acc-0', 'acc-1', 'acc-2', 'acc-3']);
    m.close();
    expect(m.deferredCount).toBe(0);
  });

  it('a check of a device without a recovery grace looks at no other device\'s grace and does not re-arm the timer', () => {
    const many = Array.from({ length: 200 }, (_, i) => `acc-${i}`);
    const { m, change, outage } = setup(kind, 200, many);
    outage();
    change('core-1', 'up');
    expect(m.recoveringCount).toBe(200);
    const arm = vi.spyOn(HoldTimer.prototype, 'arm');
    for (let i = 0; i < 100; i++) m.devicePolled(`srv-${i}`, Date.now());
    expect(arm).not.toHaveBeenCalled();
    arm.mockRestore();
    expect(m.recoveringCount).toBe(200);
    // acc-7's check ends acc-7's grace only
    m.devicePolled('acc-7', Date.now());
    expect(m.recoveringCount).toBe(199);
    expect(m.store.active(keyOf('acc-7'))?.suppressed?.reason).toBe('parent core-1 down; released: core-1 back up and acc-7 still unreachable at its check');
    m.close();
  });

  it('review: a run asking the same keys every turn does not starve the keys queued behind them', async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `acc-${i}`);
    const { m, change, outage, rechecks } = setup(kind, 4, twenty);
    outage();
    change('core-1', 'up');
    // after a restart every device change asks all unfiled keys: here core-1's, every turn
    for (let turn = 0; turn < 50; turn++) {
      vi.advanceTimersByTime(10);
      m.reevaluateSuppressed(Date.now(), 'core-1');
      await nextTurn();
    }
    // every key queued behind the first slice reached: each grace started (a key in its grace asked again changes nothing)
    expect(m.recoveringCount).toBe(twenty.length);
    expect([...rechecks].sort()).toEqual([...twenty].sort());
    m.close();
  });

  it('review: a child settled at its own check or by its clear before its slice asks for no recheck (that check was its check)', async () => {
    const { m, rechecks, change, outage } = setup(kind, 4);
    outage();
    vi.advanceTimersByTime(1000);
    const checkStartedBefore = Date.now() - 500;
    change('core-1', 'up');
    expect(rechecks).toEqual(['acc-0', 'acc-1', 'acc-2', 'acc-3']);
    // acc-9 back (its alert clears), acc-8 checked after core-1 came back: no recheck for either
    change('acc-9', 'up');
    m.devicePolled('acc-8', Date.now());
    expect(rechecks).toEqual(['acc-0', 'acc-1', 'acc-2', 'acc-3']);
    expect(m.stats).toMatchObject({ clearedAfterParentRecovery: 1, released: 1 });
    // a check that started before core-1 came back does not end acc-7's grace: its recheck is asked
    m.devicePolled('acc-7', checkStartedBefore);
    expect(rechecks).toEqual(['acc-0', 'acc-1', 'acc-2', 'acc-3', 'acc-7']);
    expect(m.stats.released).toBe(1);
    await m.whenIdle();
    expect([...rechecks].sort()).toEqual(CHILDREN.filter((d) => d !== 'acc-8' && d !== 'acc-9'));
    expect(m.recoveringCount).toBe(8);
    m.close();
  });

  it('close() during the slices: no more slices, whenIdle resolves, the alerts left stay suppressed, nothing sent', async () => {
    const { m, db, notified, change, reasons, outage } = setup(kind, 4);
    outage();
    change('core-1', 'up');
    m.close();
    await m.whenIdle();
    await nextTurn();
    await nextTurn();
    expect(db.commits).toEqual([4]);
    expect(reasons().filter((r) => r === 'parent core-1 down')).toHaveLength(6);
    expect(await notified()).toEqual(['opened core-1 @0s', 'cleared core-1 @0s']);
  });
});
