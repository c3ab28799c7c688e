/**
 * Parses and resolves MIB uploads (POST /api/v1/mibs) in a worker thread, so a large or hostile
 * upload never blocks the event loop the API, the poller and the trap receiver share. One fresh
 * worker per upload, one at a time, a bounded queue behind it, a time limit and a heap cap per
 * worker. The worker asks the caller (`lookup`) for the dictionary symbols the upload needs,
 * `LOOKUPS_PER_MESSAGE` at a time; the resolved upload's lists (nodes, types, module summaries,
 * errors) come back as UTF-8 JSON chunks of about `CHUNK_BYTES` in one transferred buffer, which
 * `decodeUpload` parses a chunk per event-loop turn (a 20 MB module is ~100k nodes: a structured
 * clone of them held the receiving thread ~0.5 s, of them as JSON strings ~35 ms; 4 MiB of type
 * assignments are 300k types, 0.8 s as a structured clone).
 */
import type { Worker } from 'node:worker_threads';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { MIB_UPLOAD_DEFAULTS } from '../config/sections/mib-upload-defaults.ts';
import { errorMessage } from '../errors/index.ts';
import { declaredModuleName, type LookupAnswers, type MibError, type ResolvedUpload } from '../mib/index.ts';
import { siblingModuleUrl, startModuleWorker } from '../threads/module-worker.ts';

export interface UploadParserOptions {
  /**
   * the worker is terminated after this long of its own work (start-up, parse, resolve; the time
   * this thread takes to answer its lookups is not counted: see `lookupWaitLimitMs`); default 10 s
   */
  timeLimitMs?: number;
  /**
   * the most the worker waits in all for its lookups to be answered (for the upload before it to be
   * added, 2-5 s for 20 MB, and the dictionary's indexes); beyond it the upload is `busy`; default 60 s
   */
  lookupWaitLimitMs?: number;
  /** uploads that may wait behind the one being parsed; more are turned away (busy); default 4 */
  maxQueued?: number;
  /** the worker's V8 old-generation heap cap; default 256 MB */
  maxHeapMb?: number;
  /** modules one upload may declare; more are refused before resolving; default 50 */
  maxModules?: number;
  /** worker failures with their details (the client gets the first line) */
  log?: (line: string) => void;
}

/** lookup keys per `{ lookups }` message: the main thread answers one message in one go (~1 ms per 2,000) */
export const LOOKUPS_PER_MESSAGE = 2000;

/** the lists of a resolved upload, each posted as JSON chunks */
const LISTS = ['modules', 'nodes', 'types', 'summaries', 'errors'] as const satisfies readonly (keyof ResolvedUpload)[];
type ListName = (typeof LISTS)[number];

/** a resolved upload as the worker posts it: each list as UTF-8 JSON arrays in `bytes`, list `l`'s chunk i ending at byte `chunkEnds[l][i]` */
export interface PostedUpload {
  bytes: Uint8Array;
  chunkEnds: Record<ListName, number[]>;
}

/** a chunk is cut once its JSON passes this size (one item may make it larger) */
const CHUNK_BYTES = 256 * 1024;

/** the upload in its posted form, and the buffer to transfer with it */
export function encodeUpload(r: ResolvedUpload): { posted: PostedUpload; transfer: ArrayBuffer[] } {
  const chunks: Buffer[] = [];
  let end = 0;
  const cut = (items: string[], ends: number[]) => {
    const c = Buffer.from(`[${items.join(',')}]`);
    chunks.push(c);
    ends.push((end += c.length));
  };
  const chunkEnds = {} as Record<ListName, number[]>;
  for (const list of LISTS) {
    const ends: number[] = (chunkEnds[list] = []);
    let items: string[] = [];
    let size = 0;
    for (const item of r[list] as unknown[]) {
      const json = JSON.stringify(item);
      items.push(json);
      size += json.length;
      if (size >= CHUNK_BYTES) {
        cut(items, ends);
        items = [];
        size = 0;
      }
    }
    if (items.length > 0) cut(items, ends);
  }
  const bytes = new Uint8Array(end);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { posted: { bytes, chunkEnds }, transfer: [bytes.buffer] };
}

/** the upload back from its posted form, one chunk per event-loop turn */
export async function decodeUpload(p: PostedUpload): Promise<ResolvedUpload> {
  const bytes = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength);
  const out = { modules: [], nodes: [], types: [], summaries: [], errors: [] } as { [L in ListName]: unknown[] };
  let start = 0;
  for (const list of LISTS) {
    for (const end of p.chunkEnds[list]) {
      for (const item of JSON.parse(bytes.toString('utf8', start, end)) as unknown[]) out[list].push(item);
      start = end;
      await nextTurn();
    }
  }
  return out as unknown as ResolvedUpload;
}

/** answers the worker's dictionary lookups (see `LookupAnswers`) */
export type UploadLookup = (keys: string[]) => Promise<LookupAnswers>;

/** resolving against nothing: every symbol is unknown */
const noDictionary: UploadLookup = async (keys) => keys.map((k) => [k, undefined]);

export type UploadParseOutcome =
  | { kind: 'parsed'; upload: PostedUpload }
  /** the upload cannot be parsed within the limits (time, memory): a fault of the upload */
  | { kind: 'refused'; error: MibError }
  /** not now (queue full, worker failure, stopping): try again later */
  | { kind: 'busy'; message: string; retryAfterSeconds: number };

export interface UploadParser {
  /** parses `text` and resolves it against the dictionary `lookup` answers from (none when left out) */
  parse(text: string, file: string, lookup?: UploadLookup): Promise<UploadParseOutcome>;
  /** terminates the worker; uploads in flight or queued get `busy` */
  close(): Promise<void>;
}

const WORKER_URL = siblingModuleUrl('mib-parse-worker', import.meta.url);

interface Job {
  text: string;
  file: string;
  /** `upload FOO-MIB`: what error messages call it */
  label: string;
  lookup: UploadLookup;
  resolve(outcome: UploadParseOutcome): void;
}

/** the limits when not configured: the config's `mibUpload` defaults */
export const UPLOAD_PARSER_DEFAULTS = MIB_UPLOAD_DEFAULTS;

/** the default of `lookupWaitLimitMs` */
export const LOOKUP_WAIT_LIMIT_MS = 60_000;

const seconds = (ms: number) => `${+(ms / 1000).toFixed(3)} s`;

/**
 * Two time budgets of one worker: its own work (spent while it is `working`) and this thread's
 * answers to its lookups (spent while `answering`); whichever runs out first calls its handler,
 * so a worker lives at most the sum of both.
 */
function uploadClock(left: { ownWork: number; lookups: number }, expired: { ownWork(): void; lookups(): void }) {
  let phase: keyof typeof left = 'ownWork';
  let since = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const run = (p: keyof typeof left) => {
    clearTimeout(timer);
    const now = performance.now();
    left[phase] -= now - since;
    phase = p;
    since = now;
    timer = setTimeout(expired[p], Math.max(0, left[p]));
  };
  run('ownWork');
  return { working: () => run('ownWork'), answering: () => run('lookups'), stop: () => clearTimeout(timer) };
}

export function createUploadParser(o: UploadParserOptions = {}): UploadParser {
  const timeLimitMs = o.timeLimitMs ?? UPLOAD_PARSER_DEFAULTS.timeLimitMs;
  const maxQueued = o.maxQueued ?? UPLOAD_PARSER_DEFAULTS.maxQueued;
  const maxHeapMb = o.maxHeapMb ?? UPLOAD_PARSER_DEFAULTS.maxHeapMb;
  const maxModules = o.maxModules ?? UPLOAD_PARSER_DEFAULTS.maxModules;
  const lookupWaitLimitMs = o.lookupWaitLimitMs ?? LOOKUP_WAIT_LIMIT_MS;
  // the upload in the worker is done (or killed) within the time limit
  const retryAfterSeconds = Math.max(1, Math.ceil(timeLimitMs / 1000));
  const queue: Job[] = [];
  let active: { job: Job; worker: Worker; finish(outcome: () => UploadParseOutcome): void } | undefined;
  let closed = false;

  const busy = (job: Pick<Job, 'label'>, cause: string): UploadParseOutcome => ({ kind: 'busy', message: `mib: ${job.label}: ${cause}`, retryAfterSeconds });
  const refused = (job: Job, cause: string): UploadParseOutcome => ({ kind: 'refused', error: { file: job.file, line: 0, severity: 'error', message: `${job.label}: ${cause}` } });
  const failed = (job: Job, cause: string): UploadParseOutcome => {
    o.log?.(`mib: error: ${job.label}: ${cause}`);
    return busy(job, cause.split('\n')[0]);
  };

  function start(job: Job): void {
    const worker = startModuleWorker(WORKER_URL, { workerData: { text: job.text, file: job.file, maxModules }, resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    let done = false;
    // takes a thunk: only the first of message/error/exit/timeout counts (and logs)
    const finish = (outcome: () => UploadParseOutcome) => {
      if (done) return;
      done = true;
      clock.stop();
      worker.terminate().catch(() => undefined);
      active = undefined;
      job.resolve(outcome());
      next();
    };
    const clock = uploadClock({ ownWork: timeLimitMs, lookups: lookupWaitLimitMs }, {
      ownWork: () => finish(() => refused(job, `parsing stopped at the ${seconds(timeLimitMs)} time limit (the module is too large or too complex)`)),
      lookups: () => finish(() => busy(job, `the dictionary took more than ${seconds(lookupWaitLimitMs)} to answer the parser's lookups (an earlier upload is still being added); try again in ${retryAfterSeconds} s`)),
    });
    worker.on('message', (m: { lookups?: string[]; resolved?: PostedUpload; fatal?: string }) => {
      if (m.lookups) {
        // the wait (for the upload before this one to be added, for the dictionary's indexes) is not this upload's work
        clock.answering();
        job.lookup(m.lookups).then(
          (answers) => {
            if (done) return;
            clock.working();
            worker.postMessage({ answers });
          },
          (err) => finish(() => failed(job, `answering the parser worker's dictionary lookups failed: ${errorMessage(err)}`)),
        );
        return;
      }
      finish(() => m.resolved ? { kind: 'parsed', upload: m.resolved } : failed(job, `the parser worker failed: ${m.fatal ?? 'no result'}`));
    });
    worker.once('error', (err) => finish(() => (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? refused(job, `parsing needs more than the ${maxHeapMb} MB heap allowed`)
      : failed(job, `the parser worker failed: ${errorMessage(err)}`)));
    worker.once('exit', (code) => finish(() => failed(job, `the parser worker exited with status ${code} before answering`)));
    active = { job, worker, finish };
  }

  function next(): void {
    if (active || closed) return;
    const job = queue.shift();
    if (job) start(job);
  }

  return {
    parse(text, file, lookup = noDictionary) {
      const name = declaredModuleName(text);
      const label = name ? `upload ${name}` : 'upload';
      if (closed) return Promise.resolve(busy({ label }, 'netpulse is stopping'));
      if (active && queue.length >= maxQueued) {
        return Promise.resolve(busy({ label }, `the MIB parser's queue is full (${queue.length} waiting); try again in ${retryAfterSeconds} s`));
      }
      return new Promise((resolve) => {
        queue.push({ text, file, label, lookup, resolve });
        next();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.resolve(busy(job, 'netpulse is stopping'));
      if (!active) return;
      const { job, worker, finish } = active;
      finish(() => busy(job, 'netpulse is stopping'));
      await worker.terminate();
    },
  };
}
