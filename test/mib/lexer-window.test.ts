// Lexing one file inside a string that holds several (how compileMibs reads ASCII files), and
// shared strings for repeated words.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMibs } from '../../src/mib/index.ts';
import { parseMibText } from '../../src/mib/parser.ts';
import { codesOf, forgetSharedTexts, Lexer, sharedTextCount, tokenize, type Token } from '../../src/mib/tokenizer.ts';

function tokensIn(src: string, start: number, end: number): Token[] {
  const lx = new Lexer(src, start, end);
  const out: Token[] = [];
  for (;;) {
    const t = lx.next();
    out.push({ ...t }); // the lexer reuses its token objects
    if (t.kind === 'eof') return out;
  }
}

describe('lexing a range of a larger string', () => {
  // each text is lexed alone and between neighbours that would change its last token if read
  it.each([
    ['a -', '-'], ['a -', '5'], ['x :', ':='], ['y .', '.'], ["z '0F'", 'H'], ['w "open', '"'],
    ['v -- c -', '-'], ['u abc', 'def'], ['t 12', '34'], ['s :', ':'],
  ])('%j followed by %j', (text, neighbour) => {
    const big = neighbour + text + neighbour;
    expect(tokensIn(big, neighbour.length, neighbour.length + text.length)).toEqual(tokenize(text));
  });

  it('a module parsed from a range reports the same errors and lines as alone', () => {
    const text = 'T-MIB DEFINITIONS ::= BEGIN\nt OBJECT IDENTIFIER ::= { iso 9 }\nbad OBJECT-TYPE SYNTAX ::= { t 1 }\nEND';
    const alone = parseMibText(text, 'f');
    const inRange = parseMibText(`JUNK ${text} MORE-JUNK`, 'f', 5, 5 + text.length);
    expect(inRange.errors).toEqual(alone.errors);
    expect(inRange.modules[0].errors).toEqual(alone.modules[0].errors);
    expect(inRange.modules[0].defs).toEqual(alone.modules[0].defs);
  });

  it('repeated words come back as one shared string', () => {
    const [a, , b] = tokenize('read-only current read-only');
    expect(a.text).toBe('read-only');
    expect(Object.is(a.text, b.text)).toBe(true);
  });

  it('a corpus compile shares words across files and forgets them when done, as a single parse does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpulse-shared-words-'));
    try {
      for (const m of ['A', 'B']) writeFileSync(join(dir, `${m}.mib`), `${m}-MIB DEFINITIONS ::= BEGIN\n${m.toLowerCase()}Node OBJECT IDENTIFIER ::= { iso 3 ${m === 'A' ? 1 : 2} }\nEND\n`);
      const r = compileMibs([dir], {});
      expect(r.dictionary.size).toBe(2);
      expect(sharedTextCount()).toBe(0);
      parseMibText('C-MIB DEFINITIONS ::= BEGIN c OBJECT IDENTIFIER ::= { iso 3 } END', 'c');
      expect(sharedTextCount()).toBe(0);
      parseMibText('D-MIB DEFINITIONS ::= BEGIN d OBJECT IDENTIFIER ::= { iso 3 } END', 'd', 0, undefined, undefined, true);
      expect(sharedTextCount()).toBeGreaterThan(0);
      forgetSharedTexts();
      expect(sharedTextCount()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('words that share a cache slot keep their own text', () => {
    // same length, first, middle and last character: the same slot of the shared-word cache
    const words = ['aXcde', 'aYcde', 'aXcde', 'aZcde', 'aYcde', '12345', '19345', 'x'.repeat(60), 'x'.repeat(59) + 'y'];
    expect(tokenize(words.join(' ')).slice(0, -1).map((t) => t.text)).toEqual(words);
  });
});

describe('packed reading in compileMibs', () => {
  it('ASCII and non-ASCII files side by side compile as when read one by one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpulse-mib-pack-'));
    try {
      const mod = (name: string, arc: number, desc: string) => `${name} DEFINITIONS ::= BEGIN
IMPORTS enterprises, MODULE-IDENTITY FROM SNMPv2-SMI;
${name.toLowerCase().replace(/-/g, '')} MODULE-IDENTITY LAST-UPDATED "202401010000Z" ORGANIZATION "x" CONTACT-INFO "x"
  DESCRIPTION "${desc}" ::= { enterprises ${arc} }
END
`;
      writeFileSync(join(dir, 'A-MIB'), mod('A-MIB', 1, 'plain ascii'));
      writeFileSync(join(dir, 'B-MIB'), mod('B-MIB', 2, 'caf\u00e9 \u2013 utf-8'));
      writeFileSync(join(dir, 'C-MIB'), mod('C-MIB', 3, 'ends without a newline').trimEnd());
      writeFileSync(join(dir, 'D-MIB'), mod('D-MIB', 4, 'after one without a newline'));
      // larger than a pack: read into a buffer of its own size
      writeFileSync(join(dir, 'E-MIB'), mod('E-MIB', 5, 'x'.repeat(1_200_000)));
      writeFileSync(join(dir, 'F-MIB'), mod('F-MIB', 6, 'after the large one'));
      const r = compileMibs([dir]);
      expect(r.errors.filter((e) => e.severity === 'error')).toEqual([]);
      expect(r.dictionary.node('emib')?.description?.length).toBe(1_200_000);
      expect(r.dictionary.node('fmib')?.oid).toBe('1.3.6.1.4.1.6');
      expect(r.dictionary.node('bmib')?.description).toBe('caf\u00e9 \u2013 utf-8');
      expect(r.dictionary.node('cmib')?.line).toBe(3);
      expect(r.dictionary.node('dmib')?.oid).toBe('1.3.6.1.4.1.4');
      expect(r.modules.map((m) => m.name)).toEqual(['A-MIB', 'B-MIB', 'C-MIB', 'D-MIB', 'E-MIB', 'F-MIB']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('character codes the scanner reads', () => {
  const kinds = (src: string) => tokenize(src).map((t) => `${t.kind}:${t.text}`);
  it.each([
    ['a byte-order mark is white space', '\ufeffA ::= 1', ['ident:A', 'punct:::=', 'number:1', 'eof:']],
    ['a no-break space is white space', 'A\u00a0B', ['ident:A', 'ident:B', 'eof:']],
    ['a character above U+00FF is one punctuation token', 'a \u2013 b', ['ident:a', 'punct:\u2013', 'ident:b', 'eof:']],
    ['U+012D is not read as "-" (its low byte)', 'a\u012d-b', ['ident:a', 'punct:\u012d', 'punct:-', 'ident:b', 'eof:']],
    ['latin1 letters are punctuation, as before', 'caf\u00e9', ['ident:caf', 'punct:\u00e9', 'eof:']],
  ])('%s', (_name, src, expected) => {
    expect(kinds(src)).toEqual(expected);
  });

  it('the bytes a caller passes give the same tokens as the text alone', () => {
    const text = 'IF-MIB DEFINITIONS ::= BEGIN ifIndex OBJECT-TYPE SYNTAX INTEGER (1..2147483647) DESCRIPTION "x\ny" ::= { ifEntry 1 } END';
    const withBytes = new Lexer(text, 0, text.length, Buffer.from(text, 'latin1'));
    const out: Token[] = [];
    for (let t = withBytes.next(); ; t = withBytes.next()) { out.push({ ...t }); if (t.kind === 'eof') break; }
    expect(out).toEqual(tokenize(text));
  });
});

describe('reused token objects', () => {
  it('a token read with next() keeps its fields while fewer than 64 further tokens are read', () => {
    const lx = new Lexer(Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '));
    const first = lx.next();
    for (let i = 0; i < 62; i++) lx.next();
    expect(first.text).toBe('w0');
    for (let k = 0; k < 40; k++) lx.peek(k);
    expect(lx.peek(0).text).toBe('w63');
    expect(lx.position).toBe(63);
  });

  it('a long enumeration, range list and macro parse as when each token was its own object', () => {
    const labels = Array.from({ length: 150 }, (_, i) => `v${i}(${i})`).join(', ');
    const ranges = Array.from({ length: 100 }, (_, i) => `${i * 10}..${i * 10 + 5}`).join(' | ');
    const text = `L-MIB DEFINITIONS ::= BEGIN
l OBJECT IDENTIFIER ::= { iso 9 }
lBig OBJECT-TYPE SYNTAX INTEGER { ${labels} } MAX-ACCESS read-only STATUS current DESCRIPTION "d" ::= { l 1 }
LRange ::= Integer32 (${ranges})
lSeq OBJECT-TYPE SYNTAX SEQUENCE OF LEntry MAX-ACCESS not-accessible STATUS current DESCRIPTION "${'x '.repeat(10)}" ::= { l 2 }
lBad OBJECT-TYPE SYNTAX INTEGER { ${labels} MAX-ACCESS read-only ::= { l 3 }
END`;
    const { modules } = parseMibText(text, 'l.mib');
    const [m] = modules;
    const big = m.defs.find((d) => d.name === 'lBig')!;
    expect(big.syntax?.enums).toHaveLength(150);
    expect(big.syntax?.enums?.[149]).toEqual({ label: 'v149', value: '149' });
    expect(big.line).toBe(3);
    expect(m.types.get('LRange')?.syntax.ranges).toHaveLength(100);
    expect(m.types.get('LRange')).toMatchObject({ name: 'LRange', line: 4 });
    expect(m.defs.find((d) => d.name === 'lSeq')?.syntax).toEqual({ name: 'SEQUENCE OF', of: 'LEntry' });
    // as before the lexer reused its tokens
    expect(m.errors.map((e) => [e.line, e.message])).toEqual([[6, 'expected "(" but found "read-only"']]);
  });
});

describe('codesOf', () => {
  it.each([
    ['ascii', 'ab-1', [97, 98, 45, 49]],
    ['latin1 kept', 'caf\u00e9', [99, 97, 102, 0xe9]],
    ['a byte-order mark is a space', '\ufeffA', [32, 65]],
    ['a unit above 255 is 255, not its low byte', 'a\u012d\u2019', [97, 255, 255]],
    ['a surrogate pair is two units of 255', 'x\u{1f600}y', [120, 255, 255, 121]],
  ])('%s', (_name, text, codes) => {
    expect([...codesOf(text)]).toEqual(codes);
  });
});
