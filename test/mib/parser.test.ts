// Lenient SMI parsing: the constructs and sins of real vendor files, one small module each.
import { describe, expect, it } from 'vitest';
import { parseMibText } from '../../src/mib/parser.ts';
import { resolveModules } from '../../src/mib/resolver.ts';
import { tokenize } from '../../src/mib/tokenizer.ts';

function compile(body: string, imports = 'IMPORTS enterprises, OBJECT-TYPE, Integer32 FROM SNMPv2-SMI;') {
  const { modules, errors } = parseMibText(`T-MIB DEFINITIONS ::= BEGIN\n${imports}\nt OBJECT IDENTIFIER ::= { enterprises 7 }\n${body}\nEND\n`, 't.mib');
  const r = resolveModules(modules);
  const byName = new Map(r.nodes.map((n) => [n.name, n]));
  return { byName, types: r.types, errors: [...errors, ...modules.flatMap((m) => m.errors)] };
}

describe('tokenizer', () => {
  it.each([
    ['a-b -- comment -- c', ['a-b', 'c']],
    ['x ::= { y 1 }', ['x', '::=', '{', 'y', '1', '}']],
    ["'0A'H '101'B", ['0A', '101']],
    ['(0..255|-1)', ['(', '0', '..', '255', '|', '-1', ')']],
    ['"multi\nline" z', ['multi\nline', 'z']],
    ['-- a -- b\n-- c\nd', ['b', 'd']],
  ])('%j', (src, want) => {
    expect(tokenize(src).filter((t) => t.kind !== 'eof').map((t) => t.text)).toEqual(want);
  });
});

describe('parser + resolver', () => {
  it('TRAP-TYPE becomes enterprise.0.N (RFC 3584) with VARIABLES', () => {
    const r = compile('tTrap TRAP-TYPE ENTERPRISE t VARIABLES { tObj } DESCRIPTION "d" ::= 5\ntObj OBJECT-TYPE SYNTAX INTEGER ACCESS read-only STATUS mandatory ::= { t 1 }');
    expect(r.byName.get('tTrap')).toMatchObject({ oid: '1.3.6.1.4.1.7.0.5', kind: 'notification', objects: ['T-MIB::tObj'] });
    expect(r.byName.get('t#')?.oid).toBe('1.3.6.1.4.1.7.0');
  });
  it('hyphenated enum labels, BITS, hex ranges, sizes, DEFVAL, UNITS', () => {
    const r = compile(`tA OBJECT-TYPE SYNTAX INTEGER { not-present(1), ok(2) } MAX-ACCESS read-only STATUS current DESCRIPTION "a" DEFVAL { ok } ::= { t 1 }
tB OBJECT-TYPE SYNTAX BITS { b0(0), b-one(1) } MAX-ACCESS read-only STATUS current DESCRIPTION "b" ::= { t 2 }
tC OBJECT-TYPE SYNTAX Integer32 ('00'H..'FF'H) UNITS "seconds" MAX-ACCESS read-only STATUS current DESCRIPTION "c" ::= { t 3 }
tD OBJECT-TYPE SYNTAX OCTET STRING (SIZE(6 | 8..10)) MAX-ACCESS read-only STATUS current DESCRIPTION "d" ::= { t 4 }`);
    expect(r.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    expect(r.byName.get('tA')!.syntax!.enums).toEqual([{ label: 'not-present', value: '1' }, { label: 'ok', value: '2' }]);
    expect(r.byName.get('tA')!.defval).toBe('ok');
    expect(r.byName.get('tB')!.syntax!.bits).toEqual([{ label: 'b0', value: '0' }, { label: 'b-one', value: '1' }]);
    expect(r.byName.get('tC')!.syntax).toMatchObject({ base: 'Integer32', ranges: [{ min: '0', max: '255' }] });
    expect(r.byName.get('tC')!.units).toBe('seconds');
    expect(r.byName.get('tD')!.syntax!.sizes).toEqual([{ min: '6', max: '6' }, { min: '8', max: '10' }]);
  });
  it.each([
    ['0..255', { min: '0', max: '255' }],
    ['-2147483648..2147483647', { min: '-2147483648', max: '2147483647' }],
    ['007..010', { min: '7', max: '10' }],
    ['-0..-05', { min: '0', max: '-5' }],
    ['0..18446744073709551615', { min: '0', max: '18446744073709551615' }],
    ['-9223372036854775808..1', { min: '-9223372036854775808', max: '1' }],
    ["'0A'H..'ff'H", { min: '10', max: '255' }],
    ["''H..'101'B", { min: '0', max: '5' }],
  ])('range bound %s is a canonical decimal', (range, bound) => {
    const r = compile(`tR OBJECT-TYPE SYNTAX Integer32 (${range}) MAX-ACCESS read-only STATUS current DESCRIPTION "r" ::= { t 1 }`);
    expect(r.byName.get('tR')!.syntax!.ranges).toEqual([bound]);
  });
  it('textual conventions chain to the base type, enums and hints inherited', () => {
    const r = compile(`TState ::= TEXTUAL-CONVENTION DISPLAY-HINT "d" STATUS current DESCRIPTION "s" SYNTAX INTEGER { on(1), off(2) }
TSub ::= TState
tS OBJECT-TYPE SYNTAX TSub MAX-ACCESS read-only STATUS current DESCRIPTION "x" ::= { t 1 }`);
    expect(r.byName.get('tS')!.syntax).toMatchObject({ type: 'TSub', base: 'INTEGER', tc: ['T-MIB::TSub', 'T-MIB::TState'], displayHint: 'd', enums: [{ label: 'on', value: '1' }, { label: 'off', value: '2' }] });
  });
  it('groups, compliance, capabilities, identities and named OID arcs', () => {
    const r = compile(`tG OBJECT-GROUP OBJECTS { tX } STATUS current DESCRIPTION "g" ::= { t 10 }
tCompl MODULE-COMPLIANCE STATUS current DESCRIPTION "c" MODULE MANDATORY-GROUPS { tG } OBJECT tX SYNTAX INTEGER (1..2) MIN-ACCESS read-only DESCRIPTION "o" ::= { t 11 }
tCaps AGENT-CAPABILITIES PRODUCT-RELEASE "1" STATUS current DESCRIPTION "a" SUPPORTS T-MIB INCLUDES { tG } VARIATION tX SYNTAX INTEGER (1..2) DESCRIPTION "v" ::= { t 12 }
tId OBJECT-IDENTITY STATUS current DESCRIPTION "i" ::= { t 13 }
tArc OBJECT IDENTIFIER ::= { t named(14) 1 }
tX OBJECT-TYPE SYNTAX INTEGER MAX-ACCESS read-only STATUS current DESCRIPTION "x" ::= { t 1 }`);
    expect(r.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    expect(r.byName.get('tG')).toMatchObject({ kind: 'group', oid: '1.3.6.1.4.1.7.10', objects: ['T-MIB::tX'] });
    expect(r.byName.get('tCompl')).toMatchObject({ kind: 'compliance', description: 'c' });
    expect(r.byName.get('tCaps')).toMatchObject({ kind: 'agent-capabilities', oid: '1.3.6.1.4.1.7.12' });
    expect(r.byName.get('tId')?.kind).toBe('object-identity');
    expect(r.byName.get('named')?.oid).toBe('1.3.6.1.4.1.7.14');
    expect(r.byName.get('tArc')?.oid).toBe('1.3.6.1.4.1.7.14.1');
  });
  it('missing IMPORTS ";" and missing imports still resolve through well-known roots', () => {
    const r = compile('tY OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS read-only STATUS current DESCRIPTION "y" ::= { t 1 }', 'IMPORTS enterprises FROM SNMPv2-SMI');
    expect(r.byName.get('tY')?.oid).toBe('1.3.6.1.4.1.7.1');
    expect(r.errors.some((e) => /not terminated/.test(e.message) && e.severity === 'warning')).toBe(true);
  });
  it('a syntax error is reported with its line and the parser resynchronises', () => {
    const r = compile('tBad OBJECT-TYPE SYNTAX INTEGER { a(1 } STATUS current ::= { t 1 }\ntGood OBJECT IDENTIFIER ::= { t 2 }');
    const e = r.errors.find((x) => x.severity === 'error')!;
    expect(e).toMatchObject({ file: 't.mib', module: 'T-MIB', line: 4 });
    expect(r.byName.get('tGood')?.oid).toBe('1.3.6.1.4.1.7.2');
  });
  it('several modules in one file', () => {
    const { modules } = parseMibText('A-MIB DEFINITIONS ::= BEGIN a OBJECT IDENTIFIER ::= { iso 9 } END\nB-MIB DEFINITIONS ::= BEGIN IMPORTS a FROM A-MIB; b OBJECT IDENTIFIER ::= { a 1 } END', 'x');
    expect(modules.map((m) => m.name)).toEqual(['A-MIB', 'B-MIB']);
    expect(resolveModules(modules).nodes.find((n) => n.name === 'b')?.oid).toBe('1.9.1');
  });
  it('nodes made of their definitions in place (reuseDefinitions) equal copies: same fields, same JSON, no parse-only field', () => {
    const text = `R-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises, OBJECT-TYPE, NOTIFICATION-TYPE, Integer32 FROM SNMPv2-SMI;
r OBJECT IDENTIFIER ::= { enterprises 9 }
rTrap TRAP-TYPE ENTERPRISE r VARIABLES { rIdx } DESCRIPTION "t" ::= 3
rNote NOTIFICATION-TYPE OBJECTS { rIdx, rVal } STATUS current DESCRIPTION "n" ::= { r 0 1 }
rEntry OBJECT-TYPE SYNTAX REntry MAX-ACCESS not-accessible STATUS current DESCRIPTION "e" INDEX { IMPLIED rIdx } ::= { r 1 }
rExt OBJECT-TYPE SYNTAX RExt MAX-ACCESS not-accessible STATUS current DESCRIPTION "x" AUGMENTS { rEntry } ::= { r 2 }
rIdx OBJECT-TYPE SYNTAX Integer32 (1..9) UNITS "" MAX-ACCESS read-only STATUS current DISPLAY-HINT "d" DESCRIPTION "" REFERENCE "ref" DEFVAL { 1 } ::= { rEntry 1 }
rVal OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "v" ::= { rEntry 2 }
END
`;
    const copied = resolveModules(parseMibText(text, 'r.mib').modules).nodes;
    const inPlace = resolveModules(parseMibText(text, 'r.mib').modules, undefined, { reuseDefinitions: true }).nodes;
    expect(inPlace.map((n) => n.name)).toEqual(['r', 'rTrap', 'rNote', 'rEntry', 'rExt', 'rIdx', 'rVal', 'r#']);
    expect(JSON.stringify(inPlace)).toBe(JSON.stringify(copied));
    const defined = (n: object) => Object.fromEntries(Object.entries(n).filter(([, v]) => v !== undefined));
    expect(inPlace.map(defined)).toEqual(copied.map(defined));
    for (const n of inPlace) for (const k of ['enterprise', 'trapNumber', 'displayHint']) expect((n as unknown as Record<string, unknown>)[k], `${n.name}.${k}`).toBeUndefined();
    expect(inPlace.find((n) => n.name === 'rIdx')).toMatchObject({ reference: 'ref', defval: '1', syntax: { base: 'Integer32' } });
    expect(inPlace.find((n) => n.name === 'rIdx')?.units).toBeUndefined();
    // copies leave the parsed modules as they were: an upload resolves them again per round
    const parsed = parseMibText(text, 'r.mib').modules;
    const first = JSON.stringify(resolveModules(parsed).nodes);
    expect(JSON.stringify(resolveModules(parsed).nodes)).toBe(first);
    expect(first).toBe(JSON.stringify(copied));
  });
});
