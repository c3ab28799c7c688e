/**
 * The OID dictionary of a running netpulse. Start-up never waits for a full MIB compile:
 * a fresh cache loads at once; a stale cache is used while the sources are recompiled in a
 * worker thread; with no cache at all the dictionary is empty until the worker is done.
 * Readers call `current()` every time, so they pick up the new dictionary when it arrives.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { errorMessage } from '../errors/index.ts';
import { cacheDirFor } from '../mib/cli-options.ts';
import { cacheKey, compileMibs, Dictionary, listMibFiles, loadDictionary, type CompileResult, type MibError, type ResolvedUpload } from '../mib/index.ts';
import { createUploadParser, type UploadParser, type UploadParserOptions } from './mib-upload-parser.ts';
import { addAgainst, createUploadAdder, type UploadOutcome } from './mib-upload.ts';
import { siblingModuleUrl, startModuleWorker } from '../threads/module-worker.ts';

export type DictionaryState = 'ready' | 'compiling' | 'failed' | 'empty';

export interface DictionaryHolder {
  current(): Dictionary;
  state(): DictionaryState;
  /** compile/load problems (errors and warnings), one line each */
  problems(): MibError[];
  /** resolves when the compile in the background (if any) is over */
  ready(): Promise<void>;
  /** the configured MIB directories, as configured (uploadDir not included) */
  mibDirs: string[];
  /** where uploaded modules are saved so the next compile keeps them */
  uploadDir: string;
  /** parses and resolves uploads in a worker thread (time limit, one at a time, bounded queue) */
  uploads: UploadParser;
  /**
   * compiles an upload (in `uploads`) and adds it, saved in `uploadDir`; the event loop keeps
   * running meanwhile. Added (ok) means in the live dictionary, a background compile's included.
   */
  addUpload(text: string): Promise<UploadOutcome>;
  cacheDir: string;
  /** stops the compile and the parser, refuses new uploads, and waits for the add in progress: nothing is written after */
  close(): Promise<void>;
}

/** `<dataDir>/mib-cache/<hash of the directory list>`, the same place `netpulse mib`/`oid` use for these dirs */
export function mibCacheDir(dataDir: string, dirs: string[]): string {
  return cacheDirFor(dirs, join(resolve(dataDir), 'mib-cache'));
}

const WORKER_URL = siblingModuleUrl('mib-worker', import.meta.url);

function compileInWorker(dirs: string[], cacheDir: string): { done: Promise<void>; stop(): Promise<void> } {
  const worker = startModuleWorker(WORKER_URL, { workerData: { dirs, cacheDir } });
  const done = new Promise<void>((ok, fail) => {
    worker.once('message', (m: { done?: boolean; fatal?: string }) => (m.done ? ok() : fail(new Error(m.fatal ?? 'worker failed'))));
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`worker exited with status ${code}`)));
  });
  return { done, stop: async () => void (await worker.terminate()) };
}

export interface DictionaryOptions {
  dataDir: string;
  mibDirs: string[];
  log: (line: string) => void;
  /** compile on this thread when there is no fresh cache (tests, the CLI); default false: a worker */
  sync?: boolean;
  /** also build the browse and search indexes once a dictionary is adopted (default true) */
  warmup?: boolean;
  /** limits of the upload parser (POST /api/v1/mibs) */
  uploadParser?: UploadParserOptions;
}

export function openDictionary(o: DictionaryOptions): DictionaryHolder {
  // uploads (POST /api/v1/mibs) are kept in the data directory and compiled with the configured dirs
  const uploadDir = join(resolve(o.dataDir), 'mibs-uploaded');
  try {
    mkdirSync(uploadDir, { recursive: true });
  } catch (err) {
    o.log(`mib: warning: cannot create ${uploadDir}: ${errorMessage(err)}`);
  }
  const dirs = [...o.mibDirs, uploadDir];
  const cacheDir = mibCacheDir(o.dataDir, dirs);
  let dict = new Dictionary([]);
  let state: DictionaryState = 'empty';
  let problems: MibError[] = [];
  let worker: { done: Promise<void>; stop(): Promise<void> } | undefined;
  let closed = false;
  const uploads = createUploadParser({ log: o.log, ...o.uploadParser });
  // uploads added while the background compile runs, which may have listed the files before they were saved
  let addedDuringCompile: { upload: ResolvedUpload; text: string }[] | undefined;
  const adder = createUploadAdder({ current: () => dict, parser: uploads, saveDir: uploadDir, onAdded: (upload, text) => addedDuringCompile?.push({ upload, text }), log: o.log });

  const adopt = (r: CompileResult, how: string) => {
    // a build of the one it replaces still running stores nothing (its cache may be stale)
    dict.setWordSource(undefined);
    dict = r.dictionary;
    // built in slices rather than at once on first use: first the indexes the translations of polls and
    // traps use, then the browser's and the search's (the first search answers at once, not in ~1.5 s)
    const warming = dict;
    void (async () => {
      for (const what of o.warmup === false ? ['lookups'] as const : ['lookups', 'browse', 'search'] as const) {
        if (closed || dict !== warming) return;
        await warming.prepare(what);
      }
    })().catch((err) => o.log(`mib: warning: cannot prepare the dictionary's indexes: ${errorMessage(err)}`));
    problems = r.errors;
    state = 'ready';
    const errs = r.errors.filter((e) => e.severity !== 'warning').length;
    o.log(`mib: ${how}: ${r.dictionary.size} nodes from ${r.files} files in ${o.mibDirs.join(', ')}${errs ? `; ${errs} errors (GET /api/v1/mibs lists them)` : ''}`);
  };

  let ready: Promise<void> = Promise.resolve();
  const listed = listMibFiles(dirs);
  // a folder that is missing or unreadable is an error whether or not others leave files to compile
  for (const e of listed.errors) o.log(`mib: ${e.severity === 'warning' ? 'warning' : 'error'}: ${e.file}: ${e.message}`);
  if (listed.files.length === 0) {
    problems = listed.errors;
    o.log(o.mibDirs.length === 0
      ? 'mib: no MIB files (mibDirs is empty): OIDs are shown numerically'
      : `mib: no MIB files in ${o.mibDirs.join(', ')}${listed.errors.length ? ' (errors above)' : ''}: OIDs are shown numerically`);
  } else {
    const key = cacheKey(listed.files);
    const fresh = loadDictionary(cacheDir, key);
    if (fresh) adopt(fresh, 'loaded from cache');
    else if (o.sync) {
      try {
        adopt(compileMibs(dirs, { cacheDir, force: true, listed }), 'compiled');
      } catch (err) {
        state = 'failed';
        o.log(`mib: error: compile failed: ${errorMessage(err)}`);
      }
    } else {
      const stale = loadDictionary(cacheDir);
      if (stale) adopt(stale, 'loaded a stale cache while recompiling');
      state = 'compiling';
      const started = Date.now();
      o.log(`mib: compiling ${listed.files.length} files in the background (${dirs.join(', ')})`);
      addedDuringCompile = [];
      worker = compileInWorker(dirs, cacheDir);
      // between two uploads' adds, so none lands in the dictionary being replaced after it was copied
      ready = worker.done.then(() => adder.between(async () => {
        if (closed) return;
        const r = loadDictionary(cacheDir);
        if (!r) throw new Error(`the compiled cache in ${cacheDir} cannot be read`);
        // resolved again against the compile's modules, kept as first resolved when that fails; in a parser of
        // their own: an upload in `uploads` may be waiting (its lookups) for this work to end
        const again = addedDuringCompile?.length ? createUploadParser({ log: o.log, ...o.uploadParser }) : undefined;
        try {
          for (const { upload: u, text } of addedDuringCompile ?? []) {
            if (closed) return;
            if (again && await addAgainst(again, r.dictionary, text)) continue;
            o.log(`mib: warning: upload ${u.modules[0]} added during the compile is kept as resolved before it (it could not be resolved again against the compiled modules)`);
            await r.dictionary.replaceModulesSliced(u.modules, u.nodes, u.types, u.summaries);
          }
        } finally {
          await again?.close();
        }
        if (closed) return;
        adopt(r, `compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      })).catch((err) => {
        if (closed) return;
        state = stale ? 'ready' : 'failed';
        o.log(`mib: error: background compile failed: ${errorMessage(err)}`);
      }).finally(() => {
        worker = undefined;
        addedDuringCompile = undefined;
      });
    }
  }

  return {
    current: () => dict,
    state: () => state,
    problems: () => problems,
    ready: () => ready,
    mibDirs: o.mibDirs,
    uploadDir,
    uploads,
    addUpload: (text) => adder.add(text),
    cacheDir,
    async close() {
      closed = true;
      // a build still running writes nothing after close
      dict.setWordSource(undefined);
      await Promise.all([worker?.stop(), uploads.close(), adder.close()]);
    },
  };
}
