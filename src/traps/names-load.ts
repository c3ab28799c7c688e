/**
 * `trap listen`'s OID dictionary, loaded (or compiled) on a worker thread so the thread that
 * receives, checks and acknowledges traps never waits for it. Here the dictionary is decoded a
 * part at a time and its lookup indexes built in slices, the receiver running in between.
 */
import { errorMessage } from '../errors/index.ts';
import type { MibArgs } from '../mib/cli-options.ts';
import { Dictionary, type MibNode, type MibType } from '../mib/index.ts';
import { siblingModuleUrl, startModuleWorker } from '../threads/module-worker.ts';
import type { Translator } from './event.ts';
import type { NamesMessage } from './names-worker.ts';
import { dictionaryTranslator } from './translator.ts';

export type LoadedNames = { translator: Translator; nodes: number } | { unavailable: string };

const WORKER_URL = siblingModuleUrl('names-worker', import.meta.url);

const failed = (why: string): { unavailable: string } => ({ unavailable: `no OID dictionary: its loader thread ${why}` });

/** `stop` resolves once the thread ended: never for one blocked in a read (a hung file system, a FIFO) */
export function loadNamesOffThread(args: MibArgs): { done: Promise<LoadedNames>; stop(): Promise<void> } {
  const worker = startModuleWorker(WORKER_URL, { workerData: args });
  const nodes: MibNode[] = [];
  const types: MibType[] = [];
  const posted = new Promise<{ unavailable: string } | undefined>((resolve) => {
    worker.on('message', (m: NamesMessage | { fatal: string }) => {
      if ('fatal' in m) return resolve(failed(`failed to start: ${m.fatal.split('\n')[0]}`));
      if ('unavailable' in m) return resolve(m);
      if ('done' in m) return resolve(undefined);
      if ('nodes' in m) for (const n of m.nodes) nodes.push(n);
      else for (const t of m.types) types.push(t);
      // the next part once the datagrams that arrived meanwhile had their turn
      setImmediate(() => worker.postMessage('next'));
    });
    worker.on('error', (err) => resolve(failed(`failed: ${errorMessage(err)}`)));
    worker.once('exit', (code) => resolve(failed(`exited with status ${code} before it answered`)));
  });
  const done = posted.then(async (unavailable): Promise<LoadedNames> => {
    // its copy of the dictionary, descriptions included, is no longer needed
    void worker.terminate();
    if (unavailable) return unavailable;
    const dictionary = new Dictionary(nodes, types);
    await dictionary.prepare('lookups');
    return { translator: dictionaryTranslator(dictionary), nodes: dictionary.size };
  });
  return { done, stop: async () => void (await worker.terminate()) };
}
