import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { RULE_REMOVED } from '../../src/alerts/threshold.ts';
import type { AlertChange } from '../../src/alerts/types.ts';
import type { RuleInput } from '../../src/api/services.ts';
import { API_RULE_KIND, DeviceStateRules, RulesEngine } from '../../src/main/rules.ts';
import { StateStore } from '../../src/storage/state/store.ts';

const T0 = 1_700_000_000_000;
type DeviceStateInput = RuleInput & { condition: { type: 'device-state' } };
const deviceRule = (more: Partial<DeviceStateInput> = {}, forMs = 200): DeviceStateInput => ({
  name: 'down a while', enabled: true, severity: 'major', match: {}, notify: [],
  condition: { type: 'device-state', states: ['down'], forMs }, ...more,
});

function recorder(m: AlertManager) {
  // recorded as they happen: the alert object is the same one changed later
  const changes: string[] = [];
  m.onChange((c: AlertChange) => changes.push(`${c.kind}:${c.alert.key}:${c.alert.clearedBy ?? ''}`));
  return { log: () => changes };
}

describe('DeviceStateRules.replace', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it.each<[string, { id: string; rule: RuleInput }[]]>([
    ['deleted', []],
    ['disabled', [{ id: 'api-7', rule: deviceRule({ enabled: false }) }]],
    ['no longer for this device', [{ id: 'api-7', rule: deviceRule({ match: { device: 'sw*' } }) }]],
    ['no longer for this state', [{ id: 'api-7', rule: deviceRule({ condition: { type: 'device-state', states: ['snmp-unreachable'], forMs: 200 } }) }]],
  ])('%s while its timer runs: the timer is cancelled, nothing opens', (_, after) => {
    const m = new AlertManager();
    const { log } = recorder(m);
    const rules = new DeviceStateRules(m, () => ({}));
    rules.replace([{ id: 'api-7', rule: deviceRule() }]);
    rules.handle({ device: 'r1', from: 'up', to: 'down', time: T0 });
    rules.replace(after);
    vi.advanceTimersByTime(400);
    expect(log()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each<[string, { id: string; rule: RuleInput }[], string[]]>([
    ['deleted', [], ['opened:rule:api-7:r1:', `cleared:rule:api-7:r1:${RULE_REMOVED}`]],
    ['disabled', [{ id: 'api-7', rule: deviceRule({ enabled: false }) }], ['opened:rule:api-7:r1:', `cleared:rule:api-7:r1:${RULE_REMOVED}`]],
    ['tags no longer match', [{ id: 'api-7', rule: deviceRule({ match: { tags: { site: 'lab' } } }) }], ['opened:rule:api-7:r1:', `cleared:rule:api-7:r1:${RULE_REMOVED}`]],
    ['renamed, still covering', [{ id: 'api-7', rule: deviceRule({ name: 'down long' }) }], ['opened:rule:api-7:r1:']],
  ])('%s while its alert is open', (_, after, expected) => {
    const m = new AlertManager();
    const { log } = recorder(m);
    const rules = new DeviceStateRules(m, () => ({ site: 'hq' }));
    rules.replace([{ id: 'api-7', rule: deviceRule({}, 0) }]);
    rules.handle({ device: 'r1', from: 'up', to: 'down', time: T0 });
    rules.replace(after.map((r) => ({ ...r, rule: { ...r.rule, condition: { ...r.rule.condition, forMs: 0 } as DeviceStateInput['condition'] } })));
    expect(log()).toEqual(expected);
  });

  it('a timer of a rule changed but still covering raises with the rule as it is now', () => {
    const m = new AlertManager();
    const rules = new DeviceStateRules(m, () => ({}));
    rules.replace([{ id: 'api-7', rule: deviceRule() }]);
    rules.handle({ device: 'r1', from: 'up', to: 'down', time: T0 });
    rules.replace([{ id: 'api-7', rule: deviceRule({ severity: 'critical', name: 'down long' }) }]);
    vi.advanceTimersByTime(400);
    expect(m.store.list({ state: 'active' })).toMatchObject([{ key: 'rule:api-7:r1', severity: 'critical', message: 'r1 down long: down' }]);
  });
});

describe('RulesEngine: API rules deleted, disabled or changed', () => {
  let state: StateStore;
  let engine: RulesEngine;
  beforeEach(() => { state = new StateStore(':memory:'); });
  afterEach(() => { engine?.stop(); state.close(); });

  function start() {
    const alerts = new AlertManager();
    engine = new RulesEngine({ state, alerts, configTrapRules: [], defaultRules: true, pollIntervalMs: 60_000, tagsOf: () => ({}), log: () => {} });
    return { alerts, ...recorder(alerts) };
  }
  const trapRule = (more: Partial<RuleInput> = {}): RuleInput => ({
    name: 'fan', enabled: true, severity: 'major', match: { device: 'r*' }, notify: [],
    condition: { type: 'trap', trapOid: '1.3.6.1.4.1.9.9.1', clearTrapOid: '1.3.6.1.4.1.9.9.2' }, ...more,
  });
  const fanTrap = (trapOid = '1.3.6.1.4.1.9.9.1') => ({ trapOid, source: '10.0.0.1', device: 'r1', varbinds: [], time: T0 });

  it.each<[string, boolean, (() => void) | RuleInput]>([
    ['deleted', false, () => state.rules.remove('t1')],
    ['disabled', false, trapRule({ enabled: false })],
    ['no longer for the device', false, trapRule({ match: { device: 'sw*' } })],
    ['another severity, same device', true, trapRule({ severity: 'critical' })],
  ])('trap rule %s: its open alert kept %s', (_, kept, change) => {
    state.rules.create(API_RULE_KIND, trapRule(), 't1');
    const { alerts, log } = start();
    for (const { event } of engine.trapRules.evaluate(fanTrap())) alerts.handle(event);
    if (typeof change === 'function') change();
    else state.rules.put('t1', API_RULE_KIND, change);
    engine.reload();
    expect(log()).toEqual(['opened:t1:r1:', ...(kept ? [] : [`cleared:t1:r1:${RULE_REMOVED}`])]);
  });

  it('reload with nothing changed clears nothing (shipped rules included)', () => {
    state.rules.create(API_RULE_KIND, trapRule(), 't1');
    const { alerts, log } = start();
    for (const { event } of engine.trapRules.evaluate(fanTrap())) alerts.handle(event);
    for (const { event } of engine.trapRules.evaluate({ ...fanTrap('1.3.6.1.6.3.1.1.5.1') })) alerts.handle(event);
    engine.reload();
    expect(log()).toEqual(['opened:t1:r1:', 'opened:coldStart:r1:']);
  });

  it('a threshold rule deleted through the store and reload: its alert clears by rule removed', () => {
    const rule: RuleInput = { name: 'loss', enabled: true, severity: 'major', match: { device: 'r1' }, notify: [],
      condition: { type: 'threshold', measurement: 'icmp', field: 'loss_pct', op: '>', value: 50, forMs: 0 } };
    state.rules.create(API_RULE_KIND, rule, 'h1');
    const { log } = start();
    engine.thresholds.write([{ measurement: 'icmp', tags: { device: 'r1' }, fields: { loss_pct: 100 }, time: T0 }]);
    state.rules.remove('h1');
    engine.reload();
    engine.thresholds.write([{ measurement: 'icmp', tags: { device: 'r1' }, fields: { loss_pct: 0 }, time: T0 + 60_000 }]);
    expect(log()).toEqual(['opened:threshold:h1:device=r1:', `cleared:threshold:h1:device=r1:${RULE_REMOVED}`]);
  });

  it('a device-state rule deleted: its timer never opens the alert', () => {
    vi.useFakeTimers();
    try {
      state.rules.create(API_RULE_KIND, deviceRule(), 'd1');
      const { log } = start();
      engine.deviceRules.handle({ device: 'r1', from: 'up', to: 'down', time: T0 });
      state.rules.remove('d1');
      engine.reload();
      vi.advanceTimersByTime(400);
      expect(log()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
