/**
 * The log line of a sweep (devices removed, rules removed) counts the alerts it cleared: a clear the
 * store refused is kept and redone, so it is counted apart (with its key), as are the waiting raises
 * it dropped. SQLite and memory stores; fake clock for the retry.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEVICE_REMOVED, RULE_REMOVED } from '../../src/alerts/threshold.ts';
import type { AlertEvent } from '../../src/alerts/types.ts';
import { failingStore, STORES } from './failing-store.ts';
import { fakeClockFrom, recordedManager } from './owed-sweep-harness.ts';

fakeClockFrom(Date.parse('2026-12-05T06:00:00Z'));

const ev = (key: string, over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key, source: 'trap', rule: 't1', device: 'sw1', severity: 'major', message: key, time: Date.now(), ...over,
});
const REFUSED = 'not cleared yet, the store refused their clear (kept, tried again until saved)';

describe.each(STORES)('a sweep\'s log line with a store refusing some clears (%s store)', (_, makeStore) => {
  function setup() {
    const fail = failingStore(makeStore());
    return { fail, ...recordedManager(fail.store) };
  }

  it('devices removed: one cleared, one refused (kept), one waiting raise dropped: each counted as what it is', () => {
    const { fail, infos, m, changes } = setup();
    m.raise(ev('t1:ok'));
    m.raise(ev('t1:refused'));
    fail.keys.add('t1:refused').add('t1:waiting');
    fail.failing = true;
    expect(m.raise(ev('t1:waiting'))).toBeUndefined();
    changes.length = 0;
    expect(m.clearAlertsOfDevices(['sw1']).sort()).toEqual(['t1:ok', 't1:refused', 't1:waiting']);
    expect(infos).toEqual([
      `alerts: 1 alerts of devices removed cleared (${DEVICE_REMOVED}): t1:ok; 1 ${REFUSED}: t1:refused; 1 raises waiting for the store dropped, never opened: t1:waiting`,
    ]);
    expect(m.store.list({ state: 'active' }).map((a) => a.key)).toEqual(['t1:refused']);
    // the kept clear is redone once the store takes it
    fail.failing = false;
    vi.advanceTimersByTime(120_000);
    expect(changes).toEqual([`cleared t1:ok ${DEVICE_REMOVED}`, `cleared t1:refused ${DEVICE_REMOVED}`]);
    expect(m.store.list({ state: 'active' })).toEqual([]);
  });

  it('rules removed, every clear refused: 0 cleared, all counted as kept', () => {
    const { fail, infos, m } = setup();
    m.raise(ev('t-gone:r1', { rule: 't-gone' }));
    m.raise(ev('t-gone:r2', { rule: 't-gone' }));
    fail.keys.add('t-gone:r1').add('t-gone:r2');
    fail.failing = true;
    const live = { trapRules: { rules: [] }, thresholds: { rules: [] }, apiRules: () => [] };
    m.clearAlertsOfRemovedRules(live);
    expect(infos).toHaveLength(1);
    const [line, keys] = infos[0].split(`${REFUSED}: `);
    expect(line).toBe(`alerts: 0 alerts of rules removed or disabled cleared (${RULE_REMOVED}); 2 `);
    expect(keys.split(', ').sort()).toEqual(['t-gone:r1', 't-gone:r2']);
    expect(m.store.list({ state: 'active' })).toHaveLength(2);
  });
});
