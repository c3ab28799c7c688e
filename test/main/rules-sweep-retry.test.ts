/**
 * The sweeps of a rule reload (trap rules' orphaned alerts, threshold rules, API device-state
 * rules, then the manager's sweep of rules removed) when the store cannot list: one failing does
 * not stop the others, and each is retried on the alert manager's timer (1 s doubling) until it
 * lists, without waiting for the next rule change; the retry reads the rules as they are then.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { TrapRuleSchema, type TrapRule } from '../../src/alerts/rule-schema.ts';
import { MemoryAlertStore } from '../../src/alerts/store.ts';
import { RULE_REMOVED } from '../../src/alerts/threshold.ts';
import type { RuleInput } from '../../src/api/services.ts';
import { API_RULE_KIND, RulesEngine } from '../../src/main/rules.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { listFailingStore } from '../alerts/failing-store.ts';

const T0 = Date.parse('2026-12-04T23:00:00Z');
beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

const trapRule = (id: string): TrapRule => TrapRuleSchema.parse({ id, trap: '1.3.6.1.6.3.1.1.5.3', severity: 'major' });
const thresholdDoc: RuleInput = { name: 'cpu', enabled: true, severity: 'major', match: {}, notify: [], condition: { type: 'threshold', measurement: 'cpu', field: 'load', op: '>', value: 90, forMs: 0 } };
const deviceDoc: RuleInput = { name: 'down', enabled: true, severity: 'major', match: {}, notify: [], condition: { type: 'device-state', states: ['down'], forMs: 0 } };
/** stored by an older version, it no longer validates: only the manager's sweep of rules removed looks at its alerts */
const invalidThresholdDoc: RuleInput = { ...thresholdDoc, condition: { ...thresholdDoc.condition, op: '!=' } as RuleInput['condition'] };

function setup(configTrapRules: TrapRule[] = []) {
  const inner = new MemoryAlertStore();
  const s = listFailingStore(inner);
  const { store } = s;
  const warnings: string[] = [];
  const infos: string[] = [];
  const alerts = new AlertManager(store, { logger: { warn: (m) => warnings.push(m), info: (m) => infos.push(m) } });
  const state = new StateStore(':memory:');
  const engine = new RulesEngine({ state, alerts, configTrapRules, defaultRules: false, pollIntervalMs: 60_000, tagsOf: () => ({}), log: () => {} });
  const active = () => inner.list({ state: 'active' }).map((a) => a.key).sort();
  const clearedBy = (key: string) => inner.list({ state: 'cleared' }).find((a) => a.key === key)?.clearedBy;
  const raise = (key: string, source: 'trap' | 'threshold' | 'device', rule: string) => alerts.raise({
    action: 'raise', key, source, rule, device: 'r1', severity: 'major', message: key, labels: { measurement: 'cpu', field: 'load', state: 'down' }, time: Date.now(),
  });
  return { s, alerts, state, engine, active, clearedBy, raise, warnings, infos };
}

/** the API threshold rule `id` (`doc`) is created, loaded and raises on r1, then is removed from the store */
function thresholdRaisedThenRemoved(t: ReturnType<typeof setup>, id: string, doc: RuleInput): void {
  t.state.rules.create(API_RULE_KIND, doc, id);
  t.engine.reload();
  t.raise(`threshold:${id}:device=r1`, 'threshold', id);
  t.state.rules.remove(id);
}

describe('rule sweeps that cannot list', () => {
  it('a failing threshold sweep does not stop the device-state rules being swapped nor the other sweeps; all are retried by the timer', async () => {
    const t = setup([trapRule('port-down')]);
    t.state.rules.create(API_RULE_KIND, thresholdDoc, 'h1');
    t.state.rules.create(API_RULE_KIND, deviceDoc, 'd1');
    t.engine.reload();
    t.raise('port-down:r1', 'trap', 'port-down');
    t.raise('threshold:h1:device=r1', 'threshold', 'h1');
    t.raise('rule:d1:r1', 'device', 'd1');
    t.state.rules.remove('h1');
    t.state.rules.remove('d1');
    t.s.failing = true;
    expect(() => t.engine.setConfigRules([], false)).toThrow(/SQLITE_BUSY/);
    // the device-state rule d1 is gone from the live rules although the threshold sweep before it failed
    t.engine.deviceRules.handle({ device: 'r2', from: 'up', to: 'down', time: Date.now() });
    expect(t.active()).toEqual(['port-down:r1', 'rule:d1:r1', 'threshold:h1:device=r1']);
    t.s.failing = false;
    // no rule change: the timer's retry after 1 s clears them all
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.active()).toEqual([]);
    for (const key of ['port-down:r1', 'rule:d1:r1', 'threshold:h1:device=r1']) expect(t.clearedBy(key)).toBe(RULE_REMOVED);
  });

  it('retried with backoff while it fails, logged once, then once more when it lists', async () => {
    const t = setup();
    thresholdRaisedThenRemoved(t, 'h1', thresholdDoc);
    t.s.failing = true;
    expect(() => t.engine.reload()).toThrow(/SQLITE_BUSY/);
    const warned = t.warnings.length;
    t.s.lists = 0;
    await vi.advanceTimersByTimeAsync(1000);
    const atOne = t.s.lists;
    expect(atOne).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(1999);
    expect(t.s.lists).toBe(atOne);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.s.lists).toBeGreaterThan(atOne);
    expect(t.warnings).toHaveLength(warned);
    t.s.failing = false;
    await vi.advanceTimersByTimeAsync(4000);
    expect(t.active()).toEqual([]);
    // nothing owed any more: no listing from now on
    t.s.lists = 0;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(t.s.lists).toBe(0);
  });

  it('the retry reads the API rules as they are then: a rule re-created before it, by a reload that threw, keeps its alerts', async () => {
    const t = setup();
    thresholdRaisedThenRemoved(t, 'h9', invalidThresholdDoc);
    t.s.failing = true;
    try { t.engine.reload(); } catch { /* the fixed engine reports the sweep that failed */ }
    // re-created under its id; the reload after it cannot read the rules
    t.state.rules.create(API_RULE_KIND, invalidThresholdDoc, 'h9');
    const list = vi.spyOn(t.state.rules, 'list').mockImplementationOnce(() => { throw new Error('SQLITE_IOERR: disk I/O error'); });
    expect(() => t.engine.reload()).toThrow(/disk I\/O/);
    list.mockRestore();
    t.s.failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.active()).toEqual(['threshold:h9:device=r1']);
  });

  it('a retry while the API rules cannot be read stays owed (no throw from the timer), and clears once they can', async () => {
    const t = setup();
    thresholdRaisedThenRemoved(t, 'h9', invalidThresholdDoc);
    t.s.failing = true;
    t.engine.reload();
    t.s.failing = false;
    const list = vi.spyOn(t.state.rules, 'list').mockImplementation(() => { throw new Error('SQLITE_IOERR: disk I/O error'); });
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.active()).toEqual(['threshold:h9:device=r1']);
    list.mockRestore();
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.active()).toEqual([]);
    expect(t.clearedBy('threshold:h9:device=r1')).toBe(RULE_REMOVED);
  });
});
