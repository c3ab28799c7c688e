/**
 * Lenient recursive-descent parser for SMIv1/SMIv2 modules. One file may hold several
 * modules; errors are collected per module with file and line, and the parser resynchronises
 * at the next plausible assignment so everything parseable still loads.
 */
import { forgetSharedTexts, Lexer, type Token } from './tokenizer.ts';
import { WARM_UP_TEXTS } from './warm-up.ts';
import type {
  Bound, Definition, IndexPart, MibError, NamedNumber, NodeKind, OidComponent, ParsedModule,
  TypeDefinition, TypeSpec,
} from './types.ts';

// no prototype: `MACRO_KINDS[word]` must not find `constructor` or `toString`
const MACRO_KINDS: Record<string, NodeKind> = Object.assign(Object.create(null) as Record<string, NodeKind>, {
  'OBJECT-TYPE': 'object-type',
  'OBJECT-IDENTITY': 'object-identity',
  'MODULE-IDENTITY': 'module-identity',
  'NOTIFICATION-TYPE': 'notification',
  'TRAP-TYPE': 'notification',
  'OBJECT-GROUP': 'group',
  'NOTIFICATION-GROUP': 'group',
  'MODULE-COMPLIANCE': 'compliance',
  'AGENT-CAPABILITIES': 'agent-capabilities',
});
const MACRO_NAMES = Object.keys(MACRO_KINDS);
const MAX_ERRORS_PER_MODULE = 200;

/** clauses whose value is a quoted string (a switch: no hashing of every keyword token) */
function isStringClause(kw: string): boolean {
  switch (kw) {
    case 'DESCRIPTION': case 'REFERENCE': case 'DISPLAY-HINT': case 'UNITS': case 'LAST-UPDATED':
    case 'ORGANIZATION': case 'CONTACT-INFO': case 'REVISION': case 'PRODUCT-RELEASE':
      return true;
    default:
      return false;
  }
}

/** Edit distance ≤ 1 (or a `_` for a `-`) from a macro keyword: vendor typos such as OBJECT_TYPE. */
function fuzzyMacro(word: string): string | undefined {
  if (MACRO_KINDS[word]) return word;
  const up = word.toUpperCase().replace(/_/g, '-');
  if (MACRO_KINDS[up]) return up;
  if (up.length < 8 || !up.includes('-')) return undefined;
  for (const m of MACRO_NAMES) if (editDistanceAtMostOne(up, m)) return m;
  return undefined;
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { i++; j++; continue; }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else { i++; j++; }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

function isLower(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 97 && c <= 122;
}

export class MibParser {
  private readonly lx: Lexer;
  private mod!: ParsedModule;
  readonly modules: ParsedModule[] = [];
  /** errors outside any module (junk before the first module, no module at all) */
  readonly fileErrors: MibError[] = [];

  /** reused while reading an OID value, copied out at exact size */
  private readonly oidScratch: OidComponent[] = [];
  /** OID components are never changed once parsed: one object per number and per bare name in a file */
  private readonly numberParts = new Map<string, OidComponent>();
  private readonly nameParts = new Map<string, OidComponent>();
  private readonly bareTypes = new Map<string, TypeSpec>();

  /** parses `text` from `start` to `end` (one file inside a string that holds several) */
  constructor(text: string, private readonly file: string, start = 0, end = text.length, codes?: Uint8Array) {
    this.lx = new Lexer(text, start, end, codes);
  }

  parse(): ParsedModule[] {
    let junkReported = false;
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === 'eof') break;
      if (this.atModuleStart()) {
        this.parseModule();
        junkReported = false;
        continue;
      }
      if (!junkReported && this.modules.length === 0) {
        this.fileErrors.push({ file: this.file, line: t.line, message: `unexpected "${t.text}" outside a module (not a MIB module?)`, severity: 'error' });
        junkReported = true;
      }
      this.lx.next();
    }
    if (this.modules.length === 0 && this.fileErrors.length === 0) {
      this.fileErrors.push({ file: this.file, line: 1, message: 'no MIB module found', severity: 'error' });
    }
    return this.modules;
  }

  private atModuleStart(): boolean {
    const t = this.lx.peek();
    if (t.kind !== 'ident') return false;
    const n = this.lx.peek(1);
    if (n.text === 'DEFINITIONS') return true;
    // `Module { iso ... } DEFINITIONS`
    if (n.text === '{') {
      for (let k = 2; k < 40; k++) {
        const x = this.lx.peek(k);
        if (x.text === '}') return this.lx.peek(k + 1).text === 'DEFINITIONS';
        if (x.kind === 'eof') return false;
      }
    }
    return false;
  }

  private err(line: number, message: string, severity: 'error' | 'warning' = 'error'): void {
    const n = this.mod.errors.length;
    if (n > MAX_ERRORS_PER_MODULE) return;
    if (n === MAX_ERRORS_PER_MODULE) message = 'too many errors; the rest of this module\'s errors are not listed';
    this.mod.errors.push({ file: this.file, line, module: this.mod.name, message, severity });
  }

  private parseModule(): void {
    const nameTok = this.lx.next();
    this.mod = {
      name: nameTok.text, file: this.file, line: nameTok.line, imports: new Map(),
      importedModules: [], defs: [], types: new Map(), errors: [],
    };
    this.modules.push(this.mod);
    while (this.lx.peek().text !== '::=' && this.lx.peek().kind !== 'eof' && this.lx.peek().text !== 'BEGIN') this.lx.next();
    if (this.lx.peek().text === '::=') this.lx.next();
    if (this.lx.peek().text === 'BEGIN') this.lx.next();
    else this.err(this.lx.peek().line, 'expected BEGIN after DEFINITIONS ::=');

    for (;;) {
      const t = this.lx.peek();
      if (t.kind === 'eof') {
        this.err(t.line, 'unexpected end of file: module has no END (truncated?)');
        return;
      }
      if (t.text === 'END' && t.kind === 'ident') {
        this.lx.next();
        return;
      }
      if (this.atModuleStart()) {
        this.err(t.line, `module ends without END before module ${t.text}`);
        return;
      }
      const before = this.lx.position;
      try {
        this.parseStatement();
      } catch (e) {
        if (!(e instanceof SyntaxProblem)) throw e;
        this.err(e.line, e.message);
        this.resync(before);
      }
    }
  }

  /** skip to the next token that plausibly starts an assignment (or END); `failedAt`: the lexer's position where the statement began */
  private resync(failedAt: number): void {
    if (this.lx.position === failedAt) this.lx.next();
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === 'eof' || (t.text === 'END' && t.kind === 'ident')) return;
      if (t.kind === 'ident') {
        const n = this.lx.peek(1);
        if (isLower(t.text) && n.kind === 'ident' && (MACRO_KINDS[n.text] || (n.text === 'OBJECT' && this.lx.peek(2).text === 'IDENTIFIER'))) return;
        if (!isLower(t.text) && n.text === '::=') return;
        if (n.text === 'MACRO' || n.text === 'DEFINITIONS') return;
      }
      this.lx.next();
    }
  }

  private expect(text: string): Token {
    const t = this.lx.next();
    if (t.text !== text) throw new SyntaxProblem(t.line, `expected "${text}" but found ${describe(t)}`);
    return t;
  }

  private expectIdent(what: string): Token {
    const t = this.lx.next();
    if (t.kind !== 'ident') throw new SyntaxProblem(t.line, `expected ${what} but found ${describe(t)}`);
    return t;
  }

  private parseStatement(): void {
    const t = this.lx.peek();
    if (t.text === 'IMPORTS') { this.lx.next(); this.parseImports(); return; }
    if (t.text === 'EXPORTS') {
      while (this.lx.peek().text !== ';' && this.lx.peek().kind !== 'eof' && this.lx.peek().text !== 'END') this.lx.next();
      if (this.lx.peek().text === ';') this.lx.next();
      return;
    }
    if (t.text === ';' || t.text === ',') { this.lx.next(); return; }
    if (t.kind !== 'ident') throw new SyntaxProblem(t.line, `unexpected ${describe(t)}`);
    // the lexer reuses its token objects: what is kept of a token is copied out
    const { text: name, line } = this.lx.next();
    const n = this.lx.peek();
    if (n.text === 'MACRO') { this.skipMacro(); return; }
    if (n.text === 'OBJECT' && this.lx.peek(1).text === 'IDENTIFIER') {
      this.lx.next(); this.lx.next();
      this.expect('::=');
      this.mod.defs.push(definition(name, 'oid-assignment', line, this.parseOidValue()));
      return;
    }
    if (n.text === '::=') {
      this.lx.next();
      if (isLower(name) && this.lx.peek().text === '{') {
        this.mod.defs.push(definition(name, 'oid-assignment', line, this.parseOidValue()));
        return;
      }
      this.parseTypeAssignment(name, line);
      return;
    }
    if (n.kind === 'ident') {
      const macro = fuzzyMacro(n.text);
      if (macro) {
        if (macro !== n.text) this.err(n.line, `"${n.text}" read as ${macro}`, 'warning');
        this.lx.next();
        this.parseMacroInvocation(name, line, macro);
        return;
      }
    }
    // value assignment with another type: `maxFoo INTEGER ::= 255`
    this.parseType();
    this.expect('::=');
    const v = this.lx.peek();
    if (v.text === '{') this.skipBalanced();
    else this.lx.next();
  }

  private parseImports(): void {
    for (;;) {
      const symbols: string[] = [];
      for (;;) {
        const t = this.lx.peek();
        if (t.text === ';' || t.kind === 'eof') { this.lx.next(); return; }
        if (t.text === 'FROM') break;
        if (t.text === ',') { this.lx.next(); continue; }
        if (t.kind !== 'ident') throw new SyntaxProblem(t.line, `unexpected ${describe(t)} in IMPORTS`);
        symbols.push(this.lx.next().text);
      }
      this.lx.next();
      const from = this.expectIdent('a module name after FROM').text;
      // `FROM Module { oid }` is legal ASN.1
      if (this.lx.peek().text === '{' && this.lx.peek(1).kind !== 'eof') this.skipBalanced();
      if (!this.mod.importedModules.includes(from)) this.mod.importedModules.push(from);
      for (const s of symbols) this.mod.imports.set(s, from);
      const n = this.lx.peek();
      if (n.text === ';') { this.lx.next(); return; }
      // a missing `;`: the import list goes on only while the next words are `sym ,` or `sym FROM`
      if (n.kind === 'ident') {
        const n1 = this.lx.peek(1).text;
        if (n1 === ',' || n1 === 'FROM') continue;
      }
      this.err(n.line, 'IMPORTS not terminated by ";"', 'warning');
      return;
    }
  }

  private skipMacro(): void {
    this.lx.next();
    for (;;) {
      const t = this.lx.next();
      if (t.kind === 'eof') throw new SyntaxProblem(t.line, 'MACRO without END');
      if (t.text === 'END') return;
    }
  }

  /** skips a `{ ... }` or `( ... )` group; with `keepText`, returns its tokens' text (DEFVAL) */
  private skipBalanced(keepText = false): string {
    const { text: open, line } = this.lx.next();
    const close = open === '{' ? '}' : open === '(' ? ')' : open === '[' ? ']' : '';
    if (!close) return open;
    const parts: string[] = [];
    let depth = 1;
    for (;;) {
      const t = this.lx.next();
      if (t.kind === 'eof') throw new SyntaxProblem(line, `unbalanced "${open}"`);
      if (t.text === open) depth++;
      else if (t.text === close && --depth === 0) return parts.join(' ');
      if (keepText) parts.push(t.kind === 'string' ? `"${t.text}"` : t.kind === 'hex' ? `'${t.text}'H` : t.kind === 'bin' ? `'${t.text}'B` : t.text);
    }
  }

  private parseOidValue(): OidComponent[] {
    const open = this.lx.peek();
    if (open.kind === 'number') return [this.numberPart(this.lx.next().text)];
    const line = open.line;
    this.expect('{');
    const out = this.oidScratch;
    out.length = 0;
    for (;;) {
      const t = this.lx.next();
      if (t.text === '}') break;
      if (t.kind === 'eof') throw new SyntaxProblem(line, 'OID value not closed by "}"');
      if (t.kind === 'number') { out.push(this.numberPart(t.text)); continue; }
      if (t.kind === 'ident') {
        if (this.lx.peek().text === '(') {
          this.lx.next();
          const num = this.lx.next();
          if (num.kind !== 'number') throw new SyntaxProblem(num.line, `expected a number in ${t.text}(...)`);
          this.expect(')');
          out.push({ name: t.text, number: num.text });
        } else if (this.lx.peek().text === '.' && this.lx.peek(1).kind === 'ident') {
          this.lx.next();
          out.push(this.namePart(this.lx.next().text));
        } else {
          out.push(this.namePart(t.text));
        }
        continue;
      }
      if (t.text === ',' || t.text === '.') continue;
      throw new SyntaxProblem(t.line, `unexpected ${describe(t)} in OID value`);
    }
    if (out.length === 0) throw new SyntaxProblem(line, 'empty OID value');
    return out.slice();
  }

  /** a type named without enums or constraints: one object per name in a file (never changed once parsed) */
  private bareType(name: string): TypeSpec {
    let t = this.bareTypes.get(name);
    if (!t) this.bareTypes.set(name, (t = { name }));
    return t;
  }

  private numberPart(text: string): OidComponent {
    let p = this.numberParts.get(text);
    if (!p) this.numberParts.set(text, (p = { number: text }));
    return p;
  }

  private namePart(text: string): OidComponent {
    let p = this.nameParts.get(text);
    if (!p) this.nameParts.set(text, (p = { name: text }));
    return p;
  }

  private parseTypeAssignment(name: string, line: number): void {
    const t = this.lx.peek();
    if (t.text === 'TEXTUAL-CONVENTION') {
      this.lx.next();
      const td: TypeDefinition = { name, line, textualConvention: true, syntax: { name: 'unknown' } };
      let sawSyntax = false;
      for (;;) {
        const k = this.lx.peek();
        if (k.text === 'SYNTAX') { this.lx.next(); td.syntax = this.parseType(); sawSyntax = true; break; }
        if (k.text === 'DISPLAY-HINT') { this.lx.next(); td.displayHint = this.stringValue(); continue; }
        if (k.text === 'DESCRIPTION') { this.lx.next(); td.description = this.stringValue(); continue; }
        if (k.text === 'REFERENCE') { this.lx.next(); td.reference = this.stringValue(); continue; }
        if (k.text === 'STATUS') { this.lx.next(); td.status = this.lx.next().text; continue; }
        break;
      }
      if (!sawSyntax) this.err(line, `TEXTUAL-CONVENTION ${name} has no SYNTAX`);
      this.mod.types.set(td.name, td);
      return;
    }
    const syntax = this.parseType();
    this.mod.types.set(name, { name, line, textualConvention: false, syntax });
  }

  private stringValue(): string {
    const t = this.lx.next();
    if (t.kind !== 'string') throw new SyntaxProblem(t.line, `expected a quoted string but found ${describe(t)}`);
    return t.text;
  }

  parseType(): TypeSpec {
    let t = this.lx.peek();
    if (t.text === '[') { this.skipBalanced(); t = this.lx.peek(); }
    if (t.text === 'IMPLICIT' || t.text === 'EXPLICIT') { this.lx.next(); t = this.lx.peek(); }
    const first = this.lx.next();
    const firstText = first.text;
    let name: string;
    let module: string | undefined;
    if (firstText === 'OCTET' && this.lx.peek().text === 'STRING') { this.lx.next(); name = 'OCTET STRING'; }
    else if (firstText === 'OBJECT' && this.lx.peek().text === 'IDENTIFIER') { this.lx.next(); name = 'OBJECT IDENTIFIER'; }
    else if (firstText === 'SEQUENCE' || firstText === 'SET') {
      if (this.lx.peek().text === 'OF') { this.lx.next(); const of = this.parseType(); return { name: `${firstText} OF`, of: of.name }; }
      if (this.lx.peek().text === '{') this.skipBalanced();
      return { name: firstText };
    } else if (firstText === 'CHOICE') {
      if (this.lx.peek().text === '{') this.skipBalanced();
      return { name: 'CHOICE' };
    } else if (first.kind === 'ident') {
      if (this.lx.peek().text === '.' && this.lx.peek(1).kind === 'ident') {
        this.lx.next();
        module = firstText;
        name = this.lx.next().text;
      } else name = firstText;
    } else throw new SyntaxProblem(first.line, `expected a type but found ${describe(first)}`);

    const after = this.lx.peek().text;
    if (module === undefined && after !== '{' && after !== '(') return this.bareType(name);
    const spec: TypeSpec = { name, module, enums: undefined, ranges: undefined, sizes: undefined };
    if (this.lx.peek().text === '{') {
      const p1 = this.lx.peek(1);
      const p2 = this.lx.peek(2);
      const isEnum = spec.name === 'INTEGER' || spec.name === 'BITS' || (p1.kind === 'ident' && p2.text === '(');
      if (isEnum) spec.enums = this.parseNamedNumbers();
    }
    if (this.lx.peek().text === '(') this.parseConstraint(spec);
    return spec;
  }

  private parseNamedNumbers(): NamedNumber[] {
    const { line } = this.expect('{');
    const out: NamedNumber[] = [];
    for (;;) {
      const t = this.lx.next();
      if (t.text === '}') return out.slice();
      if (t.kind === 'eof') throw new SyntaxProblem(line, 'enumeration not closed by "}"');
      if (t.text === ',') continue;
      if (t.kind !== 'ident') throw new SyntaxProblem(t.line, `unexpected ${describe(t)} in enumeration`);
      this.expect('(');
      const v = this.lx.next();
      if (v.kind !== 'number') throw new SyntaxProblem(v.line, `expected a number for enumeration label ${t.text}`);
      this.expect(')');
      out.push({ label: t.text, value: v.text });
    }
  }

  private parseConstraint(spec: TypeSpec): void {
    const { line } = this.expect('(');
    if (this.lx.peek().text === 'SIZE') {
      this.lx.next();
      this.expect('(');
      spec.sizes = this.parseRanges();
      this.expect(')');
      this.expect(')');
      return;
    }
    spec.ranges = this.parseRanges();
    const close = this.lx.next();
    if (close.text !== ')') throw new SyntaxProblem(line, `range not closed by ")" (found ${describe(close)})`);
  }

  private parseRanges(): Bound[] {
    const out: Bound[] = [];
    for (;;) {
      const min = this.rangeValue();
      let max = min;
      if (this.lx.peek().text === '..') { this.lx.next(); max = this.rangeValue(); }
      out.push({ min, max });
      if (this.lx.peek().text === '|') { this.lx.next(); continue; }
      return out.slice();
    }
  }

  private rangeValue(): string {
    const t = this.lx.next();
    if (t.kind === 'number') return decimal(t.text);
    if (t.kind === 'hex') return t.text === '' ? '0' : BigInt('0x' + t.text).toString();
    if (t.kind === 'bin') return t.text === '' ? '0' : BigInt('0b' + t.text).toString();
    if (t.kind === 'ident') return t.text;
    throw new SyntaxProblem(t.line, `unexpected ${describe(t)} in a range`);
  }

  private parseMacroInvocation(name: string, line: number, macro: string): void {
    const kind = MACRO_KINDS[macro];
    const def = definition(name, kind, line, undefined);
    for (;;) {
      const k = this.lx.peek();
      if (k.text === '::=') { this.lx.next(); break; }
      if (k.kind === 'eof') throw new SyntaxProblem(line, `${macro} ${name} has no "::=" (truncated?)`);
      if (k.text === 'END' && this.lx.peek(1).kind === 'eof') throw new SyntaxProblem(line, `${macro} ${name} has no "::="`);
      if (k.kind === 'ident' && isLower(k.text) && this.lx.peek(1).kind === 'ident' && MACRO_KINDS[this.lx.peek(1).text]) {
        throw new SyntaxProblem(line, `${macro} ${name} has no "::=" before ${k.text}`);
      }
      this.lx.next();
      const kw = k.text;
      if (isStringClause(kw)) {
        const v = this.lx.peek();
        if (v.kind !== 'string') { this.err(v.line, `${name}: ${kw} expects a quoted string`); continue; }
        this.lx.next();
        if (kw === 'DESCRIPTION') def.description ??= v.text;
        else if (kw === 'REFERENCE') def.reference ??= v.text;
        else if (kw === 'UNITS') def.units ??= v.text;
        else if (kw === 'DISPLAY-HINT') def.displayHint ??= v.text;
        continue;
      }
      switch (kw) {
        case 'SYNTAX':
          if (kind === 'object-type' && !def.syntax) def.syntax = this.parseType();
          else this.parseType();
          break;
        case 'WRITE-SYNTAX':
          this.parseType();
          break;
        case 'ACCESS': case 'MAX-ACCESS': case 'MIN-ACCESS':
          if (kind === 'object-type') def.access ??= this.lx.next().text; else this.lx.next();
          break;
        case 'STATUS':
          def.status ??= this.lx.next().text;
          break;
        case 'INDEX':
          def.index = this.parseIndex();
          break;
        case 'AUGMENTS': {
          const list = this.parseNameList();
          def.augments = list[0];
          break;
        }
        case 'OBJECTS': case 'VARIABLES': case 'NOTIFICATIONS':
          if (!def.objects) def.objects = this.parseNameList(); else this.parseNameList();
          break;
        case 'ENTERPRISE': {
          const e = this.lx.peek();
          if (e.text === '{') { const comps = this.parseOidValue(); def.enterprise = comps[comps.length - 1].name; }
          else def.enterprise = this.expectIdent('an enterprise name').text;
          break;
        }
        case 'DEFVAL':
          if (this.lx.peek().text === '{') def.defval = this.skipBalanced(true);
          break;
        default:
          if (kw === '{' || kw === '(') {
            // `{` came in as the keyword itself: rewind is impossible, so skip its group by depth
            this.skipRest(kw);
          }
      }
    }
    if (macro === 'TRAP-TYPE') {
      const num = this.lx.next();
      if (num.kind !== 'number') throw new SyntaxProblem(num.line, `TRAP-TYPE ${name}: expected a trap number after ::=`);
      def.trapNumber = num.text;
      if (!def.enterprise) throw new SyntaxProblem(line, `TRAP-TYPE ${name} has no ENTERPRISE`);
    } else {
      def.oid = this.parseOidValue();
    }
    this.mod.defs.push(def);
  }

  private skipRest(open: string): void {
    const close = open === '{' ? '}' : ')';
    let depth = 1;
    while (depth > 0) {
      const t = this.lx.next();
      if (t.kind === 'eof') return;
      if (t.text === open) depth++;
      else if (t.text === close) depth--;
    }
  }

  private parseIndex(): IndexPart[] {
    const { line } = this.expect('{');
    const out: IndexPart[] = [];
    let implied = false;
    for (;;) {
      const t = this.lx.next();
      if (t.text === '}') return out.slice();
      if (t.kind === 'eof') throw new SyntaxProblem(line, 'INDEX not closed by "}"');
      if (t.text === ',') continue;
      if (t.text === 'IMPLIED') { implied = true; continue; }
      if (t.kind !== 'ident') throw new SyntaxProblem(t.line, `unexpected ${describe(t)} in INDEX`);
      // SMIv1 allowed types in INDEX (`INTEGER`, `OCTET STRING`): keep the name, it will not resolve
      if (t.text === 'OCTET' && this.lx.peek().text === 'STRING') this.lx.next();
      if (t.text === 'OBJECT' && this.lx.peek().text === 'IDENTIFIER') this.lx.next();
      out.push({ name: t.text, implied });
      implied = false;
    }
  }

  private parseNameList(): string[] {
    const { line } = this.expect('{');
    const out: string[] = [];
    for (;;) {
      const t = this.lx.next();
      if (t.text === '}') return out.slice();
      if (t.kind === 'eof') throw new SyntaxProblem(line, 'list not closed by "}"');
      if (t.kind === 'ident') out.push(t.text);
    }
  }
}

/**
 * Every definition has every field, those of the dictionary node it may become included (`module`):
 * one object shape, no out-of-object property store, and a compile can make the node of it in place
 * (resolver.ts `reuseDefinitions`).
 */
function definition(name: string, kind: NodeKind, line: number, oid: OidComponent[] | undefined): Definition {
  // the node's fields in the order a copy has them (resolver.ts), so both print the same JSON
  return {
    name, oid, module: undefined, kind, line, syntax: undefined, access: undefined, status: undefined,
    units: undefined, description: undefined, reference: undefined, index: undefined, augments: undefined,
    objects: undefined, defval: undefined, enterprise: undefined, trapNumber: undefined, displayHint: undefined,
  };
}

/**
 * a number token as its canonical decimal (no leading zeros, no "-0"): as written when it already
 * is (`0` bounds most SIZE ranges), else through BigInt, which keeps values past 2^53
 */
function decimal(text: string): string {
  if (text === '0') return text;
  const first = text.charCodeAt(text.charCodeAt(0) === 45 ? 1 : 0);
  return text.length < 15 && first >= 49 && first <= 57 ? text : BigInt(text).toString();
}

class SyntaxProblem extends Error {
  constructor(readonly line: number, message: string) { super(message); }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  if (t.kind === 'string') return 'a quoted string';
  return `"${t.text}"`;
}

/**
 * Finished parses of the warm-up modules (warm-up.ts), held for the life of the process. Parsed
 * twice as this module loads, so the lexer's and the parser's first optimised code covers every
 * path; held, they keep the hidden classes of the lexer, the parser, tokens and parse output
 * alive: without them every full GC between two compiles frees those and V8 throws away the
 * parser's optimized code ("weak objects" deopts: 151 in 7 compiles, 18 with one held parse), so
 * each later compile starts cold again.
 */
const SHAPE_KEEPER = ((): MibParser[] => {
  let kept: MibParser[] = [];
  for (let round = 0; round < 2; round++) {
    kept = WARM_UP_TEXTS.map((text) => new MibParser(text, 'warm-up'));
    for (const p of kept) p.parse();
    forgetSharedTexts();
  }
  return kept;
})();
void SHAPE_KEEPER;

/**
 * `codes`: the bytes `text` was decoded from as latin1 (see Lexer), when the caller has them.
 * `keepShared`: the lexer's shared words stay for the next parse (a corpus compile shares them
 * across files, and calls forgetSharedTexts when done); otherwise they are forgotten, so they
 * keep no text alive.
 */
export function parseMibText(text: string, file: string, start = 0, end = text.length, codes?: Uint8Array, keepShared = false): { modules: ParsedModule[]; errors: MibError[] } {
  const p = new MibParser(text, file, start, end, codes);
  try {
    const modules = p.parse();
    return { modules, errors: p.fileErrors };
  } finally {
    if (!keepShared) forgetSharedTexts();
  }
}
