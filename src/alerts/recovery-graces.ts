import { errorMessage } from '../errors/index.ts';
import { isPathUnreachable } from '../model/device.ts';
import type { AlertCore } from './alert-core.ts';
import { snapshot, type PlannedSave } from './alert-saver.ts';
import type { Deferred, DeviceKeyedQueue, GraceEnd } from './pending-changes.ts';
import { dueAt, failedAttempt, type Retried } from './retry.ts';
import { causeOf, graceReason, seconds } from './suppression-text.ts';
import type { Suppressor } from './suppression.ts';
import { isSuppressedNow, type Alert, type AlertChange } from './types.ts';

/** a parent-suppressed alert whose parents came back, waiting for a check of its device; after a failed end (its record not saved) it goes on, tried again at `retryAt` */
interface RecoveryGrace extends Retried {
  device: string;
  /** the parents back up, as the suppression reason names them */
  parents: string;
  /** the suppression's original reason (`parent <name> down`), kept at the front of every later one */
  cause: string;
  since: number;
  until: number;
  /** its alert when the grace started (its id tells a later alert of the same key apart): what the suppressor is asked about when its end falls due (the decision needs the device only) */
  alert: Alert;
}

/** a recovery grace to end: at `at`, its reason ending in `outcome` (end) */
export interface GraceEndItem {
  key: string;
  g: RecoveryGrace;
  at: number;
  outcome: string;
  /** decided when it fell due (GraceEnd); absent: the suppressor is asked now */
  decided?: { decision: ReturnType<Suppressor> };
}

/** The parent-suppressed alerts whose parents came back, waiting for a check of their device (the recovery grace): key → grace. */
export class RecoveryGraces {
  private readonly graces = new Map<string, RecoveryGrace>();
  /** the keys of `graces` by their device: a device's check looks at its own graces only */
  private readonly keysByDevice = new Map<string, Set<string>>();
  /** no recovery grace ends before this (a lower bound) */
  private dueFrom = Infinity;

  constructor(private readonly core: AlertCore) {}

  get byKey(): ReadonlyMap<string, RecoveryGrace> {
    return this.graces;
  }

  delete(key: string): boolean {
    const g = this.graces.get(key);
    if (!g) return false;
    this.graces.delete(key);
    this.core.timer.changed();
    const keys = this.keysByDevice.get(g.device);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByDevice.delete(g.device);
    return true;
  }

  private add(key: string, g: RecoveryGrace): void {
    this.delete(key);
    this.graces.set(key, g);
    this.core.timer.changed();
    const keys = this.keysByDevice.get(g.device);
    if (keys) keys.add(key); else this.keysByDevice.set(g.device, new Set([key]));
  }

  /** the reason of a graced alert that clears (its device came back within the grace: the parent outage explained it after all) */
  clearedReason(g: RecoveryGrace, by: string): string {
    const outcome = by === 'auto' ? ` and ${g.device} up again` : `, cleared by hand while checking ${g.device}`;
    return `${g.cause}; ${g.parents} back up${outcome}`;
  }

  /** the graces due at `now` not queued yet, queued in `ends` (their end decided now, done in slices); false when none can be due yet (nothing looked at) */
  queueDue(now: number, ends: DeviceKeyedQueue<GraceEnd>): boolean {
    if (this.graces.size === 0 || now < this.dueFrom) return false;
    const outcome = `not back up within ${seconds(this.core.parentHold?.ms ?? 0)} s`;
    this.dueFrom = Infinity;
    for (const [key, g] of this.graces) {
      if (ends.has(key)) continue;
      if (dueAt(g) <= now) ends.add(key, { at: now, outcome, decision: this.core.askSuppressor(g.alert, now) }, g.device);
      else this.dueFrom = Math.min(this.dueFrom, dueAt(g));
    }
    return true;
  }

  /** the graces of `device` started at or before `at`, to end at `now` (its check concluded) */
  checked(device: string, at: number, now: number): GraceEndItem[] {
    const outcome = 'still unreachable at its check';
    const items: GraceEndItem[] = [];
    for (const key of this.keysByDevice.get(device) ?? []) {
      const g = this.graces.get(key)!;
      if (g.since <= at) items.push({ key, g, at: now, outcome });
    }
    return items;
  }

  /** when the next grace not queued in `ends` ends (or is tried again) */
  nextDue(ends: DeviceKeyedQueue<GraceEnd>): number {
    let next = Infinity;
    for (const [key, g] of this.graces) if (!ends.has(key)) next = Math.min(next, dueAt(g));
    return next;
  }

  /**
   * Whether a parent-suppressed alert no longer suppressed waits (starting its grace when new):
   * its device still has parents and is still unreachable because of the path, so its next check
   * is likely to find it up (the parent was the cause), and it then clears without a page. The
   * grace starts once its record is saved (planned: commitBatch); not saved, it does not start (no
   * recheck, no change), `failed` runs and the alert stays suppressed as it was.
   */
  plan(alert: Alert, now: number, recheck: Set<string>, planned: PlannedSave[], failed: PlannedSave['failed'], deviceStateThen?: Deferred['deviceState']): boolean {
    if (this.graces.get(alert.key)?.alert.id === alert.id) return true;
    const hold = this.core.parentHold;
    const device = alert.device;
    if (!hold || device === undefined || alert.suppressed?.kind !== 'parent') return false;
    let back: string[];
    try {
      const parents = hold.parentsOf(device);
      if (parents.length === 0) return false;
      if (hold.stateOf && !isPathUnreachable(deviceStateThen ? deviceStateThen.state : hold.stateOf(device))) return false;
      // suppressed by a down ancestor further up (suppression.ts cutOffBy) that is back: it is what came back
      const by = alert.suppressed.by;
      if (!parents.includes(by) && hold.stateOf?.(by) !== 'down') back = [by];
      else back = parents.filter((p) => hold.stateOf?.(p) !== 'down');
      if (back.length === 0) back = [...parents];
    } catch (err) {
      this.core.logger.warn(`alerts: recovery check of ${alert.key} failed, released now: ${errorMessage(err)}`);
      return false;
    }
    const cause = causeOf(alert.suppressed.reason, device);
    const before = snapshot(alert);
    const grace: RecoveryGrace = { device, parents: back.join(', '), cause, since: now, until: now + hold.ms, alert: before };
    // still suppressed (`since` kept), under a reason that says what it waits for
    alert.suppressed = { ...alert.suppressed, by: back[0]!, reason: graceReason(cause, grace.parents, device, grace.until) };
    planned.push({
      alert, before, failed,
      done: () => {
        this.add(alert.key, grace);
        if (grace.until < this.dueFrom) this.dueFrom = grace.until;
        recheck.add(device);
        return { kind: 'repeated', alert, notify: false };
      },
    });
    return true;
  }

  /**
   * Ends the recovery graces of `items`, each at its time: an alert still active and suppressed is
   * released (its reason ending in its `outcome`), unless its parents are down again (it stays
   * suppressed, under the suppressor's reason); one cleared or replaced is dropped. The changes are saved together
   * (commitBatch) and announced once saved. A grace whose end cannot be read or saved goes on (the
   * alert suppressed as it was, nothing sent), tried again by the timer and at the device's next
   * check; logged once.
   */
  end(items: readonly GraceEndItem[]): AlertChange[] {
    const { core } = this;
    const planned: PlannedSave[] = [];
    for (const { key, g, at: now, outcome, decided } of items) {
      if (this.graces.get(key) !== g) continue;
      const failed = (err: unknown, logged: boolean) => {
        failedAttempt(g, core.now());
        core.timer.changed();
        // ended in a later turn than the timer's run: the timer must see this retry
        this.dueFrom = Math.min(this.dueFrom, dueAt(g));
        if (!logged) core.saver.noteFailure(key, `ending the recovery grace of ${key} failed: it stays suppressed, nothing sent, tried again`, err);
      };
      const ended = () => void this.delete(key);
      try {
        const alert = core.store.active(key);
        if (alert?.id === g.alert.id && isSuppressedNow(alert)) {
          const again = decided ? decided.decision : core.askSuppressor(alert, now);
          if (again) core.planResuppress(alert, again, now, planned, ended, failed);
          else core.planRelease(alert, now, `${g.cause}; released: ${g.parents} back up and ${g.device} ${outcome}`, planned, ended, failed);
        } else ended();
      } catch (err) {
        failed(err, false);
      }
    }
    return core.commit(planned, 'ends of recovery graces');
  }

  /** asks for a check of `device` (its parents came back); a failure is logged */
  recheck(device: string): void {
    try {
      this.core.parentHold?.recheck?.(device);
    } catch (err) {
      this.core.logger.warn(`alerts: asking for a check of ${device} after its parents came back failed: ${errorMessage(err)}`);
    }
  }
}
