/**
 * Alert rules of a running netpulse, from three places: the config file (`traps.rules`, read-only
 * here), the API (stored in the StateStore as kind `api`, in the API's shape) and the shipped
 * trap rules (`traps.defaultRules`). API rules are translated into the alerts module's trap and
 * threshold rules; device-state rules are evaluated here (DeviceStateRules).
 */
import type { AlertManager } from '../alerts/manager.ts';
import { DEFAULT_TRAP_RULES } from '../alerts/default-rules.ts';
import { ThresholdRuleSchema, TrapRuleSchema, formatIssues, type ThresholdRule, type TrapRule } from '../alerts/rule-schema.ts';
import { RuleSet } from '../alerts/rules.ts';
import { ThresholdEvaluator } from '../alerts/threshold.ts';
import type { Rule, RuleInput } from '../api/services.ts';
import { NetpulseError } from '../errors/index.ts';
import type { DeviceState } from '../model/device.ts';
import type { StateStore } from '../storage/index.ts';
import { storedRules } from '../traps/state-adapters.ts';
import { globMatcher } from '../alerts/glob.ts';

export const API_RULE_KIND = 'api';
const THRESHOLD_OPS = { '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le' } as const;

const invalid = (target: string, reason: string) => new NetpulseError({ scope: 'rules', target, reason, kind: 'invalid' });

/** API trap rule → the alerts module's TrapRule (validated: a bad one names its field) */
export function toTrapRule(id: string, r: RuleInput): TrapRule {
  if (r.condition.type !== 'trap') throw new Error('not a trap rule');
  const c = r.condition;
  const parsed = TrapRuleSchema.safeParse({
    id, description: r.description ?? r.name, enabled: r.enabled, trap: c.trapOid, device: r.match.device, tags: r.match.tags,
    when: Object.entries(c.varbinds ?? {}).map(([varbind, value]) => ({ varbind, op: 'eq', value })),
    severity: r.severity, message: `{device} ${r.name}: {trap}`, key: '{device}',
    clearedBy: c.clearTrapOid, notify: r.notify,
  });
  if (!parsed.success) throw invalid(`rule ${r.name}`, formatIssues('condition', parsed.error).join('; '));
  return parsed.data;
}

/** API threshold rule → ThresholdRule; `forMs` becomes consecutive samples at the default poll interval */
export function toThresholdRule(id: string, r: RuleInput, pollIntervalMs: number): ThresholdRule {
  if (r.condition.type !== 'threshold') throw new Error('not a threshold rule');
  const c = r.condition;
  const op = THRESHOLD_OPS[c.op as keyof typeof THRESHOLD_OPS];
  if (!op) throw invalid(`rule ${r.name}`, `condition.op: "${c.op}" is not supported for thresholds; use >, >=, < or <=`);
  const tags = { ...(r.match.tags ?? {}), ...(r.match.device ? { device: r.match.device } : {}) };
  const parsed = ThresholdRuleSchema.safeParse({
    id, description: r.description ?? r.name, enabled: r.enabled, measurement: c.measurement, field: c.field,
    tags: Object.keys(tags).length ? tags : undefined, op, value: c.value, clearValue: c.clearValue,
    samples: 1 + Math.floor(c.forMs / Math.max(1, pollIntervalMs)), severity: r.severity, notify: r.notify,
  });
  if (!parsed.success) throw invalid(`rule ${r.name}`, formatIssues('condition', parsed.error).join('; '));
  return parsed.data;
}

/** A config/shipped trap rule in the API's shape (read-only there). */
export function trapRuleView(id: string, t: TrapRule): Rule {
  const pats = (p: string | string[]) => (Array.isArray(p) ? p.join(',') : p);
  const clear = t.clearedBy === undefined ? undefined : typeof t.clearedBy === 'object' && !Array.isArray(t.clearedBy) ? t.clearedBy.trap : t.clearedBy;
  return {
    id, name: t.id, enabled: t.enabled, severity: t.severity, description: t.description ?? t.message,
    match: { device: t.device, tags: t.tags }, notify: t.notify ?? [],
    condition: { type: 'trap', trapOid: pats(t.trap), clearTrapOid: clear === undefined ? undefined : pats(clear) },
  };
}

interface DeviceRule { id: string; rule: RuleInput & { condition: { type: 'device-state' } }; device?: (name: string) => boolean }

/**
 * Device-state rules from the API: a device matching the rule that stays in one of the
 * rule's states for `forMs` raises `rule:<id>:<device>`; leaving those states clears it.
 * (The built-in down/unreachable/auth-failed alerts come from src/alerts' DeviceStateAlerts.)
 */
export class DeviceStateRules {
  private rules: DeviceRule[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly alerts: AlertManager, private readonly tagsOf: (device: string) => Record<string, string> | undefined) {}

  replace(rules: { id: string; rule: RuleInput }[]): void {
    this.rules = rules.flatMap(({ id, rule }) => rule.condition.type === 'device-state'
      ? [{ id, rule: rule as DeviceRule['rule'], device: rule.match.device ? globMatcher(rule.match.device) : undefined }] : []);
  }

  handle(change: { device: string; from: DeviceState; to: DeviceState; error?: string; time: number }): void {
    const tags = this.tagsOf(change.device) ?? {};
    for (const { id, rule, device } of this.rules) {
      if (!rule.enabled || (device && !device(change.device))) continue;
      if (!Object.entries(rule.match.tags ?? {}).every(([k, v]) => tags[k] === v)) continue;
      const key = `rule:${id}:${change.device}`;
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      if (!rule.condition.states.includes(change.to)) {
        this.alerts.clearKey(key, 'auto', change.time);
        continue;
      }
      const raise = () => {
        this.timers.delete(key);
        this.alerts.raise({
          action: 'raise', key, source: 'device', rule: id, device: change.device, severity: rule.severity,
          message: `${change.device} ${rule.name}: ${change.to}${change.error ? `: ${change.error}` : ''}`,
          labels: { state: change.to }, time: Date.now(), notify: rule.notify,
        });
      };
      if (rule.condition.forMs > 0) this.timers.set(key, setTimeout(raise, rule.condition.forMs).unref());
      else raise();
    }
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

export interface RulesEngineOptions {
  state: StateStore;
  alerts: AlertManager;
  configTrapRules: TrapRule[];
  defaultRules: boolean;
  pollIntervalMs: number;
  tagsOf: (device: string) => Record<string, string> | undefined;
  log: (line: string) => void;
}

/** Holds the live rule sets and rebuilds them whenever an API rule changes. */
export class RulesEngine {
  readonly trapRules = new RuleSet();
  readonly thresholds: ThresholdEvaluator;
  readonly deviceRules: DeviceStateRules;

  constructor(private readonly o: RulesEngineOptions) {
    this.thresholds = new ThresholdEvaluator(o.alerts);
    this.deviceRules = new DeviceStateRules(o.alerts, o.tagsOf);
    this.reload();
  }

  apiRules(): { id: string; rule: RuleInput }[] {
    return this.o.state.rules.list<RuleInput>(API_RULE_KIND).map((r) => ({ id: r.id, rule: r.doc }));
  }

  /** config and shipped trap rules, ids prefixed `config.` / `default.` */
  fixedRules(): Rule[] {
    return [
      ...this.o.configTrapRules.map((t) => trapRuleView(`config.${t.id}`, t)),
      ...(this.o.defaultRules ? DEFAULT_TRAP_RULES.map((t) => trapRuleView(`default.${t.id}`, t)) : []),
    ];
  }

  /** throws 'invalid' when the rule cannot be evaluated */
  check(id: string, r: RuleInput): void {
    if (r.condition.type === 'trap') toTrapRule(id, r);
    else if (r.condition.type === 'threshold') toThresholdRule(id, r, this.o.pollIntervalMs);
  }

  reload(): void {
    const trap: TrapRule[] = [];
    const threshold: ThresholdRule[] = [];
    for (const { id, rule } of this.apiRules()) {
      try {
        if (rule.condition.type === 'trap') trap.push(toTrapRule(id, rule));
        else if (rule.condition.type === 'threshold') threshold.push(toThresholdRule(id, rule, this.o.pollIntervalMs));
      } catch (err) {
        this.o.log(`rules: warning: stored rule ${id} left out: ${(err as Error).message}`);
      }
    }
    const stored = storedRules(this.o.state);
    for (const p of stored.problems) this.o.log(`rules: warning: ${p}`);
    // config rules first (first match wins), then API and stored ones, then the shipped ones
    this.trapRules.replace([...this.o.configTrapRules, ...trap, ...stored.trap, ...(this.o.defaultRules ? DEFAULT_TRAP_RULES : [])]);
    this.thresholds.replace([...threshold, ...stored.threshold]);
    this.deviceRules.replace(this.apiRules());
  }

  stop(): void {
    this.deviceRules.stop();
  }
}
