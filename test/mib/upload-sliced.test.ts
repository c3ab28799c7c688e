// Uploads added the way the runtime adds them (resolved through lookups, as in the worker; the
// dictionary's new state built in slices and swapped in at once) give exactly what addModule gives.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addResolvedUpload, answerLookups, dictionaryScope, resolveUpload, resolveUploadAsking, type ResolvedUpload } from '../../src/mib/add-module.ts';
import { compareOids, compileMibs, loadDictionary, parseUpload, type Dictionary } from '../../src/mib/index.ts';
import { repoMibsDir } from '../../src/mib/paths.ts';
import { GOOD_MODULE, smallCorpus } from './fixtures.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function corpus(): string {
  const d = smallCorpus();
  dirs.push(d);
  return d;
}

/** GOOD-MIB replaced: goodState gone, goodName retyped, a new scalar */
const GOOD_V2 = GOOD_MODULE
  .replace(/goodState OBJECT-TYPE[^]*?\{ goodEntry 1 \}\n/, '')
  .replace('SYNTAX DisplayString (SIZE (0..32))', 'SYNTAX Integer32')
  .replace('IMPORTS MODULE-IDENTITY, OBJECT-TYPE, enterprises', 'IMPORTS MODULE-IDENTITY, OBJECT-TYPE, Integer32, enterprises')
  .replace('END\n', 'goodCount OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "how many" ::= { goodMib 3 }\nEND\n');
/** IF-MIB replaced (many kept nodes on both sides of it in the node list) */
const IF_MIB_V2 = readFileSync(join(repoMibsDir(), 'standard', 'IF-MIB.txt'), 'latin1').replace('"A textual string containing information about the', '"Replaced: a textual string about the');

/** a module of `n` scalars (a base large enough for many slices), in OID order or not */
function manyObjects(n: number, name = 'MANY-MIB', shuffled = false): string {
  const defs = Array.from({ length: n }, (_, i) => `many${i} OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "scalar ${i} of many" ::= { manyMib ${shuffled ? (i * 7919) % n + 1 : i + 1} }`);
  return `${name} DEFINITIONS ::= BEGIN\nIMPORTS OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI;\nmanyMib OBJECT IDENTIFIER ::= { enterprises 99996 }\n${defs.join('\n')}\nEND\n`;
}

/** the worker's side: resolved through lookups, the nodes through JSON (as transferred) */
async function resolveRemotely(d: Dictionary, text: string): Promise<ResolvedUpload> {
  const r = await resolveUploadAsking(parseUpload(text, 'upload'), async (keys) => answerLookups(d, keys), 'upload');
  return { ...r, nodes: JSON.parse(JSON.stringify(r.nodes)) };
}

/** the runtime's path: resolved remotely, added in slices */
async function addSliced(d: Dictionary, text: string) {
  return addResolvedUpload(d, await resolveRemotely(d, text), text);
}

/** the same with slices of `sliceMs` */
async function swapSliced(d: Dictionary, text: string, sliceMs: number): Promise<void> {
  const r = await resolveRemotely(d, text);
  await d.replaceModulesSliced(r.modules, r.nodes, r.types, r.summaries, sliceMs);
}

/** builds every lazy index (what a running netpulse has after some API traffic) */
function warm(d: Dictionary): void {
  d.translate('1.3.6.1.2.1.2.2.1.2.7');
  d.search('interface status');
  d.search('1.3.6.1.2.1.2');
  d.children('1.3.6.1.2.1.2.2.1');
}

/** everything a reader can see */
function view(d: Dictionary) {
  const queries = ['ifDescr', 'if', 'good', 'textual string', 'interface status', 'GOOD-MIB::', 'IF-MIB::if', '1.3.6.1.2.1.2', '1.3.6.1.4.1.99999', 'many1', 'scalar of many', '1.3.6.1.4.1.99996'];
  const oids = ['1.3.6.1.2.1.2.2.1.2.7', '1.3.6.1.4.1.99999.2.1.1.3', '1.3.6.1.4.1.99999.1.0', '1.3.6.1.4.1.99999.3.0', '1.3.6.1.6.3.1.1.5.3'];
  return JSON.stringify({
    nodes: d.nodes, types: d.types, modules: d.modules, lines: d.listLines(),
    search: queries.map((q) => d.search(q, { limit: 500 })),
    translate: oids.map((o) => d.translate(o)?.text),
    children: ['', '1.3.6.1.2.1.2.2.1', '1.3.6.1.4.1.99999', '1.3.6.1.4.1.99999.2.1', '1.3.6.1.4.1.99996'].map((o) => d.children(o).map((n) => `${n.module}::${n.name}`)),
    nodesByName: ['ifDescr', 'goodName', 'GOOD-MIB::goodState', 'IF-MIB::ifIndex', '1.3.6.1.4.1.99999.3', 'many7', '1.3.6.1.4.1.99996.7'].map((n) => d.node(n)),
    typesByName: ['DisplayString', 'IF-MIB::InterfaceIndex', 'GoodEntry'].map((n) => d.type(n)),
  });
}

describe('uploads added in slices', () => {
  it('give the same dictionary as addModule: added, replaced, and a corpus module replaced', async () => {
    const src = corpus();
    const a = compileMibs([src]).dictionary;
    const b = compileMibs([src]).dictionary;
    // several thousand nodes out of OID order, two at each OID: the sort in steps merges and breaks ties
    for (const d of [a, b]) {
      expect(d.addModule(manyObjects(6000, 'MANY-MIB', true)).ok).toBe(true);
      expect(d.addModule(manyObjects(6000, 'MANY-V1-MIB', true)).ok).toBe(true);
      warm(d);
    }
    for (const text of [GOOD_MODULE, GOOD_V2, IF_MIB_V2, manyObjects(7000, 'MANY-MIB', true)]) {
      const sync = a.addModule(text, { file: 'upload' });
      expect(sync.ok, JSON.stringify(sync.errors)).toBe(true);
      expect(await addSliced(b, text)).toEqual(sync);
      expect(view(b)).toBe(view(a));
    }
    expect(b.node('IF-MIB::ifDescr')!.description).toMatch(/^Replaced: /);
    expect(b.node('GOOD-MIB::goodState')).toBeUndefined();
    // the OID order (built by a merge sort in steps) is the one a stable sort gives
    const byOid = [...b.nodes.keys()].sort((x, y) => compareOids(b.nodes[x].oid, b.nodes[y].oid));
    expect(b.listLines()).toEqual(byOid.map((i) => `${b.nodes[i].module}::${b.nodes[i].name}\t${b.nodes[i].oid}`));
    expect(b.translate('1.3.6.1.4.1.99999.3.0')!.text).toBe('GOOD-MIB::goodCount.0');
  });

  it('leave descriptions not loaded yet from the cache to load later, at their new places', async () => {
    const src = corpus();
    const cacheDir = mkdtempSync(join(tmpdir(), 'netpulse-mibcache-'));
    dirs.push(cacheDir);
    compileMibs([src], { cacheDir });
    const a = loadDictionary(cacheDir)!.dictionary;
    const b = loadDictionary(cacheDir)!.dictionary;
    // translate and OID search only: the descriptions stay unloaded
    a.translate('1.3.6.1.2.1.2.2.1.2.7');
    b.translate('1.3.6.1.2.1.2.2.1.2.7');
    for (const text of [IF_MIB_V2, GOOD_MODULE]) {
      expect(a.addModule(text, { file: 'upload' }).ok).toBe(true);
      expect((await addSliced(b, text)).ok).toBe(true);
    }
    expect(b.nodes.find((n) => n.name === 'sysDescr')!.description).toBeUndefined();
    expect(view(b)).toBe(view(a));
    expect(b.node('SNMPv2-MIB::sysDescr')!.description).toMatch(/textual description of the entity/);
    expect(b.node('IF-MIB::ifDescr')!.description).toMatch(/^Replaced: /);
  });

  it('let the event loop run, and readers see the old dictionary until the new one is swapped in whole', async () => {
    const d = compileMibs([corpus()]).dictionary;
    expect(d.addModule(manyObjects(20_000)).ok).toBe(true);
    warm(d);
    const before = d.size;
    const seen: string[] = [];
    let turns = 0;
    let watching = true;
    const watch = () => {
      if (!watching) return;
      turns++;
      seen.push(`${d.size}/${d.node('goodName') ? 'new' : 'old'}/${d.search('goodName').total}`);
      setImmediate(watch);
    };
    setImmediate(watch);
    await swapSliced(d, GOOD_MODULE, 0);
    watching = false;
    expect(turns).toBeGreaterThan(20);
    expect(new Set(seen)).toEqual(new Set([`${before}/old/0`]));
    expect(d.size).toBeGreaterThan(before);
    expect(d.node('goodName')).toBeDefined();
    expect(d.search('goodName').total).toBe(1);
  });

  it('a synchronous addModule while the slices run is kept: the build starts again on top of it', async () => {
    const d = compileMibs([corpus()]).dictionary;
    expect(d.addModule(manyObjects(5_000)).ok).toBe(true);
    warm(d);
    const adding = swapSliced(d, GOOD_MODULE, 0);
    await new Promise((r) => setImmediate(r));
    expect(d.addModule(GOOD_MODULE.replaceAll('GOOD-MIB', 'OTHER-MIB').replace('enterprises 99999', 'enterprises 99997')).ok).toBe(true);
    await adding;
    expect(d.translate('1.3.6.1.4.1.99999.1.0')!.text).toBe('GOOD-MIB::goodName.0');
    expect(d.translate('1.3.6.1.4.1.99997.1.0')!.text).toBe('OTHER-MIB::goodName.0');
  });

  it('a synchronous addModule that shrinks the node list while the slices run, at any point of them, is kept too', async () => {
    for (let turnsBefore = 1; turnsBefore <= 25; turnsBefore += 3) {
      const d = compileMibs([corpus()]).dictionary;
      expect(d.addModule(manyObjects(8_000)).ok).toBe(true);
      warm(d);
      const adding = swapSliced(d, GOOD_MODULE, 0);
      for (let t = 0; t < turnsBefore; t++) await new Promise((r) => setImmediate(r));
      // MANY-MIB replaced by a 10-node version: 8,000 nodes fewer than the slices started from
      expect(d.addModule(manyObjects(10)).ok).toBe(true);
      // a reader right after it: the live dictionary has its indexes again
      warm(d);
      await adding;
      expect(d.translate('1.3.6.1.4.1.99999.1.0')!.text).toBe('GOOD-MIB::goodName.0');
      expect(d.node('many9')).toBeDefined();
      expect(d.node('many10')).toBeUndefined();
      expect(d.nodes.every((n) => n !== undefined)).toBe(true);
    }
  });
});

describe('resolving through lookups (the worker side)', () => {
  it('gives what resolving against the dictionary gives, asking once, errors not repeated', async () => {
    const d = compileMibs([corpus()]).dictionary;
    // the resolver's own warnings: a name defined twice, an import from a module it does not know
    const text = GOOD_MODULE.replace('ifIndex FROM IF-MIB;', 'ifIndex FROM IF-MIB\n        fooBar FROM NO-SUCH-MIB;')
      .replace('END\n', 'goodName OBJECT IDENTIFIER ::= { goodMib 9 }\ngoodFoo OBJECT IDENTIFIER ::= { fooBar 1 }\nEND\n');
    const direct = resolveUpload(parseUpload(text, 'upload'), dictionaryScope(d), 'upload');
    let asked = 0;
    const remote = await resolveUploadAsking(parseUpload(text, 'upload'), async (keys) => { asked++; return answerLookups(d, keys); }, 'upload');
    expect(JSON.stringify(remote)).toBe(JSON.stringify(direct));
    expect(asked).toBe(1);
    expect(remote.errors.filter((e) => e.message.includes('imports from module NO-SUCH-MIB'))).toHaveLength(1);
    expect(remote.errors.filter((e) => e.message.includes('defined more than once'))).toHaveLength(1);
  });

  it('a broken upload is not added and changes nothing', async () => {
    const d = compileMibs([corpus()]).dictionary;
    warm(d);
    const before = view(d);
    const r = await addSliced(d, GOOD_MODULE.replace('{ goodMib 1 }', '{ noSuchParent 1 }'));
    expect(r).toMatchObject({ ok: false, modules: ['GOOD-MIB'], nodes: 0 });
    expect(JSON.stringify(r.errors)).toContain('noSuchParent');
    expect((await addSliced(d, 'hello world')).ok).toBe(false);
    expect(view(d)).toBe(before);
  });
});
