/**
 * Rules removed while netpulse was stopped: at start-up their open alerts clear by `rule removed`,
 * as an API delete does; alerts of implicit rules (built-in device states, topology links, the
 * table-full meta-alert, shipped trap rules) stay. Raises of a removed rule still waiting for the
 * store are dropped, never opened. Fake clock, the SQLite and the memory store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertManager, TABLE_FULL_KEY } from '../../src/alerts/manager.ts';
import { isOfRemovedRule, isOfRules, type LiveRuleIds } from '../../src/alerts/removed-rules.ts';
import { RULE_REMOVED } from '../../src/alerts/threshold.ts';
import type { AlertChange, AlertEvent } from '../../src/alerts/types.ts';
import type { RuleInput } from '../../src/api/services.ts';
import { API_RULE_KIND, RulesEngine } from '../../src/main/rules.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { failingStore, STORES } from './failing-store.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

const ev = (key: string, over: Partial<AlertEvent>): AlertEvent => ({
  action: 'raise', key, source: 'trap', rule: 'x', device: 'r1', severity: 'major', message: key, time: Date.now(), ...over,
});

describe('isOfRemovedRule', () => {
  const live: LiveRuleIds = { trap: new Set(['coldStart', 't-live']), threshold: new Set(['h-live']), deviceState: new Set(['d-live']) };
  it.each<[string, Parameters<typeof isOfRemovedRule>[0], boolean]>([
    ['trap rule live', { source: 'trap', rule: 't-live', key: 't-live:r1' }, false],
    ['shipped trap rule (live while traps.defaultRules)', { source: 'trap', rule: 'coldStart', key: 'coldStart:r1' }, false],
    ['trap rule gone', { source: 'trap', rule: 't-gone', key: 't-gone:r1' }, true],
    ['threshold rule live', { source: 'threshold', rule: 'h-live', key: 'threshold:h-live:device=r1' }, false],
    ['threshold rule gone', { source: 'threshold', rule: 'h-gone', key: 'threshold:h-gone:device=r1' }, true],
    ['API device-state rule live', { source: 'device', rule: 'd-live', key: 'rule:d-live:r1' }, false],
    ['API device-state rule gone', { source: 'device', rule: 'd-gone', key: 'rule:d-gone:r1' }, true],
    ['built-in device state', { source: 'device', rule: 'device-down', key: 'device-state:r1:down' }, false],
    ['topology link', { source: 'device', rule: 'topology-link-down', key: 'topology:link:l1' }, false],
    ['table-full meta-alert', { source: 'device', rule: 'alert-table-full', key: TABLE_FULL_KEY }, false],
  ])('%s: removed %s', (_, alert, removed) => expect(isOfRemovedRule(alert, live)).toBe(removed));
});

describe('isOfRules', () => {
  // the implicit rules' ids are in `gone` on purpose: their alerts are still never picked
  const gone: LiveRuleIds = { trap: new Set(['t-gone']), threshold: new Set(['h-gone']), deviceState: new Set(['d-gone', 'device-down', 'topology-link-down', 'alert-table-full']) };
  it.each<[string, Parameters<typeof isOfRules>[0], boolean]>([
    ['trap rule gone', { source: 'trap', rule: 't-gone', key: 't-gone:r1' }, true],
    ['other trap rule', { source: 'trap', rule: 't-live', key: 't-live:r1' }, false],
    ['threshold rule gone', { source: 'threshold', rule: 'h-gone', key: 'threshold:h-gone:device=r1' }, true],
    ['other threshold rule', { source: 'threshold', rule: 'h-live', key: 'threshold:h-live:device=r1' }, false],
    ['API device-state rule gone', { source: 'device', rule: 'd-gone', key: 'rule:d-gone:r1' }, true],
    ['trap rule of a gone device-state id', { source: 'trap', rule: 'd-gone', key: 'd-gone:r1' }, false],
    ['built-in device state', { source: 'device', rule: 'device-down', key: 'device-state:r1:down' }, false],
    ['topology link', { source: 'device', rule: 'topology-link-down', key: 'topology:link:l1' }, false],
    ['table-full meta-alert', { source: 'device', rule: 'alert-table-full', key: TABLE_FULL_KEY }, false],
  ])('%s: %s', (_, alert, picked) => expect(isOfRules(alert, gone)).toBe(picked));
});

const apiRule = (condition: RuleInput['condition'], enabled = true): RuleInput => ({ name: 'r', enabled, severity: 'major', match: {}, notify: [], condition });
const TRAP: RuleInput['condition'] = { type: 'trap', trapOid: '1.3.6.1.4.1.9.9.1' };
const THRESHOLD: RuleInput['condition'] = { type: 'threshold', measurement: 'icmp', field: 'loss_pct', op: '>', value: 50, forMs: 0 };
const DEVICE: RuleInput['condition'] = { type: 'device-state', states: ['down'], forMs: 0 };

describe('start-up: alerts of rules removed while netpulse was stopped', () => {
  let state: StateStore;
  let engine: RulesEngine | undefined;
  beforeEach(() => { state = new StateStore(':memory:'); });
  afterEach(() => { engine?.stop(); engine = undefined; state.close(); });

  /** alerts opened under the first run's rules; the rules are then changed in the store, as if netpulse was stopped */
  function firstRun() {
    const m = new AlertManager(alertStoreFrom(state));
    for (const [key, source, rule] of [
      ['t-kept:r1', 'trap', 't-kept'], ['t-gone:r1', 'trap', 't-gone'], ['t-off:r1', 'trap', 't-off'], ['coldStart:r1', 'trap', 'coldStart'],
      ['threshold:h-kept:device=r1', 'threshold', 'h-kept'], ['threshold:h-gone:device=r1', 'threshold', 'h-gone'],
      ['rule:d-kept:r1', 'device', 'd-kept'], ['rule:d-gone:r1', 'device', 'd-gone'],
      ['device-state:r1:down', 'device', 'device-down'], ['topology:link:l1', 'device', 'topology-link-down'],
    ] as const) m.raise(ev(key, { source, rule }));
    state.rules.create(API_RULE_KIND, apiRule(TRAP), 't-kept');
    state.rules.create(API_RULE_KIND, apiRule(TRAP, false), 't-off');
    state.rules.create(API_RULE_KIND, apiRule(THRESHOLD), 'h-kept');
    state.rules.create(API_RULE_KIND, apiRule(DEVICE), 'd-kept');
  }

  /** the second start: the alert manager over the same store, then the rules engine (what startNetpulse does) */
  function start(defaultRules = true) {
    const infos: string[] = [];
    const alerts = new AlertManager(alertStoreFrom(state), { logger: { warn: () => {}, info: (i) => infos.push(i) } });
    const changes: AlertChange[] = [];
    alerts.onChange((c) => changes.push(c));
    engine = new RulesEngine({ state, alerts, configTrapRules: [], defaultRules, pollIntervalMs: 60_000, tagsOf: () => ({}), log: () => {} });
    const active = () => alerts.store.list({ state: 'active' }).map((a) => a.key).sort();
    return { alerts, changes, infos, active };
  }

  it('gone or disabled: cleared by rule removed, announced as an API delete is; the others stay', () => {
    firstRun();
    const { changes, active, infos } = start();
    expect(infos).toEqual([expect.stringMatching(/^alerts: 4 alerts of rules removed or disabled cleared \(rule removed\): .*t-gone:r1/)]);
    expect(active()).toEqual(['coldStart:r1', 'device-state:r1:down', 'rule:d-kept:r1', 't-kept:r1', 'threshold:h-kept:device=r1', 'topology:link:l1']);
    expect(changes.map((c) => `${c.kind} ${c.alert.key} ${c.alert.clearedBy} ${c.notify}`).sort()).toEqual([
      `cleared rule:d-gone:r1 ${RULE_REMOVED} true`,
      `cleared t-gone:r1 ${RULE_REMOVED} true`,
      `cleared t-off:r1 ${RULE_REMOVED} true`,
      `cleared threshold:h-gone:device=r1 ${RULE_REMOVED} true`,
    ]);
    expect(changes.every((c) => c.alert.clearedAt === T0)).toBe(true);
  });

  it('traps.defaultRules turned off while stopped: the shipped rules\' alerts clear too', () => {
    firstRun();
    const { active } = start(false);
    expect(active()).not.toContain('coldStart:r1');
    expect(active()).toContain('device-state:r1:down');
  });

  it('a second start with the same rules clears nothing', () => {
    firstRun();
    start();
    engine!.stop();
    const { changes } = start();
    expect(changes).toEqual([]);
  });
});

describe.each(STORES)('raises of a removed rule waiting for the store (%s store)', (_, makeStore) => {
  function setup() {
    const fail = failingStore(makeStore());
    const infos: string[] = [];
    const m = new AlertManager(fail.store, { logger: { warn: () => {}, info: (i) => infos.push(i) } });
    const changes: string[] = [];
    m.onChange((c) => changes.push(`${c.kind} ${c.alert.key}${c.alert.clearedBy ? ` ${c.alert.clearedBy}` : ''}`));
    const live = { trap: [] as { id: string; enabled: boolean }[], threshold: [] as { id: string; enabled: boolean }[], device: [] as string[] };
    const rules = {
      trapRules: { get rules() { return live.trap; } },
      thresholds: { get rules() { return live.threshold; } },
      apiRules: () => live.device.map((id) => ({ id, rule: { enabled: true, condition: { type: 'device-state' } } })),
    };
    return { m, fail, infos, changes, live, rules };
  }

  it.each<[string, Partial<AlertEvent>]>([
    ['trap', { source: 'trap', rule: 't1', key: 't1:r1' }],
    ['threshold', { source: 'threshold', rule: 'h1', key: 'threshold:h1:device=r1' }],
    ['device-state', { source: 'device', rule: 'd1', key: 'rule:d1:r1' }],
  ])('%s rule deleted during the outage: its waiting raise never opens', (_, over) => {
    const t = setup();
    const key = over.key!;
    t.fail.keys.add(key);
    t.fail.failing = true;
    expect(t.m.raise(ev(key, over))).toBeUndefined();
    expect(t.m.clearAlertsOfRemovedRules(t.rules)).toEqual([key]);
    t.fail.failing = false;
    vi.advanceTimersByTime(120_000);
    t.m.reevaluateSuppressed(Date.now());
    expect(t.changes).toEqual([]);
    expect(t.m.store.list({ state: 'active' })).toEqual([]);
    expect(t.infos.join('\n')).toContain(key);
  });

  it('an API rule deleted (RulesEngine.reload, as the API does): its waiting raise never opens', () => {
    const state = new StateStore(':memory:');
    const fail = failingStore(makeStore(), ['threshold:h1:device=r1']);
    const m = new AlertManager(fail.store, { logger: { warn: () => {}, info: () => {} } });
    const changes: string[] = [];
    m.onChange((c) => changes.push(`${c.kind} ${c.alert.key}`));
    state.rules.create(API_RULE_KIND, apiRule(THRESHOLD), 'h1');
    const engine = new RulesEngine({ state, alerts: m, configTrapRules: [], defaultRules: true, pollIntervalMs: 60_000, tagsOf: () => ({}), log: () => {} });
    fail.failing = true;
    engine.thresholds.write([{ measurement: 'icmp', tags: { device: 'r1' }, fields: { loss_pct: 100 }, time: Date.now() }]);
    state.rules.remove('h1');
    engine.reload();
    fail.failing = false;
    vi.advanceTimersByTime(120_000);
    expect(changes).toEqual([]);
    expect(m.store.list({ state: 'active' })).toEqual([]);
    engine.stop();
    state.close();
  });

  it('a raise of a rule still there keeps waiting and opens once saved', () => {
    const t = setup();
    t.live.trap.push({ id: 't1', enabled: true });
    t.fail.keys.add('t1:r1');
    t.fail.failing = true;
    t.m.raise(ev('t1:r1', { rule: 't1' }));
    expect(t.m.clearAlertsOfRemovedRules(t.rules)).toEqual([]);
    t.fail.failing = false;
    vi.advanceTimersByTime(1000);
    expect(t.changes).toEqual(['opened t1:r1']);
  });

  it('a repeat waiting for the store is not saved first when the rule-removed clear comes: the alert clears, no repeat announced', () => {
    const t = setup();
    t.m.raise(ev('t1:r1', { rule: 't1' }));
    t.fail.keys.add('t1:r1');
    t.fail.failing = true;
    t.m.raise(ev('t1:r1', { rule: 't1', message: 'again' }));
    t.fail.failing = false;
    t.m.clearKey('t1:r1', RULE_REMOVED, Date.now());
    expect(t.changes).toEqual(['opened t1:r1', `cleared t1:r1 ${RULE_REMOVED}`]);
    expect(t.m.store.list({ state: 'cleared' })).toMatchObject([{ key: 't1:r1', count: 1, message: 't1:r1' }]);
  });
});
