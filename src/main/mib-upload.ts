/**
 * Adds MIB uploads (POST /api/v1/mibs) to the runtime's dictionary without holding the event
 * loop for long: the worker parses and resolves (its dictionary lookups are answered here), its
 * nodes are decoded a chunk per turn, and the dictionary builds its new state in slices and swaps
 * it in at once. Uploads are added one at a time in arrival order, and an upload's lookups wait
 * for the one before it to be added, so a module may import one uploaded just before it.
 */
import { addResolvedUpload, answerLookups, type AddModuleResult, type Dictionary } from '../mib/index.ts';
import { decodeUpload, type UploadLookup, type UploadParser } from './mib-upload-parser.ts';

export type UploadOutcome =
  | { kind: 'done'; result: AddModuleResult }
  /** not now (parser queue full, worker failure, stopping): try again later */
  | { kind: 'busy'; message: string; retryAfterSeconds: number };

export interface UploadTarget {
  /** the dictionary of the moment (a background compile may swap it) */
  current(): Dictionary;
  parser: UploadParser;
  /** where added uploads are saved for the next full compile */
  saveDir: string;
}

const FILE = 'upload';

export function createUploadAdder(t: UploadTarget): (text: string) => Promise<UploadOutcome> {
  // settles when the last upload taken in is added (or refused)
  let added: Promise<unknown> = Promise.resolve();

  const lookup: UploadLookup = async (keys) => {
    await added;
    let dict: Dictionary;
    do {
      dict = t.current();
      await dict.indexForLookups();
    } while (dict !== t.current());
    return answerLookups(dict, keys);
  };

  return async (text) => {
    const out = await t.parser.parse(text, FILE, lookup);
    if (out.kind === 'busy') return out;
    if (out.kind === 'refused') return { kind: 'done', result: { ok: false, modules: [], nodes: 0, errors: [out.error] } };
    // chained before the next worker can ask its lookups (that is a later message on this thread)
    const adding = added.then(async () => addResolvedUpload(t.current(), await decodeUpload(out.upload), text, { saveDir: t.saveDir }));
    added = adding.catch(() => undefined);
    return { kind: 'done', result: await adding };
  };
}
