// Dictionary.prepare: the indexes a lookup, a browse or a search needs, built in slices between which the event loop runs.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMibs, Dictionary, loadDictionary, type MibNode } from '../../src/mib/index.ts';
import { textsLines, textsSteps } from '../../src/mib/compile.ts';
import { smallCorpus } from './fixtures.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** a module of `count` described objects */
function describedModule(count: number): string {
  const parts = ['BIG-MIB DEFINITIONS ::= BEGIN\nIMPORTS OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI;\nbigMib OBJECT IDENTIFIER ::= { enterprises 99998 }\n'];
  for (let i = 0; i < count; i++) {
    parts.push(`bigObject${i} OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current\n  DESCRIPTION "object ${i}: ${'a long description of what it counts '.repeat(4)}" ::= { bigMib ${i + 1} }\n`);
  }
  return parts.join('') + 'END\n';
}

/** a cache of the small corpus (SMI core, IF-MIB) and 30,000 described objects; its directory holding dictionary.json and texts.jsonl */
function cachedCorpus(): string {
  const corpus = smallCorpus();
  writeFileSync(join(corpus, 'BIG-MIB'), describedModule(30_000));
  const cacheDir = mkdtempSync(join(tmpdir(), 'netpulse-prepare-'));
  dirs.push(corpus, cacheDir);
  compileMibs([corpus], { cacheDir });
  return cacheDir;
}
const descriptions = (d: Dictionary) => d.nodes.map((n) => n.description ?? null);

const WORDS = ['octets', 'errors', 'discards', 'status', 'speed', 'alias', 'vlan', 'port', 'fan', 'power'];

/** `count` object types under enterprises 99999, 100 to a branch, each described with three words */
function nodes(count: number, module = 'SYNTH-MIB'): MibNode[] {
  const out: MibNode[] = [{ name: 'synth', oid: '1.3.6.1.4.1.99999', module, kind: 'module-identity' }];
  for (let i = 0; i < count; i++) {
    const branch = Math.floor(i / 100);
    if (i % 100 === 0) out.push({ name: `branch${branch}`, oid: `1.3.6.1.4.1.99999.${branch}`, module, kind: 'object-identity' });
    out.push({
      name: `synthObject${i}`, oid: `1.3.6.1.4.1.99999.${branch}.${i % 100}`, module, kind: 'object-type',
      description: `the ${WORDS[i % 10]} ${WORDS[(i * 7) % 10]} of unit ${i} ${WORDS[(i * 3) % 10]}`,
    });
  }
  return out;
}

/** the event-loop turns taken while `work` runs */
async function turnsDuring(work: () => Promise<void>): Promise<number> {
  let turns = 0;
  let done = false;
  const tick = () => { turns++; if (!done) setImmediate(tick); };
  setImmediate(tick);
  await work();
  done = true;
  return turns;
}

/** what the indexes answer, to compare a prepared dictionary with one that builds them at once */
const answers = (d: Dictionary) => ({
  search: d.search('errors vlan', { limit: 5 }),
  byName: d.search('synthObject1234').hits.map((h) => h.node.name),
  children: d.children('1.3.6.1.4.1.99999.7').map((n) => n.name),
  translate: d.translate('1.3.6.1.4.1.99999.12.34.5')?.text,
  resolve: d.resolve('SYNTH-MIB::synthObject4321'),
});

describe('Dictionary.prepare', () => {
  it.each(['lookups', 'browse', 'search'] as const)('%s: builds in slices, and the answers after it are those of a dictionary that built at once', async (what) => {
    const prepared = new Dictionary(nodes(60_000));
    const turns = await turnsDuring(() => prepared.prepare(what, 1));
    expect(turns).toBeGreaterThan(10);
    expect(answers(prepared)).toEqual(answers(new Dictionary(nodes(60_000))));
  });

  it('calls for the same indexes while a build runs share it', async () => {
    const d = new Dictionary(nodes(20_000));
    const first = d.prepare('search');
    expect(d.prepare('search')).toBe(first);
    await first;
    expect(d.prepare('search')).not.toBe(first);
  });

  it('a replace during the build is in what the build leaves behind', async () => {
    const d = new Dictionary(nodes(30_000));
    const building = d.prepare('search', 1);
    await new Promise((r) => setImmediate(r));
    const added: MibNode = { name: 'lateObject', oid: '1.3.6.1.4.1.99998.1', module: 'LATE-MIB', kind: 'object-type', description: 'a zanzibar counter' };
    d.replaceModules(['LATE-MIB'], [added], [], [{ name: 'LATE-MIB', file: 'late', nodes: 1, types: 0, errors: [], imports: [] }]);
    await building;
    expect(d.search('zanzibar').hits.map((h) => h.node.name)).toEqual(['lateObject']);
    expect(d.translate('1.3.6.1.4.1.99998.1')?.text).toBe('LATE-MIB::lateObject');
  });

  it('loads the descriptions of a cached dictionary in slices, as the load at once does', async () => {
    const cacheDir = cachedCorpus();
    const sliced = loadDictionary(cacheDir)!.dictionary;
    const atOnce = loadDictionary(cacheDir)!.dictionary;
    expect(sliced.nodes.every((n) => n.description === undefined)).toBe(true);
    await sliced.prepare('browse');
    atOnce.ensureTexts();
    expect(descriptions(sliced)).toEqual(descriptions(atOnce));
    expect(sliced.node('IF-MIB::ifDescr')?.description).toMatch(/textual string containing information about the\s+interface/);
  });

  it('a damaged texts file leaves the descriptions out, sliced or at once, and everything else answers', async () => {
    const cacheDir = cachedCorpus();
    const [texts] = readdirSync(cacheDir).filter((f) => f.startsWith('texts'));
    writeFileSync(join(cacheDir, texts), '{"key":"x"\n[[');
    for (const load of [(d: Dictionary) => d.prepare('search'), async (d: Dictionary) => d.ensureTexts()]) {
      const d = loadDictionary(cacheDir)!.dictionary;
      await load(d);
      expect(d.node('IF-MIB::ifDescr')?.oid).toBe('1.3.6.1.2.1.2.2.1.2');
      expect(d.nodes.some((n) => n.description !== undefined)).toBe(false);
      expect(d.search('ifDescr').hits[0]?.node.name).toBe('ifDescr');
    }
  });

  it('the texts file is read a line of 1,000 pairs per step, and gives back what was written', () => {
    const pair = (i: number): [string?, string?] => (i % 3 ? [`description ${i}\nof two lines "quoted"`, i % 5 ? undefined : `RFC ${i}`] : []);
    const written = { key: 'k1', nodes: Array.from({ length: 2_500 }, (_, i) => pair(i)), types: Array.from({ length: 10 }, (_, i) => pair(i)) };
    const text = textsLines(written);
    expect(text.split('\n').length).toBe(1 + 3 + 1 + 1);
    const steps = textsSteps(text, 'k1');
    let yields = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) yields++;
    expect(yields).toBe(4);
    expect(r.value).toEqual(JSON.parse(JSON.stringify(written)));
    expect(textsSteps(text, 'other').next()).toEqual({ done: true, value: undefined });
    const cut = textsSteps(text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1), 'k1');
    let last = cut.next();
    while (!last.done) last = cut.next();
    expect(last.value, 'a file missing a line').toBeUndefined();
  });
});
