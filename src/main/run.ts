/**
 * `netpulse start` in one call: starts the runtime, serves the API, runs until SIGINT or SIGTERM
 * (and SIGHUP, unless `reloadOnHangup`), stops in order (a second signal exits at once). Returns
 * the exit status. With `reloadOnHangup` SIGHUP re-reads the config file (runtime reload()); one
 * arriving during start-up reloads once netpulse is up, one arriving while stopping is ignored;
 * `reloadWhenUp` says one arrived before this call (the caller listened earlier; `netpulse
 * start` listens before it loads this module and keeps a listener until the process exits).
 * Without it SIGHUP stops: its default action would end the process with no orderly stop.
 * A stop running past `stopTimeoutMs` (default 30 s) is logged with what it still waits for and
 * the process ends with status 1; so does a second signal. With `exitWhenStopped` the process
 * ends once the stop has finished (process-exit.ts: libuv's pool may hold a hung lookup).
 */
import type { NetpulseConfig } from '../config/types.ts';
import { errorMessage } from '../errors/index.ts';
import { activeResources, exitProcess } from './process-exit.ts';
import { RELOAD_SIGNAL, STOP_SIGNALS, stopTimeoutFor } from './stop-signals.ts';
import { startNetpulse, type NetpulseRuntime, type StartOptions } from './runtime.ts';

export function timestampedLog(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

export async function runUntilSignal(
  config: NetpulseConfig,
  opts: Partial<StartOptions> & { onStarted?: (rt: NetpulseRuntime) => void | Promise<void>; reloadOnHangup?: boolean; reloadWhenUp?: boolean; stopTimeoutMs?: number; exitWhenStopped?: boolean } = {},
): Promise<number> {
  const log = opts.log ?? timestampedLog;
  const stopSignals = opts.reloadOnHangup ? STOP_SIGNALS.filter((s) => s !== RELOAD_SIGNAL) : STOP_SIGNALS;
  // listen before starting: a signal during start-up stops (or reloads) netpulse once it is up, cleanly
  let stopOn!: (signal: NodeJS.Signals) => void;
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    stopOn = resolve;
    for (const signal of stopSignals) process.on(signal, stopOn);
  });
  let rt: NetpulseRuntime | undefined;
  let reloadWhenUp = opts.reloadOnHangup === true && opts.reloadWhenUp === true;
  let stopping = false;
  const reload = () => {
    if (stopping) log(`netpulse: ${RELOAD_SIGNAL}: stopping already; no config reload`);
    else if (!rt) reloadWhenUp = true;
    else {
      log(`netpulse: ${RELOAD_SIGNAL}: reloading config ${config.file}`);
      // reload() logs its own problems; a throw past them must not become an unhandled rejection that ends netpulse
      rt.reload().catch((err: unknown) => log(`netpulse: error: ${RELOAD_SIGNAL}: config reload of ${config.file} failed: ${errorMessage(err)}`));
    }
  };
  if (opts.reloadOnHangup) process.on(RELOAD_SIGNAL, reload);
  const unlisten = () => {
    for (const s of stopSignals) process.removeListener(s, stopOn);
    process.removeListener(RELOAD_SIGNAL, reload);
  };
  for (const w of config.warnings) log(`netpulse: warning: config: ${w}`);
  try {
    rt = await startNetpulse(config, { listenApi: true, ...opts, log });
  } catch (err) {
    unlisten();
    log(`netpulse: error: cannot start: ${errorMessage(err)}`);
    return 1;
  }
  await opts.onStarted?.(rt);
  const reloads = opts.reloadOnHangup ? `, ${RELOAD_SIGNAL} to reload it` : '';
  log(`netpulse: running, config ${config.file || 'text'}${reloads}; Ctrl-C to stop`);
  if (reloadWhenUp) reload();
  const signal = await signalled;
  stopping = true;
  const again = () => {
    log('netpulse: second signal: exiting now');
    void exitProcess(1, { log, poolGraceMs: 0 });
  };
  // added before stopOn goes: a signal's last listener removed restores its default action (the process ends, unlogged)
  for (const s of stopSignals) process.once(s, again);
  for (const s of stopSignals) process.removeListener(s, stopOn);
  log(`netpulse: ${signal}: stopping (polls in flight get 3 s; signal again to exit at once)`);
  const stopTimeoutMs = opts.stopTimeoutMs ?? stopTimeoutFor(config.storage?.influx?.timeout);
  const bound = setTimeout(() => {
    log(`netpulse: error: the stop did not finish within ${stopTimeoutMs / 1000} s; still open: ${activeResources()}; exiting`);
    void exitProcess(1, { log, poolGraceMs: 0 });
  }, stopTimeoutMs);
  try {
    await rt.stop(3000);
  } finally {
    clearTimeout(bound);
    for (const s of stopSignals) process.removeListener(s, again);
    process.removeListener(RELOAD_SIGNAL, reload);
  }
  log('netpulse: stopped');
  if (opts.exitWhenStopped) return exitProcess(0, { signal, log });
  // a handle some library left open must not keep a stopped netpulse alive
  setTimeout(() => void exitProcess(0, { signal, log }), 2000).unref();
  return 0;
}
