// POST /api/v1/mibs through the real OID port: the parse runs in a worker thread (time limit, one at a time, bounded queue).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { oidsPort } from '../../src/main/adapters/oids.ts';
import { mibCacheDir, openDictionary, type DictionaryHolder } from '../../src/main/dictionary.ts';
import { createUploadParser, LOOKUPS_PER_MESSAGE, type UploadParserOptions } from '../../src/main/mib-upload-parser.ts';
import { compileMibs, Dictionary, parseUpload } from '../../src/mib/index.ts';
import { repoMibsDir } from '../../src/mib/paths.ts';
import { createFakeServices } from '../api/fake-services.ts';
import { AUTH, TOKEN } from '../api/helpers.ts';
import { GOOD_MODULE, smallCorpus } from '../mib/fixtures.ts';

/**
 * What this thread does for an upload, counted: parses and resolves (the worker's work), the keys of each lookup
 * batch it answers, and the event-loop turns taken while an upload's result is decoded and while the dictionary's
 * new state is built (a setImmediate ticker's runs: 0 when the work holds the loop from start to end).
 */
const seen = vi.hoisted(() => {
  const counts = { parses: 0, resolves: 0, lookupKeys: [] as number[], decodes: [] as { chunks: number; turns: number }[], replaceTurns: [] as number[], indexBuilds: 0 };
  async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
    let turns = 0;
    let watching = true;
    const tick = () => {
      if (!watching) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    try {
      const value = await work();
      return { value, turns };
    } finally {
      watching = false;
    }
  }
  const reset = () => Object.assign(counts, { parses: 0, resolves: 0, lookupKeys: [], decodes: [], replaceTurns: [], indexBuilds: 0 });
  return { counts, turnsDuring, reset };
});

vi.mock('../../src/mib/index.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/mib/index.ts')>();
  const { counts } = seen;
  return {
    ...m,
    parseUpload: (...a: Parameters<typeof m.parseUpload>) => (counts.parses++, m.parseUpload(...a)),
    resolveUploadAsking: (...a: Parameters<typeof m.resolveUploadAsking>) => (counts.resolves++, m.resolveUploadAsking(...a)),
    answerLookups: (...a: Parameters<typeof m.answerLookups>) => (counts.lookupKeys.push(a[1].length), againHook.lookup?.(a[1]), m.answerLookups(...a)),
  };
});

vi.mock('../../src/main/mib-upload-parser.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/main/mib-upload-parser.ts')>();
  return {
    ...m,
    decodeUpload: async (p: Parameters<typeof m.decodeUpload>[0]) => {
      const { value, turns } = await seen.turnsDuring(() => m.decodeUpload(p));
      seen.counts.decodes.push({ chunks: Object.values(p.chunkEnds).flat().length, turns });
      return value;
    },
  };
});

/** called when the background compile's end resolves an upload added during it again (before that work) */
const againHook = vi.hoisted(() => ({
  current: undefined as (() => Promise<void>) | undefined,
  /** told of every lookup batch this thread answers */
  lookup: undefined as ((keys: string[]) => void) | undefined,
}));
vi.mock('../../src/main/mib-upload.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/main/mib-upload.ts')>();
  return {
    ...m,
    addAgainst: async (...a: Parameters<typeof m.addAgainst>) => {
      await againHook.current?.();
      return m.addAgainst(...a);
    },
  };
});

// the dictionary's slices, and the index builds after them (each index is built by one of these generators)
const replaceModulesSliced = Dictionary.prototype.replaceModulesSliced;
const INDEX_STEPS = ['oidIndexSteps', 'nameIndexSteps', 'childIndexSteps', 'wordIndexSteps'] as const;
const indexSteps = Object.fromEntries(INDEX_STEPS.map((k) => [k, (Dictionary.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[k]]));
/**
 * the slice the dictionary's replacement runs in: its own, or 0 ms (a yield after every step) where the
 * work may fit one slice on a fast machine, so the turns count the steps' yields, not this machine's speed
 */
let replaceSliceMs: number | undefined;
beforeEach(() => {
  seen.reset();
  replaceSliceMs = undefined;
  vi.spyOn(Dictionary.prototype, 'replaceModulesSliced').mockImplementation(async function (this: Dictionary, ...a) {
    const { turns } = await seen.turnsDuring(() => replaceModulesSliced.apply(this, [a[0], a[1], a[2], a[3], replaceSliceMs ?? a[4]]));
    seen.counts.replaceTurns.push(turns);
  });
  for (const k of INDEX_STEPS) {
    vi.spyOn(Dictionary.prototype as unknown as Record<string, (...a: unknown[]) => unknown>, k).mockImplementation(function (this: Dictionary, ...a: unknown[]) {
      seen.counts.indexBuilds++;
      return indexSteps[k]!.apply(this, a);
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** what this thread did for the uploads of a test: it parsed and resolved nothing, answered lookups in batches, and decoded and added in slices */
function expectSlicedOnThisThread() {
  const { parses, resolves, lookupKeys, decodes, replaceTurns } = seen.counts;
  expect({ parses, resolves }).toEqual({ parses: 0, resolves: 0 });
  expect(Math.max(0, ...lookupKeys)).toBeLessThanOrEqual(LOOKUPS_PER_MESSAGE);
  // a 256 KiB chunk decoded per turn, not the whole result at once
  expect(decodes.length).toBeGreaterThan(0);
  for (const d of decodes) expect(d.turns, `turns while decoding ${d.chunks} chunks`).toBeGreaterThanOrEqual(d.chunks);
  // the dictionary's new state built in slices
  expect(replaceTurns.length).toBeGreaterThan(0);
  for (const turns of replaceTurns) expect(turns).toBeGreaterThanOrEqual(2);
}

const dirs: string[] = [];
const open: { app: FastifyInstance; holder: DictionaryHolder }[] = [];
afterEach(async () => {
  for (const { app, holder } of open.splice(0)) {
    await app.close();
    await holder.close();
  }
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** the real dictionary (SMI core + IF-MIB, or the MIBs in `mibs`) behind the API; listening on loopback when `listen` */
async function start(uploadParser: UploadParserOptions = {}, listen = false, mibs?: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-upload-'));
  dirs.push(dataDir);
  if (!mibs) dirs.push((mibs = smallCorpus()));
  const log: string[] = [];
  const holder = openDictionary({ dataDir, mibDirs: [mibs], log: (l) => log.push(l), sync: true, uploadParser });
  const app = await buildApp({ ...createFakeServices(), oids: oidsPort(holder) }, { tokens: [TOKEN], openReads: false, cors: false, ui: false });
  open.push({ app, holder });
  const url = listen ? await app.listen({ host: '127.0.0.1', port: 0 }) : '';
  const upload = (text: string) => app.inject({ method: 'POST', url: '/api/v1/mibs', payload: text, headers: { ...AUTH, 'content-type': 'text/plain' } });
  return { app, holder, url, upload, log };
}

/** a valid module of ~`bytes` bytes: one OBJECT-TYPE per ~190 bytes */
function bigModule(bytes: number): string {
  const parts = [`BIG-MIB DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI;
bigMib MODULE-IDENTITY LAST-UPDATED "202401010000Z" ORGANIZATION "netpulse" CONTACT-INFO "none" DESCRIPTION "synthetic" ::= { enterprises 99998 }
`];
  for (let i = 0, n = parts[0].length; n < bytes; i++) {
    const d = `bigObject${i} OBJECT-TYPE\n    SYNTAX Integer32 (0..${i + 10})\n    MAX-ACCESS read-only\n    STATUS current\n    DESCRIPTION "synthetic object number ${i} of a large upload"\n    ::= { bigMib ${i + 1} }\n`;
    parts.push(d);
    n += d.length;
  }
  parts.push('END\n');
  return parts.join('');
}

/** `line(0) + line(1) + ...` up to `bytes` */
function linesOf(bytes: number, line: (i: number) => string): string {
  const out: string[] = [];
  for (let i = 0, n = 0; n < bytes; i++) n += out[out.push(line(i)) - 1].length;
  return out.join('');
}

/**
 * A dictionary holder on a stale cache (SMI core, IF-MIB, GOOD-MIB under enterprises 99999) used while the shipped
 * corpus and a GOOD-MIB moved to enterprises 99997 compile in the background (10-13 s); its log lines go to `log`
 */
function openDuringBackgroundCompile(log: string[]): DictionaryHolder {
  const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-upload-'));
  const corpus = smallCorpus();
  const moved = mkdtempSync(join(tmpdir(), 'netpulse-mib-'));
  dirs.push(dataDir, corpus, moved);
  writeFileSync(join(corpus, 'GOOD-MIB'), GOOD_MODULE);
  writeFileSync(join(moved, 'GOOD-MIB'), GOOD_MODULE.replace('{ enterprises 99999 }', '{ enterprises 99997 }'));
  const mibDirs = [repoMibsDir(), moved];
  compileMibs([corpus], { cacheDir: mibCacheDir(dataDir, [...mibDirs, join(resolve(dataDir), 'mibs-uploaded')]) });
  return openDictionary({ dataDir, mibDirs, log: (l) => log.push(l) });
}

/** a module importing GOOD-MIB */
const CHILD_MODULE = `CHILD-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, Integer32 FROM SNMPv2-SMI goodMib FROM GOOD-MIB;
childCount OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "c" ::= { goodMib 7 }
END
`;

/** a module importing CHILD-MIB */
const GRANDCHILD_MODULE = `GRANDCHILD-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, Integer32 FROM SNMPv2-SMI childCount FROM CHILD-MIB;
grandchildCount OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "g" ::= { childCount 1 }
END
`;

/** a module of 4 MiB of broken assignments: slow to parse (error recovery), tiny to hand back */
const HOSTILE = 'HOSTILE-MIB DEFINITIONS ::= BEGIN\n' + 'OBJECT-TYPE ::= '.repeat(4 * 1024 * 1024 / 16) + 'END\n';

/** runs `work` while a /health loop runs on this event loop; the health answers during it */
async function whileWatching<T>(url: string, work: Promise<T>) {
  let finished = false;
  let healthServed = 0;
  const health = (async () => {
    while (!finished) {
      const r = await fetch(`${url}/health`);
      await r.arrayBuffer();
      if (r.ok && !finished) healthServed++;
    }
  })();
  try {
    const result = await work;
    return { result, healthServed };
  } finally {
    finished = true;
    await health;
  }
}

// worker start-up under tsx takes 0.2–1 s on a busy 2-core machine
describe('POST /api/v1/mibs on the real dictionary', { timeout: 60_000 }, () => {
  it('adds a module that compiles (201); a broken one is a 422 with the parser errors and changes nothing', async () => {
    const { app, upload } = await start();
    const before = (await app.inject({ method: 'GET', url: '/api/v1/mibs', headers: AUTH })).json().items;
    const bad = await upload(GOOD_MODULE.replace('{ goodMib 1 }', '{ noSuchParent 1 }'));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().message).toContain('does not compile');
    expect(JSON.stringify(bad.json().errors)).toContain('noSuchParent');
    const notMib = await upload('this is not a MIB');
    expect(notMib.statusCode).toBe(422);
    expect((await app.inject({ method: 'GET', url: '/api/v1/mibs', headers: AUTH })).json().items).toEqual(before);
    const good = await upload(GOOD_MODULE);
    expect(good.statusCode, good.body).toBe(201);
    expect(good.json()).toMatchObject({ name: 'GOOD-MIB', source: 'upload' });
    const node = await app.inject({ method: 'GET', url: '/api/v1/oids/GOOD-MIB::goodState', headers: AUTH });
    expect(node.json().node).toMatchObject({ oid: '1.3.6.1.4.1.99999.2.1.1', enums: { 1: 'on', 2: 'off-line' } });
  });

  it('keeps serving /health while a 4 MiB upload is parsed', async () => {
    const { url, upload } = await start({}, true);
    // what would block the event loop if it ran on it
    const baseline = parseUpload(HOSTILE, 'upload');
    expect(baseline.modules[0].errors.length).toBeGreaterThan(0);
    seen.reset();

    const hostile = await whileWatching(url, upload(HOSTILE));
    expect(hostile.result.statusCode).toBe(422);
    expect(hostile.result.json().message).toContain('does not compile');
    expect(hostile.healthServed).toBeGreaterThanOrEqual(3);
    // parsed and resolved in the worker, not here
    expect({ parses: seen.counts.parses, resolves: seen.counts.resolves }).toEqual({ parses: 0, resolves: 0 });

    const text = bigModule(4 * 1024 * 1024);
    const big = await whileWatching(url, upload(text));
    expect(big.result.statusCode, big.result.body).toBe(201);
    expect(big.result.json()).toMatchObject({ name: 'BIG-MIB', nodeCount: (text.match(/OBJECT-TYPE/g) ?? []).length });
    expect(big.healthServed).toBeGreaterThanOrEqual(1);
  });

  // resolving on this thread, the structured clone of the parse and the index rebuilds on the first lookups held the event loop 0.5-1.5 s before
  it('keeps the event loop turning while a 4 MiB module is added to the shipped corpus, and the lookups after it rebuild nothing', async () => {
    const text = bigModule(4 * 1024 * 1024);
    const { holder, url, upload } = await start({ timeLimitMs: 60_000 }, true, repoMibsDir());
    // name, word and OID search, a node with its children and path (every index the dictionary has), one request after the other
    const lookups = async () => {
      const out = [];
      for (const path of ['oids?q=ifDescr', 'oids?q=synthetic%20upload', 'oids?q=1.3.6.1.4.1.99998', 'oids/IF-MIB::ifDescr', 'oids/1.3.6.1.4.1.99998.12']) {
        out.push(await (await fetch(`${url}/api/v1/${path}`, { headers: AUTH })).json());
      }
      return out;
    };
    expect((await lookups())[1].total).toBe(0);
    await Promise.all([holder.current().prepare('browse'), holder.current().prepare('search')]);
    seen.reset();
    const run = await whileWatching(url, (async () => {
      const added = await upload(text);
      const builtByTheAdd = seen.counts.indexBuilds;
      return { added, builtByTheAdd, after: await lookups() };
    })());
    expect(run.result.added.statusCode, run.result.added.body).toBe(201);
    expect(run.result.after[1].total).toBe((text.match(/ OBJECT-TYPE\n/g) ?? []).length);
    expect(run.result.after[4].node).toMatchObject({ name: 'bigObject11', module: 'BIG-MIB' });
    expect(run.healthServed).toBeGreaterThanOrEqual(3);
    expectSlicedOnThisThread();
    // the add built the indexes (in its slices); the lookups after it built none
    expect(run.result.builtByTheAdd).toBeGreaterThan(0);
    expect(seen.counts.indexBuilds).toBe(run.result.builtByTheAdd);
  });

  // the lookups answered in one go, the types and module summaries cloned in one message and the type index built at once held the event loop 0.3-0.9 s
  it('keeps the event loop turning while 4 MiB of type assignments (each asking a lookup) or of empty modules is added', { timeout: 120_000 }, async () => {
    // ~300k types, each naming a base type the worker must ask this thread about
    const typesText = `TYPES-MIB DEFINITIONS ::= BEGIN\n${linesOf(4 * 1024 * 1024, (i) => `T${i} ::= U${i}\n`)}END\n`;
    replaceSliceMs = 0;
    const typesAt = await start({ timeLimitMs: 60_000 }, true);
    seen.reset();
    const types = await whileWatching(typesAt.url, typesAt.upload(typesText));
    expect(types.result.statusCode, types.result.body.slice(0, 500)).toBe(201);
    expectSlicedOnThisThread();
    expect(seen.counts.lookupKeys.reduce((a, b) => a + b, 0)).toBeGreaterThan(100_000);
    // ~140k modules in one upload
    const modulesText = linesOf(4 * 1024 * 1024, (i) => `M${i} DEFINITIONS ::= BEGIN END\n`);
    const modulesAt = await start({ timeLimitMs: 60_000, maxModules: 1_000_000 }, true);
    seen.reset();
    const modules = await whileWatching(modulesAt.url, modulesAt.upload(modulesText));
    expect(modules.result.statusCode, modules.result.body.slice(0, 500)).toBe(201);
    expectSlicedOnThisThread();
  });

  it('a module that compiles but cannot be saved is a 500 naming no server path, logged in full; the dictionary is unchanged', async () => {
    const { app, holder, upload, log } = await start();
    // a directory where the upload's file goes: writing it fails, even as root
    mkdirSync(join(holder.uploadDir, 'GOOD-MIB.mib'), { recursive: true });
    const r = await upload(GOOD_MODULE);
    expect(r.statusCode, r.body).toBe(500);
    expect(r.json().message).toMatch(/^mib: upload GOOD-MIB: the module compiles but the server could not save it \(EISDIR\); the dictionary is unchanged/);
    expect(r.body).not.toContain(holder.uploadDir);
    expect(log.join('\n')).toContain(`mib: error: upload GOOD-MIB: cannot save ${join(holder.uploadDir, 'GOOD-MIB.mib')}: EISDIR`);
    expect((await app.inject({ method: 'GET', url: '/api/v1/oids/GOOD-MIB::goodState', headers: AUTH })).statusCode).toBe(404);
  });

  it('adds uploads in order: a module may import one uploaded just before it, in flight together', async () => {
    const { upload } = await start();
    const [good, added] = await Promise.all([upload(GOOD_MODULE), upload(CHILD_MODULE)]);
    expect(good.statusCode, good.body).toBe(201);
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().warnings).toEqual([]);
  });

  it('counts only the upload\'s own work against its time limit, not the wait for the upload before it to be added', async () => {
    const { holder, upload } = await start({ timeLimitMs: 2_500 });
    // the add of GOOD-MIB takes 4 s (a 20 MB module takes 2-5 s); CHILD-MIB's lookups wait for it
    const dict = holder.current();
    const replace = dict.replaceModulesSliced.bind(dict);
    let slow = true;
    dict.replaceModulesSliced = async (...args) => {
      if (slow) await sleep(4_000);
      slow = false;
      return replace(...args);
    };
    const [good, child] = await Promise.all([upload(GOOD_MODULE), upload(CHILD_MODULE)]);
    expect(good.statusCode, good.body).toBe(201);
    expect(child.statusCode, child.body).toBe(201);
  });

  it('bounds the wait for lookup answers too (lookupWaitLimitMs): a dictionary that never answers is a 503, not a hung worker', async () => {
    // the time limit well above the lookup limit: under load the two equal limits raced
    const parser = createUploadParser({ timeLimitMs: 30_000, lookupWaitLimitMs: 2_000 });
    try {
      // ends at the lookup limit (busy), not the time limit (refused) nor never (the test's timeout)
      const r = await parser.parse(GOOD_MODULE, 'upload', () => new Promise(() => {}));
      expect(r).toMatchObject({ kind: 'busy', message: expect.stringContaining("upload GOOD-MIB: the dictionary took more than 2 s to answer the parser's lookups") });
    } finally {
      await parser.close();
    }
  });

  it('refuses an upload of more modules than allowed, and lists at most 200 errors in a 422', async () => {
    const { upload } = await start();
    const modules = (n: number) => Array.from({ length: n }, (_, i) => `M${i} DEFINITIONS ::= BEGIN END\n`).join('');
    const many = await upload(modules(51));
    expect(many.statusCode).toBe(422);
    expect(many.json().errors).toEqual([expect.objectContaining({ message: 'upload: declares 51 modules, more than the 50 one upload may hold (upload them in several requests)' })]);
    expect((await upload(modules(50))).statusCode).toBe(201);
    // each module lists at most 200 errors (the resolver's cap); two of 150 each
    const broken = (name: string) => `${name} DEFINITIONS ::= BEGIN\n${Array.from({ length: 150 }, (_, i) => `o${i} OBJECT IDENTIFIER ::= { noParent${i} 1 }\n`).join('')}END\n`;
    const r = await upload(broken('BROKEN-MIB') + broken('BROKEN2-MIB'));
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toHaveLength(200);
    expect(r.json().moreErrors).toBe(100);
    expect(r.json().message).toContain('(300 errors; first: ');
  });

  it('keeps an upload added while the background compile runs in the dictionary the compile brings, resolved again against its modules', async () => {
    const log: string[] = [];
    const holder = openDuringBackgroundCompile(log);
    try {
      expect(holder.state()).toBe('compiling');
      const out = await holder.addUpload(CHILD_MODULE);
      expect(out).toMatchObject({ kind: 'done', result: { ok: true } });
      expect(holder.state(), 'the compile ended before the upload was added').toBe('compiling');
      expect(holder.current().findNode('CHILD-MIB::childCount')?.oid).toBe('1.3.6.1.4.1.99999.7');
      await holder.ready();
      expect(holder.state()).toBe('ready');
      expect(holder.current().findNode('HOST-RESOURCES-MIB::hrSystemUptime')).toBeDefined();
      expect(holder.current().findNode('GOOD-MIB::goodName')?.oid).toBe('1.3.6.1.4.1.99997.1');
      expect(holder.current().findNode('CHILD-MIB::childCount')?.oid).toBe('1.3.6.1.4.1.99997.7');
      expect(log.filter((l) => l.includes('kept as resolved before'))).toEqual([]);
    } finally {
      await holder.close();
    }
  });

  it('an upload that arrives while the compile\'s end resolves earlier uploads again waits for it and lands in the compiled dictionary', async () => {
    const holder = openDuringBackgroundCompile([]);
    let late: Promise<unknown> | undefined;
    const order: string[] = [];
    againHook.lookup = (keys) => {
      if (keys.some((k) => k.includes('CHILD-MIB')) && !order.includes('late upload\'s lookups')) order.push('late upload\'s lookups');
    };
    // the late upload is sent as the first upload is resolved again, which then waits (up to 2 s) for the
    // late one's lookups: they must not be answered from the dictionary being replaced
    againHook.current = async () => {
      againHook.current = undefined;
      late = holder.addUpload(GRANDCHILD_MODULE);
      for (let waited = 0; waited < 2000 && order.length === 0; waited += 50) await sleep(50);
      order.push('resolved again');
    };
    try {
      expect(await holder.addUpload(CHILD_MODULE)).toMatchObject({ kind: 'done', result: { ok: true } });
      await holder.ready();
      expect(late, 'the compile\'s end resolved no upload again').toBeDefined();
      expect(await late).toMatchObject({ kind: 'done', result: { ok: true } });
      expect(holder.current().findNode('CHILD-MIB::childCount')?.oid).toBe('1.3.6.1.4.1.99997.7');
      expect(holder.current().findNode('GRANDCHILD-MIB::grandchildCount')?.oid).toBe('1.3.6.1.4.1.99997.7.1');
      expect(order).toEqual(['resolved again', 'late upload\'s lookups']);
    } finally {
      againHook.current = undefined;
      againHook.lookup = undefined;
      await holder.close();
    }
  });

  it('close() waits for the add in progress: nothing is written after it resolves', async () => {
    const { holder } = await start();
    const dataDir = resolve(holder.uploadDir, '..');
    const parse = holder.uploads.parse.bind(holder.uploads);
    let parsed!: () => void;
    const whenParsed = new Promise<void>((ok) => (parsed = ok));
    holder.uploads.parse = async (...args) => {
      const out = await parse(...args);
      parsed();
      return out;
    };
    const adding = holder.addUpload(bigModule(2 * 1024 * 1024));
    await whenParsed;
    await holder.close();
    const saved = readdirSync(holder.uploadDir);
    rmSync(dataDir, { recursive: true, force: true });
    const out = await adding;
    await sleep(200);
    expect(existsSync(dataDir)).toBe(false);
    // either added before close resolved (saved then) or refused as stopping
    if (out.kind === 'done') expect(saved).toEqual(['BIG-MIB.mib']);
    else expect(out).toMatchObject({ kind: 'busy', message: 'mib: upload BIG-MIB: netpulse is stopping' });
  });

  it('stops a parse at its time limit: 422 naming the upload and the cause, dictionary unchanged', async () => {
    const { app, upload } = await start({ timeLimitMs: 1 });
    const before = (await app.inject({ method: 'GET', url: '/api/v1/mibs', headers: AUTH })).json().items;
    const r = await upload(GOOD_MODULE);
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].message).toBe('upload GOOD-MIB: parsing stopped at the 0.001 s time limit (the module is too large or too complex)');
    expect(r.json().message).toContain('time limit');
    expect((await app.inject({ method: 'GET', url: '/api/v1/mibs', headers: AUTH })).json().items).toEqual(before);
    expect((await app.inject({ method: 'GET', url: '/api/v1/oids/GOOD-MIB::goodName', headers: AUTH })).statusCode).toBe(404);
  });

  it('parses one upload at a time; beyond the queue bound it answers 503 with Retry-After', async () => {
    const { upload } = await start({ maxQueued: 1, timeLimitMs: 20_000 });
    const rs = await Promise.all([upload(GOOD_MODULE), upload(GOOD_MODULE.replaceAll('GOOD-MIB', 'OTHER-MIB')), upload(GOOD_MODULE)]);
    expect(rs.map((r) => r.statusCode)).toEqual([201, 201, 503]);
    expect(rs[2].headers['retry-after']).toBe('20');
    expect(rs[2].json().message).toBe("mib: upload GOOD-MIB: the MIB parser's queue is full (1 waiting); try again in 20 s");
  });

  it('answers queued uploads with 503 when netpulse stops', async () => {
    const { holder } = await start();
    const pending = [holder.uploads.parse(GOOD_MODULE, 'upload'), holder.uploads.parse(GOOD_MODULE, 'upload')];
    await holder.close();
    for (const r of await Promise.all(pending)) expect(r).toMatchObject({ kind: 'busy', message: 'mib: upload GOOD-MIB: netpulse is stopping' });
  });
});
