/**
 * An API rule change visits the active alerts only for rules it removed, disabled or changed: a
 * create reads the alert store not at all (start-up still sweeps every alert once, for rules
 * removed while stopped). Store reads counted, no time measured.
 */
import { describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { MemoryAlertStore, type AlertStore } from '../../src/alerts/store.ts';
import { RULE_REMOVED } from '../../src/alerts/threshold.ts';
import type { RuleInput } from '../../src/api/services.ts';
import { rulesPort } from '../../src/main/adapters/rules.ts';
import { RulesEngine } from '../../src/main/rules.ts';
import { StateStore } from '../../src/storage/state/store.ts';

const T0 = Date.parse('2026-12-04T21:00:00Z');
const deviceRule = (over: Partial<RuleInput> = {}): RuleInput => ({
  name: 'down', enabled: true, severity: 'major', match: {}, notify: [], condition: { type: 'device-state', states: ['down'], forMs: 0 }, ...over,
});
const trapRule = (over: Partial<RuleInput> = {}): RuleInput => ({
  name: 'link', enabled: true, severity: 'major', match: {}, notify: [], condition: { type: 'trap', trapOid: '1.3.6.1.6.3.1.1.5.3' }, ...over,
});

function setup() {
  const inner = new MemoryAlertStore();
  const count = { lists: 0, visited: 0 };
  const store: AlertStore = {
    active: (k) => inner.active(k), byId: (i) => inner.byId(i), save: (a) => inner.save(a),
    list: (q) => { const out = inner.list(q); count.lists++; count.visited += out.length; return out; },
  };
  const alerts = new AlertManager(store, { logger: { warn: () => {}, info: () => {} } });
  // 1,000 trap alerts of a shipped rule: what a sweep would visit
  for (let i = 0; i < 1000; i++) alerts.raise({ action: 'raise', key: `linkDown:sw${i}`, source: 'trap', rule: 'linkDown', device: `sw${i}`, severity: 'major', message: 'm', time: T0 });
  const state = new StateStore(':memory:');
  count.lists = count.visited = 0;
  const engine = new RulesEngine({ state, alerts, configTrapRules: [], defaultRules: true, pollIntervalMs: 60_000, tagsOf: () => ({}), log: () => {} });
  const startUp = { ...count };
  count.lists = count.visited = 0;
  return { alerts, engine, port: rulesPort(engine, state), count, startUp };
}

describe('the alerts visited by a rule change', () => {
  it('start-up sweeps every active alert once', () => {
    expect(setup().startUp).toEqual({ lists: 1, visited: 1000 });
  });

  it.each([['device-state', deviceRule()], ['trap', trapRule()]])('creating a %s rule reads no alert', async (_, rule) => {
    const t = setup();
    for (let i = 0; i < 5; i++) await t.port.create(rule);
    expect(t.count).toEqual({ lists: 0, visited: 0 });
  });

  it('renaming a rule, still covering what it did, reads no alert beyond its own sweep', async () => {
    const t = setup();
    const { id } = await t.port.create(deviceRule());
    await t.port.update(id, deviceRule({ name: 'renamed' }));
    // the device-state rules' own sweep (a changed rule), not the removed-rules sweep as well
    expect(t.count.lists).toBe(1);
  });

  it.each([
    ['deleted', (port: ReturnType<typeof setup>['port'], id: string) => port.remove(id)],
    ['disabled', (port: ReturnType<typeof setup>['port'], id: string) => port.update(id, deviceRule({ enabled: false }))],
  ])('a rule %s: its alert cleared as rule removed', async (_, change) => {
    const t = setup();
    const { id } = await t.port.create(deviceRule());
    t.alerts.raise({ action: 'raise', key: `rule:${id}:r1`, source: 'device', rule: id, device: 'r1', severity: 'major', message: 'm', time: T0 });
    await change(t.port, id);
    expect(t.alerts.store.active(`rule:${id}:r1`)).toBeUndefined();
    expect(t.alerts.store.list({ state: 'cleared' })).toMatchObject([{ key: `rule:${id}:r1`, clearedBy: RULE_REMOVED }]);
    expect(t.alerts.store.list({ state: 'active' })).toHaveLength(1000);
  });
});
