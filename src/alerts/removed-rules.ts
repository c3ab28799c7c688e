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

export function liveRuleIds(live: LiveRules): LiveRuleIds {
  return {
    trap: enabledIds(live.trapRules.rules),
    threshold: enabledIds(live.thresholds.rules),
    deviceState: enabledIds(live.apiRules().filter((r) => r.rule.condition.type === 'device-state').map((r) => ({ id: r.id, enabled: r.rule.enabled }))),
  };
}

/**
 * Whether the rule that raised `a` is gone or disabled. Alerts of implicit rules are never: the
 * built-in device-state alerts (`device-state:<device>:<state>`, rules `device-down`, …), topology
 * link alerts (`topology:link:…`) and the table-full meta-alert all have source `device` and a key
 * not starting `rule:<rule>:`, which only API device-state rules raise.
 */
export function isOfRemovedRule(a: Pick<Alert, 'source' | 'rule' | 'key'>, live: LiveRuleIds): boolean {
  switch (a.source) {
    case 'trap': return !live.trap.has(a.rule);
    case 'threshold': return !live.threshold.has(a.rule);
    case 'device': return a.key.startsWith(`rule:${a.rule}:`) && !live.deviceState.has(a.rule);
  }
  return false;
}
