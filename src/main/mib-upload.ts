/**
 * Adds MIB uploads (POST /api/v1/mibs) to the runtime's dictionary without holding the event
 * loop for long: the worker parses and resolves (its dictionary lookups are answered here), its
 * nodes are decoded a chunk per turn, and the dictionary builds its new state in slices and swaps
 * it in at once. Uploads are added one at a time in arrival order, and an upload's lookups wait
 * for the one before it to be added, so a module may import one uploaded just before it.
 */
import { addResolvedUpload, answerLookups, declaredModuleName, type AddModuleResult, type Dictionary, type ResolvedUpload } from '../mib/index.ts';
import { decodeUpload, type UploadLookup, type UploadParser } from './mib-upload-parser.ts';

export type UploadOutcome =
  | { kind: 'done'; result: AddModuleResult }
  /** not now (parser queue full, worker failure, stopping): try again later */
  | { kind: 'busy'; message: string; retryAfterSeconds: number }
  /** the upload compiles but the server failed to keep it (the dictionary is unchanged); the message names no server path */
  | { kind: 'failed'; message: string };

export interface UploadTarget {
  /** the dictionary of the moment (a background compile may swap it) */
  current(): Dictionary;
  parser: UploadParser;
  /** where added uploads are saved for the next full compile */
  saveDir: string;
  /** told of every upload added to `current()`, with its text */
  onAdded?(upload: ResolvedUpload, text: string): void;
  /** the server-side detail of a failure the caller is told of without it */
  log(line: string): void;
}

export interface UploadAdder {
  /** parses `text` (in `parser`) and adds it to `current()`, saved in `saveDir` */
  add(text: string): Promise<UploadOutcome>;
  /** runs `work` once the adds taken in so far are over; later adds (and their lookups) wait for it */
  between(work: () => Promise<void>): Promise<void>;
  /** new uploads get `busy`; resolves when the add in progress is over (nothing is written after) */
  close(): Promise<void>;
}

const FILE = 'upload';

export function createUploadAdder(t: UploadTarget): UploadAdder {
  // settles when the last upload taken in is added (or refused)
  let added: Promise<unknown> = Promise.resolve();
  let closed = false;
  const stopping = (text: string): UploadOutcome => {
    const name = declaredModuleName(text);
    return { kind: 'busy', message: `mib: ${name ? `upload ${name}` : 'upload'}: netpulse is stopping`, retryAfterSeconds: 1 };
  };
  const chain = <T>(work: () => Promise<T>): Promise<T> => {
    const next = added.then(work);
    added = next.catch(() => undefined);
    return next;
  };

  const lookup: UploadLookup = async (keys) => {
    await added;
    let dict: Dictionary;
    do {
      dict = t.current();
      await dict.prepare('lookups');
    } while (dict !== t.current());
    return answerLookups(dict, keys);
  };

  return {
    async add(text) {
      if (closed) return stopping(text);
      const out = await t.parser.parse(text, FILE, lookup);
      if (out.kind === 'busy') return out;
      if (out.kind === 'refused') return { kind: 'done', result: { ok: false, modules: [], nodes: 0, errors: [out.error] } };
      if (closed) return stopping(text);
      // chained before the next worker can ask its lookups (that is a later message on this thread)
      return chain(async (): Promise<UploadOutcome> => {
        const upload = await decodeUpload(out.upload);
        if (closed) return stopping(text);
        const result = await addResolvedUpload(t.current(), upload, text, { saveDir: t.saveDir });
        if (result.ok) t.onAdded?.(upload, text);
        if (result.saveError) {
          t.log(`mib: error: upload ${upload.modules[0]}: ${result.saveError.detail}`);
          const { code } = result.saveError;
          return { kind: 'failed', message: `mib: upload ${upload.modules[0]}: the module compiles but the server could not save it${code ? ` (${code})` : ''}; the dictionary is unchanged (the server log has the details)` };
        }
        return { kind: 'done', result };
      });
    },
    between: (work) => chain(work),
    async close() {
      closed = true;
      await added;
    },
  };
}

/**
 * Parses an upload already added (and saved) again, resolved against `dict` (a dictionary a
 * background compile brought, whose modules may differ from those the upload was resolved
 * against), and adds it there. False when it cannot now (parser busy, or the upload no longer
 * compiles against `dict`): the caller keeps the earlier resolution. Its lookups do not wait for
 * other adds, so it may run between them (`UploadAdder.between`).
 */
export async function addAgainst(parser: UploadParser, dict: Dictionary, text: string): Promise<boolean> {
  const out = await parser.parse(text, FILE, async (keys) => {
    await dict.prepare('lookups');
    return answerLookups(dict, keys);
  });
  if (out.kind !== 'parsed') return false;
  return (await addResolvedUpload(dict, await decodeUpload(out.upload), text)).ok;
}
