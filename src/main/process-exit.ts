/**
 * Ending a stopped daemon whatever libuv's thread pool still holds. process.exit() (and any
 * exit(3)) joins the pool's threads first, so one blocked in a getaddrinfo the resolver never
 * answers, or in a file system call on a dead mount, holds the exit until it returns: a service
 * manager's stop times out, Ctrl-C seems to hang. Only death by a signal skips that join.
 */
import { killEngineChildren } from '../icmp/index.ts';

/** request types of process.getActiveResourcesInfo() that hold a pool thread and may block on I/O */
const POOL_REQUESTS: Record<string, string> = {
  GetAddrInfoReqWrap: 'name lookup (getaddrinfo)',
  GetNameInfoReqWrap: 'address lookup (getnameinfo)',
  FSReqCallback: 'file system call',
  FSReqPromise: 'file system call',
  FileHandleCloseReq: 'file close',
};

/** the pool requests still running, e.g. `1 name lookup (getaddrinfo)`; empty when none */
export function pendingPoolWork(resources: readonly string[] = process.getActiveResourcesInfo()): string[] {
  const counts = new Map<string, number>();
  for (const r of resources) {
    const what = POOL_REQUESTS[r];
    if (what) counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return [...counts].map(([what, n]) => `${n} ${what}`);
}

/** everything keeping the event loop alive, by type, e.g. `TCPSocketWrap x2, Timeout x1` (what a stop still waits for) */
export function activeResources(resources: readonly string[] = process.getActiveResourcesInfo()): string {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${r} x${n}`).join(', ') || 'nothing';
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  // a write's callback runs once it and everything before it have been handed to the fd
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}

export interface ExitOptions {
  /** the stop signal, re-raised on a clean stop while pool work is pending (a service manager counts SIGINT, SIGTERM and SIGHUP a clean stop) */
  signal?: NodeJS.Signals;
  log: (line: string) => void;
  /** how long pool work gets to finish before the process ends by a signal instead of process.exit */
  poolGraceMs?: number;
}

/**
 * Ends the process after stdout and stderr are flushed: with process.exit(status) when no pool
 * work is pending (or it finishes within poolGraceMs); otherwise, since process.exit would wait
 * for it, by re-raising `signal` (status 0) or by SIGKILL (a failed or cut-short stop), after
 * logging what was left. Never returns.
 */
export async function exitProcess(status: number, opts: ExitOptions): Promise<never> {
  const grace = opts.poolGraceMs ?? 1000;
  for (let waited = 0; pendingPoolWork().length && waited < grace; waited += 50) await new Promise((r) => setTimeout(r, 50));
  const pending = pendingPoolWork();
  let signal: NodeJS.Signals | undefined;
  if (pending.length) {
    signal = status === 0 && opts.signal ? opts.signal : 'SIGKILL';
    opts.log(`netpulse: exiting by ${signal} instead of status ${status}: still in libuv's thread pool: ${pending.join(', ')}; process.exit would wait for it`);
  }
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  if (!signal) process.exit(status);
  // no exit hook runs on a death by signal: the ICMP engine children (in a process group of their own) are ended here
  killEngineChildren();
  // without a listener the signal's default action ends the process
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => {});
}
