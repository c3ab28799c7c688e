/**
 * ASN.1/SMI tokenizer. Lenient by design: unknown characters become one-char punctuation
 * tokens, `--` comments end at the next `--` or at the end of the line, strings may span lines.
 */
export type TokenKind = 'ident' | 'number' | 'string' | 'hex' | 'bin' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
}

/** 1 = letter, 2 = digit, 3 = `-` or `_` (ASCII only; other characters are punctuation) */
const CHAR_CLASS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) CHAR_CLASS[c] = CHAR_CLASS[c + 32] = 1;
for (let c = 48; c <= 57; c++) CHAR_CLASS[c] = 2;
CHAR_CLASS[45] = CHAR_CLASS[95] = 3;

function isIdentStart(c: number): boolean {
  return c < 128 && CHAR_CLASS[c] === 1;
}
function isIdentPart(c: number): boolean {
  return c < 128 && CHAR_CLASS[c] !== 0;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Names, numbers and keywords repeat thousands of times in a module (`current`, `read-only`,
 * `DisplayString`, parent names, sub-identifiers). Identifier and number tokens return the same
 * string object as an earlier equal text still in this small direct-mapped cache, so the parse
 * output, which the garbage collector must copy, holds one string per word instead of a copy per
 * use. Words longer than SHARED_MAX are not shared. Emptied after each parse, or after a whole
 * corpus compile (parser.ts `parseMibText` `keepShared`): cached slices keep the source text alive.
 */
const SHARED_MASK = 4095;
const SHARED_MAX = 48;
const SHARED: (string | undefined)[] = new Array<string | undefined>(SHARED_MASK + 1).fill(undefined);
/**
 * each cached string's length and characters, compared instead of the string itself: these two
 * arrays stay in the processor's cache, the strings are spread over the heap
 */
const SHARED_LEN = new Uint8Array(SHARED_MASK + 1);
const SHARED_CODES = new Uint8Array((SHARED_MASK + 1) * SHARED_MAX);

/**
 * `src.slice(i, j)`, or the cached equal string without slicing (no garbage copy of a repeated
 * word): `codes` holds `src`'s characters as the Lexer reads them, which for an identifier's or a
 * number's (ASCII) are the characters themselves
 */
function sharedSlice(src: string, codes: Uint8Array, i: number, j: number): string {
  const len = j - i;
  if (len > SHARED_MAX) return src.slice(i, j);
  const h = (len * 131 + codes[i] * 31 + codes[j - 1] * 7 + codes[i + (len >> 1)]) & SHARED_MASK;
  const at = h * SHARED_MAX;
  if (SHARED_LEN[h] === len) {
    let k = 0;
    while (k < len && SHARED_CODES[at + k] === codes[i + k]) k++;
    if (k === len) return SHARED[h]!;
  }
  const text = src.slice(i, j);
  SHARED[h] = text;
  SHARED_LEN[h] = len;
  for (let k = 0; k < len; k++) SHARED_CODES[at + k] = codes[i + k];
  return text;
}

export function forgetSharedTexts(): void {
  SHARED.fill(undefined);
  SHARED_LEN.fill(0);
}

/** how many words the lexer holds shared now (tests: none once a parse or a corpus compile is done) */
export function sharedTextCount(): number {
  let n = 0;
  for (let h = 0; h <= SHARED_MASK; h++) if (SHARED[h] !== undefined) n++;
  return n;
}

/**
 * One byte per UTF-16 unit of `text`, as the scanner classifies it: itself below 256, a space for
 * a byte-order mark, 255 (punctuation, like any non-ASCII character) for anything else.
 */
export function codesOf(text: string): Uint8Array {
  // latin1 encoding keeps each unit's low byte; the few units above 255 (found natively) are then set
  const out = Buffer.from(text, 'latin1');
  const wide = /[^\x00-\xff]/g;
  for (let m = wide.exec(text); m !== null; m = wide.exec(text)) out[m.index] = text.charCodeAt(m.index) === 0xfeff ? 32 : 255;
  return out;
}

/** lookahead capacity - 1; the parser looks at most ~42 tokens ahead (`Module { oid } DEFINITIONS`) */
const RING_MASK = 63;

/**
 * Streaming lexer with a small lookahead buffer, so huge files never become huge token arrays.
 * The buffer's token objects are reused: a token from `next()` or `peek()` holds its fields only
 * while the lexer scans at most RING_MASK further tokens, those `peek()` looks ahead at included
 * (copy the fields to keep them). A corpus compile reads 1.5 million tokens; an object each was
 * half of what the parse allocated.
 */
export class Lexer {
  private i: number;
  private line = 1;
  /** lookahead: tokens number `consumed` to `scanned - 1` are scanned but not yet consumed */
  private readonly ring: Token[] = Array.from({ length: RING_MASK + 1 }, (): Token => ({ kind: 'eof', text: '', line: 0 }));
  private consumed = 0;
  private scanned = 0;
  /** character codes of `src`, read by the scanner (a typed array reads faster than charCodeAt) */
  private readonly codes: Uint8Array;

  /**
   * lexes `src` from `start` to `end` (one file's text inside a string that holds several);
   * `codes` may give the source's bytes when `src` is their latin1 (or ASCII) decoding
   */
  constructor(private readonly src: string, start = 0, private readonly end = src.length, codes?: Uint8Array) {
    this.i = start;
    this.codes = codes ?? codesOf(src);
  }

  /** how many tokens `next()` has returned */
  get position(): number {
    return this.consumed;
  }

  /** char code at `p`, NaN past the end of the lexed range */
  private at(p: number): number {
    return p < this.end ? this.codes[p] : NaN;
  }

  peek(k = 0): Token {
    while (this.scanned - this.consumed <= k) this.scan(this.ring[this.scanned++ & RING_MASK]);
    return this.ring[(this.consumed + k) & RING_MASK];
  }
  next(): Token {
    if (this.consumed === this.scanned) this.scan(this.ring[this.scanned++ & RING_MASK]);
    return this.ring[this.consumed++ & RING_MASK];
  }

  private emit(t: Token, kind: TokenKind, text: string, tokenLine: number, end: number, line: number): void {
    t.kind = kind;
    t.text = text;
    t.line = tokenLine;
    this.i = end;
    this.line = line;
  }

  /** reads the next token into `t` */
  private scan(t: Token): void {
    const src = this.src;
    const codes = this.codes;
    const n = this.end;
    let i = this.i;
    let line = this.line;
    while (i < n) {
      const c = codes[i];
      if (c === 10) { line++; i++; continue; }
      if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0) { i++; continue; }  // a byte-order mark is 32 in codes
      if (c === 45 && this.at(i + 1) === 45) {
        // a comment ends at the end of the line or at the next `--`; both searched natively
        let eol = src.indexOf('\n', i + 2);
        if (eol < 0 || eol > n) eol = n;
        let d = i + 2;
        for (;;) {
          d = src.indexOf('-', d);
          if (d < 0 || d >= eol) { i = eol; break; }
          if (this.at(d + 1) === 45) { i = d + 2; break; }
          d++;
        }
        continue;
      }
      if (c === 34) {
        const start = i + 1;
        const startLine = line;
        let j = src.indexOf('"', start);
        if (j < 0 || j > n) j = n;
        let nl = src.indexOf('\n', start);
        while (nl >= 0 && nl < j) { line++; nl = src.indexOf('\n', nl + 1); }
        return this.emit(t, 'string', src.slice(start, j), startLine, j + 1, line);
      }
      if (c === 39) {
        // 'xx'H or '0101'B; a stray quote becomes punctuation
        let close = src.indexOf("'", i + 1);
        if (close >= n) close = -1;
        const nl = src.indexOf('\n', i + 1);
        if (close > 0 && (nl < 0 || close < nl)) {
          const suffix = close + 1 < n ? src[close + 1] : undefined;
          if (suffix === 'H' || suffix === 'h' || suffix === 'B' || suffix === 'b') {
            return this.emit(t, suffix === 'H' || suffix === 'h' ? 'hex' : 'bin', src.slice(i + 1, close), line, close + 2, line);
          }
        }
        return this.emit(t, 'punct', "'", line, i + 1, line);
      }
      if (isIdentStart(c)) {
        let j = i + 1;
        while (j < n) {
          const d = codes[j];
          if (!isIdentPart(d)) break;
          if (d === 45 && this.at(j + 1) === 45) break;
          j++;
        }
        // an identifier never ends with a hyphen
        while (codes[j - 1] === 45) j--;
        return this.emit(t, 'ident', sharedSlice(src, codes, i, j), line, j, line);
      }
      if (isDigit(c) || (c === 45 && isDigit(this.at(i + 1)))) {
        let j = i + 1;
        while (j < n && isDigit(codes[j])) j++;
        // identifiers that start with digits are not legal but appear in vendor files
        if (j < n && isIdentStart(codes[j]) && c !== 45) {
          while (j < n && isIdentPart(codes[j]) && !(codes[j] === 45 && this.at(j + 1) === 45)) j++;
          return this.emit(t, 'ident', sharedSlice(src, codes, i, j), line, j, line);
        }
        return this.emit(t, 'number', sharedSlice(src, codes, i, j), line, j, line);
      }
      if (c === 58 && this.at(i + 1) === 58 && this.at(i + 2) === 61) {
        return this.emit(t, 'punct', '::=', line, i + 3, line);
      }
      if (c === 46 && this.at(i + 1) === 46) return this.emit(t, 'punct', '..', line, i + 2, line);
      if (c === 58 && this.at(i + 1) === 58) return this.emit(t, 'punct', '::', line, i + 2, line);
      return this.emit(t, 'punct', src[i], line, i + 1, line);
    }
    return this.emit(t, 'eof', '', line, n, line);
  }
}

/** All tokens at once (tests, small inputs). */
export function tokenize(src: string): Token[] {
  const lx = new Lexer(src);
  const out: Token[] = [];
  for (;;) {
    const t = lx.next();
    out.push({ ...t });
    if (t.kind === 'eof') return out;
  }
}
