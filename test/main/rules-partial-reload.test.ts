/**
 * A rule reload that threw part-way (the store failing while alerts of removed rules are cleared)
 * is completed by the next one: a SIGHUP of the same file, or the next API rule change.
 */
import { describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { TrapRuleSchema, type TrapRule } from '../../src/alerts/rule-schema.ts';
import { MemoryAlertStore, type AlertStore } from '../../src/alerts/store.ts';
import { RULE_REMOVED } from '../../src/alerts/threshold.ts';
import type { RuleInput } from '../../src/api/services.ts';
import { API_RULE_KIND, RulesEngine } from '../../src/main/rules.ts';
import { StateStore } from '../../src/storage/state/store.ts';

const T0 = Date.parse('2026-12-04T21:00:00Z');
const rule = (id: string): TrapRule => TrapRuleSchema.parse({ id, trap: '1.3.6.1.6.3.1.1.5.3', severity: 'major' });

function setup(configTrapRules: TrapRule[]) {
  const inner = new MemoryAlertStore();
  const s = { listFails: false };
  const store: AlertStore = {
    active: (k) => inner.active(k), byId: (i) => inner.byId(i), save: (a) => inner.save(a),
    list: (q) => { if (s.listFails) throw new Error('SQLITE_IOERR: disk I/O error'); return inner.list(q); },
  };
  const alerts = new AlertManager(store, { logger: { warn: () => {}, info: () => {} } });
  const state = new StateStore(':memory:');
  const engine = new RulesEngine({ state, alerts, configTrapRules, defaultRules: false, pollIntervalMs: 60_000, tagsOf: () => ({}), log: () => {} });
  const active = () => inner.list({ state: 'active' }).map((a) => a.key);
  const clearedBy = (key: string) => inner.list({ state: 'cleared' }).find((a) => a.key === key)?.clearedBy;
  return { s, alerts, state, engine, active, clearedBy };
}

describe('a rule reload that failed part-way', () => {
  it('a config trap rule removed: the next reload of the same file clears its alert', () => {
    const t = setup([rule('port-down')]);
    t.alerts.raise({ action: 'raise', key: 'port-down:sw1', source: 'trap', rule: 'port-down', device: 'sw1', severity: 'major', message: 'm', time: T0 });
    t.s.listFails = true;
    expect(() => t.engine.setConfigRules([], false, 10_000)).toThrow(/disk I\/O/);
    t.s.listFails = false;
    // the same file again: its changes are reported again, as they are applied now
    expect(t.engine.setConfigRules([], false, 10_000)).toEqual({ added: [], changed: [], removed: ['port-down'] });
    expect(t.active()).toEqual([]);
    expect(t.clearedBy('port-down:sw1')).toBe(RULE_REMOVED);
  });

  it('then the file put back as it was: the rules are the running ones again', () => {
    const t = setup([rule('port-down')]);
    t.s.listFails = true;
    expect(() => t.engine.setConfigRules([], false)).toThrow(/disk I\/O/);
    t.s.listFails = false;
    expect(t.engine.setConfigRules([rule('port-down')], false)).toEqual({ added: [], changed: [], removed: [] });
    expect(t.engine.trapRules.rules.map((r) => r.id)).toEqual(['port-down']);
  });

  it.each<[string, RuleInput, string, 'threshold' | 'device']>([
    ['threshold', { name: 'cpu', enabled: true, severity: 'major', match: {}, notify: [], condition: { type: 'threshold', measurement: 'cpu', field: 'load', op: '>', value: 90, forMs: 0 } }, 'threshold:h1:device=r1', 'threshold'],
    ['device-state', { name: 'down', enabled: true, severity: 'major', match: {}, notify: [], condition: { type: 'device-state', states: ['down'], forMs: 0 } }, 'rule:h1:r1', 'device'],
  ])('an API %s rule deleted: the next API rule change clears its alert', (_, doc, key, source) => {
    const t = setup([]);
    t.state.rules.create(API_RULE_KIND, doc, 'h1');
    t.engine.reload();
    t.alerts.raise({ action: 'raise', key, source, rule: 'h1', device: 'r1', severity: 'major', message: 'm', labels: { measurement: 'cpu', field: 'load', state: 'down' }, time: T0 });
    t.state.rules.remove('h1');
    t.s.listFails = true;
    expect(() => t.engine.reload()).toThrow(/disk I\/O/);
    t.s.listFails = false;
    t.engine.reload();
    expect(t.active()).toEqual([]);
    expect(t.clearedBy(key)).toBe(RULE_REMOVED);
  });
});
