import { describe, expect, it, vi } from 'vitest';
import * as issues from '../../src/config/issues.ts';
import { parseConfig } from '../../src/config/load.ts';
import { configProblems } from './config-problems.ts';

const BASE = `credentials: { c: { version: 2c, community: x } }
devices:
  - { name: sw1, address: 127.0.0.1, credentials: c }
`;

const problems = (yaml: string): string[] => configProblems(yaml);

const empty = { ifType: [], ifName: [], ifDescr: [], ifAlias: [] };

describe('interface filters in the config', () => {
  it('defaults: no filter at all', () => {
    const c = parseConfig(BASE, '', {});
    expect(c.defaults.interfaces).toBeUndefined();
    expect(c.devices[0].interfaces).toBeUndefined();
    expect(parseConfig(`${BASE}defaults: { interfaces: { include: {}, exclude: { adminDown: false } } }`, '', {}).defaults.interfaces).toBeUndefined();
  });

  it('takes IANAifType names (any case) and numbers, globs and regexes, adminDown as on/off', () => {
    const c = parseConfig(`${BASE}defaults:
  interfaces:
    exclude:
      ifType: [softwareLoopback, 24, PropVirtual, tunnel, "135"]
      ifName: ["Null*", "Vlan*"]
      ifAlias: ["/^UNUSED/i"]
      adminDown: on
`, '', {});
    expect(c.defaults.interfaces).toEqual({
      include: empty,
      exclude: { ifType: [24, 24, 53, 131, 135], ifName: ['Null*', 'Vlan*'], ifDescr: [], ifAlias: ['/^UNUSED/i'], adminDown: true },
    });
  });

  it('keeps a device\'s own filter, even an empty one (it replaces the default)', () => {
    const c = parseConfig(`credentials: { c: { version: 2c, community: x } }
devices:
  - { name: a, address: 127.0.0.1, credentials: c, interfaces: {} }
  - { name: b, address: 127.0.0.1, credentials: c, interfaces: { include: { ifType: [ethernetCsmacd, ieee8023adLag] } } }
  - { name: c, address: 127.0.0.1, credentials: c }
defaults: { interfaces: { exclude: { adminDown: true } } }
`, '', {});
    expect(c.devices[0].interfaces).toEqual({ include: empty, exclude: { ...empty, adminDown: false } });
    expect(c.devices[1].interfaces).toEqual({ include: { ...empty, ifType: [6, 161] }, exclude: { ...empty, adminDown: false } });
    expect(c.devices[2].interfaces).toBeUndefined();
    expect(c.defaults.interfaces).toEqual({ include: empty, exclude: { ...empty, adminDown: true } });
  });

  it.each([
    ['unknown IANAifType name, with a hint', 'defaults: { interfaces: { exclude: { ifType: [softwareLoopbak] } } }',
      'defaults.interfaces.exclude.ifType[0]: unknown IANAifType "softwareLoopbak"; did you mean "softwareLoopback"?'],
    ['ifType 0', 'defaults: { interfaces: { include: { ifType: [6, 0] } } }',
      'defaults.interfaces.include.ifType[1]: expected an IANAifType number from 1 to 2147483647'],
    ['ifType 1.5', 'defaults: { interfaces: { include: { ifType: [1.5] } } }',
      'defaults.interfaces.include.ifType[0]: expected an IANAifType number from 1 to 2147483647'],
    ['ifType a mapping', 'defaults: { interfaces: { include: { ifType: [{ a: 1 }] } } }',
      'defaults.interfaces.include.ifType[0]: expected an IANAifType name like softwareLoopback or a number like 24'],
    ['ifName not a list', 'defaults: { interfaces: { exclude: { ifName: "Null*" } } }',
      'defaults.interfaces.exclude.ifName: expected a list, got a string'],
    ['empty pattern', 'defaults: { interfaces: { exclude: { ifDescr: [""] } } }',
      'defaults.interfaces.exclude.ifDescr[0]: must not be empty'],
    ['exponential regex', 'defaults: { interfaces: { exclude: { ifAlias: ["/(a+)+$/"] } } }',
      'defaults.interfaces.exclude.ifAlias[0]: pattern "/(a+)+$/" can backtrack exponentially (a repeated group contains a quantifier)'],
    ['invalid regex', 'defaults: { interfaces: { exclude: { ifAlias: ["/a(/"] } } }',
      'defaults.interfaces.exclude.ifAlias[0]: pattern "/a(/" is an invalid regex: Unterminated group'],
    ['stateful flag', 'defaults: { interfaces: { exclude: { ifAlias: ["/a/g"] } } }',
      'defaults.interfaces.exclude.ifAlias[0]: pattern "/a/g" has flags "g"; only i, m and s are allowed'],
    ['adminDown not a boolean', 'defaults: { interfaces: { exclude: { adminDown: sometimes } } }',
      'defaults.interfaces.exclude.adminDown: expected true/false (or on/off)'],
    ['adminDown in include', 'defaults: { interfaces: { include: { adminDown: true } } }',
      'defaults.interfaces.include.adminDown: unknown key; expected one of ifType, ifName, ifDescr, ifAlias'],
    ['typo in a criterion', 'defaults: { interfaces: { exclude: { ifNmae: [x] } } }',
      'defaults.interfaces.exclude.ifNmae: unknown key; did you mean "ifName"?'],
    ['typo in exclude', 'defaults: { interfaces: { exlude: {} } }',
      'defaults.interfaces.exlude: unknown key; did you mean "exclude"?'],
  ])('%s', (_name, yaml, problem) => {
    expect(problems(`${BASE}${yaml}`)).toEqual([problem]);
  });

  it('gives a long unknown IANAifType name no "did you mean" (whose edit distance would stall the load)', () => {
    const long = 'x'.repeat(200_000);
    const closest = vi.spyOn(issues, 'closest');
    expect(problems(`${BASE}defaults: { interfaces: { exclude: { ifType: [${long}] } } }`)).toEqual([
      `defaults.interfaces.exclude.ifType[0]: unknown IANAifType "${long}"`,
    ]);
    // no edit distance computed against the long name
    expect(closest.mock.calls.filter(([word]) => word.length > 64)).toEqual([]);
    closest.mockRestore();
  });

  it('names the device in a device filter\'s problems', () => {
    expect(problems(`credentials: { c: { version: 2c, community: x } }
devices:
  - { name: a, address: 127.0.0.1, credentials: c, interfaces: { exclude: { ifType: [propVirtul] } } }
`)).toEqual(['devices[0].interfaces.exclude.ifType[0]: unknown IANAifType "propVirtul"; did you mean "propVirtual"?']);
  });
});
