import type { FieldValue, Sample, SampleSink } from '../model/sample.ts';
import { globMatcher } from './glob.ts';
import type { AlertManager } from './manager.ts';
import type { ThresholdRule } from './rule-schema.ts';
import { renderTemplate } from './template.ts';
import type { Alert } from './types.ts';

/** `clearedBy` of an alert cleared because its rule was deleted, disabled or no longer covers it (not a recovery) */
export const RULE_REMOVED = 'rule removed';
/** `clearedBy` of an alert whose device left the inventory (config reload, API delete): not a recovery either */
export const DEVICE_REMOVED = 'device removed';

/** whether a clear by `by` says its rule or device went, not that the problem recovered */
export function isRemoval(by: string | undefined): boolean {
  return by === RULE_REMOVED || by === DEVICE_REMOVED;
}

/** the ids of the rules in `before` that are gone, disabled or changed in `after` (by their JSON) */
export function changedRuleIds<T>(before: T[], after: T[], idOf: (r: T) => string): Set<string> {
  const now = new Map<string, string[]>();
  for (const r of after) now.set(idOf(r), [...(now.get(idOf(r)) ?? []), JSON.stringify(r)]);
  const changed = new Set<string>();
  for (const r of before) if (!now.get(idOf(r))?.includes(JSON.stringify(r))) changed.add(idOf(r));
  return changed;
}

interface CompiledThreshold { rule: ThresholdRule; tags: [string, (s: string) => boolean][] }

/** what decides whether a sample breaches (not how many breaches raise: `samples`, from an API rule's forMs) */
const breachOf = ({ id, enabled, measurement, field, op, value, tags, key }: ThresholdRule) => ({ id, enabled, measurement, field, op, value, tags, key });

const CMP = {
  gt: (a: number, b: number) => a > b,
  ge: (a: number, b: number) => a >= b,
  lt: (a: number, b: number) => a < b,
  le: (a: number, b: number) => a <= b,
} as const;
const OP_TEXT = { gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

function numeric(v: FieldValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/**
 * Threshold rules on polled values. A SampleSink: tee the poller's sink into it. Raises
 * after `samples` consecutive breaches, clears when the value is back past `clearValue`.
 */
export class ThresholdEvaluator implements SampleSink {
  private compiled: CompiledThreshold[] = [];
  /** consecutive breaches per key, with the id of the rule counting them and the sample's device */
  private readonly streak = new Map<string, { rule: string; n: number; device?: string }>();
  /** the rules as of the last replace() whose sweep of active alerts completed, while a later one's has not (the store failed) */
  private unswept: CompiledThreshold[] | undefined;
  /** the sample tags of each key this evaluator raised (a key template hides them) */
  private readonly raisedTags = new Map<string, Record<string, string>>();

  constructor(private readonly alerts: AlertManager, rules: ThresholdRule[] = []) {
    this.replace(rules);
  }

  get rules(): ThresholdRule[] {
    return this.compiled.map((c) => c.rule);
  }

  /**
   * Swaps the rules. A rule gone, disabled or changed so that an active alert of it is no longer
   * its own (measurement, field, key template or tags) has that alert cleared by RULE_REMOVED;
   * breach counts of rules whose breach changed start again. A rule whose `samples` alone changed
   * (an API rule's forMs) keeps its counts: fewer raise at the next breaching sample when the
   * breaches so far reach them, more wait longer.
   * When the store fails during the sweep (it throws), the next call sweeps again from the rules
   * as they were before this one, so a change applied in part is completed then.
   */
  replace(rules: ThresholdRule[], now = Date.now()): void {
    const previous = this.compiled;
    // a sweep still owed goes on from the rules as of the last one that completed
    this.unswept ??= previous;
    this.compiled = rules.map((rule) => ({ rule, tags: Object.entries(rule.tags ?? {}).map(([k, g]) => [k, globMatcher(g)]) }));
    const recount = changedRuleIds(previous.map((r) => breachOf(r.rule)), rules.map(breachOf), (r) => r.id);
    for (const [key, s] of this.streak) if (recount.has(s.rule)) this.streak.delete(key);
    this.sweepOwed(now);
  }

  /**
   * the sweep from the rules as of the last one that completed to the rules now: replace()'s, and
   * the retry of one that threw (the store failed); throws again while it fails
   */
  sweepOwed(now = Date.now()): void {
    const before = this.unswept;
    if (!before) return;
    const changed = changedRuleIds(before.map((r) => r.rule), this.rules, (r) => r.id);
    if (changed.size) this.sweep(before, changed, now);
    this.unswept = undefined;
  }

  /** clears by RULE_REMOVED the active alerts of `changed` rules none of the rules now owns */
  private sweep(before: CompiledThreshold[], changed: Set<string>, now: number): void {
    for (const a of this.alerts.listActive()) {
      if (a.source !== 'threshold' || !changed.has(a.rule)) continue;
      const raisedBy = before.filter((b) => b.rule.id === a.rule);
      if (this.compiled.some((r) => this.owns(r, raisedBy, a))) continue;
      this.raisedTags.delete(a.key);
      this.alerts.clearKey(a.key, RULE_REMOVED, now);
    }
  }

  /** forgets the breach counts and raised tags of `device` (it left the inventory; its alerts are cleared by the manager) */
  forgetDevice(device: string): void {
    for (const [key, s] of this.streak) if (s.device === device) this.streak.delete(key);
    for (const [key, tags] of this.raisedTags) if (tags.device === device) this.raisedTags.delete(key);
  }

  /** whether `r` would raise `a` (raised by one of `raisedBy`, the rules of its id before) */
  private owns(r: CompiledThreshold, raisedBy: CompiledThreshold[], a: Alert): boolean {
    const prefix = `threshold:${r.rule.id}:`;
    if (!r.rule.enabled || !a.key.startsWith(prefix)) return false;
    if (a.labels.measurement !== r.rule.measurement || a.labels.field !== r.rule.field) return false;
    if (!raisedBy.some((b) => b.rule.key === r.rule.key)) return false;
    const tags = this.raisedTags.get(a.key) ?? (r.rule.key === undefined ? parseTagSuffix(a.key.slice(prefix.length)) : undefined);
    // raised before a restart under a key template: its tags are unknown, so it stays
    if (!tags) return true;
    return r.tags.every(([k, match]) => tags[k] !== undefined && match(tags[k]));
  }

  write(samples: Sample[]): void {
    for (const s of samples) {
      for (const { rule, tags } of this.compiled) {
        if (!rule.enabled || rule.measurement !== s.measurement) continue;
        if (!tags.every(([k, match]) => s.tags[k] !== undefined && match(s.tags[k]))) continue;
        const v = numeric(s.fields[rule.field]);
        if (v === undefined) continue;
        try {
          this.evaluate(rule, s, v);
        } catch {
          // write() never throws (SampleSink contract)
        }
      }
    }
  }

  private evaluate(rule: ThresholdRule, s: Sample, v: number): void {
    const vars: Record<string, string> = {
      ...s.tags,
      device: s.tags.device ?? '',
      measurement: s.measurement,
      field: rule.field,
      value: String(Math.round(v * 100) / 100),
      op: OP_TEXT[rule.op],
      threshold: String(rule.value),
      rule: rule.id,
    };
    const resolve = (n: string) => vars[n];
    const suffix = rule.key
      ? renderTemplate(rule.key, resolve)
      : Object.keys(s.tags).sort().map((k) => `${k}=${s.tags[k]}`).join(',');
    const key = `threshold:${rule.id}:${suffix}`;
    const cmp = CMP[rule.op];
    if (cmp(v, rule.value)) {
      const n = (this.streak.get(key)?.n ?? 0) + 1;
      this.streak.set(key, { rule: rule.id, n, device: s.tags.device });
      if (n < rule.samples) return;
      this.raisedTags.set(key, s.tags);
      this.alerts.raise({
        action: 'raise', key, source: 'threshold', rule: rule.id, device: s.tags.device,
        severity: rule.severity, message: renderTemplate(rule.message, resolve),
        labels: { measurement: s.measurement, field: rule.field, value: vars.value }, time: s.time, notify: rule.notify,
      });
      return;
    }
    this.streak.delete(key);
    if (!isPast(rule.op, v, rule.clearValue ?? rule.value)) return;
    this.raisedTags.delete(key);
    this.alerts.clearKey(key, 'auto', s.time);
  }
}

/** the sample tags of a default key suffix `k1=v1,k2=v2` (sorted by name; a `,` inside a value stays in it) */
export function parseTagSuffix(suffix: string): Record<string, string> {
  const tags: Record<string, string> = {};
  let last: string | undefined;
  for (const part of suffix.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags[(last = part.slice(0, eq))] = part.slice(eq + 1);
    else if (last !== undefined) tags[last] += `,${part}`;
  }
  return tags;
}

function isPast(op: keyof typeof CMP, v: number, clearAt: number): boolean {
  return op === 'gt' || op === 'ge' ? v <= clearAt : v >= clearAt;
}
