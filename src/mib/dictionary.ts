/**
 * The compiled OID dictionary: lookups by OID and by name, translation of instance OIDs
 * (longest prefix + INDEX decoding), children, ranked search.
 */
import { decodeIndex, type IndexObject } from './index-decode.ts';
import { formatVarbindValue, type VarbindLike } from './format-value.ts';
import { addModuleTo, type AddModuleResult } from './add-module.ts';
import type { MibNode, MibType, ModuleSummary, Syntax } from './types.ts';
import { runSliced, runToEnd, SLICE_MS, type Steps } from './steps.ts';
import { forEachWord, searchStem, WordIndex } from './word-index.ts';
import { ALL_ABBREVIATIONS, nodesAbbreviating, vocabularyOf, type NameAbbreviation } from './search-vocabulary.ts';

export interface Translation {
  /** `IF-MIB::ifDescr.2` */
  text: string;
  node: MibNode;
  /** sub-identifiers after the node's OID */
  suffix: number[];
  /** decoded index parts of a table column instance */
  index?: string[];
}

export interface SearchHit { node: MibNode; score: number; match: 'name' | 'oid' | 'description' }
export interface SearchResult { total: number; hits: SearchHit[] }

/** Modules superseded by newer ones: their nodes lose ties for the same OID. */
const OBSOLETE_MODULE = /^(RFC\d+-MIB|RFC1155-SMI|RFC-1212|RFC-1215|RFC1158-MIB|RFC1213-MIB|.*-V1-MIB|.*V1SMI.*)$/;
const STOPWORDS = new Set(['the', 'of', 'an', 'and', 'or', 'to', 'in', 'is', 'for', 'this', 'that', 'by', 'be', 'on', 'as', 'with', 'it', 'are', 'at', 'from']);
const KIND_RANK: Record<string, number> = {
  'object-type': 0, notification: 1, 'object-identity': 2, 'module-identity': 3, group: 4,
  compliance: 5, 'agent-capabilities': 6, 'oid-assignment': 7, 'textual-convention': 8,
};

function nodeRank(n: MibNode): number {
  return (n.name.endsWith('#') ? 100 : 0) + (OBSOLETE_MODULE.test(n.module) ? 10 : 0) + (KIND_RANK[n.kind] ?? 9);
}
const byRank = (a: MibNode, b: MibNode) => nodeRank(a) - nodeRank(b);

/** index builds yield every STEP items: run in slices for a live dictionary (uploads, `prepare`), at once for lazy builds */
const STEP = 1024;

type Texts = { nodes: [string?, string?][]; types: [string?, string?][] };
/** where descriptions and references come from: read at once, or (`sliced`) a few lines per turn of the event loop */
export type TextSource = { (): Texts | undefined; sliced?: (sliceMs: number) => Promise<Texts | undefined> };
/** a stored word index of exactly this node list (the cache's): read instead of building it, written once built */
export interface WordSource { load(nodeCount: number): Steps<WordIndex | undefined>; save(index: WordIndex, nodeCount: number): void }

export function parseOid(s: string): number[] | undefined {
  const t = s.startsWith('.') ? s.slice(1) : s;
  if (!/^\d+(\.\d+)*$/.test(t)) return undefined;
  return t.split('.').map(Number);
}

export class Dictionary {
  nodes: MibNode[];
  types: MibType[];
  modules: ModuleSummary[];
  // built on first use, so loading from the cache stays cheap
  private oidIndex?: Map<string, MibNode[]>;
  private nameIndex?: { byName: Map<string, MibNode[]>; byQualified: Map<string, MibNode>; typeByQualified: Map<string, MibType>; typeByName: Map<string, MibType> };
  private childIndex?: Map<string, number[]>;
  private words?: WordIndex;
  private textSource?: TextSource;
  private wordSource?: WordSource;
  /** the descriptions could not be read: a word index built now is not stored */
  private textsMissing = false;
  /** bumped by every swap of the node list, so a build in slices knows when its base went stale */
  private version = 0;

  constructor(nodes: MibNode[], types: MibType[] = [], modules: ModuleSummary[] = []) {
    this.nodes = nodes;
    this.types = types;
    this.modules = modules;
    this.reindex();
  }

  /** descriptions/references come from a second cache file, read on first need */
  setTextSource(src: TextSource): void {
    this.textSource = src;
  }

  /**
   * the word index of the search comes from (and once built goes to) the cache; dropped when the
   * node list changes; undefined: no more reads or writes (the holder closed, or moved on)
   */
  setWordSource(src: WordSource | undefined): void {
    this.wordSource = src;
  }

  /** fills in descriptions and references when the dictionary came from the cache */
  ensureTexts(): void {
    const src = this.textSource;
    if (!src) return;
    this.textSource = undefined;
    this.applyTexts(src());
  }

  /** ensureTexts, reading and parsing the texts in slices when the source can */
  private async ensureTextsSliced(sliceMs: number): Promise<void> {
    const src = this.textSource;
    if (!src?.sliced) return this.ensureTexts();
    const t = await src.sliced(sliceMs);
    // replaced or loaded meanwhile: what is there now, at once
    if (this.textSource !== src) return this.ensureTexts();
    this.textSource = undefined;
    this.applyTexts(t);
  }

  private applyTexts(t: Texts | undefined): void {
    if (!t || t.nodes.length !== this.nodes.length || t.types.length !== this.types.length) {
      // an index built now would miss the descriptions: not one to store
      this.textsMissing = true;
      return;
    }
    this.nodes.forEach((n, i) => {
      const [d, r] = t.nodes[i];
      if (d !== undefined && d !== null) n.description = d;
      if (r !== undefined && r !== null) n.reference = r;
    });
    this.types.forEach((x, i) => {
      const [d, r] = t.types[i];
      if (d !== undefined && d !== null) x.description = d;
      if (r !== undefined && r !== null) x.reference = r;
    });
  }

  /**
   * Compiles an uploaded module against this dictionary and adds it (replacing a module of
   * the same name); on any error the dictionary is left untouched. `saveDir` keeps the text
   * so the next full compile includes it.
   */
  addModule(text: string, opts: { file?: string; saveDir?: string } = {}): AddModuleResult {
    return addModuleTo(this, text, opts);
  }

  /** swaps in the nodes/types of the named modules (used by addModule) */
  replaceModules(names: string[], nodes: MibNode[], types: MibType[], summaries: ModuleSummary[]): void {
    this.ensureTexts();
    const drop = new Set(names);
    this.nodes = [...this.nodes.filter((n) => !drop.has(n.module)), ...nodes];
    this.types = [...this.types.filter((t) => !drop.has(t.module)), ...types];
    this.modules = [...this.modules.filter((m) => !drop.has(m.name)), ...summaries];
    this.reindex();
    this.version++;
  }

  /**
   * `replaceModules` for a live dictionary: the new node list and every index this dictionary has
   * built are made on the side in slices of `sliceMs` (the event loop runs between them), then
   * swapped in at once, so no reader sees a half-updated dictionary and the first lookups after
   * it rebuild nothing. Descriptions not loaded yet stay unloaded (their source is remapped).
   */
  async replaceModulesSliced(names: string[], nodes: MibNode[], types: MibType[], summaries: ModuleSummary[], sliceMs = SLICE_MS): Promise<void> {
    for (;;) {
      const next = await runSliced(this.replacementSteps(names, nodes, types, summaries), sliceMs);
      // replaced meanwhile (a synchronous addModule): build again on what is there now
      if (!next) continue;
      this.nodes = next.nodes;
      this.types = next.types;
      this.modules = next.modules;
      // descriptions loaded meanwhile are on the shared node objects already
      this.textSource = this.textSource && next.textSource;
      this.oidIndex = next.oidIndex;
      this.nameIndex = next.nameIndex;
      this.childIndex = next.childIndex;
      this.search_ = next.search_;
      this.words = next.words;
      this.wordSource = undefined;
      this.version++;
      return;
    }
  }

  /** the dictionary after the replacement; undefined when this one was replaced meanwhile (its base went stale) */
  private *replacementSteps(names: string[], nodes: MibNode[], types: MibType[], summaries: ModuleSummary[]): Steps<Dictionary | undefined> {
    // the base as it is now: a synchronous replace between two slices swaps these arrays
    const { version, nodes: oldNodes, types: oldTypes, modules: oldModules, textSource: src } = this;
    // an upload may declare thousands of modules and hold hundreds of thousands of types: every list in steps
    const drop = new Set<string>();
    for (let i = 0; i < names.length; i++) {
      drop.add(names[i]);
      if ((i + 1) % STEP === 0) yield;
    }
    const keptNodes = yield* keptSteps(oldNodes, (n) => !drop.has(n.module));
    const keptTypes = yield* keptSteps(oldTypes, (t) => !drop.has(t.module));
    const keptModules = yield* keptSteps(oldModules, (m) => !drop.has(m.name));
    const next = new Dictionary(
      yield* concatSteps(oldNodes, keptNodes, nodes), yield* concatSteps(oldTypes, keptTypes, types), yield* concatSteps(oldModules, keptModules, summaries),
    );
    if (src) next.textSource = remappedTexts(src, oldNodes.length, keptNodes, nodes.length, oldTypes.length, keptTypes, types.length);
    // every index this dictionary has (one built while these slices ran included)
    for (let built = true; built;) {
      if (this.version !== version) return undefined;
      built = false;
      if (this.oidIndex && !next.oidIndex) { next.oidIndex = yield* next.oidIndexSteps(); built = true; }
      if (this.nameIndex && !next.nameIndex) { next.nameIndex = yield* next.nameIndexSteps(); built = true; }
      if (this.childIndex && !next.childIndex) { next.childIndex = yield* next.childIndexSteps(); built = true; }
      if (this.search_ && !next.search_) { next.search_ = yield* next.searchStateSteps(true); built = true; }
      if (this.words && !next.words) { next.words = yield* next.wordIndexSteps(); built = true; }
    }
    return this.version === version ? next : undefined;
  }

  /** builds, in slices, the indexes `findNode`/`findType` use: `prepare('lookups')` */
  private async indexForLookups(sliceMs: number): Promise<void> {
    while (!this.oidIndex || !this.nameIndex) {
      const version = this.version;
      const oids = this.oidIndex ?? await runSliced(this.oidIndexSteps(), sliceMs);
      const names = this.nameIndex ?? await runSliced(this.nameIndexSteps(), sliceMs);
      if (this.version !== version) continue;
      this.oidIndex ??= oids;
      this.nameIndex ??= names;
    }
  }

  /**
   * Builds, in slices (the event loop runs between them), what the calls of `what` need and is not
   * built yet, so they build nothing at once: 'lookups' (translate, resolve, findNode: the OID and
   * name indexes), 'browse' (node and children: the child index, and the descriptions), 'search'
   * (the search state and the word index over the descriptions). Loading the descriptions is one
   * read of the texts file, not sliced. Calls for the same `what` while one runs share it.
   */
  prepare(what: 'lookups' | 'browse' | 'search', sliceMs = SLICE_MS): Promise<void> {
    let p = this.preparing.get(what);
    if (!p) {
      p = this.prepareSliced(what, sliceMs).finally(() => this.preparing.delete(what));
      this.preparing.set(what, p);
    }
    return p;
  }
  private readonly preparing = new Map<string, Promise<void>>();

  private async prepareSliced(what: 'lookups' | 'browse' | 'search', sliceMs: number): Promise<void> {
    for (;;) {
      await this.indexForLookups(sliceMs);
      if (what === 'lookups') return;
      const version = this.version;
      await this.ensureTextsSliced(sliceMs);
      if (what === 'browse') {
        const children = this.childIndex ?? await runSliced(this.childIndexSteps(), sliceMs);
        if (this.version !== version) continue;
        this.childIndex ??= children;
        return;
      }
      let search = this.search_?.names.length === this.nodes.length ? this.search_ : undefined;
      if (search) await runSliced(abbreviationSteps(search, this.nodes), sliceMs);
      else search = await runSliced(this.searchStateSteps(true), sliceMs);
      const words = this.words ?? await runSliced(this.wordIndexSteps(), sliceMs);
      if (this.version !== version) continue;
      this.search_ = search;
      this.words ??= words;
      return;
    }
  }

  private reindex(): void {
    this.oidIndex = undefined;
    this.nameIndex = undefined;
    this.childIndex = undefined;
    this.words = undefined;
    this.wordSource = undefined;
    this.search_ = undefined;
  }

  private get byOid(): Map<string, MibNode[]> {
    return (this.oidIndex ??= runToEnd(this.oidIndexSteps()));
  }

  private *oidIndexSteps(): Steps<Map<string, MibNode[]>> {
    const m = new Map<string, MibNode[]>();
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const o = m.get(n.oid);
      if (o) o.push(n); else m.set(n.oid, [n]);
      if ((i + 1) % STEP === 0) yield;
    }
    yield* sortListsSteps(m);
    return m;
  }

  private get names() {
    return (this.nameIndex ??= runToEnd(this.nameIndexSteps()));
  }

  private *nameIndexSteps(): Steps<NonNullable<Dictionary['nameIndex']>> {
    const byName = new Map<string, MibNode[]>();
    const byQualified = new Map<string, MibNode>();
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const b = byName.get(n.name);
      if (b) b.push(n); else byName.set(n.name, [n]);
      const q = `${n.module}::${n.name}`;
      if (!byQualified.has(q)) byQualified.set(q, n);
      if ((i + 1) % STEP === 0) yield;
    }
    yield* sortListsSteps(byName);
    const typeByQualified = new Map<string, MibType>();
    const typeByName = new Map<string, MibType>();
    const types = this.types;
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      typeByQualified.set(`${t.module}::${t.name}`, t);
      if (!typeByName.has(t.name)) typeByName.set(t.name, t);
      if ((i + 1) % STEP === 0) yield;
    }
    return { byName, byQualified, typeByQualified, typeByName };
  }
  private get byName() { return this.names.byName; }
  private get byQualified() { return this.names.byQualified; }
  private get typeByQualified() { return this.names.typeByQualified; }
  private get typeByName() { return this.names.typeByName; }

  get size(): number { return this.nodes.length; }

  /** the preferred node at exactly this OID */
  nodeAt(oid: string): MibNode | undefined {
    this.ensureTexts();
    return this.byOid.get(oid.startsWith('.') ? oid.slice(1) : oid)?.[0];
  }
  /** every node at this OID (several modules may name the same OID) */
  nodesAt(oid: string): MibNode[] {
    this.ensureTexts();
    return this.byOid.get(oid.startsWith('.') ? oid.slice(1) : oid) ?? [];
  }

  /** `MODULE::name`, `name` or a numeric OID (exact) → node */
  node(nameOrOid: string): MibNode | undefined {
    this.ensureTexts();
    return this.findNode(nameOrOid);
  }

  /** type() without loading descriptions and references */
  findType(name: string): MibType | undefined {
    return name.includes('::') ? this.typeByQualified.get(name) : this.typeByName.get(name);
  }

  /** node() without loading descriptions and references (translation hot path, resolving an upload against this dictionary) */
  findNode(nameOrOid: string): MibNode | undefined {
    const q = nameOrOid.trim();
    if (parseOid(q)) return this.byOid.get(q.startsWith('.') ? q.slice(1) : q)?.[0];
    const sep = q.indexOf('::');
    if (sep >= 0) return this.byQualified.get(q);
    return this.byName.get(q)?.[0];
  }

  /** textual convention or type by `MODULE::Name` or `Name` */
  type(name: string): MibType | undefined {
    this.ensureTexts();
    return this.findType(name);
  }

  /**
   * Name → numeric OID: `IF-MIB::ifDescr`, `ifDescr`, `ifDescr.2`, `IF-MIB::ifDescr.2`,
   * `.1.3.6.1.2.1`, `1.3.6.1.2.1`. Quoted string parts (`."public"`) become length-prefixed.
   */
  resolve(name: string): string | undefined {
    const q = name.trim();
    const numeric = parseOid(q);
    if (numeric) return numeric.join('.');
    const sep = q.indexOf('::');
    const mod = sep >= 0 ? q.slice(0, sep) : undefined;
    const rest = sep >= 0 ? q.slice(sep + 2) : q;
    const m = /^([A-Za-z][\w-]*)(.*)$/.exec(rest);
    if (!m) return undefined;
    const n = mod ? this.byQualified.get(`${mod}::${m[1]}`) : this.byName.get(m[1])?.[0];
    if (!n) return undefined;
    if (m[2] === '') return n.oid;
    const suffix = parseSuffix(m[2]);
    return suffix === undefined ? undefined : `${n.oid}.${suffix}`;
  }

  /** Numeric OID → `MODULE::name.index` by longest prefix, the index decoded by the row's INDEX. */
  translate(oid: string): Translation | undefined {
    const sub = parseOid(oid);
    if (!sub) return undefined;
    for (let len = sub.length; len > 0; len--) {
      const key = sub.slice(0, len).join('.');
      const n = this.byOid.get(key)?.[0];
      if (!n) continue;
      const suffix = sub.slice(len);
      const base = `${n.module}::${n.name}`;
      if (suffix.length === 0) return { text: base, node: n, suffix };
      const decoded = this.decodeInstance(n, suffix);
      if (decoded) return { text: `${base}.${decoded.join('.')}`, node: n, suffix, index: decoded };
      return { text: `${base}.${suffix.join('.')}`, node: n, suffix };
    }
    return undefined;
  }

  /** the INDEX objects of the row a column belongs to (following AUGMENTS) */
  indexObjects(column: MibNode): IndexObject[] | undefined {
    const parentOid = column.oid.slice(0, column.oid.lastIndexOf('.'));
    let row = (this.byOid.get(parentOid) ?? []).find((n) => n.index || n.augments);
    for (let hops = 0; row && !row.index && row.augments && hops < 8; hops++) {
      const target = this.findNode(row.augments) ?? this.byName.get(row.augments.replace(/^.*::/, ''))?.[0];
      row = target;
    }
    if (!row?.index) return undefined;
    return row.index.map((p) => {
      const obj = this.findNode(p.node) ?? this.byName.get(p.node.replace(/^.*::/, ''))?.[0];
      return { name: p.node, syntax: obj?.syntax ?? syntaxForBareType(p.node), implied: p.implied };
    });
  }

  private decodeInstance(n: MibNode, suffix: number[]): string[] | undefined {
    if (n.kind !== 'object-type') return undefined;
    const objs = this.indexObjects(n);
    if (!objs) return undefined;
    const d = decodeIndex(suffix, objs);
    if (!d) return undefined;
    return d.rest.length === 0 ? d.parts : [...d.parts, ...d.rest.map(String)];
  }

  /** direct children of an OID in the tree (nodes, or the next named descendants under unnamed arcs) */
  children(oid: string): MibNode[] {
    const key = oid.startsWith('.') ? oid.slice(1) : oid;
    this.ensureTexts();
    this.childIndex ??= runToEnd(this.childIndexSteps());
    const idx = this.childIndex.get(key) ?? [];
    const seen = new Set<string>();
    const out: MibNode[] = [];
    for (const i of idx) {
      const oidKey = this.nodes[i].oid;
      if (seen.has(oidKey)) continue;
      seen.add(oidKey);
      out.push(this.byOid.get(oidKey)![0]);
    }
    return out.sort((a, b) => compareOids(a.oid, b.oid));
  }

  private *childIndexSteps(): Steps<Map<string, number[]>> {
    const m = new Map<string, number[]>();
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) {
      // attach to the nearest ancestor that has a node (or to the root '')
      let p = nodes[i].oid;
      let parent = '';
      for (;;) {
        const dot = p.lastIndexOf('.');
        if (dot < 0) break;
        p = p.slice(0, dot);
        if (this.byOid.has(p)) { parent = p; break; }
      }
      const l = m.get(parent);
      if (l) l.push(i); else m.set(parent, [i]);
      if ((i + 1) % STEP === 0) yield;
    }
    return m;
  }

  /**
   * Ranked search over names, numeric OID prefixes and description words: every word of the
   * query (the first 30 distinct) must be in the name or the description (matchWords ranks them).
   */
  search(q: string, opts: { limit?: number; offset?: number } = {}): SearchResult {
    const limit = Math.max(0, opts.limit ?? 50);
    const offset = Math.max(0, opts.offset ?? 0);
    const query = q.trim();
    if (query === '') return { total: 0, hits: [] };
    const st = this.searchState();
    const matched: number[] = [];
    const score = st.score;
    const kind = st.kind;
    const numeric = parseOid(query.replace(/\.$/, ''));
    if (numeric) {
      const prefix = numeric.join('.');
      const withDot = prefix + '.';
      // the subtree is one contiguous run of the OID-sorted node list
      const sorted = st.sorted;
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareOids(this.nodes[sorted[mid]].oid, prefix) < 0) lo = mid + 1; else hi = mid;
      }
      for (let p = lo; p < sorted.length; p++) {
        const i = sorted[p];
        const o = this.nodes[i].oid;
        if (o !== prefix && !o.startsWith(withDot)) break;
        score[i] = 1000 - (o.length - prefix.length);
        kind[i] = 1;
        matched.push(i);
      }
    } else {
      let mod: string | undefined;
      let text = query;
      const sep = query.indexOf('::');
      if (sep >= 0) { mod = query.slice(0, sep).toLowerCase(); text = query.slice(sep + 2); }
      const all: string[] = [];
      forEachWord(text.toLowerCase(), 1, (w) => all.push(w));
      const content = all.filter((w) => w.length >= 2 && !STOPWORDS.has(w));
      const words = content.length > 0 ? content : all.filter((w) => w.length >= 2);
      if (words.length === 0 && !mod) return { total: 0, hits: [] };
      this.ensureTexts();
      const take = (i: number, sc: number, k: number) => {
        if (mod && st.modules[i] !== mod) return;
        score[i] = sc - st.rank[i] / 100;
        kind[i] = k;
        matched.push(i);
      };
      if (words.length === 0) {
        for (let i = 0; i < this.nodes.length; i++) take(i, 1, 0);
      } else {
        this.matchWords(st, words, take);
      }
    }
    const better = (a: number, b: number) => score[a] > score[b] || (score[a] === score[b] && st.order[a] < st.order[b]);
    const top = topK(matched, offset + limit, better);
    const hits = top.slice(offset).map((i) => ({
      node: this.nodes[i], score: score[i], match: (kind[i] === 1 ? 'oid' : kind[i] === 2 ? 'description' : 'name') as SearchHit['match'],
    }));
    return { total: matched.length, hits };
  }

  private search_?: {
    names: string[]; modules: string[]; joined: string; starts: Int32Array; sorted: Int32Array;
    /** `joined` with the names as written (the capitals mark where their words start) */
    joinedWritten: string;
    /** the nodes whose names hold each abbreviation of the search's vocabulary, found on first need */
    abbreviated: Map<NameAbbreviation, Int32Array>;
    rank: Float64Array; order: Int32Array; score: Float64Array; kind: Uint8Array;
    /**
     * per node, while a query runs: which query words its name holds (`written`: as the query
     * wrote them at a word boundary, `midWritten`: so only inside a word, `boundary`: in any form
     * at a word boundary), its description holds, whether its name starts with one
     * (PREFIX_WRITTEN | PREFIX_ABBREVIATED), and how many of its letters the words cover
     * (`cover`; `wordCover`: the longest form of the word being scanned)
     */
    inName: Int32Array; written: Int32Array; midWritten: Int32Array; boundary: Int32Array; inText: Int32Array; prefix: Uint8Array;
    cover: Int32Array; wordCover: Int32Array;
  };

  private searchState() {
    if (this.search_ && this.search_.names.length === this.nodes.length) return this.search_;
    return (this.search_ = runToEnd(this.searchStateSteps()));
  }

  /** `withAbbreviations`: the nodes holding each abbreviation of the vocabulary found too, a step each (else on first need) */
  private *searchStateSteps(withAbbreviations = false): Steps<NonNullable<Dictionary['search_']>> {
    const nodes = this.nodes;
    const n = nodes.length;
    const arcs = new Array<number[]>(n);
    const rank = new Float64Array(n);
    const names = new Array<string>(n);
    const modules = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const x = nodes[i];
      arcs[i] = x.oid.split('.').map(Number);
      rank[i] = nodeRank(x);
      names[i] = x.name.toLowerCase();
      modules[i] = x.module.toLowerCase();
      if ((i + 1) % STEP === 0) yield;
    }
    const byOid = yield* stableSortSteps(Array.from({ length: n }, (_, i) => i), (a, b) => compareArcs(arcs[a], arcs[b]));
    const order = new Int32Array(n);
    byOid.forEach((nodeIdx, pos) => { order[nodeIdx] = pos; });
    const starts = new Int32Array(n);
    let off = 0;
    for (let i = 0; i < n; i++) { starts[i] = off; off += names[i].length + 1; }
    yield;
    const st = {
      names, modules, joined: names.join('\n'), joinedWritten: nodes.map((x) => x.name).join('\n'), starts, sorted: Int32Array.from(byOid), abbreviated: new Map<NameAbbreviation, Int32Array>(),
      rank, order, score: new Float64Array(n), kind: new Uint8Array(n), inName: new Int32Array(n), written: new Int32Array(n), midWritten: new Int32Array(n), boundary: new Int32Array(n),
      inText: new Int32Array(n), prefix: new Uint8Array(n), cover: new Int32Array(n), wordCover: new Int32Array(n),
    };
    if (withAbbreviations) yield* abbreviationSteps(st, nodes);
    return st;
  }

  /**
   * Every node whose name or description holds each of `words` (the first MAX_QUERY_WORDS
   * distinct ones; a name holds a word or its stem, a description its stem: `errors` finds
   * `ifInErrors` and "interface errors" in a description, `entries` finds `ifNumEntries`; a word
   * also as the vocabulary reads it: a word meaning the same, or the name's abbreviation of it,
   * `neighbors` finds `ospfNbrState`), ranked by how many of the words its name holds, a word
   * starting at a word boundary of the name (its start, a capital or a digit: `Arp` in
   * `ipoaArpSrvrTable`) above one only inside a word (`arp` in `aarpTable`, `charPortTable`), then
   * a name that is the word or starts with one, then the shorter name and the one with fewer
   * letters the words leave uncovered, alike (`arp table`: `ipNetToMediaTable`, all but `ip`, before
   * `ipoaArpSrvrTable`). A query of one word ranks the
   * names holding it as written (its plural, singular or another spelling) above those that only abbreviate it or
   * hold a word meaning the same (`inbound`: `pwInboundLabel` before `ssSwapIn`); in one of several
   * words an abbreviation counts as the word (`interface errors`: `ifInErrors` first).
   */
  private matchWords(st: NonNullable<Dictionary['search_']>, words: string[], take: (i: number, score: number, kind: number) => void): void {
    const idx = this.words ??= runToEnd(this.wordIndexSteps());
    // each stem with the forms a name may hold it in
    const forms = new Map<string, Set<string>>();
    for (const w of words) {
      const stem = searchStem(w);
      const f = forms.get(stem);
      if (f) f.add(w);
      else if (forms.size < MAX_QUERY_WORDS) forms.set(stem, new Set([stem, w]));
    }
    const stems = [...forms.keys()];
    const all = (1 << stems.length) - 1;
    const { joined, joinedWritten, starts, names, inName, written, midWritten, boundary, inText, prefix, cover, wordCover } = st;
    const touched: number[] = [];
    const touch = (i: number) => { if (inName[i] === 0 && inText[i] === 0) touched.push(i); };
    // the names holding the word being scanned, with the longest form each holds it in
    const covered: number[] = [];
    stems.forEach((w, k) => {
      const vocab = vocabularyOf(w);
      const asWritten = vocab ? new Set([...forms.get(w)!, ...vocab.spellings]) : forms.get(w)!;
      const allForms = vocab ? new Set([...asWritten, ...vocab.same]) : asWritten;
      // names: one string of all names scanned instead of 80,000 small ones
      for (const form of allForms) {
        const isWritten = asWritten.has(form);
        // a form that holds another is found by that one's scan (a written one only by a written one's)
        if ([...(isWritten ? asWritten : allForms)].some((o) => o !== form && form.includes(o))) continue;
        let i = 0;
        for (let pos = joined.indexOf(form); pos >= 0; pos = joined.indexOf(form, pos + 1)) {
          i = nameAt(starts, pos, i);
          touch(i);
          inName[i] |= 1 << k;
          if (wordCover[i] === 0) covered.push(i);
          if (form.length > wordCover[i]) wordCover[i] = form.length;
          if (pos === starts[i] || startsWord(joinedWritten, pos)) {
            boundary[i] |= 1 << k;
            if (isWritten) written[i] |= 1 << k;
          } else if (isWritten) midWritten[i] |= 1 << k;
          if (pos === starts[i]) prefix[i] |= isWritten ? PREFIX_WRITTEN : PREFIX_ABBREVIATED;
        }
      }
      // an abbreviation is a capitalised word or starts the name: at a word boundary
      for (const a of vocab?.abbreviations ?? NO_ABBREVIATIONS) {
        for (const i of abbreviatedIn(st, this.nodes, a)) {
          touch(i);
          inName[i] |= 1 << k;
          boundary[i] |= 1 << k;
          if (wordCover[i] === 0) covered.push(i);
          if (a.text.length > wordCover[i]) wordCover[i] = a.text.length;
          if (a.first) prefix[i] |= PREFIX_ABBREVIATED;
        }
      }
      for (const i of covered) { cover[i] += wordCover[i]; wordCover[i] = 0; }
      covered.length = 0;
      for (const s of vocab?.same ?? [w]) {
        for (const i of idx.get(s) ?? NO_NODES) {
          touch(i);
          inText[i] |= 1 << k;
        }
      }
    });
    // a one-word query naming a node, in the singular or the plural (`interface` → `interfaces`)
    const exact = words.length === 1 ? searchStem(words[0]) : undefined;
    const oneWord = stems.length === 1;
    const abbreviatedWord = oneWord ? ABBREVIATED_ONE_WORD : WORD_IN_NAME;
    const midWrittenWord = WORD_IN_NAME - INSIDE_A_WORD;
    const prefixCounted = oneWord ? PREFIX_WRITTEN : PREFIX_WRITTEN | PREFIX_ABBREVIATED;
    for (const i of touched) {
      const names_ = inName[i];
      if ((names_ | inText[i]) === all) {
        // each word by the best way the name holds it
        const other = names_ & ~written[i];
        const atBoundary = other & boundary[i];
        const inside = other & ~boundary[i];
        const both = bitCount(atBoundary & midWritten[i]);
        const insideWritten = bitCount(inside & midWritten[i]);
        const sc = bitCount(written[i]) * WORD_IN_NAME + both * Math.max(abbreviatedWord, midWrittenWord)
          + (bitCount(atBoundary) - both) * abbreviatedWord + insideWritten * midWrittenWord
          + (bitCount(inside) - insideWritten) * (abbreviatedWord - INSIDE_A_WORD)
          + (exact !== undefined && searchStem(names[i]) === exact ? 10_000 : 0) + ((prefix[i] & prefixCounted) !== 0 ? 300 : 0)
          + 200 - Math.min((2 * names[i].length - cover[i]) / 2, 100);
        take(i, sc, names_ !== 0 ? 0 : 2);
      }
      inName[i] = 0;
      written[i] = 0;
      midWritten[i] = 0;
      boundary[i] = 0;
      inText[i] = 0;
      prefix[i] = 0;
      cover[i] = 0;
    }
  }

  /** the stored index when there is one of this node list, else built (and stored) */
  private *wordIndexSteps(): Steps<WordIndex> {
    const src = this.wordSource;
    const stored = src ? yield* src.load(this.nodes.length) : undefined;
    if (stored) return stored;
    const built = yield* WordIndex.buildSteps(this.nodes);
    if (src && this.wordSource === src && !this.textsMissing) src.save(built, this.nodes.length);
    return built;
  }

  /** snmpwalk-style value text, e.g. `INTEGER: up(1)`, `STRING: eth0`, `Timeticks: (100) 0:00:01.00` */
  formatValue(oid: string, vb: VarbindLike): string {
    const n = this.translate(oid)?.node;
    return formatVarbindValue(vb, n?.kind === 'object-type' ? n : undefined, (o) => this.translate(o)?.text);
  }

  /** snmpwalk-style line: `IF-MIB::ifOperStatus.2 = INTEGER: up(1)` */
  formatVarbind(vb: VarbindLike & { oid: string }): string {
    const name = this.translate(vb.oid)?.text ?? vb.oid;
    return `${name} = ${this.formatValue(vb.oid, vb)}`;
  }

  /** `oid list` / `snmptranslate -Tz` shape: `MODULE::name<TAB>oid`, in OID order */
  listLines(): string[] {
    const order = this.searchState().order;
    const idx = Array.from({ length: this.nodes.length }, (_, i) => i).sort((a, b) => order[a] - order[b]);
    return idx.map((i) => `${this.nodes[i].module}::${this.nodes[i].name}\t${this.nodes[i].oid}`);
  }
}

/** the indexes of the items `keep` keeps */
function* keptSteps<T>(items: readonly T[], keep: (item: T) => boolean): Steps<number[]> {
  const kept: number[] = [];
  for (let i = 0; i < items.length; i++) {
    if (keep(items[i])) kept.push(i);
    if ((i + 1) % STEP === 0) yield;
  }
  return kept;
}

/** the `kept` items of `old` (their indexes), then `added` */
function* concatSteps<T>(old: readonly T[], kept: readonly number[], added: readonly T[]): Steps<T[]> {
  const out = new Array<T>(kept.length + added.length);
  for (let i = 0; i < kept.length; i++) {
    out[i] = old[kept[i]];
    if ((i + 1) % STEP === 0) yield;
  }
  for (let i = 0; i < added.length; i++) {
    out[kept.length + i] = added[i];
    if ((i + 1) % STEP === 0) yield;
  }
  return out;
}

/** sorts the lists with more than one node by rank (stable: ties keep node order) */
function* sortListsSteps(m: Map<string, MibNode[]>): Steps<void> {
  let i = 0;
  for (const list of m.values()) {
    if (list.length > 1) list.sort(byRank);
    if (++i % STEP === 0) yield;
  }
}

/**
 * `items.sort(cmp)` (stable) in steps: runs of `8 * STEP` sorted natively (~2 ms each), then
 * merged pairwise; two runs already in order are copied without comparing. On the corpus it
 * takes 26 ms against the native sort's 16 (which is one uninterruptible block).
 */
function* stableSortSteps(items: number[], cmp: (a: number, b: number) => number): Steps<number[]> {
  const n = items.length;
  const RUN = 8 * STEP;
  let src = items;
  for (let lo = 0; lo < n; lo += RUN) {
    const run = src.slice(lo, lo + RUN).sort(cmp);
    for (let i = 0; i < run.length; i++) src[lo + i] = run[i];
    yield;
  }
  let dst = new Array<number>(n).fill(0);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      if (mid < hi && cmp(src[mid - 1], src[mid]) > 0) {
        while (i < mid && j < hi) {
          dst[k++] = cmp(src[j], src[i]) < 0 ? src[j++] : src[i++];
          if (k % (4 * STEP) === 0) yield;
        }
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
      yield;
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** the text source of a dictionary made of the `kept` entries of an old one (indexes into it), then `added` new ones (which have their texts) */
function remappedTexts(src: TextSource, oldNodes: number, keptNodes: number[], addedNodes: number, oldTypes: number, keptTypes: number[], addedTypes: number): TextSource {
  const remap = (t: Texts | undefined): Texts | undefined => {
    if (!t || t.nodes.length !== oldNodes || t.types.length !== oldTypes) return undefined;
    const none: [string?, string?] = [];
    return {
      nodes: [...keptNodes.map((i) => t.nodes[i]), ...new Array(addedNodes).fill(none)],
      types: [...keptTypes.map((i) => t.types[i]), ...new Array(addedTypes).fill(none)],
    };
  };
  const out: TextSource = () => remap(src());
  const sliced = src.sliced;
  if (sliced) out.sliced = async (sliceMs) => remap(await sliced(sliceMs));
  return out;
}

const NO_NODES = new Int32Array(0);
/** query words beyond this many distinct ones are left out (a word is a bit of a node's match mask) */
const MAX_QUERY_WORDS = 30;
const NO_ABBREVIATIONS: readonly NameAbbreviation[] = [];
/** a query word a name holds; in a one-word query only abbreviated (or as a word meaning the same), below any name holding it as written (≥ 1000 + 200 - 100) */
const WORD_IN_NAME = 1000;
const ABBREVIATED_ONE_WORD = 700;
/**
 * less for a word found only inside a word of the name (`arp` in `aarpTable`): below the word at a
 * word boundary or abbreviated in a query of several words, above an abbreviation in one of one
 * word, whatever the length (the length term moves a score by at most 100)
 */
const INSIDE_A_WORD = 150;
/** `prefix` bits: the name starts with a query word as written, or with its abbreviation or a word meaning the same */
const PREFIX_WRITTEN = 1;
const PREFIX_ABBREVIATED = 2;
type SearchState = NonNullable<Dictionary['search_']>;

/** the nodes whose names hold the abbreviation: found on first need, then kept in the search state */
function abbreviatedIn(st: SearchState, nodes: readonly MibNode[], a: NameAbbreviation): Int32Array {
  let hits = st.abbreviated.get(a);
  if (!hits) {
    hits = nodesAbbreviating(a, st, (i) => nodes[i].name);
    st.abbreviated.set(a, hits);
  }
  return hits;
}

/** every abbreviation's nodes found, a step each (1–4 ms) */
function* abbreviationSteps(st: SearchState, nodes: readonly MibNode[]): Steps<void> {
  for (const a of ALL_ABBREVIATIONS) {
    if (st.abbreviated.has(a)) continue;
    abbreviatedIn(st, nodes, a);
    yield;
  }
}

/**
 * whether a word of a name starts at `at` (not its first letter): after a hyphen, a capital after a lower-case
 * letter or a digit, a digit after a letter, a letter after a digit, or the capital ending an acronym
 * (`Load` in `cpmCPULoadAvg`)
 */
function startsWord(name: string, at: number): boolean {
  const c = name.charCodeAt(at);
  const p = name.charCodeAt(at - 1);
  const cDigit = c >= 48 && c <= 57;
  const pDigit = p >= 48 && p <= 57;
  const pLower = p >= 97 && p <= 122;
  const pUpper = p >= 65 && p <= 90;
  if (!pDigit && !pLower && !pUpper) return true;
  if (cDigit !== pDigit) return true;
  if (c < 65 || c > 90) return false;
  if (!pUpper) return true;
  const n = name.charCodeAt(at + 1);
  return n >= 97 && n <= 122;
}

function bitCount(x: number): number {
  let n = 0;
  for (; x !== 0; x &= x - 1) n++;
  return n;
}

/** the name holding joined position `pos`: hits come in order, so galloping on from the last one's (`from`) */
function nameAt(starts: Int32Array, pos: number, from: number): number {
  let lo = from;
  let step = 1;
  while (lo + step < starts.length && starts[lo + step] <= pos) { lo += step; step *= 2; }
  let hi = Math.min(lo + step, starts.length);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= pos) lo = mid; else hi = mid;
  }
  return lo;
}

/** the best k of `items` in order, without sorting everything (a bounded binary heap) */
function topK(items: number[], k: number, better: (a: number, b: number) => boolean): number[] {
  if (k <= 0) return [];
  if (items.length <= k * 4) return items.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).slice(0, k);
  // min-heap of the k best so far: the root is the worst of them
  const heap: number[] = [];
  const worse = (a: number, b: number) => better(b, a);
  const up = (i: number) => { while (i > 0) { const p = (i - 1) >> 1; if (!worse(heap[i], heap[p])) break; [heap[i], heap[p]] = [heap[p], heap[i]]; i = p; } };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1; const r = l + 1; let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]]; i = m;
    }
  };
  for (const x of items) {
    if (heap.length < k) { heap.push(x); up(heap.length - 1); }
    else if (better(x, heap[0])) { heap[0] = x; down(0); }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}

function compareArcs(x: number[], y: number[]): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

export function compareOids(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** SMIv1 INDEX clauses may name a type instead of an object */
function syntaxForBareType(name: string): Syntax | undefined {
  if (name === 'INTEGER') return { type: 'INTEGER', base: 'INTEGER' };
  if (name === 'OCTET') return { type: 'OCTET STRING', base: 'OCTET STRING' };
  if (name === 'OBJECT') return { type: 'OBJECT IDENTIFIER', base: 'OBJECT IDENTIFIER' };
  if (name === 'IpAddress' || name === 'NetworkAddress') return { type: name, base: name };
  return undefined;
}

/** `.2`, `.2.10.0.0.1`, `."public"`, `.'abc'` → dotted sub-identifiers */
function parseSuffix(s: string): string | undefined {
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '.') return undefined;
    i++;
    const c = s[i];
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) return undefined;
      const bytes = Buffer.from(s.slice(i + 1, end), 'latin1');
      if (c === '"') out.push(bytes.length);
      out.push(...bytes);
      i = end + 1;
      continue;
    }
    const m = /^\d+/.exec(s.slice(i));
    if (!m) return undefined;
    out.push(Number(m[0]));
    i += m[0].length;
  }
  return out.join('.');
}
