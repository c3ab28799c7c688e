/**
 * A rule's forMs changed while its raise waits: the raise follows the new forMs, counted from when
 * the condition began (shorter: sooner, at once when that time has passed; longer: later). Device-
 * state rules' timers (ForTimer) and threshold rules' breach counts (forMs → samples). Fake clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ForTimer } from '../../src/alerts/for-timer.ts';
import { AlertManager } from '../../src/alerts/manager.ts';
import { ThresholdRuleSchema } from '../../src/alerts/rule-schema.ts';
import { ThresholdEvaluator } from '../../src/alerts/threshold.ts';
import type { RuleInput } from '../../src/api/services.ts';
import { DeviceStateRules } from '../../src/main/rules.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');
const MIN = 60_000;

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

describe('ForTimer.retime', () => {
  // [forMs at the start, minutes later retimed, new forMs] → minute it fires at
  it.each<[string, number, number, number, number]>([
    ['shorter, not passed yet', 10, 3, 5, 5],
    ['shorter, passed already: at once', 10, 7, 5, 7],
    ['longer', 10, 3, 20, 20],
    ['the same', 10, 3, 10, 10],
    ['0: at once', 10, 3, 0, 3],
  ])('%s', (_, first, at, next, firesAt) => {
    const fired: number[] = [];
    const t = new ForTimer(() => fired.push((Date.now() - T0) / MIN), first * MIN);
    vi.advanceTimersByTime(at * MIN);
    t.retime(next * MIN);
    vi.advanceTimersByTime(60 * MIN);
    expect(fired).toEqual([firesAt]);
  });

  it('cancelled: never fires', () => {
    const fired: number[] = [];
    const t = new ForTimer(() => fired.push(1), MIN);
    t.retime(2 * MIN);
    t.cancel();
    vi.advanceTimersByTime(10 * MIN);
    expect(fired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

type DeviceStateInput = RuleInput & { condition: { type: 'device-state' } };
const deviceRule = (forMs: number): { id: string; rule: DeviceStateInput } => ({
  id: 'api-7', rule: { name: 'down a while', enabled: true, severity: 'major', match: {}, notify: [], condition: { type: 'device-state', states: ['down'], forMs } },
});

describe('DeviceStateRules: forMs changed while a device waits', () => {
  /** r1 down at T0 under forMs 10 min; at `at` minutes the rule's forMs becomes `next` minutes: the minutes at which its alert opened */
  function run(at: number, next: number): number[] {
    const m = new AlertManager();
    const opened: number[] = [];
    m.onChange((c) => { if (c.kind === 'opened') opened.push((c.alert.firstSeen - T0) / MIN); });
    const rules = new DeviceStateRules(m, () => ({}));
    rules.replace([deviceRule(10 * MIN)]);
    rules.handle({ device: 'r1', from: 'up', to: 'down', time: T0 });
    vi.advanceTimersByTime(at * MIN);
    rules.replace([deviceRule(next * MIN)]);
    vi.advanceTimersByTime(60 * MIN);
    rules.stop();
    return opened;
  }

  it.each<[string, number, number, number]>([
    ['shorter: at the new time from when the device went down', 3, 5, 5],
    ['shorter, that time passed already: at once', 7, 5, 7],
    ['longer: waits longer', 3, 20, 20],
    ['unchanged', 3, 10, 10],
  ])('%s', (_, at, next, opensAt) => {
    expect(run(at, next)).toEqual([opensAt]);
  });
});

describe('ThresholdEvaluator: samples changed (an API rule\'s forMs) while breaches are counted', () => {
  const rule = (samples: number, value = 50) => ThresholdRuleSchema.parse({ id: 'h1', measurement: 'icmp', field: 'loss_pct', op: 'gt', value, samples });
  const sample = (i: number) => ({ measurement: 'icmp', tags: { device: 'r1' }, fields: { loss_pct: 100 }, time: T0 + i * MIN });

  /** 3 breaching samples under `samples: 5`, then the rule replaced: the sample (1-based) that opened the alert */
  function run(after: ReturnType<typeof rule>): number | undefined {
    const m = new AlertManager();
    const ev = new ThresholdEvaluator(m, [rule(5)]);
    for (let i = 1; i <= 3; i++) ev.write([sample(i)]);
    ev.replace([after], T0 + 3 * MIN);
    for (let i = 4; i <= 12; i++) {
      ev.write([sample(i)]);
      const a = m.store.list({ state: 'active' })[0];
      if (a) return (a.firstSeen - T0) / MIN;
    }
    return undefined;
  }

  it.each<[string, ReturnType<typeof rule>, number]>([
    ['fewer: the breaches so far count, the next one raises', rule(2), 4],
    ['more: counted on from the breaches so far', rule(7), 7],
    ['the same number, another severity', ThresholdRuleSchema.parse({ ...rule(5), severity: 'critical' }), 5],
    ['another threshold: counted afresh', rule(2, 60), 5],
  ])('%s', (_, after, opensAt) => {
    expect(run(after)).toBe(opensAt);
  });
});
