import { createHash } from 'node:crypto';
import { parseDuration } from '../model/duration.ts';
import { globMatcher, normaliseOid } from './glob.ts';
import { compileSafeRegex, testBounded } from './safe-regex.ts';
import { renderTemplate } from './template.ts';
import type { Condition, TrapRule } from './rule-schema.ts';
import type { AlertEvent } from './types.ts';

/** One varbind as the rules see it (the trap layer translates and stringifies). */
export interface RuleVarbind {
  oid: string;
  /** translated name, e.g. `IF-MIB::ifDescr.3`, when the dictionary is loaded */
  name?: string;
  value: string | number | bigint | null;
}

/** What a rule matches against: a trap with its resolved device. Alerts know nothing of SNMP. */
export interface RuleInput {
  trapOid: string;
  trapName?: string;
  source: string;
  device?: string;
  deviceTags?: Record<string, string>;
  /** payload varbinds (without sysUpTime.0 and snmpTrapOID.0) */
  varbinds: RuleVarbind[];
  time: number;
  /** extra template values (version, community label, user) */
  extra?: Record<string, string>;
}

interface CompiledConditions {
  test(input: RuleInput, vars: Record<string, string>): boolean;
}

export interface CompiledRule {
  rule: TrapRule;
  matchesTrap(input: RuleInput): boolean;
  matchesClear(input: RuleInput): boolean;
  matchesDevice(input: RuleInput): boolean;
  when: CompiledConditions;
  clearWhen: CompiledConditions;
  flap?: { count: number; windowMs: number };
  rateLimit?: { count: number; windowMs: number };
}

function trapMatcher(p: string | string[] | undefined): (input: RuleInput) => boolean {
  if (p === undefined) return () => false;
  const list = (Array.isArray(p) ? p : [p]).map(normaliseOid);
  // exact patterns are a set lookup; only wildcards pay for a regex
  const exact = new Set(list.filter((s) => !s.includes('*')));
  const globs = list.filter((s) => s.includes('*')).map(globMatcher);
  return (input) => {
    if (exact.has(input.trapOid)) return true;
    const bare = input.trapName?.replace(/^.*::/, '');
    if (input.trapName && (exact.has(input.trapName) || exact.has(bare!))) return true;
    for (const glob of globs) {
      if (glob(input.trapOid)) return true;
      if (input.trapName && (glob(input.trapName) || glob(bare!))) return true;
    }
    return false;
  };
}

/** finds the varbind a rule var, name or numeric OID prefix refers to */
const NUMERIC_OID = /^\.?\d+(\.\d+)*$/;
/** ref → [oid, oid + '.'] per vars object, so hot lookups do no string work */
const refCache = new WeakMap<Record<string, string>, Map<string, [string, string] | null>>();

function refOid(ref: string, vars: Record<string, string>): [string, string] | null {
  let m = refCache.get(vars);
  if (!m) refCache.set(vars, (m = new Map()));
  let hit = m.get(ref);
  if (hit === undefined) {
    const v = Object.hasOwn(vars, ref) ? vars[ref] : undefined;
    const oid = v ? normaliseOid(v) : NUMERIC_OID.test(ref) ? normaliseOid(ref) : undefined;
    hit = oid === undefined ? null : [oid, oid + '.'];
    if (m.size < 10_000) m.set(ref, hit);
  }
  return hit;
}

export function findVarbind(input: RuleInput, ref: string, vars: Record<string, string>): { vb: RuleVarbind; index: string } | undefined {
  const o = refOid(ref, vars);
  for (const vb of input.varbinds) {
    if (o !== null) {
      if (vb.oid === o[0]) return { vb, index: '' };
      if (vb.oid.startsWith(o[1])) return { vb, index: vb.oid.slice(o[1].length) };
    } else if (vb.name) {
      const bare = vb.name.replace(/^.*::/, '');
      for (const n of [vb.name, bare]) {
        if (n === ref) return { vb, index: '' };
        if (n.startsWith(ref + '.')) return { vb, index: n.slice(ref.length + 1) };
      }
    }
  }
  return undefined;
}

function valueString(v: RuleVarbind['value']): string {
  return v === null ? '' : String(v);
}

function compileConditions(conds: Condition[]): CompiledConditions {
  const tests = conds.map((c) => {
    const re = c.op === 'regex' ? compileSafeRegex(String(c.value)) : undefined;
    const num = Number(c.value);
    return (input: RuleInput, vars: Record<string, string>): boolean => {
      const found = findVarbind(input, c.varbind, vars);
      if (c.op === 'exists') return found !== undefined;
      if (c.op === 'absent') return found === undefined;
      if (!found) return false;
      const s = valueString(found.vb.value);
      switch (c.op) {
        case 'eq': return s === String(c.value);
        case 'ne': return s !== String(c.value);
        case 'regex': return testBounded(re!, s);
      }
      const n = Number(found.vb.value);
      if (found.vb.value === null || s === '' || !Number.isFinite(n)) return false;
      switch (c.op) {
        case 'gt': return n > num;
        case 'ge': return n >= num;
        case 'lt': return n < num;
        case 'le': return n <= num;
      }
      return false;
    };
  });
  return { test: (input, vars) => tests.every((t) => t(input, vars)) };
}

export function compileRule(rule: TrapRule): CompiledRule {
  const deviceGlob = rule.device ? globMatcher(rule.device) : undefined;
  const clear = rule.clearedBy;
  const clearObj = clear === undefined ? undefined : typeof clear === 'string' || Array.isArray(clear) ? { trap: clear, when: [] } : clear;
  return {
    rule,
    matchesTrap: trapMatcher(rule.trap),
    matchesClear: trapMatcher(clearObj?.trap),
    matchesDevice: (input) => {
      if (deviceGlob && !deviceGlob(input.device ?? input.source)) return false;
      for (const [k, v] of Object.entries(rule.tags ?? {})) if (input.deviceTags?.[k] !== v) return false;
      return true;
    },
    when: compileConditions(rule.when),
    clearWhen: compileConditions(clearObj?.when ?? []),
    flap: rule.flap && { count: rule.flap.count, windowMs: parseDuration(rule.flap.window)! },
    rateLimit: rule.rateLimit && { count: rule.rateLimit.count, windowMs: parseDuration(rule.rateLimit.per)! },
  };
}

export function templateResolver(input: RuleInput, rule: TrapRule, severity: string): (name: string) => string | undefined {
  return (name) => {
    switch (name) {
      case 'device': return input.device ?? input.source;
      case 'source': return input.source;
      case 'trap': return input.trapName ?? input.trapOid;
      case 'trapOid': return input.trapOid;
      case 'severity': return severity;
      case 'rule': return rule.id;
      case 'time': return new Date(input.time).toISOString();
    }
    if (input.extra && Object.hasOwn(input.extra, name)) return input.extra[name];
    if (name.startsWith('index:')) return findVarbind(input, name.slice(6), rule.vars)?.index;
    const m = /^(oid|value):(\d+)$/.exec(name);
    if (m) {
      const vb = input.varbinds[Number(m[2]) - 1];
      return vb && (m[1] === 'oid' ? vb.oid : valueString(vb.value));
    }
    const found = findVarbind(input, name, rule.vars);
    return found && valueString(found.vb.value);
  };
}

export interface RuleMatch {
  rule: TrapRule;
  event: AlertEvent;
}

/**
 * Ordered trap rules. evaluate() returns the alert events a trap causes: clears from every
 * rule whose clearedBy matches, and raises from the first matching rule (more with `continue`).
 */
export class RuleSet {
  private compiled: CompiledRule[] = [];

  constructor(rules: TrapRule[] = []) {
    this.replace(rules);
  }

  replace(rules: TrapRule[]): void {
    this.compiled = rules.map(compileRule);
  }

  get rules(): TrapRule[] {
    return this.compiled.map((c) => c.rule);
  }

  evaluate(input: RuleInput): RuleMatch[] {
    const out: RuleMatch[] = [];
    let raised = false;
    for (const c of this.compiled) {
      const { rule } = c;
      if (!rule.enabled || !c.matchesDevice(input)) continue;
      if (c.matchesClear(input) && c.clearWhen.test(input, rule.vars)) {
        out.push({ rule, event: this.event(c, input, 'clear') });
      }
      if (raised || !c.matchesTrap(input) || !c.when.test(input, rule.vars)) continue;
      out.push({ rule, event: this.event(c, input, 'raise') });
      if (!rule.continue) raised = true;
    }
    return out;
  }

  private event(c: CompiledRule, input: RuleInput, action: 'raise' | 'clear'): AlertEvent {
    const { rule } = c;
    const resolve = templateResolver(input, rule, rule.severity);
    return {
      action,
      key: `${rule.id}:${boundedKey(renderTemplate(rule.key, resolve))}`,
      source: 'trap',
      rule: rule.id,
      device: input.device,
      severity: rule.severity,
      message: boundedText(renderTemplate(rule.message, resolve), MAX_MESSAGE),
      labels: { trap: input.trapName ?? input.trapOid, source: input.source },
      time: input.time,
      notify: rule.notify,
      flap: c.flap,
      rateLimit: c.rateLimit,
    };
  }
}

/** keys and messages render trap values: bound them so 50,000 active alerts stay small */
const MAX_KEY = 256;
const MAX_MESSAGE = 2048;

/** a long key keeps its start and gets a digest of the whole, so the clearing trap renders the same key */
export function boundedKey(key: string): string {
  if (key.length <= MAX_KEY) return key;
  return `${key.slice(0, MAX_KEY - 34)}…#${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

function boundedText(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
