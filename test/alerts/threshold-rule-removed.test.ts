import { describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { ThresholdRuleSchema, type ThresholdRuleInput } from '../../src/alerts/rule-schema.ts';
import { RULE_REMOVED, ThresholdEvaluator, parseTagSuffix } from '../../src/alerts/threshold.ts';
import type { AlertChange } from '../../src/alerts/types.ts';

const T0 = 1_700_000_000_000;
const rule = (more: Partial<ThresholdRuleInput> = {}) =>
  ThresholdRuleSchema.parse({ id: 'api-1', measurement: 'icmp', field: 'loss_pct', op: 'gt', value: 50, tags: { device: 'r*' }, ...more });
const sample = (loss: number, time: number, tags: Record<string, string> = { device: 'r1' }) => ({ measurement: 'icmp', tags, fields: { loss_pct: loss }, time });

/** a breach opens api-1's alert on r1, then the rules are swapped */
function openThenReplace(after: ReturnType<typeof rule>[]) {
  const m = new AlertManager();
  const changes: AlertChange[] = [];
  m.onChange((c) => changes.push(c));
  const ev = new ThresholdEvaluator(m, [rule()]);
  ev.write([sample(100, T0)]);
  ev.replace(after, T0 + 1000);
  return { m, ev, changes, active: () => m.store.list({ state: 'active' }) };
}

describe('ThresholdEvaluator.replace: alerts of rules removed', () => {
  it.each<[string, boolean, ReturnType<typeof rule>[]]>([
    ['deleted', false, []],
    ['disabled', false, [rule({ enabled: false })]],
    ['other measurement', false, [rule({ measurement: 'snmp_interface' })]],
    ['other field', false, [rule({ field: 'rtt_ms' })]],
    ['tags no longer match the device', false, [rule({ tags: { device: 'sw*' } })]],
    ['a key template now (another key)', false, [rule({ key: '{device}' })]],
    ['another threshold, still matching', true, [rule({ value: 80, severity: 'major' })]],
    ['tags still matching', true, [rule({ tags: { device: 'r1' } })]],
    ['unchanged, another rule added', true, [rule(), rule({ id: 'api-2' })]],
  ])('%s: alert kept %s', (_, kept, after) => {
    const { active, changes } = openThenReplace(after);
    expect(active().length).toBe(kept ? 1 : 0);
    if (kept) return;
    const cleared = changes.find((c) => c.kind === 'cleared')!;
    expect(cleared.alert).toMatchObject({ key: 'threshold:api-1:device=r1', state: 'cleared', clearedBy: RULE_REMOVED, clearedAt: T0 + 1000 });
  });

  it('a rule deleted and added again counts breaches afresh', () => {
    const m = new AlertManager();
    const ev = new ThresholdEvaluator(m, [rule({ samples: 2 })]);
    ev.write([sample(100, T0)]);
    ev.replace([]);
    ev.replace([rule({ samples: 2 })]);
    ev.write([sample(100, T0 + 1000)]);
    expect(m.store.list({ state: 'active' })).toEqual([]);
    ev.write([sample(100, T0 + 2000)]);
    expect(m.store.list({ state: 'active' })).toHaveLength(1);
  });

  it('alerts of other sources and rules stay', () => {
    const m = new AlertManager();
    m.raise({ action: 'raise', key: 'api-1:r1', source: 'trap', rule: 'api-1', device: 'r1', severity: 'major', message: 'x', time: T0 });
    const ev = new ThresholdEvaluator(m, [rule(), rule({ id: 'api-2' })]);
    ev.write([sample(100, T0)]);
    ev.replace([rule({ id: 'api-2' })]);
    expect(m.store.list({ state: 'active' }).map((a) => a.key).sort()).toEqual(['api-1:r1', 'threshold:api-2:device=r1']);
  });

  it('an alert raised before a restart (no tags remembered) is judged by its key', () => {
    const m = new AlertManager();
    new ThresholdEvaluator(m, [rule()]).write([sample(100, T0, { device: 'r1', ifName: 'Gi0/1,2' })]);
    const restarted = new ThresholdEvaluator(m, [rule()]);
    restarted.replace([rule({ tags: { device: 'r1', ifName: 'Gi0/1,*' } })]);
    expect(m.store.list({ state: 'active' })).toHaveLength(1);
    restarted.replace([rule({ tags: { ifName: 'Te*' } })]);
    expect(m.store.list({ state: 'active' })).toHaveLength(0);
  });
});

describe('parseTagSuffix', () => {
  it.each<[string, Record<string, string>]>([
    ['device=r1', { device: 'r1' }],
    ['device=r1,ifName=Gi0/1', { device: 'r1', ifName: 'Gi0/1' }],
    ['device=r1,ifAlias=a,b,ifName=x', { device: 'r1', ifAlias: 'a,b', ifName: 'x' }],
    ['device=r1,ifAlias=a=b', { device: 'r1', ifAlias: 'a=b' }],
    ['', {}],
  ])('%s', (suffix, tags) => expect(parseTagSuffix(suffix)).toEqual(tags));
});
