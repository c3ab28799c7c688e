import type { FieldValue, Sample, SampleSink } from '../model/sample.ts';
import { globMatcher } from './glob.ts';
import type { AlertManager } from './manager.ts';
import type { ThresholdRule } from './rule-schema.ts';
import { renderTemplate } from './template.ts';

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
  private rules: { rule: ThresholdRule; tags: [string, (s: string) => boolean][] }[] = [];
  /** consecutive breaches per key */
  private readonly streak = new Map<string, number>();

  constructor(private readonly alerts: AlertManager, rules: ThresholdRule[] = []) {
    this.replace(rules);
  }

  replace(rules: ThresholdRule[]): void {
    this.rules = rules.map((rule) => ({ rule, tags: Object.entries(rule.tags ?? {}).map(([k, g]) => [k, globMatcher(g)]) }));
  }

  write(samples: Sample[]): void {
    for (const s of samples) {
      for (const { rule, tags } of this.rules) {
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
      const n = (this.streak.get(key) ?? 0) + 1;
      this.streak.set(key, n);
      if (n < rule.samples) return;
      this.alerts.raise({
        action: 'raise', key, source: 'threshold', rule: rule.id, device: s.tags.device,
        severity: rule.severity, message: renderTemplate(rule.message, resolve),
        labels: { measurement: s.measurement, field: rule.field, value: vars.value }, time: s.time, notify: rule.notify,
      });
      return;
    }
    this.streak.delete(key);
    if (isPast(rule.op, v, rule.clearValue ?? rule.value)) this.alerts.clearKey(key, 'auto', s.time);
  }
}

function isPast(op: keyof typeof CMP, v: number, clearAt: number): boolean {
  return op === 'gt' || op === 'ge' ? v <= clearAt : v >= clearAt;
}
