/**
 * Worker thread: parses one uploaded MIB text and resolves it against the runtime's dictionary,
 * asking the main thread for the symbols it needs from there (`{ lookups }` → `{ answers }`), then
 * posts the result back (src/main/mib-upload-parser.ts starts it and says how the result is encoded).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseUpload, resolveUploadAsking, type LookupAnswers, type ParsedUpload, type ResolvedUpload } from '../mib/index.ts';
import { encodeUpload, LOOKUPS_PER_MESSAGE } from './mib-upload-parser.ts';

const port = parentPort!;
const { text, file, maxModules } = workerData as { text: string; file: string; maxModules: number };
const askOnce = (keys: string[]) => new Promise<LookupAnswers>((resolve) => {
  port.once('message', (m: { answers: LookupAnswers }) => resolve(m.answers));
  port.postMessage({ lookups: keys });
});
const ask = async (keys: string[]): Promise<LookupAnswers> => {
  const answers: LookupAnswers = [];
  for (let i = 0; i < keys.length; i += LOOKUPS_PER_MESSAGE) {
    for (const a of await askOnce(keys.slice(i, i + LOOKUPS_PER_MESSAGE))) answers.push(a);
  }
  return answers;
};
/** an upload of too many modules is refused before it is resolved (each module costs lookups, summaries, an add) */
const tooManyModules = (parsed: ParsedUpload): ResolvedUpload => ({
  modules: [], nodes: [], types: [], summaries: [],
  errors: [{ file, line: 0, severity: 'error', message: `upload: declares ${parsed.modules.length} modules, more than the ${maxModules} one upload may hold (upload them in several requests)` }],
});
try {
  const parsed = parseUpload(text, file);
  const resolved = parsed.modules.length > maxModules ? tooManyModules(parsed) : await resolveUploadAsking(parsed, ask, file);
  const { posted, transfer } = encodeUpload(resolved);
  port.postMessage({ resolved: posted }, transfer);
} catch (err) {
  port.postMessage({ fatal: String((err as Error)?.stack ?? err) });
}
