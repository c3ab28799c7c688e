/**
 * `netpulse start` in one call: starts the runtime, serves the API, runs until SIGINT/SIGTERM,
 * stops in order (a second signal exits at once). Returns the exit status.
 */
import type { NetpulseConfig } from '../config/types.ts';
import { errorMessage } from '../errors/index.ts';
import { startNetpulse, type NetpulseRuntime, type StartOptions } from './runtime.ts';

export function timestampedLog(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

export async function runUntilSignal(
  config: NetpulseConfig,
  opts: Partial<StartOptions> & { onStarted?: (rt: NetpulseRuntime) => void | Promise<void> } = {},
): Promise<number> {
  const log = opts.log ?? timestampedLog;
  // listen before starting: a signal during start-up stops netpulse once it is up, cleanly
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  let rt: NetpulseRuntime;
  try {
    rt = await startNetpulse(config, { listenApi: true, ...opts, log });
  } catch (err) {
    log(`netpulse: error: cannot start: ${errorMessage(err)}`);
    return 1;
  }
  await opts.onStarted?.(rt);
  log(`netpulse: running, config ${config.file || 'text'}; Ctrl-C to stop`);
  const signal = await signalled;
  log(`netpulse: ${signal}: stopping (polls in flight get 3 s; signal again to exit at once)`);
  const again = () => {
    log('netpulse: second signal: exiting now');
    process.exit(1);
  };
  process.once('SIGINT', again);
  process.once('SIGTERM', again);
  await rt.stop(3000);
  process.removeListener('SIGINT', again);
  process.removeListener('SIGTERM', again);
  log('netpulse: stopped');
  // a handle some library left open must not keep a stopped netpulse alive
  setTimeout(() => process.exit(0), 2000).unref();
  return 0;
}
