/** Worker thread: compiles the MIB directories into the on-disk cache (src/main/dictionary.ts reads it back). */
import { parentPort, workerData } from 'node:worker_threads';
import { compileMibs } from '../mib/index.ts';

const { dirs, cacheDir } = workerData as { dirs: string[]; cacheDir: string };
try {
  const r = compileMibs(dirs, { cacheDir, force: true });
  parentPort!.postMessage({ done: true, nodes: r.dictionary.size, files: r.files });
} catch (err) {
  parentPort!.postMessage({ fatal: String((err as Error)?.stack ?? err) });
}
