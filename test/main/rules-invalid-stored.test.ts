/**
 * A stored API rule that no longer validates (written by an older version) is left out of the
 * live rules but still listed by the API: start-up's sweep keeps its alerts; disabled, they go.
 */
import { expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { RULE_REMOVED } from '../../src/alerts/threshold.ts';
import { API_RULE_KIND, RulesEngine } from '../../src/main/rules.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';

const T0 = Date.parse('2026-12-04T21:00:00Z');

it.each([
  [true, 'stays active', undefined],
  [false, 'is cleared as rule removed', RULE_REMOVED],
])('enabled %s: its alert %s at start-up', (enabled, _, clearedBy) => {
  const state = new StateStore(':memory:');
  new AlertManager(alertStoreFrom(state)).raise({ action: 'raise', key: 'threshold:h1:device=r1', source: 'threshold', rule: 'h1', device: 'r1', severity: 'major', message: 'cpu', time: T0 });
  // op "==": the API's schema takes it, the threshold evaluator does not
  state.rules.create(API_RULE_KIND, { name: 'cpu', enabled, severity: 'major', match: {}, notify: [], condition: { type: 'threshold', measurement: 'cpu', field: 'load', op: '==', value: 100, forMs: 0 } }, 'h1');
  const logs: string[] = [];
  const alerts = new AlertManager(alertStoreFrom(state), { logger: { warn: (l) => logs.push(l), info: (l) => logs.push(l) } });
  const engine = new RulesEngine({ state, alerts, configTrapRules: [], defaultRules: true, pollIntervalMs: 60_000, tagsOf: () => ({}), log: (l) => logs.push(l) });
  expect(engine.apiRules().map((r) => r.id)).toEqual(['h1']);
  expect(logs.some((l) => l.startsWith('rules: warning: stored rule h1 left out: '))).toBe(true);
  expect(alerts.store.list({}).map((a) => a.clearedBy)).toEqual([clearedBy]);
  state.close();
});
