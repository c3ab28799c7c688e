/**
 * Ending a stopped daemon whatever libuv's thread pool still holds. process.exit() (and any
 * exit(3)) joins the pool's threads first, so one blocked in a getaddrinfo the resolver never
 * answers, or in a file system call on a dead mount, holds the exit until it returns: a service
 * manager's stop times out, Ctrl-C seems to hang. Only death by a signal skips that join.
 */
import { killEngineChildren } from '../icmp/index.ts';
import { flushStdio } from './flush-stdio.ts';

/** request types of process.getActiveResourcesInfo() that hold a pool thread and may block on I/O */
const POOL_REQUESTS: ReadonlyMap<string, string> = new Map([
  ['GetAddrInfoReqWrap', 'name lookup (getaddrinfo)'],
  ['GetNameInfoReqWrap', 'address lookup (getnameinfo)'],
  ['FSReqCallback', 'file system call'],
  ['FSReqPromise', 'file system call'],
  ['FileHandleCloseReq', 'file close'],
]);

/** how many times each name occurs, in first-seen order */
function counted(names: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts];
}

/** the pool requests still running, e.g. `1 name lookup (getaddrinfo)`; empty when none */
export function pendingPoolWork(resources: readonly string[] = process.getActiveResourcesInfo()): string[] {
  return counted(resources.flatMap((r) => POOL_REQUESTS.get(r) ?? [])).map(([what, n]) => `${n} ${what}`);
}

/** everything keeping the event loop alive, by type, e.g. `TCPSocketWrap x2, Timeout x1` (what a stop still waits for) */
export function activeResources(resources: readonly string[] = process.getActiveResourcesInfo()): string {
  return counted(resources).map(([r, n]) => `${r} x${n}`).join(', ') || 'nothing';
}

export interface ExitOptions {
  /** the stop signal, re-raised on a clean stop while pool work is pending (a service manager counts SIGINT, SIGTERM and SIGHUP a clean stop) */
  signal?: NodeJS.Signals;
  log: (line: string) => void;
  /** how long pool work gets to finish before the process ends by a signal instead of process.exit */
  poolGraceMs?: number;
}

/**
 * Ends the process after stdout and stderr are flushed (flushStdio's bound at most): with
 * process.exit(status) when no pool work is pending (or it finishes within poolGraceMs);
 * otherwise, since process.exit would wait for it, by re-raising `signal` (status 0) or by
 * SIGKILL (a failed or cut-short stop), after logging what was left. Never returns.
 */
export function exitProcess(status: number, opts: ExitOptions): Promise<never> {
  // the first exit decides (a stop bound firing while the stop ends, a second signal during an exit)
  return (exiting ??= exitOnce(status, opts));
}
let exiting: Promise<never> | undefined;

async function exitOnce(status: number, opts: ExitOptions): Promise<never> {
  const grace = opts.poolGraceMs ?? 1000;
  for (let waited = 0; pendingPoolWork().length && waited < grace; waited += 50) await new Promise((r) => setTimeout(r, 50));
  const pending = pendingPoolWork();
  let signal: NodeJS.Signals | undefined;
  if (pending.length) {
    signal = status === 0 && opts.signal ? opts.signal : 'SIGKILL';
    opts.log(`netpulse: exiting by ${signal} instead of status ${status}: still in libuv's thread pool: ${pending.join(', ')}; process.exit would wait for it`);
  }
  await flushStdio();
  if (!signal) process.exit(status);
  // no exit hook runs on a death by signal: the ICMP engine children (in a process group of their own) are ended here
  killEngineChildren();
  // without a listener the signal's default action ends the process
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => {});
}
