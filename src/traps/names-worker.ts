/**
 * Worker thread: loads the OID dictionary `trap listen` names traps with (its cache, else compiled
 * into it, as `netpulse oid` does), off the thread that receives and acknowledges the traps.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../errors/index.ts';
import { loadForCli, type MibArgs } from '../mib/cli-options.ts';
import type { MibNode, MibType } from '../mib/index.ts';

/**
 * What the worker posts: the dictionary's nodes and types without their texts (naming needs none)
 * a part at a time, each once the receiving thread asks for the next (any message), then `done`;
 * or why there is none. One large message would hold the receiving thread while it is decoded.
 */
export type NamesMessage = { nodes: MibNode[] } | { types: MibType[] } | { done: true } | { unavailable: string };

/** about 8 ms of decoding on the receiving thread */
const PART = 1000;

const withoutTexts = <T extends { description?: string; reference?: string }>(x: T): T => {
  if (x.description === undefined && x.reference === undefined) return x;
  const { description: _d, reference: _r, ...rest } = x;
  return rest as T;
};

function* parts(args: MibArgs): Generator<NamesMessage> {
  let nodes: MibNode[], types: MibType[];
  try {
    const { dictionary, errors } = loadForCli(args);
    const first = errors.find((e) => e.severity !== 'warning');
    if (dictionary.size === 0) return yield { unavailable: `no MIB modules compiled${first ? ` (${first.file}: ${first.message})` : ''}` };
    ({ nodes, types } = dictionary);
  } catch (err) {
    return yield { unavailable: `no OID dictionary: ${errorMessage(err)}` };
  }
  for (let i = 0; i < nodes.length; i += PART) yield { nodes: nodes.slice(i, i + PART).map(withoutTexts) };
  for (let i = 0; i < types.length; i += PART) yield { types: types.slice(i, i + PART).map(withoutTexts) };
  yield { done: true };
}

const next = parts(workerData as MibArgs);
const send = (): void => {
  const r = next.next();
  if (!r.done) parentPort!.postMessage(r.value);
  // the last part: nothing more to be asked for, so the thread can end
  if (r.done || 'done' in r.value || 'unavailable' in r.value) parentPort!.off('message', send);
};
parentPort!.on('message', send);
send();
