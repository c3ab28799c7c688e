/**
 * Recovery graces that end together on the hold timer (a core back, its children's checks not in
 * within the grace) are ended `sliceSize` at a time, one commit and one event-loop turn each,
 * announced after their commit, in their order; a failed commit announces nothing and is retried
 * by the timer; a check, a clear, an ack or a repeat of an alert whose end waits for its slice
 * finds it ended, as without slices. Slicing is checked by event-loop turns, never by timing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHILDREN, HOLD, T0, graceEndsWaiting, keyOf, nextTurn, setup } from './recovery-harness.ts';

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

const NOT_BACK = /; released: core-1 back up and acc-\d not back up within 30 s$/;

/** an outage, core-1 back, every child's grace started (no child checked): returns the harness with commits and announcements counted from here */
async function inGrace(kind: 'sqlite' | 'memory', sliceSize?: number) {
  const s = setup(kind, sliceSize);
  s.outage();
  s.change('core-1', 'up');
  await s.m.whenIdle();
  expect(s.m.recoveringCount).toBe(CHILDREN.length);
  s.db.commits = [];
  s.announcedSaved.length = 0;
  const from = s.changes.length;
  const since = () => s.changes.slice(from);
  return { ...s, since };
}

/** each device's changes, in their order */
function byDevice(changes: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of changes) (out[c.split(' ')[1]!] ??= []).push(c);
  return out;
}

/** event-loop turns until the manager is idle */
async function turnsUntilIdle(m: { whenIdle(): Promise<void> }): Promise<number> {
  let idle = false;
  void m.whenIdle().then(() => { idle = true; });
  let turns = 0;
  while (!idle && turns < 1000) {
    await nextTurn();
    turns++;
  }
  return turns;
}

describe.each(['sqlite', 'memory'] as const)('recovery graces ending together on the timer (%s store)', (kind) => {
  it('end sliceSize at a time, one commit per event-loop turn, each announced after its commit, in order', async () => {
    const { m, db, announcedSaved, since, reasons } = await inGrace(kind, 4);
    vi.advanceTimersByTime(HOLD);
    // the first slice in the timer's run, the rest left for later turns
    expect(db.commits).toEqual([4]);
    expect(m.stats.released).toBe(4);
    expect(m.recoveringCount).toBe(6);
    expect(graceEndsWaiting(m)).toBe(6);
    // something queued after the timer runs between the slices
    let seenByOther = -1;
    setImmediate(() => { seenByOther = m.stats.released; });
    expect(await turnsUntilIdle(m)).toBe(2);
    expect(seenByOther).toBe(8);
    expect(db.commits).toEqual([4, 4, 2]);
    expect(graceEndsWaiting(m)).toBe(0);
    expect(m.recoveringCount).toBe(0);
    expect(m.stats.released).toBe(CHILDREN.length);
    expect(reasons().every((r) => NOT_BACK.test(r!))).toBe(true);
    expect(since()).toEqual(CHILDREN.map((d) => `opened ${d} notify=true`));
    expect(announcedSaved).toHaveLength(CHILDREN.length);
    expect(announcedSaved.every(Boolean)).toBe(true);
    m.close();
  });

  it('sliced or not, the same records, changes (in order) and stats', async () => {
    const run = async (sliceSize: number, meanwhile?: (s: Awaited<ReturnType<typeof inGrace>>) => void) => {
      vi.setSystemTime(T0);
      const s = await inGrace(kind, sliceSize);
      vi.advanceTimersByTime(HOLD);
      meanwhile?.(s);
      await s.m.whenIdle();
      vi.advanceTimersByTime(10_000);
      s.m.reevaluateSuppressed(Date.now());
      await s.m.whenIdle();
      const records = CHILDREN.map((d) => s.db.inner.list({ device: d }).map(({ id: _, ...a }) => a));
      // (what the notifier then sends depends on when its own timers run, not the manager's concern here)
      const result = { records, changes: s.since(), stats: { ...s.m.stats }, rechecks: s.rechecks, recovering: s.m.recoveringCount };
      s.m.close();
      return result;
    };
    // before the later slices: acc-8 checked (still down), acc-9 back (cleared), acc-7 acked, acc-6 raised again, a full re-evaluation
    const meanwhile = (s: Awaited<ReturnType<typeof inGrace>>) => {
      s.m.devicePolled('acc-8', Date.now());
      s.change('acc-9', 'up');
      s.m.acknowledge(s.m.store.active(keyOf('acc-7'))!.id, 'alice', Date.now());
      s.m.handle({ action: 'raise', key: keyOf('acc-6'), source: 'device', rule: 'device-down', device: 'acc-6', severity: 'critical', message: 'acc-6 down', time: Date.now() });
      // core-1 down again: the graces ended by the timer were released then, whatever core-1 does after
      s.change('core-1', 'down');
      s.m.reevaluateSuppressed(Date.now());
    };
    for (const during of [undefined, meanwhile]) {
      const whole = await run(100_000, during);
      expect(whole.stats.released).toBe(CHILDREN.length);
      expect(whole.recovering).toBe(0);
      for (const sliceSize of [4, 3, 1]) {
        const sliced = await run(sliceSize, during);
        if (during) {
          // the alerts changed meanwhile had their end done first (released as by the timer's run, then the change):
          // each alert's changes in the same order, the ends not yet reached announced after those done first
          expect({ ...sliced, changes: byDevice(sliced.changes) }).toEqual({ ...whole, changes: byDevice(whole.changes) });
        } else expect(sliced).toEqual(whole);
      }
      if (during) {
        // acc-8's check found its grace ended by the timer, not by the check
        expect(whole.records[8]![0]!.suppressed?.reason).toMatch(NOT_BACK);
        expect(whole.records[9]![0]).toMatchObject({ state: 'cleared' });
        expect(whole.stats.clearedAfterParentRecovery).toBe(0);
      }
    }
  });

  it('a slice whose commit fails announces nothing, its graces go on, and the timer ends them later', async () => {
    const { m, db, warnings, announcedSaved, since, reasons } = await inGrace(kind, 4);
    const during = reasons();
    vi.advanceTimersByTime(HOLD);
    expect(db.commits).toEqual([4]);
    db.failing = true;
    expect(await turnsUntilIdle(m)).toBe(2);
    expect(db.failedCommits).toBe(2);
    expect(warnings).toEqual([expect.stringMatching(/^alerts: saving 4 ends of recovery graces in one transaction failed \(the first of device-state:acc-4:down\)/)]);
    // the store and the manager agree: acc-4..9 as they were, in their grace, nothing announced for them
    expect(reasons().slice(4)).toEqual(during.slice(4));
    expect(CHILDREN.slice(4).map((d) => m.store.active(keyOf(d))?.suppressed?.reason)).toEqual(during.slice(4));
    expect(m.recoveringCount).toBe(6);
    expect(m.stats.released).toBe(4);
    expect(since()).toEqual(CHILDREN.slice(0, 4).map((d) => `opened ${d} notify=true`));
    expect(announcedSaved.every(Boolean)).toBe(true);
    // the store back: the timer (1 s on) ends them, sliced again, each released once, in order
    db.failing = false;
    vi.advanceTimersByTime(999);
    expect(db.commits).toEqual([4]);
    vi.advanceTimersByTime(1);
    expect(db.commits).toEqual([4, 4]);
    expect(await turnsUntilIdle(m)).toBe(1);
    expect(db.commits).toEqual([4, 4, 2]);
    expect(m.recoveringCount).toBe(0);
    expect(m.stats.released).toBe(CHILDREN.length);
    expect(reasons().every((r) => NOT_BACK.test(r!))).toBe(true);
    expect(since()).toEqual(CHILDREN.map((d) => `opened ${d} notify=true`));
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(since()).toHaveLength(CHILDREN.length);
    m.close();
  });

  it('close() while grace ends wait: no more slices, whenIdle resolves, the alerts left stay in their grace, nothing sent', async () => {
    const { m, db, since, reasons } = await inGrace(kind, 4);
    vi.advanceTimersByTime(HOLD);
    expect(db.commits).toEqual([4]);
    m.close();
    expect(graceEndsWaiting(m)).toBe(0);
    await m.whenIdle();
    await nextTurn();
    await nextTurn();
    vi.advanceTimersByTime(10 * 60_000);
    expect(db.commits).toEqual([4]);
    expect(reasons().slice(4).every((r) => r?.includes('core-1 back up, checking acc-'))).toBe(true);
    expect(since()).toEqual(CHILDREN.slice(0, 4).map((d) => `opened ${d} notify=true`));
  });
});
