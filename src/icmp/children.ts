import type { ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';

/**
 * What a stop sends a whole process group at once: systemd's default KillMode=control-group
 * (SIGTERM), a terminal's Ctrl-C (SIGINT) or hang-up (SIGHUP). A child ended so, before netpulse
 * closed its checker, says nothing about its hosts.
 */
export const GROUP_STOP_SIGNALS: ReadonlySet<string> = new Set(['SIGTERM', 'SIGINT', 'SIGHUP']);

/** the end of an engine error for a child a group stop ended */
export const NOT_BY_NETPULSE = 'not by netpulse: a stop of its process group';

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
  process.on('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
}

export function untrackChild(child: ChildProcess): void {
  children.delete(child);
}

const hasExited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

const exited = (c: ChildProcess) => new Promise<void>((resolve) => {
  if (hasExited(c)) resolve();
  else c.once('exit', () => resolve());
});

/** SIGTERM to each child, SIGKILL to those still running after termGraceMs; resolves when all have exited. */
export async function endChildren(left: readonly ChildProcess[], termGraceMs = CHILD_TERM_GRACE_MS): Promise<void> {
  if (left.length === 0) return;
  for (const c of left) c.kill('SIGTERM');
  let t: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(left.map(exited)), new Promise<void>((resolve) => { t = setTimeout(resolve, termGraceMs); })]);
  clearTimeout(t);
  const stubborn = left.filter((c) => !hasExited(c));
  for (const c of stubborn) c.kill('SIGKILL');
  await Promise.all(stubborn.map(exited));
}

/** the signals whose default action would end a short command (SIGHUP: its terminal closed) */
const EXIT_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * For short commands (`ping`, `poll --once`): SIGINT/SIGTERM/SIGHUP during `work` end the process
 * through process.exit (status 128 + the signal's number: 130/143/129), whose exit hook ends the
 * engine children; a death by the signal itself would leave them probing.
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
