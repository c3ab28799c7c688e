import type { ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';

/**
 * What a stop sends every process of a group at once: systemd's default KillMode=control-group
 * (SIGTERM to the whole cgroup, whatever the process groups), a terminal's Ctrl-C (SIGINT) or
 * hang-up (SIGHUP). Engine children run in a process group of their own (`ENGINE_SPAWN`), so of
 * these only the cgroup's SIGTERM (or a signal sent to the child by hand) still reaches them. A
 * child ended so, before netpulse closed its checker, says nothing about its hosts.
 */
export const GROUP_STOP_SIGNALS: ReadonlySet<string> = new Set(['SIGTERM', 'SIGINT', 'SIGHUP']);

/** the end of an engine error for a child a group stop ended */
export const NOT_BY_NETPULSE = 'not by netpulse: a stop of its process group';

/**
 * Spawn options of every engine child (fping, ping): a session and process group of its own. fping
 * and iputils ping handle SIGINT themselves, exiting normally with the statistics of the probes
 * sent so far: a Ctrl-C reaching them with netpulse's group would turn the check in flight into
 * a partial loss. Out of the group, netpulse alone decides their end (close(), the exit hook).
 * Not unref'd: netpulse waits for them as for any child. The price: a netpulse killed by a signal
 * it does not handle leaves them probing until their run ends (no exit hook runs), so every
 * command that may start one handles SIGINT, SIGTERM and SIGHUP (`exitOnStopSignals`, or `start`'s
 * own stop).
 */
export const ENGINE_SPAWN = { detached: true } as const;

/** how long close() lets an engine child (fping, ping) end on SIGTERM before it sends SIGKILL */
export const CHILD_TERM_GRACE_MS = 500;

/**
 * Every ICMP engine child of the process, for the exit hook: a child outliving netpulse keeps
 * probing (many probes, a long period) as an orphan on the server. The hook runs on
 * process.exit(), on the natural end and after an uncaught error, not on a fatal signal.
 */
const children = new Set<ChildProcess>();
let exitHook = false;

/** Registers a child for the exit hook until it exits (or `untrackChild`). */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.on('exit', killEngineChildren);
}

/**
 * SIGKILL to every engine child still running, at once (synchronous): for the exit hook, and for
 * a process about to end by a signal of its own choosing (no exit hook runs then).
 */
export function killEngineChildren(): void {
  for (const c of children) signalChild(c, 'SIGKILL');
}

export function untrackChild(child: ChildProcess): void {
  children.delete(child);
}

/** Node has seen the child end (its 'exit'; 'close' may still be to come) */
export const hasExited = (c: ChildProcess): boolean => c.exitCode !== null || c.signalCode !== null;

/**
 * Signals a child that runs. One whose spawn failed (ENOENT, EMFILE, EAGAIN: reported by 'error'
 * a tick later) has no pid, and its kill() would signal pid 0: netpulse's own process group.
 */
export function signalChild(c: ChildProcess, signal: NodeJS.Signals): void {
  if (c.pid !== undefined && !hasExited(c)) c.kill(signal);
}

const exited = (c: ChildProcess) => new Promise<void>((resolve) => {
  if (hasExited(c)) resolve();
  else c.once('exit', () => resolve());
});

/** SIGTERM to each child, SIGKILL to those still running after termGraceMs; resolves when all have exited. */
export async function endChildren(given: readonly ChildProcess[], termGraceMs = CHILD_TERM_GRACE_MS): Promise<void> {
  // a child that never started emits no 'exit'
  const left = given.filter((c) => c.pid !== undefined);
  if (left.length === 0) return;
  for (const c of left) signalChild(c, 'SIGTERM');
  let t: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(left.map(exited)), new Promise<void>((resolve) => { t = setTimeout(resolve, termGraceMs); })]);
  clearTimeout(t);
  const stubborn = left.filter((c) => !hasExited(c));
  for (const c of stubborn) signalChild(c, 'SIGKILL');
  await Promise.all(stubborn.map(exited));
}

/** the signals whose default action would end a short command (SIGHUP: its terminal closed) */
const EXIT_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * For short commands (`ping`, `poll --once`, `discover`): SIGINT/SIGTERM/SIGHUP during `work` end
 * the process through process.exit (status 128 + the signal's number: 130/143/129), whose exit
 * hook ends the engine children; a death by the signal itself would leave them probing (they are
 * out of its process group: the signal does not reach them).
 */
export async function exitOnStopSignals<T>(work: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals) => process.exit(128 + osConstants.signals[signal]);
  for (const s of EXIT_SIGNALS) process.once(s, onSignal);
  try {
    return await work();
  } finally {
    for (const s of EXIT_SIGNALS) process.removeListener(s, onSignal);
  }
}
