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

/** Streaming lexer with a small lookahead buffer, so huge files never become huge token arrays. */
export class Lexer {
  private i = 0;
  private line = 1;
  private readonly buf: Token[] = [];
  constructor(private readonly src: string) {}

  peek(k = 0): Token {
    while (this.buf.length <= k) this.buf.push(this.scan());
    return this.buf[k];
  }
  next(): Token {
    return this.buf.length > 0 ? this.buf.shift()! : this.scan();
  }

  private emit(t: Token, end: number, line: number): Token {
    this.i = end;
    this.line = line;
    return t;
  }

  private scan(): Token {
    const src = this.src;
    const n = src.length;
    let i = this.i;
    let line = this.line;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === 10) { line++; i++; continue; }
      if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff) { i++; continue; }
      if (c === 45 && src.charCodeAt(i + 1) === 45) {
        // a comment ends at the end of the line or at the next `--`; both searched natively
        let eol = src.indexOf('\n', i + 2);
        if (eol < 0) eol = n;
        let d = i + 2;
        for (;;) {
          d = src.indexOf('-', d);
          if (d < 0 || d >= eol) { i = eol; break; }
          if (src.charCodeAt(d + 1) === 45) { i = d + 2; break; }
          d++;
        }
        continue;
      }
      if (c === 34) {
        const start = i + 1;
        const startLine = line;
        let j = src.indexOf('"', start);
        if (j < 0) j = n;
        let nl = src.indexOf('\n', start);
        while (nl >= 0 && nl < j) { line++; nl = src.indexOf('\n', nl + 1); }
        return this.emit({ kind: 'string', text: src.slice(start, j), line: startLine }, j + 1, line);
      }
      if (c === 39) {
        // 'xx'H or '0101'B; a stray quote becomes punctuation
        const close = src.indexOf("'", i + 1);
        const nl = src.indexOf('\n', i + 1);
        if (close > 0 && (nl < 0 || close < nl)) {
          const suffix = src[close + 1];
          if (suffix === 'H' || suffix === 'h' || suffix === 'B' || suffix === 'b') {
            return this.emit({ kind: suffix === 'H' || suffix === 'h' ? 'hex' : 'bin', text: src.slice(i + 1, close), line }, close + 2, line);
          }
        }
        return this.emit({ kind: 'punct', text: "'", line }, i + 1, line);
      }
      if (isIdentStart(c)) {
        let j = i + 1;
        while (j < n) {
          const d = src.charCodeAt(j);
          if (!isIdentPart(d)) break;
          if (d === 45 && src.charCodeAt(j + 1) === 45) break;
          j++;
        }
        // an identifier never ends with a hyphen
        while (src.charCodeAt(j - 1) === 45) j--;
        return this.emit({ kind: 'ident', text: src.slice(i, j), line }, j, line);
      }
      if (isDigit(c) || (c === 45 && isDigit(src.charCodeAt(i + 1)))) {
        let j = i + 1;
        while (j < n && isDigit(src.charCodeAt(j))) j++;
        // identifiers that start with digits are not legal but appear in vendor files
        if (j < n && isIdentStart(src.charCodeAt(j)) && c !== 45) {
          while (j < n && isIdentPart(src.charCodeAt(j)) && !(src.charCodeAt(j) === 45 && src.charCodeAt(j + 1) === 45)) j++;
          return this.emit({ kind: 'ident', text: src.slice(i, j), line }, j, line);
        }
        return this.emit({ kind: 'number', text: src.slice(i, j), line }, j, line);
      }
      if (c === 58 && src.charCodeAt(i + 1) === 58 && src.charCodeAt(i + 2) === 61) {
        return this.emit({ kind: 'punct', text: '::=', line }, i + 3, line);
      }
      if (c === 46 && src.charCodeAt(i + 1) === 46) return this.emit({ kind: 'punct', text: '..', line }, i + 2, line);
      if (c === 58 && src.charCodeAt(i + 1) === 58) return this.emit({ kind: 'punct', text: '::', line }, i + 2, line);
      return this.emit({ kind: 'punct', text: src[i], line }, i + 1, line);
    }
    return this.emit({ kind: 'eof', text: '', line }, n, line);
  }
}

/** All tokens at once (tests, small inputs). */
export function tokenize(src: string): Token[] {
  const lx = new Lexer(src);
  const out: Token[] = [];
  for (;;) {
    const t = lx.next();
    out.push(t);
    if (t.kind === 'eof') return out;
  }
}
