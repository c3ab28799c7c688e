/**
 * Child of run-stop-bound.test.ts: `netpulse start`'s runUntilSignal with a runtime whose stop
 * never finishes (a cleanup step that hangs). argv: config file, stop timeout in ms.
 */
import { loadConfigForCommand } from '../../src/cli/config-args.ts';
import { runUntilSignal } from '../../src/main/run.ts';

const [file, stopTimeoutMs] = process.argv.slice(2);
const loaded = loadConfigForCommand('start', file);
if ('exitCode' in loaded) process.exit(loaded.exitCode);
process.exitCode = await runUntilSignal(loaded.config, {
  exitWhenStopped: true,
  stopTimeoutMs: Number(stopTimeoutMs),
  onStarted: (rt) => {
    rt.stop = () => new Promise<void>(() => {});
  },
});
