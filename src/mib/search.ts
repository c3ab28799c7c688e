/**
 * The dictionary's ranked search over names, numeric OID prefixes and description words: the state
 * it keeps over a node list, and a query run on it. How hits rank is in search-score.ts.
 */
import type { MibNode } from './types.ts';
import { STEP, type Steps } from './steps.ts';
import { forEachWord, searchStem, type WordIndex } from './word-index.ts';
import { ALL_ABBREVIATIONS, nodesAbbreviating, vocabularyOf, type NameAbbreviation } from './search-vocabulary.ts';
import { Grade, gradeScale, matchScore, nameGrade, nodeRank, startsWord, withNodeRank } from './search-score.ts';
import { compareArcs, parseOid, subtreeOf } from './search-oid.ts';

export interface SearchHit { node: MibNode; score: number; match: 'name' | 'oid' | 'description' }
export interface SearchResult { total: number; hits: SearchHit[] }

export interface SearchState {
  names: string[]; modules: string[]; joined: string; starts: Int32Array; sorted: Int32Array;
  /** `joined` with the names as written (the capitals mark where their words start) */
  joinedWritten: string;
  /** the nodes whose names hold each abbreviation of the search's vocabulary, found on first need */
  abbreviated: Map<NameAbbreviation, Int32Array>;
  rank: Float64Array; order: Int32Array; score: Float64Array; kind: Uint8Array;
  /**
   * per node, while a query runs: the grade of the word being scanned (`grade`) and how many of its
   * letters that word covers (`wordCover`: its longest form); how many query words it holds so far
   * (`held`), their weights summed (`weight`), the letters they cover (`cover`), whether a word starts
   * its name in a grade that counts (`startsWithWord`)
   */
  grade: Uint8Array; wordCover: Int32Array; held: Uint8Array; weight: Int32Array; cover: Int32Array; startsWithWord: Uint8Array;
}

/** what a search reads: the nodes, and what it needs built or loaded first */
export interface Searchable {
  nodes: readonly MibNode[];
  state(): SearchState;
  /** loads the descriptions */
  ensureTexts(): void;
  wordIndex(): WordIndex;
}

const STOPWORDS = new Set(['the', 'of', 'an', 'and', 'or', 'to', 'in', 'is', 'for', 'this', 'that', 'by', 'be', 'on', 'as', 'with', 'it', 'are', 'at', 'from']);
/** query words beyond this many distinct ones are left out */
const MAX_QUERY_WORDS = 30;
const NO_NODES = new Int32Array(0);
const NO_ABBREVIATIONS: readonly NameAbbreviation[] = [];
const MATCH_KIND: readonly SearchHit['match'][] = ['name', 'oid', 'description'];

/**
 * Ranked search over names, numeric OID prefixes and description words: every word of the
 * query (the first 30 distinct) must be in the name or the description (matchWords grades them).
 */
export function searchNodes(src: Searchable, q: string, opts: { limit?: number; offset?: number } = {}): SearchResult {
  const limit = Math.max(0, opts.limit ?? 50);
  const offset = Math.max(0, opts.offset ?? 0);
  const query = q.trim();
  if (query === '') return { total: 0, hits: [] };
  const st = src.state();
  const { nodes } = src;
  const matched: number[] = [];
  const { score, kind } = st;
  const numeric = parseOid(query.replace(/\.$/, ''));
  if (numeric) {
    const prefix = numeric.join('.');
    subtreeOf(nodes, st.sorted, prefix, (i) => {
      score[i] = 1000 - (nodes[i].oid.length - prefix.length);
      kind[i] = 1;
      matched.push(i);
    });
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
    src.ensureTexts();
    const take = (i: number, sc: number, k: number) => {
      if (mod && st.modules[i] !== mod) return;
      score[i] = withNodeRank(sc, st.rank[i]);
      kind[i] = k;
      matched.push(i);
    };
    if (words.length === 0) {
      for (let i = 0; i < nodes.length; i++) take(i, 1, 0);
    } else {
      matchWords(src, st, words, take);
    }
  }
  const better = (a: number, b: number) => score[a] > score[b] || (score[a] === score[b] && st.order[a] < st.order[b]);
  const top = topK(matched, offset + limit, better);
  const hits = top.slice(offset).map((i) => ({ node: nodes[i], score: score[i], match: MATCH_KIND[kind[i]] }));
  return { total: matched.length, hits };
}

/** `withAbbreviations`: the nodes holding each abbreviation of the vocabulary found too, a step each (else on first need) */
export function* searchStateSteps(nodes: readonly MibNode[], withAbbreviations = false): Steps<SearchState> {
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
  const st: SearchState = {
    names, modules, joined: names.join('\n'), joinedWritten: nodes.map((x) => x.name).join('\n'), starts, sorted: Int32Array.from(byOid), abbreviated: new Map(),
    rank, order, score: new Float64Array(n), kind: new Uint8Array(n),
    grade: new Uint8Array(n), wordCover: new Int32Array(n), held: new Uint8Array(n), weight: new Int32Array(n), cover: new Int32Array(n), startsWithWord: new Uint8Array(n),
  };
  if (withAbbreviations) yield* abbreviationSteps(st, nodes);
  return st;
}

/** every abbreviation's nodes found, a step each (1–4 ms) */
export function* abbreviationSteps(st: SearchState, nodes: readonly MibNode[]): Steps<void> {
  for (const a of ALL_ABBREVIATIONS) {
    if (st.abbreviated.has(a)) continue;
    abbreviatedIn(st, nodes, a);
    yield;
  }
}

/**
 * Every node whose name or description holds each of `words` (the first MAX_QUERY_WORDS
 * distinct ones; a name holds a word or its stem, a description its stem: `errors` finds
 * `ifInErrors` and "interface errors" in a description, `entries` finds `ifNumEntries`; a word
 * also as the vocabulary reads it: a word meaning the same, or the name's abbreviation of it,
 * `neighbors` finds `ospfNbrState`), each word graded per node (`Grade`: as written or abbreviated,
 * at a word boundary or inside a word, in the description only) and the node scored by
 * search-score.ts: `take(i, score, kind)`.
 */
function matchWords(src: Searchable, st: SearchState, words: string[], take: (i: number, score: number, kind: number) => void): void {
  const idx = src.wordIndex();
  // each stem with the forms a name may hold it in
  const forms = new Map<string, Set<string>>();
  for (const w of words) {
    const stem = searchStem(w);
    const f = forms.get(stem);
    if (f) f.add(w);
    else if (forms.size < MAX_QUERY_WORDS) forms.set(stem, new Set([stem, w]));
  }
  const stems = [...forms.keys()];
  const scale = gradeScale(stems.length === 1);
  const { joined, joinedWritten, starts, names, grade, wordCover, held, weight, cover, startsWithWord } = st;
  // the nodes holding the first word (only they may hold every word), and those holding the word being scanned
  const candidates: number[] = [];
  const graded: number[] = [];
  stems.forEach((w, k) => {
    // the word in a name, `length` letters of it: a node holding every word before this one keeps its best grade
    const holds = (i: number, g: Grade, length: number, atStart: boolean) => {
      if (held[i] !== k) return;
      if (grade[i] === Grade.ABSENT) { graded.push(i); grade[i] = g; } else if (scale.weight[g] > scale.weight[grade[i]]) grade[i] = g;
      if (length > wordCover[i]) wordCover[i] = length;
      if (atStart && scale.startsName[g] === 1) startsWithWord[i] = 1;
    };
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
        const atStart = pos === starts[i];
        holds(i, nameGrade(isWritten, atStart || startsWord(joinedWritten, pos)), form.length, atStart);
      }
    }
    // an abbreviation is a capitalised word or starts the name: at a word boundary
    for (const a of vocab?.abbreviations ?? NO_ABBREVIATIONS) {
      for (const i of abbreviatedIn(st, src.nodes, a)) holds(i, Grade.ABBREVIATED_AT_BOUNDARY, a.text.length, a.first === true);
    }
    for (const s of vocab?.same ?? [w]) {
      for (const i of idx.get(s) ?? NO_NODES) {
        if (held[i] === k && grade[i] === Grade.ABSENT) { graded.push(i); grade[i] = Grade.IN_DESCRIPTION_ONLY; }
      }
    }
    for (const i of graded) {
      if (k === 0) candidates.push(i);
      held[i]++;
      weight[i] += scale.weight[grade[i]];
      cover[i] += wordCover[i];
      grade[i] = Grade.ABSENT;
      wordCover[i] = 0;
    }
    graded.length = 0;
  });
  // a one-word query naming a node, in the singular or the plural (`interface` → `interfaces`)
  const exact = words.length === 1 ? searchStem(words[0]) : undefined;
  for (const i of candidates) {
    if (held[i] === stems.length) {
      const sc = matchScore(weight[i], exact !== undefined && searchStem(names[i]) === exact, startsWithWord[i] === 1, names[i].length, cover[i]);
      // every grade of a name weighs more than 0
      take(i, sc, weight[i] > 0 ? 0 : 2);
    }
    held[i] = 0;
    weight[i] = 0;
    cover[i] = 0;
    startsWithWord[i] = 0;
  }
}

/** the nodes whose names hold the abbreviation: found on first need, then kept in the search state */
function abbreviatedIn(st: SearchState, nodes: readonly MibNode[], a: NameAbbreviation): Int32Array {
  let hits = st.abbreviated.get(a);
  if (!hits) {
    hits = nodesAbbreviating(a, st, (i) => nodes[i].name);
    st.abbreviated.set(a, hits);
  }
  return hits;
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
