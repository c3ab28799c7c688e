/**
 * One rule reload (a config reload's setConfigRules, an API rule change) lists the active alerts
 * once, however many of its sweeps (trap, threshold, device-state, removed rules) have something
 * to check; each sweep still clears what it did, an alert cleared by one is not cleared again by
 * the next. Store listings counted, no time measured.
 */
import { expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { TrapRuleSchema, type TrapRule } from '../../src/alerts/rule-schema.ts';
import { MemoryAlertStore, type AlertStore } from '../../src/alerts/store.ts';
import { RULE_REMOVED } from '../../src/alerts/threshold.ts';
import type { AlertChange, AlertEvent } from '../../src/alerts/types.ts';
import type { RuleInput } from '../../src/api/services.ts';
import { API_RULE_KIND, RulesEngine } from '../../src/main/rules.ts';
import { StateStore } from '../../src/storage/state/store.ts';

const T0 = Date.parse('2026-12-05T06:00:00Z');
const trapRule = (id: string, key = '{device}'): TrapRule => TrapRuleSchema.parse({ id, trap: '1.3.6.1.6.3.1.1.5.3', severity: 'major', key });
const apiRule = (condition: RuleInput['condition']): RuleInput => ({ name: 'r', enabled: true, severity: 'major', match: {}, notify: [], condition });
const ev = (key: string, over: Partial<AlertEvent>): AlertEvent => ({ action: 'raise', key, source: 'trap', rule: 'x', device: 'r1', severity: 'major', message: key, time: T0, ...over });

function setup() {
  const inner = new MemoryAlertStore();
  const count = { lists: 0 };
  const store: AlertStore = {
    active: (k) => inner.active(k), byId: (i) => inner.byId(i), save: (a) => inner.save(a),
    list: (q) => { count.lists++; return inner.list(q); },
  };
  const infos: string[] = [];
  const alerts = new AlertManager(store, { logger: { warn: () => {}, info: (l) => infos.push(l) } });
  const state = new StateStore(':memory:');
  // an API threshold rule counting its samples at the poll interval, an API device-state rule
  state.rules.create(API_RULE_KIND, apiRule({ type: 'threshold', measurement: 'cpu', field: 'load', op: '>', value: 90, forMs: 120_000 }), 'h1');
  state.rules.create(API_RULE_KIND, apiRule({ type: 'device-state', states: ['down'], forMs: 0 }), 'd1');
  const engine = new RulesEngine({ state, alerts, configTrapRules: [trapRule('c-kept'), trapRule('c-rekeyed'), trapRule('c-gone')], defaultRules: false, pollIntervalMs: 60_000, tagsOf: () => ({}), log: () => {} });
  for (const [key, source, rule] of [
    ['c-kept:r1', 'trap', 'c-kept'], ['c-rekeyed:r1', 'trap', 'c-rekeyed'], ['c-gone:r1', 'trap', 'c-gone'],
    ['threshold:h1:device=r1', 'threshold', 'h1'], ['rule:d1:r1', 'device', 'd1'],
  ] as const) alerts.raise(ev(key, { source, rule, labels: source === 'threshold' ? { measurement: 'cpu', field: 'load' } : { state: 'down' } }));
  const changes: string[] = [];
  alerts.onChange((c: AlertChange) => changes.push(`${c.kind} ${c.alert.key} ${c.alert.clearedBy ?? ''}`.trim()));
  count.lists = 0;
  const active = () => inner.list({ state: 'active' }).map((a) => a.key).sort();
  return { alerts, state, engine, count, infos, changes, active };
}

it('a config reload changing a trap rule\'s key, removing one and the poll interval: one listing, the same clears', () => {
  const t = setup();
  // trap sweep (c-rekeyed, c-gone changed), threshold sweep (h1 re-counted at 30 s), removed-rules sweep (c-gone gone)
  expect(t.engine.setConfigRules([trapRule('c-kept'), trapRule('c-rekeyed', '{device}:{trap}')], false, 30_000)).toEqual({ added: [], changed: ['c-rekeyed'], removed: ['c-gone'] });
  expect(t.count.lists).toBe(1);
  expect(t.changes).toEqual([`cleared c-rekeyed:r1 ${RULE_REMOVED}`, `cleared c-gone:r1 ${RULE_REMOVED}`]);
  expect(t.active()).toEqual(['c-kept:r1', 'rule:d1:r1', 'threshold:h1:device=r1']);
  expect(t.infos).toEqual([]);
  t.engine.stop();
  t.state.close();
});

it('an API rule change whose sweeps clear in turn: one listing; the removed-rules sweep clears only what is left', () => {
  const t = setup();
  // h1 and d1 deleted: their own sweeps clear their alerts, the removed-rules sweep finds none left
  t.state.rules.remove('h1');
  t.state.rules.remove('d1');
  t.engine.reload();
  expect(t.count.lists).toBe(1);
  expect(t.changes.sort()).toEqual([`cleared rule:d1:r1 ${RULE_REMOVED}`, `cleared threshold:h1:device=r1 ${RULE_REMOVED}`]);
  expect(t.active()).toEqual(['c-gone:r1', 'c-kept:r1', 'c-rekeyed:r1']);
  t.engine.stop();
  t.state.close();
});

it('outside a reload each listing reads the store, as before', () => {
  const t = setup();
  t.alerts.listActive();
  t.alerts.listActive();
  expect(t.count.lists).toBe(2);
  t.engine.stop();
  t.state.close();
});
