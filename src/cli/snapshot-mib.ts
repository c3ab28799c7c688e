/**
 * Entry of the `mib compile` startup snapshot: bin/build.mjs bundles this file and runs it with
 * `node --build-snapshot`, which keeps the heap it leaves (the command's modules loaded and
 * evaluated); bin/netpulse starts `mib compile` from that snapshot while it is current, 30 ms
 * sooner than loading the modules. V8 keeps no compiled code and no type feedback in a snapshot:
 * the compiler's warm-up runs again as the process starts.
 */
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startupSnapshot } from 'node:v8';
import { warmUpCompiler } from '../mib/compile.ts';
import { run } from './commands/mib.ts';

declare global {
  /** what `import.meta.url` reads in the snapshot's bundle (mib/paths.ts finds ../../mibs from it), set as the process starts */
  var netpulseSnapshotModuleUrl: string | undefined;
}

startupSnapshot.setDeserializeMainFunction(() => {
  // process.argv: node, bin/netpulse, mib, compile, ...
  globalThis.netpulseSnapshotModuleUrl = pathToFileURL(join(dirname(realpathSync(process.argv[1])), '..', 'build', 'mib', 'paths.js')).href;
  warmUpCompiler();
  void run(process.argv.slice(3)).then((code) => { process.exitCode = code; });
});
