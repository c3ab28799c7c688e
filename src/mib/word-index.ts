/**
 * The search's word index: every word (two characters or more, as its stem) of each node's name
 * and description → the nodes that contain it, ascending. Packed into two typed arrays (about a
 * quarter of the memory of a Map of number arrays), and kept in the cache beside the texts, so a
 * fresh process (`oid search`, a restarted server) reads it instead of building it.
 */
import type { MibNode } from './types.ts';
import { runToEnd, type Steps } from './steps.ts';

/** 1 for the characters of a word (in lower-cased text): a-z, 0-9, `#` and `-` */
const WORD_CHAR = new Uint8Array(128);
for (let c = 97; c <= 122; c++) WORD_CHAR[c] = 1;
for (let c = 48; c <= 57; c++) WORD_CHAR[c] = 1;
WORD_CHAR[35] = WORD_CHAR[45] = 1;

/** calls `visit` with each word of `text` (lower-cased: runs of WORD_CHAR) of `min` characters or more; the index and the search's queries split text alike */
export function forEachWord(text: string, min: number, visit: (word: string) => void): void {
  let start = -1;
  for (let j = 0; j <= text.length; j++) {
    const c = j < text.length ? text.charCodeAt(j) : 32;
    if (c < 128 && WORD_CHAR[c] === 1) {
      if (start < 0) start = j;
      continue;
    }
    if (start >= 0 && j - start >= min) visit(text.slice(start, j));
    start = -1;
  }
}

const grown = (a: Int32Array): Int32Array => {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
};
/** the second version stores stems, the third those of PLURAL_ENDINGS too (an index of other stems answers wrongly) */
const MAGIC = 'NPW3';

/**
 * Plurals the rules below get wrong, by how words end (a name is one word: `sscpunumcpus`):
 * acronyms (CPUs, PDUs and BPDUs, MAUs, URIs, DLCIs...) ending in -us or -is like `status`
 * and `chassis`, and `statuses`.
 */
const PLURAL_ENDINGS: readonly (readonly [plural: string, singular: string])[] = [
  ['cpus', 'cpu'], ['gpus', 'gpu'], ['npus', 'npu'], ['psus', 'psu'], ['pdus', 'pdu'], ['maus', 'mau'],
  ['uris', 'uri'], ['dlcis', 'dlci'], ['vcis', 'vci'], ['vpis', 'vpi'],
  ['statuses', 'status'],
];

/**
 * A word as the index and the search compare it: a plural's singular (`errors` → `error`,
 * `entries` → `entry`, `addresses` → `address`, `switches` → `switch`, and PLURAL_ENDINGS: `cpus`
 * → `cpu`); other words ending in -ss, -us or -is, and those of three letters or fewer, as they
 * are (`address`, `status`, `chassis`, `dns`).
 */
export function searchStem(w: string): string {
  if (w.length < 4 || !w.endsWith('s') || w.endsWith('ss')) return w;
  const usIs = w.endsWith('us') || w.endsWith('is');
  if (usIs || w.endsWith('uses')) {
    for (const [plural, singular] of PLURAL_ENDINGS) if (w.endsWith(plural)) return w.slice(0, -plural.length) + singular;
    if (usIs) return w;
  }
  if (w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses') || w.endsWith('xes') || w.endsWith('ches') || w.endsWith('shes')) return w.slice(0, -2);
  return w.slice(0, -1);
}

export class WordIndex {
  private constructor(
    private readonly slots: Map<string, number>,
    /** slot → start of its nodes in `postings`; one more entry than slots */
    private readonly starts: Int32Array,
    private readonly postings: Int32Array,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  /** the nodes whose name or description holds `word` (lower case), ascending */
  get(word: string): Int32Array | undefined {
    const s = this.slots.get(word);
    return s === undefined ? undefined : this.postings.subarray(this.starts[s], this.starts[s + 1]);
  }

  /** builds the index of `nodes`, yielding every 256 nodes */
  static *buildSteps(nodes: readonly MibNode[]): Steps<WordIndex> {
    const slotOf = new Map<string, number>();
    const words: string[] = [];
    /** per slot: the last node it was counted for (a word twice in a text counts once) */
    let lastNode: Int32Array = new Int32Array(1 << 14);
    // (slot, node) pairs in node order, so each slot's nodes come out ascending
    let pairSlot: Int32Array = new Int32Array(1 << 18);
    let pairNode: Int32Array = new Int32Array(1 << 18);
    let pairs = 0;
    const add = (w: string, i: number): void => {
      let slot = slotOf.get(w);
      if (slot === undefined) {
        slot = words.length;
        words.push(w);
        slotOf.set(w, slot);
        if (slot === lastNode.length) lastNode = grown(lastNode);
      } else if (lastNode[slot] === i + 1) return;
      lastNode[slot] = i + 1;
      if (pairs === pairSlot.length) { pairSlot = grown(pairSlot); pairNode = grown(pairNode); }
      pairSlot[pairs] = slot;
      pairNode[pairs++] = i;
    };
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      forEachWord((n.description ? `${n.name} ${n.description}` : n.name).toLowerCase(), 2, (word) => add(searchStem(word), i));
      if ((i + 1) % 256 === 0) yield;
    }
    const starts = new Int32Array(words.length + 1);
    for (let k = 0; k < pairs; k++) starts[pairSlot[k] + 1]++;
    for (let s = 0; s < words.length; s++) starts[s + 1] += starts[s];
    yield;
    const fill = starts.slice(0, words.length);
    const postings = new Int32Array(pairs);
    for (let k = 0; k < pairs; k++) postings[fill[pairSlot[k]]++] = pairNode[k];
    yield;
    // the words as slices of one string: a long word sliced from a text keeps the whole text alive
    const keys = words.join('\n').split('\n');
    const slots = new Map<string, number>();
    for (let s = 0; s < keys.length; s++) {
      slots.set(keys[s], s);
      if ((s + 1) % 8192 === 0) yield;
    }
    return new WordIndex(slots, starts, postings);
  }

  /**
   * The file form: `NPW3`, then little-endian u32s: key length, word count, postings count, node
   * count; the key; the slot starts and the postings (i32); the words joined by `\n`.
   */
  toBuffer(key: string, nodeCount: number): Buffer {
    const keyBytes = Buffer.from(key, 'utf8');
    const words = Buffer.from([...this.slots.keys()].join('\n'), 'utf8');
    const head = 4 + 16;
    const out = Buffer.alloc(head + keyBytes.length + this.starts.byteLength + this.postings.byteLength + words.length);
    out.write(MAGIC, 0, 'latin1');
    out.writeUInt32LE(keyBytes.length, 4);
    out.writeUInt32LE(this.slots.size, 8);
    out.writeUInt32LE(this.postings.length, 12);
    out.writeUInt32LE(nodeCount, 16);
    let at = head;
    at += keyBytes.copy(out, at);
    at += Buffer.from(this.starts.buffer, this.starts.byteOffset, this.starts.byteLength).copy(out, at);
    at += Buffer.from(this.postings.buffer, this.postings.byteOffset, this.postings.byteLength).copy(out, at);
    words.copy(out, at);
    return out;
  }

  /** the index in `buf` when it is whole, of `key` and of `nodeCount` nodes; else undefined */
  static fromBuffer(buf: Buffer, key: string, nodeCount: number): WordIndex | undefined {
    return runToEnd(WordIndex.decodeSteps(buf, key, nodeCount));
  }

  /** `fromBuffer` in steps (about 50 ms at once on the shipped corpus) */
  static *decodeSteps(buf: Buffer, key: string, nodeCount: number): Steps<WordIndex | undefined> {
    const head = 4 + 16;
    if (buf.length < head || buf.toString('latin1', 0, 4) !== MAGIC) return undefined;
    const keyLen = buf.readUInt32LE(4);
    const wordCount = buf.readUInt32LE(8);
    const postingCount = buf.readUInt32LE(12);
    if (buf.readUInt32LE(16) !== nodeCount) return undefined;
    let at = head;
    if (at + keyLen > buf.length || buf.toString('utf8', at, at + keyLen) !== key) return undefined;
    at += keyLen;
    const startsBytes = (wordCount + 1) * 4;
    const postingBytes = postingCount * 4;
    if (at + startsBytes + postingBytes > buf.length) return undefined;
    // copied out: the file's buffer need not be 4-byte aligned
    const starts = new Int32Array(wordCount + 1);
    Buffer.from(starts.buffer).set(buf.subarray(at, at + startsBytes));
    at += startsBytes;
    const postings = new Int32Array(postingCount);
    Buffer.from(postings.buffer).set(buf.subarray(at, at + postingBytes));
    at += postingBytes;
    yield;
    const words = wordCount === 0 ? [] : buf.toString('utf8', at).split('\n');
    if (words.length !== wordCount || starts[0] !== 0 || starts[wordCount] !== postingCount) return undefined;
    for (let s = 0; s < wordCount; s++) if (starts[s + 1] < starts[s]) return undefined;
    for (let k = 0; k < postingCount; k++) {
      if (postings[k] < 0 || postings[k] >= nodeCount) return undefined;
      if ((k + 1) % 262144 === 0) yield;
    }
    const slots = new Map<string, number>();
    for (let s = 0; s < wordCount; s++) {
      slots.set(words[s], s);
      if ((s + 1) % 8192 === 0) yield;
    }
    if (slots.size !== wordCount) return undefined;
    return new WordIndex(slots, starts, postings);
  }
}
