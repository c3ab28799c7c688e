/** Trap storms and hostile patterns: the active-alert cap, regex/glob guards. */
import { describe, expect, it, vi } from 'vitest';
import { globMatcher } from '../../src/alerts/glob.ts';
import { AlertManager, TABLE_FULL_KEY } from '../../src/alerts/manager.ts';
import { TrapRulesSchema, formatIssues } from '../../src/alerts/rule-schema.ts';
import { RuleSet, boundedKey } from '../../src/alerts/rules.ts';
import { LINEAR_ENGINE, MAX_MATCH_INPUT, backtrackProblem, compileSafeRegex, testBounded } from '../../src/alerts/safe-regex.ts';
import type { AlertChange, AlertEvent } from '../../src/alerts/types.ts';
import { trapsSchema } from '../../src/config/sections/traps.ts';
import { StateStore } from '../../src/storage/index.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ev = (key: string, over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key, source: 'trap', rule: 'linkdown', device: 'sw1', severity: 'minor', message: 'm', time: 1000, ...over,
});

function capped(maxActive: number) {
  const logs: string[] = [];
  const m = new AlertManager(undefined, { maxActive, logger: { warn: (s) => logs.push(`warn ${s}`), info: (s) => logs.push(`info ${s}`) } });
  const changes: AlertChange[] = [];
  m.onChange((c) => changes.push(c));
  return { m, logs, changes };
}

describe('active alert cap', () => {
  it('a storm of distinct keys opens at most maxActive alerts, counts the rest, logs and raises one meta-alert', () => {
    const { m, logs, changes } = capped(1000);
    for (let i = 0; i < 100_000; i++) m.raise(ev(`linkdown:sw1:${i}`));
    const active = m.store.list({ state: 'active' });
    expect(active.filter((a) => a.key !== TABLE_FULL_KEY)).toHaveLength(1000);
    expect(m.stats).toMatchObject({ opened: 1001, active: 1000, rejectedFull: 99_000 });
    const meta = m.store.active(TABLE_FULL_KEY)!;
    expect(meta).toMatchObject({ severity: 'critical', state: 'open' });
    expect(logs.filter((l) => l.includes('alert table full'))).toHaveLength(1);
    // listeners saw the 1000 opens and the meta-alert, not 99,000 rejections
    expect(changes.filter((c) => c.kind === 'opened')).toHaveLength(1001);
  });

  it('existing alerts still repeat and clear while full; new ones open again after clears, the meta-alert clears below 90 %', () => {
    const { m, logs } = capped(10);
    for (let i = 0; i < 10; i++) m.raise(ev(`k${i}`));
    expect(m.raise(ev('new'))!.alert.key).toBe(TABLE_FULL_KEY);
    expect(m.store.active('new')).toBeUndefined();
    expect(m.raise(ev('k3', { time: 2000 }))!.kind).toBe('repeated');
    expect(m.store.active('k3')!.count).toBe(2);
    m.handle(ev('k0', { action: 'clear' }));
    expect(m.store.active('k0')).toBeUndefined();
    // one slot free: a new key opens again, the meta-alert (hysteresis) is still up
    expect(m.raise(ev('new'))!.kind).toBe('opened');
    expect(m.store.active(TABLE_FULL_KEY)).toBeDefined();
    for (const k of ['k1', 'k2']) m.clearKey(k, 'auto', 3000);
    expect(m.store.active(TABLE_FULL_KEY)).toBeUndefined();
    expect(logs.filter((l) => l.includes('below 90 %'))).toHaveLength(1);
    expect(m.stats.active).toBe(8);
  });
});

describe('active alert cap on the SQLite state store', () => {
  it('counts active alerts found at start-up and records the meta-alert with the number not opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpulse-alertcap-'));
    const state = new StateStore(join(dir, 'state.db'));
    try {
      const quiet = { warn() {}, info() {} };
      const first = new AlertManager(alertStoreFrom(state), { maxActive: 5, logger: quiet });
      for (let i = 0; i < 4; i++) first.raise(ev(`k${i}`));
      const m = new AlertManager(alertStoreFrom(state), { maxActive: 5, logger: quiet });
      expect(m.stats.active).toBe(4);
      for (let i = 4; i < 20; i++) m.raise(ev(`k${i}`));
      expect(m.stats).toMatchObject({ active: 5, rejectedFull: 15 });
      for (const k of ['k0', 'k1']) m.clearKey(k, 'auto', 2000);
      const meta = m.store.list({ state: 'cleared' }).find((a) => a.key === TABLE_FULL_KEY)!;
      expect(meta.message).toContain('15 new alerts were not opened');
    } finally {
      state.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const EVIL = '(a+)+$';
const BIG = 'a'.repeat(50_000) + '!';

describe('rule regex guard', () => {
  it.each([
    ['(a+)+$', /repeated group contains a quantifier/],
    ['(x*)*y', /repeated group contains a quantifier/],
    ['(?:a|aa)+$', /repeated group contains an alternation/],
    ['^(\\w+\\s?)*$', /repeated group contains a quantifier/],
    ['(a)\\1', /backreferences/],
    ['(?<x>a)\\k<x>', /backreferences/],
  ])('rejects %s', (src, why) => {
    expect(backtrackProblem(src)).toMatch(why);
    expect(() => compileSafeRegex(src)).toThrow(why);
  });

  it.each(['^xe-', 'down|failed', '^Gi\\d+/\\d+/\\d+$', '(?:ab)+c', '(Gi|Te)\\d', '[(+*)]+', '^(\\S+)\\s+(\\S+)$', '.*a.*b.*c'])('accepts %s', (src) => {
    expect(() => compileSafeRegex(src)).not.toThrow();
  });

  it('config load names the rule and field', () => {
    const res = trapsSchema.safeParse({
      rules: [
        { id: 'a', trap: '*' },
        { id: 'b', trap: '*' },
        { id: 'c', trap: '*', when: [{ varbind: 'ifDescr', op: 'regex', value: EVIL }] },
      ],
    });
    expect(res.success).toBe(false);
    expect(formatIssues('traps', res.error!)).toEqual([
      'traps.rules[2].when[0].value: varbind ifDescr: pattern "(a+)+$" can backtrack exponentially (a repeated group contains a quantifier)',
    ]);
    expect(TrapRulesSchema.safeParse([{ id: 'c', trap: '*', clearedBy: { trap: '*', when: [{ varbind: 'x', op: 'regex', value: '(a)\\1' }] } }]).success).toBe(false);
  });

  it('polynomial patterns on a 50 kB value return in milliseconds (linear engine, 4 KiB bound)', () => {
    const rules = new RuleSet(TrapRulesSchema.parse([
      { id: 'poly', trap: '*', when: [{ varbind: 'ifDescr', op: 'regex', value: '.*a.*b.*c' }] },
    ]));
    const input = { trapOid: '1.3.6.1.6.3.1.1.5.3', source: '127.0.0.1', device: 'sw1', time: 1, varbinds: [{ oid: '1', name: 'IF-MIB::ifDescr.1', value: 'ab'.repeat(25_000) }] };
    const test = vi.spyOn(RegExp.prototype, 'test');
    expect(rules.evaluate(input)).toEqual([]);
    const runs = (test.mock.contexts as RegExp[]).flatMap((re, i) => re.source === '.*a.*b.*c' ? [[re.flags.includes('l'), test.mock.calls[i][0].length]] : []);
    test.mockRestore();
    expect(runs).toEqual([[LINEAR_ENGINE, MAX_MATCH_INPUT]]);
  });

  it('the evil pattern, if it got past the check, is still bounded to 4 KiB of input', () => {
    const re = new RegExp('^a+!$');
    const test = vi.spyOn(re, 'test');
    expect(testBounded(re, BIG)).toBe(false);
    expect(test.mock.calls.map(([s]) => s.length)).toEqual([MAX_MATCH_INPUT]);
  });
});

describe('keys and messages rendered from trap values are bounded', () => {
  it('a 60 kB varbind in the key and message: key ≤ 256 chars, stable for the clearing trap; message ≤ 2 KiB', () => {
    const rules = new RuleSet(TrapRulesSchema.parse([
      { id: 'big', trap: '1.1', clearedBy: '1.2', vars: { descr: '1.3' }, key: '{device}:{descr}', message: '{device} {descr}' },
    ]));
    const input = (trapOid: string, value: string) => ({ trapOid, source: '127.0.0.1', device: 'sw1', time: 1, varbinds: [{ oid: '1.3.1', value }] });
    const big = 'x'.repeat(60_000);
    const [raise] = rules.evaluate(input('1.1', big));
    const [clear] = rules.evaluate(input('1.2', big));
    expect(raise.event.key.length).toBeLessThanOrEqual('big:'.length + 256);
    expect(clear.event.key).toBe(raise.event.key);
    expect(rules.evaluate(input('1.1', big + 'y'))[0].event.key).not.toBe(raise.event.key);
    expect(raise.event.message.length).toBeLessThanOrEqual(2048);
    expect(boundedKey('short')).toBe('short');
  });
});

describe('globs compile to a linear matcher', () => {
  it.each<[string, string, boolean]>([
    ['core-*', 'core-sw1', true],
    ['core-*', 'edge-sw1', false],
    ['*', '', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['*.1', '1.3.6.1', true],
    ['x', 'x', true],
    ['x', 'xx', false],
    ['a.b', 'aXb', false],
  ])('%s ~ %s → %s', (glob, s, want) => {
    expect(globMatcher(glob)(s)).toBe(want);
  });

  it('many stars against 50 kB return in milliseconds', () => {
    const exec = vi.spyOn(RegExp.prototype, 'exec');
    const matched = globMatcher('*a*a*a*a*a*a*a*b')(BIG);
    const regexRuns = exec.mock.calls.length;
    exec.mockRestore();
    expect(matched).toBe(false);
    expect(regexRuns).toBe(0);
  });
});
