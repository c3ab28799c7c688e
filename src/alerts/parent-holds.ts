import { errorMessage } from '../errors/index.ts';
import type { AlertCore } from './alert-core.ts';
import { failedAttempt, type Retried } from './retry.ts';
import { heldBy, heldFor, holdOutcome, holdSuppression, parentsKeyOf, seconds, type HeldParents } from './suppression-text.ts';
import { isHeldNow, type Alert, type AlertChange, type AlertEvent } from './types.ts';

/** an alert's notification waiting for its parents; after a failed end (its record not saved) it stays held, tried again at `retryAt` */
export interface ParentHold extends Retried {
  alert: Alert;
  /** when it was added, among holds: a device's change goes through the holds it affects in the order a full run does */
  order: number;
  since: number;
  until: number;
  /**
   * its parents and their states as its record's suppression last named them, as one key (refresh:
   * rewritten when they change); '' for a hold read back, whose record the first refresh rewrites.
   * What the store holds, kept here: a hold going on costs no store read.
   */
  parentsKey: string;
}

/**
 * The active alerts whose notification waits for their parents: key → the alert as opened, when
 * the hold started and ends, and what its suppression says of its parents (holdSuppression).
 */
export class ParentHolds {
  private readonly holds = new Map<string, ParentHold>();
  /** no hold ends before this (a lower bound; Infinity: none): until then a device's change looks for no hold due */
  private dueFrom = Infinity;

  constructor(private readonly core: AlertCore) {}

  get byKey(): ReadonlyMap<string, ParentHold> {
    return this.holds;
  }

  delete(key: string): boolean {
    if (!this.holds.delete(key)) return false;
    this.core.timer.changed();
    return true;
  }

  /** each held key and its alert's device */
  *devices(): Generator<[string, string | undefined]> {
    for (const [key, hold] of this.holds) yield [key, hold.alert.device];
  }

  add(key: string, hold: ParentHold): void {
    hold.order = this.holds.get(key)?.order ?? this.core.index.nextOrder();
    this.holds.set(key, hold);
    this.core.timer.changed();
    if (hold.until < this.dueFrom) this.dueFrom = hold.until;
  }

  /** whether `ev` opens an alert held for its parents: asked for, and its device has parents */
  holdsFor(ev: AlertEvent): boolean {
    return ev.holdForParents === true && this.core.parentHold !== undefined && ev.device !== undefined && this.parentsOf(ev.device).length > 0;
  }

  /** the hold of `alert`, opened now by `ev` (holdsFor), its suppression set on the alert (recorded with it) */
  open(alert: Alert, ev: AlertEvent): ParentHold {
    const until = ev.time + this.core.parentHold!.ms;
    const parents = this.heldParents(ev.device!);
    alert.suppressed = holdSuppression(parents, ev.device!, ev.time, until);
    return { alert: { ...alert }, order: 0, since: ev.time, until, parentsKey: parentsKeyOf(parents) };
  }

  /**
   * A hold read back from the store (a restart during it): it goes on, ending at its limit but not
   * before a full `parentHold` from now, so the parents are polled again first. Its timer starts at
   * the first endHolds() (src/main: the first device state change or suppression check), once the
   * suppressor and the parents' states are there again.
   */
  restore(alert: Alert): void {
    const s = alert.suppressed!;
    const until = Math.max(s.holdUntil!, this.core.now() + (this.core.parentHold?.ms ?? 0));
    // nothing seen yet: the first refresh writes the record anew, with the new limit
    this.add(alert.key, { alert: { ...alert }, order: 0, since: s.since, until, parentsKey: '' });
    // its parents are not known yet (src/main: the inventory comes later): the first full run files it
    this.core.index.unfiled.add(alert.key);
    this.core.index.retryNext.add(alert.key);
  }

  /** the reason of a held alert cleared during its hold (never notified, so no `until`): how it ended */
  clearedSuppression(alert: Alert, hold: ParentHold, by: string, now: number): Alert['suppressed'] {
    const { holdUntil: _, ...rest } = alert.suppressed!;
    return { ...rest, reason: `held ${seconds(now - hold.since)} s for ${heldFor(this.parentsOf(alert.device!))}; cleared ${by === 'auto' ? '' : 'by hand '}during the hold` };
  }

  /**
   * Ends the holds that are over, and early the ones the suppressor now suppresses (a parent found
   * down), among the holds of `keys` and those due (undefined: every hold); a hold ended suppressed
   * joins `keys`. A hold whose end cannot be read or saved stays held, nothing sent, tried again at
   * the next run and by its timer.
   */
  endDue(now: number, keys: Set<string> | undefined, out: AlertChange[]): void {
    const { core } = this;
    for (const [key, hold] of keys ? this.holdsIn(keys, now) : [...this.holds]) {
      // the decision needs the device only: no store lookup for holds that go on, unless their parents' states changed
      const suppression = core.askSuppressor(hold.alert, now);
      if (!suppression && hold.until > now) {
        if (this.refresh(key, hold, out)) core.index.retryNext.delete(key);
        else core.index.retryNext.add(key);
        continue;
      }
      try {
        const alert = core.store.active(key);
        const ends = alert?.id === hold.alert.id;
        if (ends && suppression) core.saver.saveSuppression(alert, { ...suppression, since: now });
        else if (ends) this.recordEnd(alert, hold.since, now);
        // dropped only once its end is saved (or its alert cleared or replaced): a failed read or save keeps it held, tried again
        this.delete(key);
        core.index.retryNext.delete(key);
        if (hold.failures) core.logger.info(`alerts: the end of the parent hold of ${key} saved after ${hold.failures} failed attempts`);
        if (!ends) continue;
        if (suppression) {
          core.countSuppressed(alert, suppression.kind);
          keys?.add(key);
          out.push(core.feed.emit({ kind: 'repeated', alert, notify: false }));
        } else {
          out.push(core.feed.emit({ kind: 'opened', alert, notify: true }));
        }
      } catch (err) {
        const failures = failedAttempt(hold, now);
        // holdsIn() moved dueFrom past it, and retryNext does not keep it (a run dated before its end drops it): due again
        if (hold.until < this.dueFrom) this.dueFrom = hold.until;
        core.timer.changed();
        core.index.retryNext.add(key);
        // once per failing hold: the timer and every state change try again
        if (failures === 1) core.logger.warn(`alerts: ending the parent hold of ${key} failed, it stays held (nothing sent) and is tried again: ${errorMessage(err)}`);
      }
    }
  }

  /** the holds of `keys` and those due at `now`, in the order a full run goes through them */
  private holdsIn(keys: ReadonlySet<string>, now: number): [string, ParentHold][] {
    const picked = new Map<string, ParentHold>();
    for (const key of keys) {
      const hold = this.holds.get(key);
      if (hold) picked.set(key, hold);
    }
    if (now >= this.dueFrom) {
      let next = Infinity;
      for (const [key, hold] of this.holds) {
        if (hold.until <= now) picked.set(key, hold);
        else if (hold.until < next) next = hold.until;
      }
      this.dueFrom = next;
    }
    return [...picked].sort((a, b) => a[1].order - b[1].order);
  }

  /**
   * A hold over without a suppression: the alert, to be notified now, says why it waited and how it
   * ended, as an ended parent suppression (`until` set: nothing is held back any more), e.g.
   * `held 30 s for parent core-1; core-1 up`. A failed save throws, the alert left as it was (held).
   */
  private recordEnd(alert: Alert, since: number, now: number): void {
    const device = alert.device!;
    const held = this.heldParents(device);
    const parents = held.parents;
    // without their states (no stateOf, or it failed) the manager only knows the suppressor did not find them all down
    const states = held.states.length === parents.length ? held.states : parents.map(() => 'not known down');
    const waited = `held ${seconds(now - since)} s for ${heldFor(parents)}`;
    this.core.saver.saveSuppression(alert, {
      kind: 'parent', reason: `${waited}; ${holdOutcome(parents, states)}`,
      by: heldBy({ parents, states }, device), since, until: now,
    });
  }

  /** a hold going on whose parents' states changed: its suppression says so (saved, a silent `repeated` change); false when that failed (tried again at the next run) */
  private refresh(key: string, hold: ParentHold, out: AlertChange[]): boolean {
    const { core } = this;
    if (!core.parentHold) return true;
    const parents = this.heldParents(hold.alert.device!);
    const parentsKey = parentsKeyOf(parents);
    if (parentsKey === hold.parentsKey) return true;
    try {
      const alert = core.store.active(key);
      if (!alert || alert.id !== hold.alert.id || !isHeldNow(alert)) {
        hold.parentsKey = parentsKey;
        return true;
      }
      core.saver.saveSuppression(alert, holdSuppression(parents, hold.alert.device!, hold.since, hold.until));
      // only once saved: a failed read or save is tried again at the next run
      hold.parentsKey = parentsKey;
      out.push(core.feed.emit({ kind: 'repeated', alert, notify: false, held: true }));
      return true;
    } catch (err) {
      core.saver.noteFailure(key, `recording the parents' states in the parent hold of ${key} failed: its record stays as it was, tried again at the next run`, err);
      return false;
    }
  }

  /** a held device's parents and their states now (`not polled`: unknown to the poller) */
  private heldParents(device: string): HeldParents {
    const parents = this.parentsOf(device);
    try {
      const stateOf = this.core.parentHold?.stateOf;
      return { parents, states: stateOf ? parents.map((p) => stateOf(p) ?? 'not polled') : [] };
    } catch (err) {
      this.core.logger.warn(`alerts: reading the parents' states of ${device} for its parent hold failed: ${errorMessage(err)}`);
      return { parents, states: [] };
    }
  }

  /** the parents of a held alert's device; none when they cannot be read (logged) */
  private parentsOf(device: string): readonly string[] {
    try {
      return this.core.parentHold?.parentsOf(device) ?? [];
    } catch (err) {
      this.core.logger.warn(`alerts: reading the parents of ${device} for its parent hold failed: ${errorMessage(err)}`);
      return [];
    }
  }
}
