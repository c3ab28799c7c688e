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

/**
 * The stop's bound for a config: STOP_TIMEOUT_MS, or longer when an InfluxDB write may take
 * longer to end: the writer's close flushes (5 s), then waits for a request in flight (up to
 * storage.influx.timeout) and its replay (5 s); cut short, a batch in flight could be lost
 * instead of spooled.
 */
export function stopTimeoutFor(influxTimeoutMs: number | undefined): number {
  return Math.max(STOP_TIMEOUT_MS, (influxTimeoutMs ?? 0) + 20_000);
}
