/**
 * Compiles every MIB file under a set of directories into a Dictionary, with an on-disk cache
 * keyed by (path, size, mtime) of every source file.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAscii } from 'node:buffer';
import { Dictionary, type TextSource, type WordSource } from './dictionary.ts';
import { WordIndex } from './word-index.ts';
import { runSliced, runToEnd, type Steps } from './steps.ts';
import { parseMibText } from './parser.ts';
import { forgetSharedTexts } from './tokenizer.ts';
import { resolveModules } from './resolver.ts';
import { summarize } from './add-module.ts';
import { listMibFiles, type SourceFile } from './paths.ts';
import { WARM_UP_TEXTS } from './warm-up.ts';
import type { MibError, MibNode, MibType, ModuleSummary, ParsedModule, Syntax } from './types.ts';

export { addModuleTo } from './add-module.ts';

export const CACHE_VERSION = 2;
/** files larger than this are reported and skipped */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface CompileOptions {
  /** directory for the compiled dictionary; no cache when absent */
  cacheDir?: string;
  /** ignore an existing cache */
  force?: boolean;
  /** the listing of `dirs` when the caller already made it (start-up lists once) */
  listed?: ReturnType<typeof listMibFiles>;
}

export interface CompileResult {
  dictionary: Dictionary;
  modules: ModuleSummary[];
  /** every error and warning, per module or per file */
  errors: MibError[];
  fromCache: boolean;
  files: number;
}

export function cacheKey(files: SourceFile[]): string {
  const h = createHash('sha256');
  h.update(`v${CACHE_VERSION}\n`);
  for (const f of files) h.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`);
  return h.digest('hex').slice(0, 32);
}

interface CacheFile {
  version: number;
  key: string;
  created: string;
  nodes: MibNode[];
  types: MibType[];
  modules: ModuleSummary[];
  errors: MibError[];
  files: number;
  syntaxes?: Syntax[];
}

function cachePath(cacheDir: string): string {
  return join(cacheDir, 'dictionary.json');
}
/**
 * Descriptions and references, aligned with the node and type arrays, loaded on first need. JSON
 * lines: a head `{"key", "nodes", "types"}` (the counts), then the pairs in lines of TEXT_LINE, so
 * a live dictionary can parse them a few lines per turn of the event loop.
 */
function textsPath(cacheDir: string): string {
  return join(cacheDir, 'texts.jsonl');
}

type TextPair = [string?, string?];
interface TextsFile { key: string; nodes: TextPair[]; types: TextPair[] }
const TEXT_LINE = 1000;

export function textsLines(t: TextsFile): string {
  const lines = [JSON.stringify({ key: t.key, nodes: t.nodes.length, types: t.types.length })];
  for (const list of [t.nodes, t.types]) {
    for (let i = 0; i < list.length; i += TEXT_LINE) lines.push(JSON.stringify(list.slice(i, i + TEXT_LINE)));
  }
  return lines.join('\n') + '\n';
}

/** parses `text` (textsLines) a line at a time, yielding between lines; undefined when it is not that of `key` or is damaged */
export function* textsSteps(text: string, key: string): Steps<TextsFile | undefined> {
  let at = text.indexOf('\n');
  const head = JSON.parse(text.slice(0, at)) as { key: string; nodes: number; types: number };
  if (head.key !== key) return undefined;
  const pairs: TextPair[] = [];
  while (at + 1 < text.length) {
    const end = text.indexOf('\n', at + 1);
    for (const p of JSON.parse(text.slice(at + 1, end < 0 ? text.length : end)) as TextPair[]) pairs.push(p);
    if (end < 0) break;
    at = end;
    yield;
  }
  if (pairs.length !== head.nodes + head.types) return undefined;
  return { key, nodes: pairs.slice(0, head.nodes), types: pairs.slice(head.nodes) };
}

/** the search's word index (word-index.ts), written the first time a process builds it */
function wordsPath(cacheDir: string): string {
  return join(cacheDir, 'words.bin');
}

function wordFile(cacheDir: string, key: string): WordSource {
  return {
    *load(nodeCount) {
      let buf: Buffer;
      try {
        buf = readFileSync(wordsPath(cacheDir));
      } catch {
        return undefined;
      }
      return yield* WordIndex.decodeSteps(buf, key, nodeCount);
    },
    save: (index, nodeCount) => {
      try {
        writeAtomic(wordsPath(cacheDir), index.toBuffer(key, nodeCount));
      } catch {
        // a read-only cache: the next process builds the index again
      }
    },
  };
}

function textLoader(cacheDir: string, key: string): TextSource {
  const load: TextSource = () => {
    try {
      return runToEnd(textsSteps(readFileSync(textsPath(cacheDir), 'utf8'), key));
    } catch {
      return undefined;
    }
  };
  load.sliced = async (sliceMs) => {
    try {
      return await runSliced(textsSteps(await readFile(textsPath(cacheDir), 'utf8'), key), sliceMs);
    } catch {
      return undefined;
    }
  };
  return load;
}

/** Loads the compiled dictionary from a cache directory; undefined when absent, stale or unreadable. */
export function loadDictionary(cacheDir: string, expectedKey?: string): CompileResult | undefined {
  const p = cachePath(cacheDir);
  if (!existsSync(p)) return undefined;
  let data: CacheFile;
  try {
    data = JSON.parse(readFileSync(p, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (data.version !== CACHE_VERSION || (expectedKey !== undefined && data.key !== expectedKey)) return undefined;
  const syntaxes = data.syntaxes ?? [];
  for (const n of data.nodes as (Omit<MibNode, 'syntax'> & { syntax?: Syntax | number })[]) {
    if (typeof n.syntax === 'number') n.syntax = syntaxes[n.syntax];
  }
  const dictionary = new Dictionary(data.nodes, data.types, data.modules);
  dictionary.setTextSource(textLoader(cacheDir, data.key));
  dictionary.setWordSource(wordFile(cacheDir, data.key));
  return { dictionary, modules: data.modules, errors: data.errors, fromCache: true, files: data.files };
}

function writeAtomic(p: string, text: string | Buffer): void {
  const tmp = `${p}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, p);
}

function writeCache(cacheDir: string, data: CacheFile): void {
  mkdirSync(cacheDir, { recursive: true });
  const texts: TextsFile = {
    key: data.key,
    nodes: data.nodes.map((n) => [n.description, n.reference]),
    types: data.types.map((t) => [t.description, t.reference]),
  };
  const strip = <T extends { description?: string; reference?: string }>(x: T): T => {
    const { description: _d, reference: _r, ...rest } = x;
    return rest as T;
  };
  // identical syntaxes (Counter32, DisplayString, ...) are stored once and shared on load
  const syntaxIds = new Map<string, number>();
  const syntaxes: Syntax[] = [];
  const nodes = data.nodes.map((n) => {
    const out = strip(n) as Omit<MibNode, 'syntax'> & { syntax?: Syntax | number };
    if (n.syntax) {
      const k = JSON.stringify(n.syntax);
      let id = syntaxIds.get(k);
      if (id === undefined) { id = syntaxes.length; syntaxes.push(n.syntax); syntaxIds.set(k, id); }
      out.syntax = id;
    }
    return out;
  });
  writeAtomic(textsPath(cacheDir), textsLines(texts));
  // the texts file of cache version 1, which no version reads any more
  rmSync(join(cacheDir, 'texts.json'), { force: true });
  rmSync(wordsPath(cacheDir), { force: true });
  writeAtomic(cachePath(cacheDir), JSON.stringify({ ...data, syntaxes, nodes, types: data.types.map(strip) }));
}

const tooBig = (file: string, size: number): MibError =>
  ({ file, line: 0, severity: 'error', message: `file is ${size} bytes, over the ${MAX_FILE_BYTES} byte limit; skipped` });
const cannotRead = (file: string, e: unknown): MibError =>
  ({ file, line: 0, severity: 'error', message: `cannot read: ${(e as Error).message}` });

/** one file's text: the range `start..end` of a string that may hold several files */
interface SourceText { path: string; text: string; start: number; end: number; codes?: Uint8Array }

/** a file that fails to parse never stops the others */
function parseSource(s: SourceText): { modules: ParsedModule[]; errors: MibError[] } {
  try {
    return parseMibText(s.text, s.path, s.start, s.end, s.codes, true);
  } catch (e) {
    return { modules: [], errors: [{ file: s.path, line: 0, severity: 'error', message: `parser failure: ${(e as Error).message}` }] };
  }
}

/**
 * ASCII files (nearly all) are read a pack of about this size at a time into one reused buffer
 * and decoded into one shared string per pack. A string this large is allocated outside V8's
 * young generation, so the garbage collector never copies it; read one by one, the texts (kept
 * alive by the descriptions sliced from them) were copied twice per compile. Below 1 MB, Node
 * makes it a V8 heap string rather than an external one, which the scanner's string searches read
 * about 4% faster. Reusing the read buffer spares a fresh process the page faults of a buffer the
 * size of the corpus (8,600 fewer on the shipped corpus).
 */
const PACK_BYTES = 768 << 10;

/**
 * Reads `f` into `into` at `at` (room for f.size bytes): the bytes read, or the file alone when
 * its size is no longer the listed one (it changed since the listing)
 */
function readInto(f: SourceFile, into: Buffer, at: number): number | Buffer {
  const fd = openSync(f.path, 'r');
  try {
    let got = 0;
    while (got < f.size) {
      const n = readSync(fd, into, at + got, f.size - got, null);
      if (n === 0) break;
      got += n;
    }
    if (got === f.size && readSync(fd, GROWN, 0, 1, null) === 0) return got;
  } finally {
    closeSync(fd);
  }
  return readFileSync(f.path);
}
const GROWN = Buffer.alloc(1);

/**
 * The files' texts in file order (or why a file cannot be read), a pack at a time (see
 * PACK_BYTES). A pack's `codes` view the reused read buffer: they are valid until the next pack is
 * read, so a pack is parsed before the generator is resumed; its texts stay valid.
 */
export function* readSourcePacks(files: SourceFile[], packBytes = PACK_BYTES): Generator<(SourceText | MibError)[]> {
  const total = totalBytes(files);
  let buf = Buffer.allocUnsafeSlow(0);
  let used = 0;
  /** this pack's entries in file order; the ASCII ones get their text and codes when it is decoded */
  let pack: (SourceText | MibError)[] = [];
  let packed: SourceText[] = [];
  function* flush(): Generator<(SourceText | MibError)[]> {
    if (pack.length === 0) return;
    if (packed.length > 0) {
      const codes = buf.subarray(0, used);
      const text = codes.toString('latin1'); // all ASCII: decodes as UTF-8 would, without validation
      for (const p of packed) { p.text = text; p.codes = codes; }
    }
    const out = pack;
    pack = [];
    packed = [];
    used = 0;
    yield out;
  }
  const alone = (path: string, bytes: Buffer): void => {
    // decoded alone, exactly as before (invalid UTF-8 must not run into a neighbour's bytes)
    const text = bytes.toString('utf8');
    pack.push({ path, text, start: 0, end: text.length, codes: undefined });
  };
  for (const f of files) {
    if (f.size > MAX_FILE_BYTES) { pack.push(tooBig(f.path, f.size)); continue; }
    let read: number | Buffer;
    try {
      if (buf.length - used < f.size) {
        yield* flush();
        if (buf.length < f.size) buf = Buffer.allocUnsafeSlow(Math.max(f.size, Math.min(packBytes, total)));
      }
      read = readInto(f, buf, used);
    } catch (e) {
      pack.push(cannotRead(f.path, e));
      continue;
    }
    if (typeof read !== 'number') {
      if (read.length > MAX_FILE_BYTES) pack.push(tooBig(f.path, read.length)); else alone(f.path, read);
      continue;
    }
    const bytes = buf.subarray(used, used + read);
    if (!isAscii(bytes)) { alone(f.path, bytes); continue; }
    const s: SourceText = { path: f.path, text: '', start: used, end: used + read, codes: undefined };
    pack.push(s);
    packed.push(s);
    used += read;
    if (used >= packBytes) yield* flush();
  }
  yield* flush();
}

function totalBytes(files: SourceFile[]): number {
  let n = 0;
  for (const f of files) if (f.size <= MAX_FILE_BYTES) n += f.size;
  return n;
}

/** Compiles every module found under `dirs` (or loads the cache when no source changed). */
export function compileMibs(dirs: string[], opts: CompileOptions = {}): CompileResult {
  const listed = opts.listed ?? listMibFiles(dirs);
  const key = cacheKey(listed.files);
  if (opts.cacheDir && !opts.force) {
    const cached = loadDictionary(opts.cacheDir, key);
    if (cached) return cached;
  }
  const mods: ParsedModule[] = [];
  const fileErrors: MibError[] = [...listed.errors];
  // the lexer shares repeated words across the whole corpus, then forgets them (no text kept alive)
  try {
    for (const pack of readSourcePacks(listed.files)) {
      for (const source of pack) {
        if (!('text' in source)) { fileErrors.push(source); continue; }
        const r = parseSource(source);
        for (const m of r.modules) mods.push(m);
        for (const e of r.errors) fileErrors.push(e);
      }
    }
  } finally {
    forgetSharedTexts();
  }
  const { nodes, types } = resolveModules(mods, undefined, { reuseDefinitions: true });
  const modules = summarize(mods, nodes, types);
  const errors = [...fileErrors, ...modules.flatMap((m) => m.errors)];
  const dictionary = new Dictionary(nodes, types, modules);
  if (opts.cacheDir) {
    try {
      writeCache(opts.cacheDir, { version: CACHE_VERSION, key, created: new Date().toISOString(), nodes, types, modules, errors, files: listed.files.length });
      dictionary.setWordSource(wordFile(opts.cacheDir, key));
    } catch (e) {
      errors.push({ file: opts.cacheDir, line: 0, severity: 'warning', message: `cannot write the cache: ${(e as Error).message}` });
    }
  }
  return { dictionary, modules, errors, fromCache: false, files: listed.files.length };
}


/**
 * The parser's, the resolver's and the summary's paths taken once (warm-up.ts), as this module
 * loads and again when a process starts from a startup snapshot holding it (cli/snapshot-mib.ts),
 * whose functions start without the type feedback these runs left.
 */
export function warmUpCompiler(): void {
  for (let round = 0; round < 2; round++) {
    const mods = WARM_UP_TEXTS.flatMap((text) => parseMibText(text, 'warm-up').modules);
    const { nodes, types } = resolveModules(mods, undefined, { reuseDefinitions: true });
    summarize(mods, nodes, types);
  }
}
warmUpCompiler();
