/**
 * `netpulse start` in one call: starts the runtime, serves the API, runs until SIGINT, SIGTERM
 * or SIGHUP, stops in order (a second signal exits at once). Returns the exit status. SIGHUP
 * stops too: there is no config reload, and its default action would end the process with no
 * orderly stop (stores not closed, polls cut).
 */
import type { NetpulseConfig } from '../config/types.ts';
import { errorMessage } from '../errors/index.ts';
import { STOP_SIGNALS } from './stop-signals.ts';
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
  let stopOn!: (signal: NodeJS.Signals) => void;
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    stopOn = resolve;
    for (const signal of STOP_SIGNALS) process.on(signal, stopOn);
  });
  for (const w of config.warnings) log(`netpulse: warning: config: ${w}`);
  let rt: NetpulseRuntime;
  try {
    rt = await startNetpulse(config, { listenApi: true, ...opts, log });
  } catch (err) {
    for (const s of STOP_SIGNALS) process.removeListener(s, stopOn);
    log(`netpulse: error: cannot start: ${errorMessage(err)}`);
    return 1;
  }
  await opts.onStarted?.(rt);
  log(`netpulse: running, config ${config.file || 'text'}; Ctrl-C to stop`);
  const signal = await signalled;
  for (const s of STOP_SIGNALS) process.removeListener(s, stopOn);
  const why = signal === 'SIGHUP' ? ' (no config reload: start netpulse again to apply a changed config)' : '';
  log(`netpulse: ${signal}: stopping${why} (polls in flight get 3 s; signal again to exit at once)`);
  const again = () => {
    log('netpulse: second signal: exiting now');
    process.exit(1);
  };
  for (const s of STOP_SIGNALS) process.once(s, again);
  await rt.stop(3000);
  for (const s of STOP_SIGNALS) process.removeListener(s, again);
  log('netpulse: stopped');
  // a handle some library left open must not keep a stopped netpulse alive
  setTimeout(() => process.exit(0), 2000).unref();
  return 0;
}
