/** Worker thread: parses one uploaded MIB text and posts the parsed modules back (src/main/mib-upload-parser.ts starts it). */
import { parentPort, workerData } from 'node:worker_threads';
import { parseUpload } from '../mib/index.ts';

const { text, file } = workerData as { text: string; file: string };
try {
  parentPort!.postMessage({ parsed: parseUpload(text, file) });
} catch (err) {
  parentPort!.postMessage({ fatal: String((err as Error)?.stack ?? err) });
}
