import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAP_RULES } from '../../src/alerts/default-rules.ts';
import { TrapRuleSchema, TrapRulesSchema, formatIssues, type TrapRuleInput } from '../../src/alerts/rule-schema.ts';
import { RuleSet, type RuleInput } from '../../src/alerts/rules.ts';
import { renderTemplate } from '../../src/alerts/template.ts';

const IF = '1.3.6.1.2.1.2.2.1';
function trap(trapOid: string, varbinds: RuleInput['varbinds'] = [], more: Partial<RuleInput> = {}): RuleInput {
  return { trapOid, source: '127.0.0.1', device: 'sw1', varbinds, time: 1_700_000_000_000, ...more };
}
const linkDown = trap('1.3.6.1.6.3.1.1.5.3', [
  { oid: `${IF}.1.7`, value: 7 },
  { oid: `${IF}.7.7`, value: 1 },
  { oid: `${IF}.8.7`, value: 2 },
  { oid: `${IF}.2.7`, value: 'Gi0/7' },
]);
const rules = (list: TrapRuleInput[]) => new RuleSet(TrapRulesSchema.parse(list));

describe('rule matching', () => {
  it.each<[string, TrapRuleInput, RuleInput, boolean]>([
    ['exact numeric', { id: 'r', trap: '1.3.6.1.6.3.1.1.5.3' }, linkDown, true],
    ['leading dot', { id: 'r', trap: '.1.3.6.1.6.3.1.1.5.3' }, linkDown, true],
    ['wildcard prefix', { id: 'r', trap: '1.3.6.1.6.3.1.1.5.*' }, linkDown, true],
    ['other OID', { id: 'r', trap: '1.3.6.1.6.3.1.1.5.4' }, linkDown, false],
    ['prefix is not a match without *', { id: 'r', trap: '1.3.6.1.6.3.1.1.5' }, linkDown, false],
    ['by name', { id: 'r', trap: 'IF-MIB::linkDown' }, { ...linkDown, trapName: 'IF-MIB::linkDown' }, true],
    ['by bare name glob', { id: 'r', trap: 'link*' }, { ...linkDown, trapName: 'IF-MIB::linkDown' }, true],
    ['any of a list', { id: 'r', trap: ['1.2.3', '1.3.6.1.6.3.1.1.5.3'] }, linkDown, true],
    ['device glob', { id: 'r', trap: '*', device: 'sw*' }, linkDown, true],
    ['device glob miss', { id: 'r', trap: '*', device: 'rtr*' }, linkDown, false],
    ['device tag', { id: 'r', trap: '*', tags: { role: 'core' } }, { ...linkDown, deviceTags: { role: 'core' } }, true],
    ['device tag miss', { id: 'r', trap: '*', tags: { role: 'core' } }, { ...linkDown, deviceTags: { role: 'edge' } }, false],
    ['eq on var', { id: 'r', trap: '*', vars: { adm: `${IF}.7` }, when: [{ varbind: 'adm', op: 'eq', value: 1 }] }, linkDown, true],
    ['ne on var', { id: 'r', trap: '*', vars: { adm: `${IF}.7` }, when: [{ varbind: 'adm', op: 'ne', value: 1 }] }, linkDown, false],
    ['eq on numeric OID prefix', { id: 'r', trap: '*', when: [{ varbind: `${IF}.8`, op: 'eq', value: '2' }] }, linkDown, true],
    ['regex', { id: 'r', trap: '*', when: [{ varbind: `${IF}.2`, op: 'regex', value: '^Gi0/' }] }, linkDown, true],
    ['regex miss', { id: 'r', trap: '*', when: [{ varbind: `${IF}.2`, op: 'regex', value: '^Te' }] }, linkDown, false],
    ['gt', { id: 'r', trap: '*', when: [{ varbind: `${IF}.1`, op: 'gt', value: 6 }] }, linkDown, true],
    ['le', { id: 'r', trap: '*', when: [{ varbind: `${IF}.1`, op: 'le', value: 6 }] }, linkDown, false],
    ['numeric op on text', { id: 'r', trap: '*', when: [{ varbind: `${IF}.2`, op: 'gt', value: 0 }] }, linkDown, false],
    ['exists', { id: 'r', trap: '*', when: [{ varbind: `${IF}.2`, op: 'exists' }] }, linkDown, true],
    ['absent', { id: 'r', trap: '*', when: [{ varbind: '1.3.6.1.2.1.31.1.1.1.1', op: 'absent' }] }, linkDown, true],
    ['translated varbind name', { id: 'r', trap: '*', when: [{ varbind: 'ifDescr', op: 'eq', value: 'eth1' }] }, trap('1.2', [{ oid: `${IF}.2.1`, name: 'IF-MIB::ifDescr.1', value: 'eth1' }]), true],
    ['disabled', { id: 'r', trap: '*', enabled: false }, linkDown, false],
  ])('%s', (_, rule, input, want) => {
    expect(rules([rule]).evaluate(input).some((m) => m.event.action === 'raise')).toBe(want);
  });
});

describe('templates', () => {
  it.each([
    ['{device} {ifDescr} down', { device: 'sw1', ifDescr: 'eth0' }, 'sw1 eth0 down'],
    ['{ifName|ifDescr}', { ifDescr: 'eth0' }, 'eth0'],
    ['{ifName|ifDescr}', { ifName: 'Gi1', ifDescr: 'eth0' }, 'Gi1'],
    ['{missing}:x', {}, ':x'],
    ['no placeholders', {}, 'no placeholders'],
  ])('%s', (t, vars: Record<string, string>, want) => {
    expect(renderTemplate(t, (n) => vars[n])).toBe(want);
  });
});

describe('shipped default rules', () => {
  const set = new RuleSet(DEFAULT_TRAP_RULES);
  const ev = (input: RuleInput) => set.evaluate(input).map((m) => ({ rule: m.rule.id, action: m.event.action, key: m.event.key, severity: m.event.severity, message: m.event.message }));

  it('linkDown raises keyed by device and ifIndex; linkUp with the same ifIndex clears it', () => {
    expect(ev(linkDown)).toEqual([{ rule: 'linkDown', action: 'raise', key: 'linkDown:sw1:7', severity: 'major', message: 'sw1 interface Gi0/7 down' }]);
    const up = trap('1.3.6.1.6.3.1.1.5.4', [{ oid: `${IF}.1.7`, value: 7 }, { oid: `${IF}.8.7`, value: 1 }]);
    expect(ev(up)).toMatchObject([{ rule: 'linkDown', action: 'clear', key: 'linkDown:sw1:7' }]);
  });

  it('linkDown without an ifIndex varbind keys on the ifOperStatus index', () => {
    expect(ev(trap('1.3.6.1.6.3.1.1.5.3', [{ oid: `${IF}.8.12`, value: 2 }]))[0].key).toBe('linkDown:sw1:12');
  });

  it.each([
    ['1.3.6.1.6.3.1.1.5.1', 'coldStart', 'raise'],
    ['1.3.6.1.6.3.1.1.5.2', 'coldStart', 'clear'],
    ['1.3.6.1.6.3.1.1.5.5', 'authenticationFailure', 'raise'],
    ['1.3.6.1.2.1.47.2.0.1', 'entConfigChange', 'raise'],
    ['1.3.6.1.2.1.15.7.2', 'bgpBackwardTransition', 'raise'],
    ['1.3.6.1.2.1.15.0.2', 'bgpBackwardTransition', 'raise'],
    ['1.3.6.1.2.1.15.7.1', 'bgpBackwardTransition', 'clear'],
    ['1.3.6.1.3.5.1.0.2', 'bgp4V2BackwardTransition', 'raise'],
    ['1.3.6.1.4.1.2636.5.1.1.1.0.1', 'bgp4V2BackwardTransition', 'clear'],
    ['1.3.6.1.4.1.30065.4.1.0.2', 'bgp4V2BackwardTransition', 'raise'],
  ])('%s → %s %s', (oid, rule, action) => {
    expect(ev(trap(oid, [{ oid: '1.3.6.1.2.1.15.3.1.2.10.0.0.2', value: 1 }]))).toContainEqual(expect.objectContaining({ rule, action }));
  });

  it.each([
    [1, 'raise'], [3, 'raise'], [4, 'clear'], [8, 'clear'], [6, undefined],
  ])('ospfNbrStateChange with state %i → %s', (state, action) => {
    const got = ev(trap('1.3.6.1.2.1.14.16.2.2', [{ oid: '1.3.6.1.2.1.14.10.1.6.10.0.0.2.0', value: state }]));
    expect(got[0]?.action).toBe(action);
    if (action) expect(got[0].key).toBe('ospfNbrStateChange:sw1:10.0.0.2.0');
  });

  it('BGP peer key is stable between backward transition and established', () => {
    const vb = [{ oid: '1.3.6.1.2.1.15.3.1.14.10.0.0.2', value: '0000' }, { oid: '1.3.6.1.2.1.15.3.1.2.10.0.0.2', value: 1 }];
    const down = ev(trap('1.3.6.1.2.1.15.0.2', vb))[0];
    const up = ev(trap('1.3.6.1.2.1.15.0.1', vb))[0];
    expect(down.key).toBe('bgpBackwardTransition:sw1:10.0.0.2');
    expect(up).toMatchObject({ action: 'clear', key: down.key });
  });
});

describe('rule validation', () => {
  it.each<[unknown, string]>([
    [{ id: 'bad id!', trap: '*' }, 'id'],
    [{ id: 'r' }, 'trap'],
    [{ id: 'r', trap: '*', when: [{ varbind: 'x', op: 'gt', value: 'abc' }] }, 'numeric'],
    [{ id: 'r', trap: '*', when: [{ varbind: 'x', op: 'regex', value: '(' }] }, 'invalid regex'],
    [{ id: 'r', trap: '*', when: [{ varbind: 'x', op: 'eq' }] }, 'needs a value'],
    [{ id: 'r', trap: '*', flap: { count: 3, window: 'soon' } }, 'duration'],
    [{ id: 'r', trap: '*', severity: 'urgent' }, 'severity'],
    [{ id: 'r', trap: '*', vars: { x: 'ifIndex' } }, 'numeric OID'],
  ])('%j fails naming %s', (input, needle) => {
    const r = TrapRuleSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(formatIssues('rules[0]', r.error!).join('\n')).toContain(needle);
  });

  it('rejects duplicate ids and round-trips through JSON', () => {
    expect(TrapRulesSchema.safeParse([{ id: 'a', trap: '*' }, { id: 'a', trap: '*' }]).success).toBe(false);
    const again = TrapRulesSchema.parse(JSON.parse(JSON.stringify(DEFAULT_TRAP_RULES)));
    expect(again).toEqual(DEFAULT_TRAP_RULES);
  });
});
