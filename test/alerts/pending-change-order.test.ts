/**
 * The two queues of PendingChanges each keep their own order: grace ends waiting for their slice go
 * in the timer's order (the graces' order), even for keys whose re-evaluation a run queued earlier
 * in another order, and a slice takes every grace end before any re-evaluation.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHILDREN, HOLD, T0, graceEndsWaiting, keyOf, setup } from './recovery-harness.ts';

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

describe.each(['sqlite', 'memory'] as const)('pending changes of one alert in two queues (%s store)', (kind) => {
  it('grace ends keep the timer\'s order, ahead of re-evaluations queued before them in another order', async () => {
    const s = setup(kind, 4);
    s.outage();
    s.change('core-1', 'up');
    // acc-9's grace starts before acc-4..8's: its re-evaluation, left for a later slice, settled by a repeat
    s.m.handle({ action: 'raise', key: keyOf('acc-9'), source: 'device', rule: 'device-down', device: 'acc-9', severity: 'critical', message: 'acc-9 down', time: Date.now() });
    await s.m.whenIdle();
    expect(s.m.recoveringCount).toBe(CHILDREN.length);
    // a full run leaves acc-4..9 for later, in the order of their suppression; the timer then finds every grace over
    s.m.reevaluateSuppressed(Date.now());
    expect(s.m.deferredCount).toBe(6);
    s.db.commits = [];
    const from = s.changes.length;
    vi.advanceTimersByTime(HOLD);
    // the timer's run ends the first slice of grace ends, the other six wait for theirs
    expect(s.db.commits).toEqual([4]);
    expect(graceEndsWaiting(s.m)).toBe(6);
    expect([s.m.stats.released, s.m.recoveringCount, s.m.deferredCount]).toEqual([4, 6, 6]);
    await s.m.whenIdle();
    expect(s.db.commits).toEqual([4, 4, 2]);
    expect(s.changes.slice(from)).toEqual(['acc-0', 'acc-1', 'acc-2', 'acc-3', 'acc-9', 'acc-4', 'acc-5', 'acc-6', 'acc-7', 'acc-8'].map((d) => `opened ${d} notify=true`));
    expect(s.m.deferredCount).toBe(0);
    expect(s.m.recoveringCount).toBe(0);
    s.m.close();
  });
});
