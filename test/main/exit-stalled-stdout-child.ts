// Child of process-exit.test.ts: its stdout is a pipe the test never reads, so most of what it
// writes there stays queued; then exitProcess(1). argv: bytes to write.
import { exitProcess } from '../../src/main/process-exit.ts';

process.stdout.write('x'.repeat(Number(process.argv[2])));
process.stderr.write(`queued on stdout: ${process.stdout.writableLength} bytes\n`);
await exitProcess(1, { log: (line) => process.stderr.write(`${line}\n`), poolGraceMs: 0 });
