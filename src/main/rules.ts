/**
 * Alert rules of a running netpulse, from three places: the config file (`traps.rules`, read-only
 * here), the API (stored in the StateStore as kind `api`, in the API's shape) and the shipped
 * trap rules (`traps.defaultRules`). API rules are translated into the alerts module's trap and
 * threshold rules; device-state rules are evaluated here (DeviceStateRules).
 */
import type { AlertManager } from '../alerts/manager.ts';
import { DEFAULT_TRAP_RULES } from '../alerts/default-rules.ts';
import { ThresholdRuleSchema, TrapRuleSchema, formatIssues, type ThresholdRule, type TrapRule } from '../alerts/rule-schema.ts';
import { RuleSet, compileRule } from '../alerts/rules.ts';
import { RULE_REMOVED, ThresholdEvaluator, changedRuleIds } from '../alerts/threshold.ts';
import { goneRuleIds, liveRuleIds, type LiveRuleIds, type LiveRules } from '../alerts/removed-rules.ts';
import type { Rule, RuleInput } from '../api/services.ts';
import { NetpulseError } from '../errors/index.ts';
import type { DeviceState } from '../model/device.ts';
import type { StateStore } from '../storage/index.ts';
import { storedRules } from '../traps/state-adapters.ts';
import { globMatcher } from '../alerts/glob.ts';
import { ForTimer } from '../alerts/for-timer.ts';

export const API_RULE_KIND = 'api';
/** the alerts the sweeps of a reload clear, as the alert manager's log lines name them (oweSweep) */
const RULES_CHANGED = 'rules changed (trap, threshold, device-state)';

/** runs each of `steps`, the next one too when one throws (a sweep failing must not stop the next); the first failure, wrapped */
function firstFailure(...steps: (() => void)[]): { err: unknown } | undefined {
  let failed: { err: unknown } | undefined;
  for (const step of steps) {
    try {
      step();
    } catch (err) {
      failed ??= { err };
    }
  }
  return failed;
}
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
interface PendingRaise { timer: ForTimer; id: string; device: string; state: DeviceState }

/**
 * Device-state rules from the API: a device matching the rule that stays in one of the
 * rule's states for `forMs` raises `rule:<id>:<device>`; leaving those states clears it.
 * (The built-in down/unreachable/auth-failed alerts come from src/alerts' DeviceStateAlerts.)
 */
export class DeviceStateRules {
  private rules: DeviceRule[] = [];
  private readonly timers = new Map<string, PendingRaise>();
  /** the rules as of the last replace() whose sweep of active alerts completed, while a later one's has not (the store failed) */
  private unswept: DeviceRule[] | undefined;

  constructor(private readonly alerts: AlertManager, private readonly tagsOf: (device: string) => Record<string, string> | undefined) {}

  /**
   * Swaps the rules. A rule gone, disabled or changed so that it no longer covers a device (its
   * match or states) has that device's pending raise cancelled and its active alert cleared by RULE_REMOVED.
   * When the store fails during the sweep (it throws), the next call sweeps again from the rules as
   * they were before this one, so a change applied in part is completed then.
   */
  replace(rules: { id: string; rule: RuleInput }[], now = Date.now()): void {
    const before = this.unswept ?? this.rules;
    this.rules = rules.flatMap(({ id, rule }) => rule.condition.type === 'device-state'
      ? [{ id, rule: rule as DeviceRule['rule'], device: rule.match.device ? globMatcher(rule.match.device) : undefined }] : []);
    const changed = changedRuleIds(before, this.rules, (r) => r.id);
    if (!changed.size) {
      this.unswept = undefined;
      return;
    }
    for (const [key, p] of this.timers) {
      if (!changed.has(p.id)) continue;
      const current = this.covering(p.id, p.device, p.state);
      // still covering: its forMs as it is now, counted from when its timer started
      if (current) p.timer.retime(current.rule.condition.forMs, now);
      else {
        p.timer.cancel();
        this.timers.delete(key);
      }
    }
    this.unswept = before;
    this.sweep(changed, now);
    this.unswept = undefined;
  }

  /** completes the sweep of the last replace() that threw (the store failed): throws again while it fails */
  sweepOwed(now = Date.now()): void {
    const before = this.unswept;
    if (!before) return;
    const changed = changedRuleIds(before, this.rules, (r) => r.id);
    if (changed.size) this.sweep(changed, now);
    this.unswept = undefined;
  }

  /** clears by RULE_REMOVED the active alerts of the `changed` rules that no longer cover them */
  private sweep(changed: Set<string>, now: number): void {
    for (const a of this.alerts.listActive()) {
      if (a.source !== 'device' || !changed.has(a.rule) || !a.key.startsWith(`rule:${a.rule}:`) || a.device === undefined) continue;
      if (!this.covering(a.rule, a.device, a.labels.state)) this.alerts.clearKey(a.key, RULE_REMOVED, now);
    }
  }

  /** cancels the raises of `device` waiting for their forMs (it left the inventory; its alerts are cleared by the manager) */
  forgetDevice(device: string): void {
    for (const [key, p] of this.timers) {
      if (p.device !== device) continue;
      p.timer.cancel();
      this.timers.delete(key);
    }
  }

  /** the enabled rule `id` when it covers `device` in `state` */
  private covering(id: string, device: string, state: string | undefined): DeviceRule | undefined {
    const tags = this.tagsOf(device) ?? {};
    return this.rules.find((r) => r.id === id && this.matches(r, device, tags) && r.rule.condition.states.some((s) => s === state));
  }

  private matches({ rule, device }: DeviceRule, name: string, tags: Record<string, string>): boolean {
    if (!rule.enabled || (device && !device(name))) return false;
    return Object.entries(rule.match.tags ?? {}).every(([k, v]) => tags[k] === v);
  }

  handle(change: { device: string; from: DeviceState; to: DeviceState; error?: string; time: number }): void {
    const tags = this.tagsOf(change.device) ?? {};
    for (const r of this.rules) {
      if (!this.matches(r, change.device, tags)) continue;
      const { id, rule } = r;
      const key = `rule:${id}:${change.device}`;
      this.timers.get(key)?.timer.cancel();
      this.timers.delete(key);
      if (!rule.condition.states.includes(change.to)) {
        this.alerts.clearKey(key, 'auto', change.time);
        continue;
      }
      const raise = (current: DeviceRule['rule']) => this.alerts.raise({
        action: 'raise', key, source: 'device', rule: id, device: change.device, severity: current.severity,
        message: `${change.device} ${current.name}: ${change.to}${change.error ? `: ${change.error}` : ''}`,
        labels: { state: change.to }, time: Date.now(), notify: current.notify,
      });
      if (rule.condition.forMs <= 0) {
        raise(rule);
        continue;
      }
      const timer = new ForTimer(() => {
        this.timers.delete(key);
        // the rule as it is now: replace() cancels the raises of rules that no longer cover the device
        const current = this.covering(id, change.device, change.to);
        if (current) raise(current.rule);
      }, rule.condition.forMs);
      this.timers.set(key, { timer, id, device: change.device, state: change.to });
    }
  }

  stop(): void {
    for (const p of this.timers.values()) p.timer.cancel();
    this.timers.clear();
  }
}

/**
 * Clears by RULE_REMOVED the active alerts of trap rules gone, disabled or changed in `after` so
 * that the alert is no longer theirs: another key template (its clearing trap would render another
 * key) or a device or tags the rule no longer matches (its clearing trap would not be evaluated).
 */
export function clearOrphanedTrapAlerts(alerts: AlertManager, before: TrapRule[], after: TrapRule[], tagsOf: (device: string) => Record<string, string> | undefined, now = Date.now()): void {
  const changed = changedRuleIds(before, after, (r) => r.id);
  if (!changed.size) return;
  const owners = after.filter((r) => changed.has(r.id) && r.enabled).map(compileRule);
  for (const a of alerts.listActive()) {
    if (a.source !== 'trap' || !changed.has(a.rule)) continue;
    const keys = new Set(before.filter((b) => b.id === a.rule).map((b) => b.key));
    const device = a.device ?? a.labels.source ?? '';
    const input = { trapOid: '', source: a.labels.source ?? device, device: a.device, deviceTags: tagsOf(device), varbinds: [], time: now };
    if (!owners.some((c) => c.rule.id === a.rule && keys.has(c.rule.key) && c.matchesDevice(input))) alerts.clearKey(a.key, RULE_REMOVED, now);
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

type ConfigRules = Pick<RulesEngineOptions, 'configTrapRules' | 'defaultRules' | 'pollIntervalMs'>;

/**
 * Holds the live rule sets and rebuilds them whenever an API rule changes. Start-up sweeps every
 * active alert for rules removed while netpulse was stopped; a later change visits the store only
 * for rules it changed, removed or disabled. A sweep that cannot list (the store failing) does not
 * stop the others; the reload throws then, and what failed is retried by the alert manager's timer
 * (oweSweep) and completed by the next reload: the sweeps start from the rules as of the last complete one.
 */
export class RulesEngine implements LiveRules {
  readonly trapRules = new RuleSet();
  readonly thresholds: ThresholdEvaluator;
  readonly deviceRules: DeviceStateRules;
  /** the config's rule settings as of the last reload() that completed */
  private applied: ConfigRules;
  /** a reload() threw part-way: the next setConfigRules() reloads even when the file did not change since */
  private unfinished = false;
  /** the trap rules as of the last sweep of their orphaned alerts that completed */
  private trapSwept: TrapRule[] = [];
  /** the enabled rule ids as of the last removed-rules sweep (undefined: none yet, the full sweep of start-up is due) */
  private sweptIds: LiveRuleIds | undefined;

  constructor(private o: RulesEngineOptions) {
    this.thresholds = new ThresholdEvaluator(o.alerts);
    this.deviceRules = new DeviceStateRules(o.alerts, o.tagsOf);
    this.applied = { configTrapRules: o.configTrapRules, defaultRules: o.defaultRules, pollIntervalMs: o.pollIntervalMs };
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

  /**
   * Swaps the config file's trap rules, `traps.defaultRules` and the poll interval API threshold
   * rules count their samples in (a config reload); the active
   * alerts of rules gone, disabled or no longer matching are cleared by RULE_REMOVED (reload()).
   * Returns the config rule ids added, changed and removed.
   */
  setConfigRules(configTrapRules: TrapRule[], defaultRules: boolean, pollIntervalMs = this.o.pollIntervalMs): { added: string[]; changed: string[]; removed: string[] } {
    // against the last complete reload: one that threw part-way is redone, its changes reported again
    const { applied } = this;
    const before = new Map(applied.configTrapRules.map((r) => [r.id, JSON.stringify(r)]));
    const after = new Map(configTrapRules.map((r) => [r.id, JSON.stringify(r)]));
    const diff = {
      added: [...after.keys()].filter((id) => !before.has(id)),
      changed: [...after].filter(([id, r]) => before.has(id) && before.get(id) !== r).map(([id]) => id),
      removed: [...before.keys()].filter((id) => !after.has(id)),
    };
    const differs = diff.added.length || diff.changed.length || diff.removed.length || defaultRules !== applied.defaultRules || pollIntervalMs !== applied.pollIntervalMs;
    if (differs || this.unfinished) {
      this.o = { ...this.o, configTrapRules, defaultRules, pollIntervalMs };
      this.reload();
    }
    return diff;
  }

  /**
   * Rebuilds the rule sets from the options and the stored rules, clearing by RULE_REMOVED the
   * alerts of rules gone, disabled or no longer covering them. A sweep whose listing fails does not
   * stop the others: the rules are all swapped, the failed sweeps owed to the alert manager (retried
   * on its timer) and the first failure thrown; the next call completes them too.
   */
  reload(): void {
    // the trap, threshold, device-state and removed-rule sweeps list the active alerts once between them
    this.o.alerts.shareListing(() => this.reloadNow());
  }

  private reloadNow(): void {
    this.unfinished = true;
    const api = this.apiRules();
    const trap: TrapRule[] = [];
    const threshold: ThresholdRule[] = [];
    for (const { id, rule } of api) {
      try {
        if (rule.condition.type === 'trap') trap.push(toTrapRule(id, rule));
        else if (rule.condition.type === 'threshold') threshold.push(toThresholdRule(id, rule, this.o.pollIntervalMs));
      } catch (err) {
        // still listed by the API: its alerts stay (liveRuleIds counts it)
        this.o.log(`rules: warning: stored rule ${id} left out: ${(err as Error).message}`);
      }
    }
    const stored = storedRules(this.o.state);
    for (const p of stored.problems) this.o.log(`rules: warning: ${p}`);
    // config rules first (first match wins), then API and stored ones, then the shipped ones
    this.trapRules.replace([...this.o.configTrapRules, ...trap, ...stored.trap, ...(this.o.defaultRules ? DEFAULT_TRAP_RULES : [])]);
    // each sweep runs though one before it failed; each swaps its rules before it lists
    const failed = firstFailure(
      () => this.sweepTrapAlerts(),
      () => this.thresholds.replace([...threshold, ...stored.threshold]),
      () => this.deviceRules.replace(api),
    );
    const ids = liveRuleIds({ trapRules: this.trapRules, thresholds: this.thresholds, apiRules: () => api });
    // the manager keeps `this` for its retries: the rules as they are then (api re-read from the state)
    if (this.sweptIds) this.o.alerts.clearAlertsOfGoneRules(goneRuleIds(this.sweptIds, ids), this);
    else this.o.alerts.clearAlertsOfRemovedRules(this);
    this.sweptIds = ids;
    if (failed !== undefined) {
      this.o.alerts.oweSweep(RULES_CHANGED, () => this.sweepOwed(), failed.err);
      throw failed.err;
    }
    this.o.alerts.sweepDone(RULES_CHANGED);
    this.applied = { configTrapRules: this.o.configTrapRules, defaultRules: this.o.defaultRules, pollIntervalMs: this.o.pollIntervalMs };
    this.unfinished = false;
  }

  /** the sweeps of the last reload() that threw, completed against the rules as they are now (the alert manager's retry); throws while one fails */
  private sweepOwed(): void {
    const failed = this.o.alerts.shareListing(() => firstFailure(
      () => this.sweepTrapAlerts(),
      () => this.thresholds.sweepOwed(),
      () => this.deviceRules.sweepOwed(),
    ));
    if (failed !== undefined) throw failed.err;
  }

  /** clears the alerts of trap rules changed since the last sweep of them that completed */
  private sweepTrapAlerts(): void {
    const rules = this.trapRules.rules;
    clearOrphanedTrapAlerts(this.o.alerts, this.trapSwept, rules, this.o.tagsOf);
    this.trapSwept = rules;
  }

  stop(): void {
    this.deviceRules.stop();
  }
}
