import { describe, expect, it, vi } from 'vitest';
import { compileLabelPattern } from '../../src/alerts/label-pattern.ts';
import { LINEAR_ENGINE, MAX_MATCH_INPUT } from '../../src/alerts/safe-regex.ts';
import type { InterfaceFilter, InterfaceMatch } from '../../src/model/interface-filter.ts';
import { ifTypeNumber } from '../../src/model/interface-filter.ts';
import { interfaceSelector, type InterfaceLabels } from '../../src/poller/interface-filter.ts';

const none: InterfaceMatch = { ifType: [], ifName: [], ifDescr: [], ifAlias: [] };
function filter(f: { include?: Partial<InterfaceMatch>; exclude?: Partial<InterfaceMatch> & { adminDown?: boolean } }): InterfaceFilter {
  return { include: { ...none, ...f.include }, exclude: { ...none, adminDown: false, ...f.exclude } };
}
function labels(l: Partial<InterfaceLabels>): InterfaceLabels {
  return { ifType: 6, ifName: 'Gi1/0/1', ifDescr: 'GigabitEthernet1/0/1', ifAlias: '', ifAdminStatus: 1, ...l };
}

describe('compileLabelPattern: globs by default, /regex/flags for regexes', () => {
  it.each([
    ['Null*', 'Null0', true],
    ['Null*', 'null0', false], // globs are case-sensitive
    ['Null*', 'xNull0', false], // and anchored
    ['*Ethernet*/1', 'GigabitEthernet1/0/1', true],
    ['Vlan*', 'Vlan', true],
    ['lo', 'lo', true],
    ['lo', 'lo0', false],
    ['/^UNUSED/i', 'unused - spare', true],
    ['/^UNUSED/i', 'spare, UNUSED', false],
    ['/UNUSED/', 'spare, UNUSED', true], // regexes are unanchored
    ['/UNUSED/', 'unused', false],
    ['/^[A-C]x\\d$/i', 'bX7', true],
    ['/^[^A-Z]/i', 'Abc', false],
    ['/^Port-channel\\d+$/', 'Port-channel12', true],
    ['/^a.b$/s', 'a\nb', true],
    ['/^b$/m', 'a\nb', true],
    ['/', '/', true], // a lone slash is a glob
    ['/x\\u{41/i', 'XU{41', true], // an unclosed \u{ (no u flag: a literal u{) must not loop forever
  ])('%s on %j → %s', (pattern, value, want) => {
    expect(compileLabelPattern(pattern)(value)).toBe(want);
  });

  it.each([
    ['/(a+)+$/', /pattern "\/\(a\+\)\+\$\/" can backtrack exponentially/],
    ['/(A|B)*/i', /pattern "\/\(A\|B\)\*\/i" can backtrack exponentially .* use a character class/],
    ['/a[/', /pattern "\/a\[\/" is an invalid regex: /],
    ['/a/g', /has flags "g"; only i, m and s are allowed/],
    ['/a/ii', /has flags "ii"/],
    ['/(?=a)b/', /is not supported: lookarounds/],
  ])('rejects %s', (pattern, message) => {
    expect(() => compileLabelPattern(pattern)).toThrow(message);
  });

  it('matches a long attacker-controlled value in linear time', () => {
    const m = compileLabelPattern('/.*a.*b.*c.*d/');
    const test = vi.spyOn(RegExp.prototype, 'test');
    const matched = m('a'.repeat(200_000));
    // each run of the engine: [linear-time flag, characters it was given]
    const runs = test.mock.calls.map(([s], i) => [(test.mock.contexts[i] as RegExp).flags.includes('l'), String(s).length]);
    test.mockRestore();
    expect(matched).toBe(false);
    expect(runs).toEqual([[LINEAR_ENGINE, MAX_MATCH_INPUT]]);
  });
});

describe('interfaceSelector: include, exclude, adminDown', () => {
  it.each([
    ['no filter keeps everything', filter({}), labels({ ifType: 24, ifName: 'lo' }), true],
    ['ifType by number', filter({ exclude: { ifType: [24] } }), labels({ ifType: 24, ifName: 'lo' }), false],
    ['ifType not listed', filter({ exclude: { ifType: [24, 53] } }), labels({}), true],
    ['ifType unknown (column missing) is never matched', filter({ exclude: { ifType: [6] } }), labels({ ifType: undefined }), true],
    ['ifName glob', filter({ exclude: { ifName: ['Null*', 'Vlan*'] } }), labels({ ifName: 'Vlan100' }), false],
    ['ifName glob, other name', filter({ exclude: { ifName: ['Null*', 'Vlan*'] } }), labels({ ifName: 'Gi1/0/1' }), true],
    ['ifDescr glob', filter({ exclude: { ifDescr: ['Stack*'] } }), labels({ ifDescr: 'StackPort1' }), false],
    ['ifAlias regex with i', filter({ exclude: { ifAlias: ['/^unused/i'] } }), labels({ ifAlias: 'UNUSED (spare)' }), false],
    ['empty ifAlias against /^$/', filter({ exclude: { ifAlias: ['/^$/'] } }), labels({ ifAlias: '' }), false],
    ['adminDown excludes ifAdminStatus down(2)', filter({ exclude: { adminDown: true } }), labels({ ifAdminStatus: 2 }), false],
    ['adminDown keeps testing(3)', filter({ exclude: { adminDown: true } }), labels({ ifAdminStatus: 3 }), true],
    ['adminDown keeps unknown status', filter({ exclude: { adminDown: true } }), labels({ ifAdminStatus: undefined }), true],
    ['adminDown false keeps down ports', filter({ exclude: { ifName: ['x'], adminDown: false } }), labels({ ifAdminStatus: 2 }), true],
    ['include narrows: matching', filter({ include: { ifName: ['Gi*'] } }), labels({ ifName: 'Gi1/0/2' }), true],
    ['include narrows: not matching', filter({ include: { ifName: ['Gi*'] } }), labels({ ifName: 'Te1/1/1' }), false],
    ['include criteria are ORed', filter({ include: { ifName: ['Gi*'], ifType: [161] } }), labels({ ifName: 'Po1', ifType: 161 }), true],
    ['exclude wins over include', filter({ include: { ifType: [6] }, exclude: { ifAlias: ['/^UNUSED/'] } }), labels({ ifAlias: 'UNUSED' }), false],
    ['adminDown wins over include', filter({ include: { ifName: ['Gi*'] }, exclude: { adminDown: true } }), labels({ ifAdminStatus: 2 }), false],
    ['include + exclude, passes both', filter({ include: { ifType: [6] }, exclude: { ifName: ['Null*'] } }), labels({}), true],
  ] as const)('%s', (_name, f, l, want) => {
    const s = interfaceSelector(f);
    if (s === undefined) expect(want).toBe(true);
    else expect(s.polls(l)).toBe(want);
  });

  it('is undefined for a filter that keeps everything, and compiled once per filter object', () => {
    expect(interfaceSelector(undefined)).toBeUndefined();
    expect(interfaceSelector(filter({}))).toBeUndefined();
    const f = filter({ exclude: { ifName: ['Null*'] } });
    expect(interfaceSelector(f)).toBe(interfaceSelector(f));
    expect(interfaceSelector(f)!.needsIfType).toBe(false);
    expect(interfaceSelector(filter({ include: { ifType: [6] } }))!.needsIfType).toBe(true);
  });
});

describe('ifTypeNumber: IANAifType names (any case) and numbers', () => {
  it.each([
    ['softwareLoopback', 24], ['SoftwareLoopback', 24], ['propVirtual', 53], ['l2vlan', 135], ['tunnel', 131],
    ['ieee8023adLag', 161], ['ethernetCsmacd', 6], ['other', 1], ['if-gsn', 145], ['24', 24], ['296', 296],
    ['nope', undefined], ['constructor', undefined], ['toString', undefined],
  ])('%s → %s', (name, want) => {
    expect(ifTypeNumber(name)).toBe(want);
  });
});
