/**
 * The compiled OID dictionary: lookups by OID and by name, translation of instance OIDs
 * (longest prefix + INDEX decoding), children, ranked search.
 */
import { decodeIndex, type IndexObject } from './index-decode.ts';
import { formatVarbindValue, type VarbindLike } from './format-value.ts';
import { addModuleTo, type AddModuleResult } from './add-module.ts';
import type { MibNode, MibType, ModuleSummary, Syntax } from './types.ts';
import { runSliced, runToEnd, SLICE_MS, STEP, type Steps } from './steps.ts';
import { WordIndex } from './word-index.ts';
import { abbreviationSteps, searchNodes, searchStateSteps, type SearchResult, type SearchState } from './search.ts';
import { nodeRank } from './search-score.ts';
import { MAX_ARC, MAX_SUB_IDS } from '../model/oid-arc.ts';
import { compareOids, parseOid } from './search-oid.ts';

export { compareOids, parseOid } from './search-oid.ts';
export type { SearchHit, SearchResult } from './search.ts';

export interface Translation {
  /** `IF-MIB::ifDescr.2` */
  text: string;
  node: MibNode;
  /** sub-identifiers after the node's OID */
  suffix: number[];
  /** decoded index parts of a table column instance */
  index?: string[];
}

const byRank = (a: MibNode, b: MibNode) => nodeRank(a) - nodeRank(b);

type Texts = { nodes: [string?, string?][]; types: [string?, string?][] };
/** where descriptions and references come from: read at once, or (`sliced`) a few lines per turn of the event loop */
export type TextSource = { (): Texts | undefined; sliced?: (sliceMs: number) => Promise<Texts | undefined> };
/** a stored word index of exactly this node list (the cache's): read instead of building it, written once built */
export interface WordSource { load(nodeCount: number): Steps<WordIndex | undefined>; save(index: WordIndex, nodeCount: number): void }

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
      if (this.search_ && !next.search_) { next.search_ = yield* searchStateSteps(next.nodes, true); built = true; }
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
      else search = await runSliced(searchStateSteps(this.nodes, true), sliceMs);
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
    // at most MAX_SUB_IDS sub-identifiers, as for a name with an index (RFC 2578)
    if (numeric) return numeric.length <= MAX_SUB_IDS ? numeric.join('.') : undefined;
    const sep = q.indexOf('::');
    const mod = sep >= 0 ? q.slice(0, sep) : undefined;
    const rest = sep >= 0 ? q.slice(sep + 2) : q;
    const m = /^([A-Za-z][\w-]*)(.*)$/.exec(rest);
    if (!m) return undefined;
    const n = mod ? this.byQualified.get(`${mod}::${m[1]}`) : this.byName.get(m[1])?.[0];
    if (!n) return undefined;
    if (m[2] === '') return n.oid;
    const suffix = parseSuffix(m[2], MAX_SUB_IDS - n.oid.split('.').length);
    return suffix === undefined ? undefined : `${n.oid}.${suffix}`;
  }

  /** Numeric OID → `MODULE::name.index` by longest prefix, the index decoded by the row's INDEX. */
  translate(oid: string): Translation | undefined {
    const sub = parseOid(oid);
    if (!sub) return undefined;
    // no node is longer than MAX_SUB_IDS: a hostile OID of 30,000 sub-ids costs 128 lookups, not 30,000 ever longer ones
    for (let len = Math.min(sub.length, MAX_SUB_IDS); len > 0; len--) {
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
   * query (the first 30 distinct) must be in the name or the description (search.ts, ranked by search-score.ts).
   */
  search(q: string, opts: { limit?: number; offset?: number } = {}): SearchResult {
    return searchNodes({
      nodes: this.nodes,
      state: () => this.searchState(),
      ensureTexts: () => this.ensureTexts(),
      wordIndex: () => (this.words ??= runToEnd(this.wordIndexSteps())),
    }, q, opts);
  }

  private search_?: SearchState;

  private searchState(): SearchState {
    if (this.search_ && this.search_.names.length === this.nodes.length) return this.search_;
    return (this.search_ = runToEnd(searchStateSteps(this.nodes)));
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

/** SMIv1 INDEX clauses may name a type instead of an object */
function syntaxForBareType(name: string): Syntax | undefined {
  if (name === 'INTEGER') return { type: 'INTEGER', base: 'INTEGER' };
  if (name === 'OCTET') return { type: 'OCTET STRING', base: 'OCTET STRING' };
  if (name === 'OBJECT') return { type: 'OBJECT IDENTIFIER', base: 'OBJECT IDENTIFIER' };
  if (name === 'IpAddress' || name === 'NetworkAddress') return { type: name, base: name };
  return undefined;
}

/**
 * `.2`, `.2.10.0.0.1`, `."public"`, `.'abc'` → dotted sub-identifiers; undefined for other text,
 * a sub-identifier above MAX_ARC, a quoted character above U+00FF, or more than `room`
 * sub-identifiers (an OID has at most MAX_SUB_IDS).
 */
function parseSuffix(s: string, room: number): string | undefined {
  const out: number[] = [];
  const digits = /\d+/y;
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '.') return undefined;
    i++;
    const c = s[i];
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) return undefined;
      // latin1: one sub-identifier a character; a "string" is length-prefixed
      if (out.length + (end - i - 1) + (c === '"' ? 1 : 0) > room) return undefined;
      const quoted = s.slice(i + 1, end);
      // a character above U+00FF is no octet (latin1 would keep its low byte: "中" read as "-")
      if (/[^\x00-\xff]/.test(quoted)) return undefined;
      const bytes = Buffer.from(quoted, 'latin1');
      if (c === '"') out.push(bytes.length);
      for (const b of bytes) out.push(b);
      i = end + 1;
      continue;
    }
    digits.lastIndex = i;
    const m = digits.exec(s);
    if (!m) return undefined;
    const arc = Number(m[0]);
    if (arc > MAX_ARC || out.length === room) return undefined;
    out.push(arc);
    i += m[0].length;
  }
  return out.join('.');
}
