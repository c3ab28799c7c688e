// The search's word index: what it holds, its file form, and the cache file a fresh process reads instead of building it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMibs, loadDictionary, type MibNode } from '../../src/mib/index.ts';
import { searchStem, WordIndex } from '../../src/mib/word-index.ts';
import { runToEnd } from '../../src/mib/steps.ts';
import { smallCorpus } from './fixtures.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const node = (name: string, description?: string): MibNode => ({ name, oid: '1.3.6.1.4.1.99999.1', module: 'T-MIB', kind: 'object-type', description });
const NODES = [
  node('ifInErrors', 'The number of inbound packets that contained errors.'),
  node('ifOutErrors', 'The number of outbound packets: errors, errors, errors'),
  node('sysName'),
  node('x', 'a b c-d e#f 42 -- IF-MIB::ifIndex'),
];
const build = (nodes: readonly MibNode[]) => runToEnd(WordIndex.buildSteps(nodes));
const list = (w: WordIndex, word: string) => (w.get(word) ? [...w.get(word)!] : undefined);

describe('searchStem', () => {
  it.each([
    ['errors', 'error'], ['interfaces', 'interface'], ['entries', 'entry'], ['addresses', 'address'], ['switches', 'switch'],
    ['indexes', 'index'], ['octets', 'octet'], ['status', 'status'], ['address', 'address'], ['analysis', 'analysis'],
    ['dns', 'dns'], ['bps', 'bps'], ['ifinerrors', 'ifinerror'], ['error', 'error'], ['if', 'if'],
    // plural acronyms ending like status and chassis, and statuses
    ['cpus', 'cpu'], ['sscpunumcpus', 'sscpunumcpu'], ['pdus', 'pdu'], ['bpdus', 'bpdu'], ['psus', 'psu'], ['maus', 'mau'],
    ['uris', 'uri'], ['dlcis', 'dlci'], ['statuses', 'status'], ['gmplstunnelhoplabelstatuses', 'gmplstunnelhoplabelstatus'],
    ['radius', 'radius'], ['campus', 'campus'], ['chassis', 'chassis'], ['basis', 'basis'], ['causes', 'cause'], ['uses', 'use'],
  ])('%s → %s', (word, stem) => {
    expect(searchStem(word)).toBe(stem);
  });
});

describe('WordIndex', () => {
  const index = build(NODES);
  it.each([
    ['error', [0, 1]],
    ['errors', undefined],
    ['ifinerror', [0]],
    ['the', [0, 1]],
    ['sysname', [2]],
    ['c-d', [3]],
    ['e#f', [3]],
    ['42', [3]],
    ['--', [3]],
    ['if-mib', [3]],
    ['ifindex', [3]],
    ['a', undefined],
    ['Error', undefined],
    ['nothing', undefined],
  ] as const)('%s → %j (stems; each node once, ascending; words of one character left out; lower case)', (word, nodes) => {
    expect(list(index, word)).toEqual(nodes);
  });

  it('gives back from its file form what it holds', () => {
    const back = WordIndex.fromBuffer(index.toBuffer('k1', NODES.length), 'k1', NODES.length)!;
    expect(back.size).toBe(index.size);
    for (const w of ['error', 'ifinerror', 'sysname', 'e#f', '--']) expect(list(back, w)).toEqual(list(index, w));
  });

  it.each([
    ['another key', (b: Buffer) => b, 'k2', 4],
    ['another node count', (b: Buffer) => b, 'k1', 5],
    ['cut short', (b: Buffer) => b.subarray(0, b.length - 40), 'k1', 4],
    ['empty', () => Buffer.alloc(0), 'k1', 4],
    ['not an index', () => Buffer.from('{"key":"k1"}'), 'k1', 4],
    // the version before PLURAL_ENDINGS: `cpus` stored as itself, so "cpus" would miss them
    ['the second version', (b: Buffer) => { const c = Buffer.from(b); c.write('NPW2', 0, 'latin1'); return c; }, 'k1', 4],
    // the first posting: after the head (20 bytes), the key and the slot starts
    ['a node number out of range', (b: Buffer) => { const c = Buffer.from(b); c.writeInt32LE(99, 20 + 2 + (index.size + 1) * 4); return c; }, 'k1', 4],
  ] as const)('a file of %s is refused', (_what, damage, key, count) => {
    expect(WordIndex.fromBuffer(damage(index.toBuffer('k1', NODES.length)), key, count)).toBeUndefined();
  });
});

describe('the word index in the cache', () => {
  const cached = () => {
    const corpus = smallCorpus();
    const cacheDir = mkdtempSync(join(tmpdir(), 'netpulse-words-'));
    dirs.push(corpus, cacheDir);
    compileMibs([corpus], { cacheDir });
    return { corpus, cacheDir, words: join(cacheDir, 'words.bin') };
  };

  it('is written by the first search of a cached dictionary and read by the next process instead of built', () => {
    const { cacheDir, words } = cached();
    expect(existsSync(words)).toBe(false);
    // "deliverable" is in descriptions only (ifInErrors': "... errors preventing them from being deliverable ...")
    const first = loadDictionary(cacheDir)!.dictionary.search('deliverable errors', { limit: 5 });
    expect(first.hits.map((h) => h.node.name)).toContain('ifInErrors');
    expect(existsSync(words)).toBe(true);
    // a second process answers from the stored index: one that puts a word no description has in node 0
    const d = loadDictionary(cacheDir)!.dictionary;
    const key = JSON.parse(readFileSync(join(cacheDir, 'dictionary.json'), 'utf8')).key as string;
    const doctored = d.nodes.map((n, i) => ({ ...n, description: i === 0 ? 'zanzibar' : undefined }));
    writeFileSync(words, build(doctored).toBuffer(key, doctored.length));
    expect(d.search('zanzibar').hits.map((h) => h.node.name)).toEqual([d.nodes[0].name]);
    expect(loadDictionary(cacheDir)!.dictionary.search('deliverable errors', { limit: 5 }).hits).toEqual([]);
  });

  it('a damaged file is rebuilt and written again; a new compile removes the old one', () => {
    const { corpus, cacheDir, words } = cached();
    loadDictionary(cacheDir)!.dictionary.search('errors');
    writeFileSync(words, 'garbage');
    const d = loadDictionary(cacheDir)!.dictionary;
    expect(d.search('inbound errors', { limit: 5 }).hits.map((h) => h.node.name)).toContain('ifInErrors');
    expect(readFileSync(words).subarray(0, 4).toString()).toBe('NPW3');
    compileMibs([corpus], { cacheDir, force: true });
    expect(existsSync(words)).toBe(false);
  });

  it('a file of the version before is not read but rebuilt: its stems are not those of searchStem', () => {
    const { cacheDir, words } = cached();
    const d = loadDictionary(cacheDir)!.dictionary;
    const key = JSON.parse(readFileSync(join(cacheDir, 'dictionary.json'), 'utf8')).key as string;
    // an index of the version before, of this key and node count (a word no description has in node 0)
    const old = build(d.nodes.map((n, i) => ({ ...n, description: i === 0 ? 'zanzibar' : undefined }))).toBuffer(key, d.nodes.length);
    old.write('NPW2', 0, 'latin1');
    writeFileSync(words, old);
    expect(d.search('zanzibar').hits).toEqual([]);
    expect(d.search('deliverable errors', { limit: 5 }).hits.map((h) => h.node.name)).toContain('ifInErrors');
    expect(readFileSync(words).subarray(0, 4).toString()).toBe('NPW3');
  });

  it('is not stored when the descriptions could not be read (an index of the names only)', () => {
    const { cacheDir, words } = cached();
    writeFileSync(join(cacheDir, 'texts.jsonl'), 'damaged');
    const d = loadDictionary(cacheDir)!.dictionary;
    expect(d.search('ifInErrors').hits[0]?.node.name).toBe('ifInErrors');
    expect(existsSync(words)).toBe(false);
  });

  it('a dictionary changed by an upload neither reads nor writes the stored index', () => {
    const { cacheDir, words } = cached();
    const d = loadDictionary(cacheDir)!.dictionary;
    const added = d.addModule('ZZ-MIB DEFINITIONS ::= BEGIN\nIMPORTS OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI;\nzz OBJECT IDENTIFIER ::= { enterprises 99990 }\nzzObject OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "a zanzibar counter" ::= { zz 1 }\nEND\n');
    expect(added.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    expect(d.search('zanzibar').hits.map((h) => h.node.name)).toEqual(['zzObject']);
    expect(existsSync(words)).toBe(false);
  });
});
