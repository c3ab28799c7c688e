/** What the manager writes in a parent suppression's reason: parent holds and recovery graces. */
import type { AlertSuppression } from './types.ts';

/** a held device's parents and their states (none without stateOf) */
export interface HeldParents {
  parents: readonly string[];
  states: readonly string[];
}

/** its parents and their states as one key: a hold's suppression is rewritten when it changes */
export const parentsKeyOf = (p: HeldParents): string => `${p.parents.join(',')}|${p.states.join(',')}`;

const GRACE_MARK = ' back up, checking ';

/**
 * The original cause in a parent suppression's reason: all of it, or, for a reason written during
 * a recovery grace (`<cause>; <parents> back up, checking <device> (until <time>)`, as read back
 * after a restart), what precedes the grace's part. Device names hold no spaces, so `; ` splits.
 */
export function causeOf(reason: string, device: string): string {
  const mark = reason.lastIndexOf(`${GRACE_MARK}${device} (until `);
  if (mark < 0) return reason;
  const at = reason.lastIndexOf('; ', mark);
  return at >= 0 ? reason.slice(0, at) : reason;
}

/** `30`, `2.5`: whole seconds from 10 s on, tenths below */
export function seconds(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  return String(s >= 10 ? Math.round(s) : Math.round(s * 10) / 10);
}

/** `parent core-1`, `parents core-1 (down), core-2 (up)`: whom a hold waits for */
export function heldFor(parents: readonly string[], states: readonly string[] = []): string {
  if (parents.length === 0) return 'its parents';
  const named = parents.map((p, i) => (states[i] === undefined ? p : `${p} (${states[i]})`));
  return `${parents.length === 1 ? 'parent' : 'parents'} ${named.join(', ')}`;
}

/** `core-1`, `core-1 and core-2`, `core-1, core-2 and core-3` */
function listed(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0] ?? '';
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * How a parent hold ended without a suppression, from each parent's state then: `core-1 up`,
 * `core-1 down, core-2 up`; `not polled` for a parent the poller does not know.
 */
export function holdOutcome(parents: readonly string[], states: readonly string[]): string {
  if (parents.length === 0) return 'no parents left';
  return parents.map((p, i) => `${p} ${states[i]}`).join(', ');
}

/** the parents a hold waits on: those not down, or all of them when every one is down */
function waitedOn({ parents, states }: HeldParents): readonly string[] {
  const notDown = parents.filter((_, i) => states[i] !== 'down');
  return notDown.length > 0 ? notDown : parents;
}

/** the `by` of a hold's suppression, while it lasts and once it ended: the first parent not down (else the first parent, else the device itself) */
export const heldBy = (held: HeldParents, device: string): string => waitedOn(held)[0] ?? device;

/**
 * The suppression an alert carries while its parent hold lasts (`holdUntil` set, `until` not: it
 * is held back now), its parents' states as they are now, e.g. `held since 2026-12-06T22:00:00.000Z
 * for parent core-1 (up); notified at 2026-12-06T22:00:30.000Z at the latest unless core-1 is
 * found down`; `by`: heldBy.
 */
export function holdSuppression(held: HeldParents, device: string, since: number, until: number): AlertSuppression {
  const { parents, states } = held;
  const pending = waitedOn(held);
  const unless = pending.length === 0 ? 'its parents are found down' : `${listed(pending)} ${pending.length === 1 ? 'is' : 'are'} found down`;
  return {
    kind: 'parent', by: heldBy(held, device), since, holdUntil: until,
    reason: `held since ${iso(since)} for ${heldFor(parents, states)}; notified at ${iso(until)} at the latest unless ${unless}`,
  };
}

/** the reason of a grace's alert while it lasts: `<cause>; <parents> back up, checking <device> (until <time>)` */
export const graceReason = (cause: string, parents: string, device: string, until: number): string =>
  `${cause}; ${parents}${GRACE_MARK}${device} (until ${iso(until)})`;
