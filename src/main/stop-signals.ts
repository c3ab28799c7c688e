/**
 * The signals that stop a long-running command cleanly. `netpulse start` reloads its config
 * file on RELOAD_SIGNAL (SIGHUP, like Prometheus or Telegraf) and stops on the others;
 * `trap listen` and `demo` (no file to re-read) stop on all three: SIGHUP's default action
 * would end the process with no orderly stop.
 */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export const RELOAD_SIGNAL: NodeJS.Signals = 'SIGHUP';

/** how long `netpulse start`'s orderly stop may take before it gives up on it and exits with status 1 */
export const STOP_TIMEOUT_MS = 30_000;
