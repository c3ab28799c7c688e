import { OwedSweeps, type RemovalSweep } from './owed-sweeps.ts';
import { RULE_REMOVED } from './threshold.ts';
import type { Alert } from './types.ts';

/** a rule as far as its alerts care: it exists with this id, enabled or not */
export interface RuleState {
  id: string;
  enabled: boolean;
}

/**
 * The rules live now, by the source their alerts come from (src/main's RulesEngine has this shape):
 * trap rules (config, API, stored and shipped ones), threshold rules, and the API's rules, of which
 * those of type `device-state` raise `rule:<id>:<device>` (src/main DeviceStateRules).
 */
export interface LiveRules {
  readonly trapRules: { readonly rules: readonly RuleState[] };
  readonly thresholds: { readonly rules: readonly RuleState[] };
  apiRules(): readonly { id: string; rule: { enabled: boolean; condition: { type: string } } }[];
}

/** the ids of the enabled rules of `live`, by the alert source they raise for */
export interface LiveRuleIds {
  trap: ReadonlySet<string>;
  threshold: ReadonlySet<string>;
  deviceState: ReadonlySet<string>;
}

const enabledIds = (rules: readonly RuleState[]) => new Set(rules.filter((r) => r.enabled).map((r) => r.id));

/**
 * The enabled rules' ids by source. An API trap or threshold rule counts while the API lists it,
 * also when it was left out of the live rules because it no longer validates (stored by an older
 * version): its alerts stay until it is fixed or deleted.
 */
export function liveRuleIds(live: LiveRules): LiveRuleIds {
  const api = live.apiRules();
  const listed = (type: string) => api.filter((r) => r.rule.enabled && r.rule.condition.type === type).map((r) => r.id);
  return {
    trap: new Set([...enabledIds(live.trapRules.rules), ...listed('trap')]),
    threshold: new Set([...enabledIds(live.thresholds.rules), ...listed('threshold')]),
    deviceState: new Set(listed('device-state')),
  };
}

/** the ids enabled in `before` and gone or disabled in `after`, by source */
export function goneRuleIds(before: LiveRuleIds, after: LiveRuleIds): LiveRuleIds {
  const gone = (b: ReadonlySet<string>, a: ReadonlySet<string>) => new Set([...b].filter((id) => !a.has(id)));
  return { trap: gone(before.trap, after.trap), threshold: gone(before.threshold, after.threshold), deviceState: gone(before.deviceState, after.deviceState) };
}

const hasRuleIds = (ids: LiveRuleIds): boolean => ids.trap.size + ids.threshold.size + ids.deviceState.size > 0;

/**
 * The ids in `ids` of the source of the rule that raised `a`; undefined for the alerts of implicit
 * rules: the built-in device-state alerts (`device-state:<device>:<state>`, rules `device-down`, …),
 * topology link alerts (`topology:link:…`) and the table-full meta-alert all have source `device`
 * and a key not starting `rule:<rule>:`, which only API device-state rules raise.
 */
function idsOfSource(a: Pick<Alert, 'source' | 'rule' | 'key'>, ids: LiveRuleIds): ReadonlySet<string> | undefined {
  switch (a.source) {
    case 'trap': return ids.trap;
    case 'threshold': return ids.threshold;
    case 'device': return a.key.startsWith(`rule:${a.rule}:`) ? ids.deviceState : undefined;
  }
  return undefined;
}

/** whether `a` was raised by one of the rules `ids` (an implicit rule's alert never: idsOfSource) */
export function isOfRules(a: Pick<Alert, 'source' | 'rule' | 'key'>, ids: LiveRuleIds): boolean {
  return idsOfSource(a, ids)?.has(a.rule) ?? false;
}

/** whether the rule that raised `a` is gone or disabled (not in `live`); an implicit rule's alert never (idsOfSource) */
export function isOfRemovedRule(a: Pick<Alert, 'source' | 'rule' | 'key'>, live: LiveRuleIds): boolean {
  const ids = idsOfSource(a, live);
  return ids !== undefined && !ids.has(a.rule);
}

/** What one sweep for removed rules clears: the alerts of the rules `gone`, or (`full`) of every rule not live. */
export interface RuleSweep extends RemovalSweep {
  full: boolean;
}

function ruleSweep(of: RuleSweep['of'], full: boolean, empty = false): RuleSweep {
  const what = 'rules removed or disabled';
  return { full, empty, of, list: (_, active) => active(), by: RULE_REMOVED, what, listing: what };
}

/**
 * The sweep for removed rules owed since one could not list the store (OwedSweeps): always the
 * full one, against the rules live as of the last call (the rule engine's sets, as they are when
 * retried), so a rule re-created under its id before the retry keeps its alerts.
 */
export class OwedRuleSweep extends OwedSweeps<RuleSweep> {
  private fullOwed = false;
  private live: LiveRules | undefined;

  get pending(): boolean {
    return this.fullOwed;
  }

  /**
   * The sweep to run now against `live` (kept for the retries): for the rules `gone` only; the
   * full one when `gone` is undefined (start-up) or a sweep is owed.
   */
  next(live: LiveRules, gone?: LiveRuleIds): RuleSweep {
    this.live = live;
    if (gone && !this.fullOwed) return ruleSweep((a) => isOfRules(a, gone), false, !hasRuleIds(gone));
    // read when the sweep runs (the API's rules from state.db may fail to read: the sweep's listing fails then)
    let ids: LiveRuleIds | undefined;
    return ruleSweep((a) => isOfRemovedRule(a, ids ??= liveRuleIds(live)), true);
  }

  owed(): RuleSweep {
    return this.next(this.live!);
  }

  protected keep(): boolean {
    const added = !this.fullOwed;
    this.fullOwed = true;
    return added;
  }

  protected forget(): void {
    this.fullOwed = false;
  }

  protected settle(sweep: RuleSweep): void {
    if (sweep.full) this.fullOwed = false;
  }
}
