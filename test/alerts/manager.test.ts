import { describe, expect, it } from 'vitest';
import { DeviceStateAlerts } from '../../src/alerts/device-state.ts';
import { AlertManager } from '../../src/alerts/manager.ts';
import { ThresholdRuleSchema } from '../../src/alerts/rule-schema.ts';
import { ThresholdEvaluator } from '../../src/alerts/threshold.ts';
import type { AlertChange, AlertEvent } from '../../src/alerts/types.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';

const ev = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key: 'k1', source: 'trap', rule: 'r', device: 'sw1', severity: 'minor', message: 'm', time: 1000, ...over,
});

function managerWithLog() {
  const m = new AlertManager();
  const changes: AlertChange[] = [];
  m.onChange((c) => changes.push({ ...c, alert: { ...c.alert } }));
  return { m, changes };
}

describe('AlertManager lifecycle', () => {
  it('opens, dedups with count and last seen, escalates, acknowledges and clears', () => {
    const { m, changes } = managerWithLog();
    const a = m.raise(ev())!.alert;
    m.raise(ev({ time: 2000 }));
    m.raise(ev({ time: 3000, severity: 'critical' }));
    expect(a).toMatchObject({ state: 'open', count: 3, firstSeen: 1000, lastSeen: 3000, severity: 'critical' });
    expect(changes.map((c) => [c.kind, c.notify])).toEqual([['opened', true], ['repeated', false], ['escalated', true]]);
    m.acknowledge(a.id, 'noc');
    expect(m.store.byId(a.id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'noc' });
    m.raise(ev({ time: 4000 }));
    expect(m.store.byId(a.id)).toMatchObject({ state: 'acknowledged', count: 4 });
    m.handle(ev({ action: 'clear', time: 5000 }));
    expect(m.store.byId(a.id)).toMatchObject({ state: 'cleared', clearedBy: 'auto', clearedAt: 5000 });
    const b = m.raise(ev({ time: 6000 }))!.alert;
    expect(b.id).not.toBe(a.id);
    m.clear(b.id, 'alice');
    expect(m.store.byId(b.id)).toMatchObject({ state: 'cleared', clearedBy: 'alice' });
    expect(m.store.list({ state: 'active' })).toHaveLength(0);
  });

  it('a clear for an unknown key is a no-op', () => {
    const { m, changes } = managerWithLog();
    expect(m.handle(ev({ action: 'clear' }))).toBeUndefined();
    expect(changes).toHaveLength(0);
  });

  it('marks a flapping key and holds its notifications', () => {
    const { m, changes } = managerWithLog();
    const flap = { count: 4, windowMs: 60_000 };
    for (let i = 0; i < 5; i++) {
      m.raise(ev({ time: 1000 + i * 2000, flap }));
      m.handle(ev({ action: 'clear', time: 2000 + i * 2000, flap }));
    }
    const notified = changes.filter((c) => c.notify);
    // open, clear, open, then the 4th change starts the flap (announced once), the rest held
    expect(notified.map((c) => c.kind)).toEqual(['opened', 'cleared', 'opened', 'cleared']);
    expect(notified.at(-1)!.alert.flapping).toBe(true);
    expect(m.stats.suppressedFlapping).toBe(6);
  });

  it('stores the flapping flag of a clear that starts or continues a flap (SQLite: the record, not only the change)', () => {
    const m = new AlertManager(alertStoreFrom(new StateStore(':memory:')));
    const flap = { count: 4, windowMs: 60_000 };
    const cleared: string[] = [];
    for (let i = 0; i < 3; i++) {
      m.raise(ev({ time: 1000 + i * 2000, flap }));
      const c = m.handle(ev({ action: 'clear', time: 2000 + i * 2000, flap }))!;
      cleared.push(c.alert.id);
    }
    expect(cleared.map((id) => m.store.byId(id)?.flapping)).toEqual([false, true, true]);
  });

  it('rate-limits notifications per rule', () => {
    const { m, changes } = managerWithLog();
    for (let i = 0; i < 10; i++) m.raise(ev({ key: `k${i}`, time: 1000 + i, rateLimit: { count: 3, windowMs: 60_000 } }));
    expect(changes.filter((c) => c.notify)).toHaveLength(3);
    expect(m.stats.suppressedRateLimit).toBe(7);
    expect(m.store.list({ state: 'open' })).toHaveLength(10);
  });
});

describe('device state alerts', () => {
  it('raises on down / auth-failed and clears when up', () => {
    const m = new AlertManager();
    const d = new DeviceStateAlerts(m);
    d.handle({ device: 'r1', from: 'up', to: 'down', error: 'no ICMP reply', time: 1 });
    expect(m.store.list({ state: 'active' })).toMatchObject([{ key: 'device-state:r1:down', severity: 'critical', source: 'device' }]);
    d.handle({ device: 'r1', from: 'down', to: 'auth-failed', time: 2 });
    expect(m.store.list({ state: 'active' }).map((a) => a.key)).toEqual(['device-state:r1:auth-failed']);
    d.handle({ device: 'r1', from: 'auth-failed', to: 'up', time: 3 });
    expect(m.store.list({ state: 'active' })).toHaveLength(0);
  });
});

describe('threshold rules on samples', () => {
  const rule = ThresholdRuleSchema.parse({
    id: 'if-errors', measurement: 'snmp_interface', field: 'in_errors_ps', op: 'gt', value: 10, clearValue: 2, samples: 2,
    tags: { ifName: 'Gi*' }, severity: 'major', message: '{device} {ifName} in errors {value}/s',
  });
  const sample = (v: number, time: number, ifName = 'Gi0/1') => ({ measurement: 'snmp_interface', tags: { device: 'sw1', ifName }, fields: { in_errors_ps: v }, time });

  it.each<[number[], string | undefined]>([
    [[20], undefined],
    [[20, 30], 'open'],
    [[20, 5, 30], undefined],
    [[20, 30, 5], 'open'],
    [[20, 30, 1], 'cleared'],
  ])('values %j → %s', (values, want) => {
    const m = new AlertManager();
    const t = new ThresholdEvaluator(m, [rule]);
    values.forEach((v, i) => t.write([sample(v, i * 1000)]));
    expect(m.store.list()[0]?.state).toBe(want);
    if (want) expect(m.store.list()[0].message).toMatch(/^sw1 Gi0\/1 in errors \d+\/s$/);
  });

  it('ignores samples whose tags do not match and non-numeric fields', () => {
    const m = new AlertManager();
    const t = new ThresholdEvaluator(m, [rule]);
    t.write([sample(50, 1, 'Te1'), sample(50, 2, 'Te1'), { ...sample(0, 3), fields: { in_errors_ps: 'x' } }]);
    expect(m.store.list()).toHaveLength(0);
  });
});
