// Bad input: errors per module with file and line, never a crash or a hang, the rest intact.
import { rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileMibs } from '../../src/mib/index.ts';
import { GOOD_MODULE, smallCorpus } from './fixtures.ts';

let dir = '';
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = ''; });

function compileWith(name: string, content: string | Buffer) {
  dir = smallCorpus();
  writeFileSync(join(dir, 'GOOD-MIB.my'), GOOD_MODULE);
  writeFileSync(join(dir, name), content);
  return compileMibs([dir]);
}

function expectIntact(r: ReturnType<typeof compileMibs>): void {
  expect(r.dictionary.resolve('IF-MIB::ifDescr')).toBe('1.3.6.1.2.1.2.2.1.2');
  expect(r.dictionary.resolve('GOOD-MIB::goodState')).toBe('1.3.6.1.4.1.99999.2.1.1');
  expect(r.dictionary.translate('1.3.6.1.4.1.99999.2.1.1.7')?.text).toBe('GOOD-MIB::goodState.7');
}

describe('bad MIB input', () => {
  it('a file that is not a MIB: a file error, everything else loads', () => {
    const r = compileWith('notes.mib', Buffer.concat([Buffer.from('Shopping list:\n- milk\n- "eggs\n'), Buffer.from([0, 1, 2, 255, 254])]));
    const errs = r.errors.filter((e) => e.file.endsWith('notes.mib'));
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0].message).toMatch(/not a MIB|no MIB module/);
    expectIntact(r);
  });

  it('a module that imports itself: unresolved symbols reported, no loop', () => {
    const r = compileWith('SELF-MIB', `SELF-MIB DEFINITIONS ::= BEGIN
IMPORTS selfRoot, OBJECT-TYPE FROM SELF-MIB;
selfThing OBJECT IDENTIFIER ::= { selfRoot 1 }
selfOk OBJECT IDENTIFIER ::= { enterprises 4242 }
END`);
    const m = r.modules.find((x) => x.name === 'SELF-MIB')!;
    expect(m.errors.some((e) => /selfThing: cannot resolve parent "selfRoot"/.test(e.message) && e.line === 3)).toBe(true);
    expect(r.dictionary.resolve('SELF-MIB::selfOk')).toBe('1.3.6.1.4.1.4242');
    expectIntact(r);
  });

  it('an OID loop: each node of the loop reported, nothing hangs', () => {
    const r = compileWith('LOOP-MIB.txt', `LOOP-MIB DEFINITIONS ::= BEGIN
loopA OBJECT IDENTIFIER ::= { loopB 1 }
loopB OBJECT IDENTIFIER ::= { loopC 2 }
loopC OBJECT IDENTIFIER ::= { loopA 3 }
loopSelf OBJECT IDENTIFIER ::= { loopSelf 4 }
loopFine OBJECT IDENTIFIER ::= { iso 3 6 1 4 1 4243 }
END`);
    const m = r.modules.find((x) => x.name === 'LOOP-MIB')!;
    const loops = m.errors.filter((e) => /OID loop/.test(e.message));
    expect(loops.map((e) => e.line).sort()).toEqual([2, 3, 4, 5]);
    expect(r.dictionary.resolve('loopA')).toBeUndefined();
    expect(r.dictionary.resolve('loopFine')).toBe('1.3.6.1.4.1.4243');
    expectIntact(r);
  });

  it('a long chain of unresolvable parents: reported in linear time (an upload resolves on the API thread)', () => {
    const n = 20_000;
    const lines = Array.from({ length: n }, (_, i) => `c${i} OBJECT IDENTIFIER ::= { c${i + 1} 1 }`);
    // quadratic took minutes at this size (past the test's timeout); linear takes well under a second
    const r = compileWith('CHAIN-MIB.txt', `CHAIN-MIB DEFINITIONS ::= BEGIN\n${lines.join('\n')}\nEND\n`);
    const m = r.modules.find((x) => x.name === 'CHAIN-MIB')!;
    expect(m.errors.some((e) => /^c0: parent CHAIN-MIB::c1 is unresolved/.test(e.message))).toBe(true);
    expect(m.errors.some((e) => /more errors not listed/.test(e.message))).toBe(true);
    expect(m.errors.some((e) => /OID loop/.test(e.message))).toBe(false);
    expectIntact(r);
  });

  it('an OID over 128 sub-identifiers: refused with an error, its children unresolved, the rest intact', () => {
    const arcs = Array.from({ length: 200 }, () => '1').join(' ');
    const r = compileWith('LONG-MIB.txt', `LONG-MIB DEFINITIONS ::= BEGIN
longOid OBJECT IDENTIFIER ::= { iso 3 6 1 4 1 ${arcs} }
longChild OBJECT IDENTIFIER ::= { longOid 1 }
longFine OBJECT IDENTIFIER ::= { iso 3 6 1 4 1 4244 }
END`);
    const m = r.modules.find((x) => x.name === 'LONG-MIB')!;
    expect(m.errors.some((e) => /longOid: OID longer than 128 sub-identifiers/.test(e.message) && e.line === 2)).toBe(true);
    expect(r.dictionary.resolve('LONG-MIB::longOid')).toBeUndefined();
    expect(r.dictionary.resolve('LONG-MIB::longChild')).toBeUndefined();
    expect(r.dictionary.resolve('LONG-MIB::longFine')).toBe('1.3.6.1.4.1.4244');
    expectIntact(r);
  });

  it('an OID value of thousands of named components: refused before any of them becomes a node', () => {
    const arcs = Array.from({ length: 20_000 }, (_, i) => `a${i}(${i})`).join(' ');
    const r = compileWith('NAMED-MIB.txt', `NAMED-MIB DEFINITIONS ::= BEGIN
named OBJECT IDENTIFIER ::= { iso ${arcs} }
namedFine OBJECT IDENTIFIER ::= { iso 3 6 1 4 1 4245 }
END`);
    const m = r.modules.find((x) => x.name === 'NAMED-MIB')!;
    expect(m.errors.some((e) => /named: OID longer than 128 sub-identifiers/.test(e.message) && e.line === 2)).toBe(true);
    // each named component used to become a node, with an OID as long as the value up to it
    expect(r.dictionary.resolve('NAMED-MIB::a5000')).toBeUndefined();
    expect(m.nodes).toBe(1);
    expect(r.dictionary.resolve('NAMED-MIB::namedFine')).toBe('1.3.6.1.4.1.4245');
    expectIntact(r);
  });

  it('a truncated module: the definitions before the cut load, the cut is reported', () => {
    const cut = GOOD_MODULE.replace(/GOOD-MIB/g, 'CUT-MIB').replace(/good/g, 'cut').replace(/Good/g, 'Cut');
    const text = cut.slice(0, cut.indexOf('cutTable OBJECT-TYPE') + 60);
    const r = compileWith('CUT-MIB.mib', text);
    const m = r.modules.find((x) => x.name === 'CUT-MIB')!;
    expect(m.errors.some((e) => /truncated|no "::="|end of file/.test(e.message))).toBe(true);
    expect(m.errors.every((e) => e.file.endsWith('CUT-MIB.mib') && e.line > 0)).toBe(true);
    expect(r.dictionary.resolve('CUT-MIB::cutName')).toBe('1.3.6.1.4.1.99999.1');
    expectIntact(r);
  });

  it('a 50 MB file: parsed without crash or hang, errors capped, the rest intact', () => {
    dir = smallCorpus();
    writeFileSync(join(dir, 'GOOD-MIB.my'), GOOD_MODULE);
    const p = join(dir, 'HUGE-MIB.txt');
    const fd = openSync(p, 'w');
    writeSync(fd, 'HUGE-MIB DEFINITIONS ::= BEGIN\nIMPORTS enterprises FROM SNMPv2-SMI;\nhugeRoot OBJECT IDENTIFIER ::= { enterprises 4244 }\n');
    const comment = '-- ' + 'x'.repeat(76) + '\n';
    const junk = 'foo bar ( baz } 12 ::= qux\n';
    const chunk = comment.repeat(2000) + junk.repeat(2000) + `hugeDesc OBJECT-IDENTITY STATUS current DESCRIPTION "${'y'.repeat(100_000)}" ::= { hugeRoot 1 }\n`;
    let size = 0;
    while (size < 50 * 1024 * 1024) { writeSync(fd, chunk); size += chunk.length; }
    writeSync(fd, 'hugeLast OBJECT IDENTIFIER ::= { hugeRoot 2 }\nEND\n');
    closeSync(fd);
    const r = compileMibs([dir]);
    const m = r.modules.find((x) => x.name === 'HUGE-MIB')!;
    expect(m.errors.length).toBeLessThanOrEqual(201);
    expect(m.errors.length).toBeGreaterThan(10);
    expect(r.dictionary.resolve('HUGE-MIB::hugeLast')).toBe('1.3.6.1.4.1.4244.2');
    expectIntact(r);
  }, 180_000);

  it('junk after END and keyword typos are tolerated', () => {
    const r = compileWith('TYPO-MIB', `TYPO-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises FROM SNMPv2-SMI
typoRoot OBJECT IDENTIFIER ::= { enterprises 4245 }
typoObj OBJECT_TYPE
    SYNTAX INTEGER { ok(1), not-ok(2) }
    ACCESS read-only
    STATUS mandatory
    ::= { typoRoot 1 }
END
this is trailing junk that is not a module`);
    expect(r.dictionary.resolve('TYPO-MIB::typoObj')).toBe('1.3.6.1.4.1.4245.1');
    expect(r.dictionary.node('typoObj')?.syntax?.enums?.map((e) => e.label)).toEqual(['ok', 'not-ok']);
    expectIntact(r);
  });
  it('a hostile OID of 30,000 sub-identifiers (a trap varbind) is translated in at most 128 prefix lookups, not one per sub-identifier', () => {
    const r = compileWith('GOOD2-MIB.my', GOOD_MODULE.replace(/GOOD-MIB/g, 'GOOD2-MIB').replace(/99999/g, '99998'));
    const oid = `1.3.6.1.2.1.2.2.1.2.${Array.from({ length: 30_000 }, () => '7').join('.')}`;
    r.dictionary.translate('1.3.6.1.2.1.2.2.1.2.1'); // the indexes are built
    const get = vi.spyOn(Map.prototype, 'get');
    try {
      const t = r.dictionary.translate(oid);
      expect(t?.text.startsWith('IF-MIB::ifDescr.7.7')).toBe(true);
      expect(get.mock.calls.length).toBeLessThan(1_000);
    } finally {
      get.mockRestore();
    }
  });
});
