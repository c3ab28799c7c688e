/**
 * A sweep for removed rules whose listing fails (state.db locked) is owed and retried (1 s
 * doubling to 60 s, by the timer and at re-evaluations, the same mechanism as for removed devices)
 * until it lists: the alerts are cleared then as `rule removed` and notified; a rule re-created
 * under its id by then keeps its alerts. A store whose listings fail on demand, a fake clock;
 * SQLite and memory stores.
 */
import { describe, expect, it, vi } from 'vitest';
import type { LiveRuleIds, LiveRules, RuleState } from '../../src/alerts/removed-rules.ts';
import { DEVICE_REMOVED, RULE_REMOVED } from '../../src/alerts/threshold.ts';
import type { AlertEvent } from '../../src/alerts/types.ts';
import { listFailingStore, STORES } from './failing-store.ts';
import { activeKeys, expectListings, expectRetriedAt1sThen3s, fakeClockFrom, recordedManager } from './owed-sweep-harness.ts';

const T0 = Date.parse('2026-12-04T22:00:00Z');
fakeClockFrom(T0);

const ev = (key: string, over: Partial<AlertEvent>): AlertEvent => ({
  action: 'raise', key, source: 'trap', rule: 'x', device: 'r1', severity: 'major', message: key, time: Date.now(), ...over,
});

const ids = (trap: string[] = [], threshold: string[] = [], deviceState: string[] = []): LiveRuleIds =>
  ({ trap: new Set(trap), threshold: new Set(threshold), deviceState: new Set(deviceState) });

/** the rules live, changed in place as the rule engine's sets are */
function liveRules() {
  const rules = { trap: [] as RuleState[], threshold: [] as RuleState[], deviceState: [] as string[] };
  const live: LiveRules = {
    trapRules: { get rules() { return rules.trap; } },
    thresholds: { get rules() { return rules.threshold; } },
    apiRules: () => rules.deviceState.map((id) => ({ id, rule: { enabled: true, condition: { type: 'device-state' } } })),
  };
  return { rules, live };
}

describe.each(STORES)('removed rules whose sweep could not list (%s store)', (_, makeStore) => {
  function setup() {
    const fail = listFailingStore(makeStore());
    const t = recordedManager(fail.store);
    const { rules, live } = liveRules();
    rules.trap.push({ id: 't1', enabled: true }, { id: 't2', enabled: true });
    rules.threshold.push({ id: 'h1', enabled: true });
    rules.deviceState.push('d1');
    for (const [key, source, rule] of [
      ['t1:r1', 'trap', 't1'], ['t2:r1', 'trap', 't2'], ['threshold:h1:device=r1', 'threshold', 'h1'],
      ['rule:d1:r1', 'device', 'd1'], ['device-state:r1:down', 'device', 'device-down'],
    ] as const) t.m.raise(ev(key, { source, rule }));
    t.changes.length = 0;
    return { ...t, fail, rules, live };
  }

  /** removes the trap rules `gone` from the live rules and sweeps for them, as a rule change does */
  function remove(t: ReturnType<typeof setup>, ...gone: string[]) {
    t.rules.trap = t.rules.trap.filter((r) => !gone.includes(r.id));
    return t.m.clearAlertsOfGoneRules(ids(gone), t.live);
  }

  it('retried by the timer until it lists: then cleared as rule removed and notified, logged once', async () => {
    const t = setup();
    t.fail.failing = true;
    expect(remove(t, 't1')).toEqual([]);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/^alerts: listing the active alerts of rules removed or disabled failed: they stay open, tried again in 1 s and until listed: SQLITE_BUSY/);
    await expectRetriedAt1sThen3s(t);
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(4000);
    expect(t.changes).toEqual([`cleared t1:r1 ${RULE_REMOVED}`]);
    expect(activeKeys(t.fail.inner)).toEqual(['device-state:r1:down', 'rule:d1:r1', 't2:r1', 'threshold:h1:device=r1']);
    expect(t.m.stats.active).toBe(4);
    expect(t.infos.some((i) => /^alerts: the active alerts of rules removed or disabled listed again after 3 failed attempts/.test(i))).toBe(true);
    // nothing owed any more: no further listing
    await expectListings(t.fail, [[120_000, 0]]);
  });

  it('backs off to 60 s at most', async () => {
    const t = setup();
    t.fail.failing = true;
    remove(t, 't1');
    // tries at 1, 3, 7, 15, 31, 63, then every 60 s
    await vi.advanceTimersByTimeAsync(63_000);
    await expectListings(t.fail, [[59_999, 0], [1, 1], [60_000, 2]]);
    expect(t.warnings).toHaveLength(1);
  });

  it('a rule re-created under its id before the retry keeps its alerts; the other removed rule\'s are cleared', async () => {
    const t = setup();
    t.fail.failing = true;
    remove(t, 't1', 't2');
    // t1 comes back (an API create): the rule change sweeps for nothing gone, the store still failing
    t.rules.trap.push({ id: 't1', enabled: true });
    expect(t.m.clearAlertsOfGoneRules(ids(), t.live)).toEqual([]);
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.changes).toEqual([`cleared t2:r1 ${RULE_REMOVED}`]);
    expect(activeKeys(t.fail.inner)).toEqual(['device-state:r1:down', 'rule:d1:r1', 't1:r1', 'threshold:h1:device=r1']);
    // the second failure owed nothing new: not logged again
    expect(t.warnings).toHaveLength(1);
  });

  it('a re-evaluation once due retries too', () => {
    const t = setup();
    t.fail.failing = true;
    remove(t, 't1');
    t.fail.failing = false;
    vi.setSystemTime(T0 + 999);
    expect(t.m.reevaluateSuppressed(Date.now())).toEqual([]);
    vi.setSystemTime(T0 + 1000);
    const out = t.m.reevaluateSuppressed(Date.now());
    expect(out.map((c) => `${c.kind} ${c.alert.key} ${c.alert.clearedBy}`)).toEqual([`cleared t1:r1 ${RULE_REMOVED}`]);
    expect(activeKeys(t.fail.inner)).not.toContain('t1:r1');
  });

  it('the start-up sweep failing: retried against the rules as they are then', async () => {
    const t = setup();
    t.rules.threshold = [];
    t.rules.deviceState = [];
    t.fail.failing = true;
    expect(t.m.clearAlertsOfRemovedRules(t.live)).toEqual([]);
    expect(t.warnings).toHaveLength(1);
    // the API lists d1 again (it was only left out) before the retry
    t.rules.deviceState.push('d1');
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.changes).toEqual([`cleared threshold:h1:device=r1 ${RULE_REMOVED}`]);
    expect(activeKeys(t.fail.inner)).toEqual(['device-state:r1:down', 'rule:d1:r1', 't1:r1', 't2:r1']);
  });

  it('close() stops the retries: the alerts stay for the start-up sweep', async () => {
    const t = setup();
    t.fail.failing = true;
    remove(t, 't1');
    await expectListings(t.fail, [[1000, 1]]);
    await t.m.close();
    t.fail.failing = false;
    await expectListings(t.fail, [[120_000, 0]]);
    expect(t.changes).toEqual([]);
  });

  it('a device sweep and a rule sweep owed together: each retried on its own backoff by the one timer', async () => {
    const t = setup();
    t.m.raise(ev('device-state:r2:down', { source: 'device', rule: 'device-down', device: 'r2' }));
    t.changes.length = 0;
    t.fail.failing = true;
    remove(t, 't1');
    await vi.advanceTimersByTimeAsync(1000);
    // the rule sweep's second try is due at 3 s; the device sweep's first at 2.5 s
    vi.advanceTimersByTime(500);
    t.m.clearAlertsOfDevices(['r2']);
    expect(t.warnings).toHaveLength(2);
    await expectListings(t.fail, [[1000, 1], [500, 2]]);
    t.fail.failing = false;
    await vi.advanceTimersByTimeAsync(4000);
    expect(t.changes.sort()).toEqual([`cleared device-state:r2:down ${DEVICE_REMOVED}`, `cleared t1:r1 ${RULE_REMOVED}`]);
    expect(activeKeys(t.fail.inner)).toEqual(['device-state:r1:down', 'rule:d1:r1', 't2:r1', 'threshold:h1:device=r1']);
  });
});
