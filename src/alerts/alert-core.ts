import { errorMessage } from '../errors/index.ts';
import { AlertSaver, snapshot, type PlannedSave } from './alert-saver.ts';
import { ChangeFeed } from './change-feed.ts';
import { HoldTimer } from './hold-timer.ts';
import { DEFAULT_MAX_ACTIVE_ALERTS, type AlertManagerLogger, type AlertManagerOptions, type AlertManagerStats, type ParentHoldOptions } from './manager-options.ts';
import { ParentHolds } from './parent-holds.ts';
import { PendingChanges } from './pending-changes.ts';
import { RecoveryGraces } from './recovery-graces.ts';
import type { OwedSweeps, RemovalSweep } from './owed-sweeps.ts';
import { OwedDeviceSweeps } from './removed-devices.ts';
import { OwedRuleSweep } from './removed-rules.ts';
import type { OwedRun } from './owed-runs.ts';
import type { AlertStore } from './store.ts';
import { SuppressedIndex } from './suppressed-index.ts';
import type { Suppressor } from './suppression.ts';
import { UnsavedChanges } from './unsaved-changes.ts';
import type { Alert, AlertChange, AlertSuppression } from './types.ts';

/** What the parts of the alert manager share: its store, options and counters, its held, suppressed and waiting alerts, and the suppressor's answers. */
export class AlertCore {
  readonly stats: AlertManagerStats = {
    opened: 0, rejectedFull: 0, active: 0, repeated: 0, cleared: 0, suppressedFlapping: 0, suppressedRateLimit: 0,
    suppressedMaintenance: 0, suppressedParent: 0, released: 0, heldForParents: 0, clearedAfterParentRecovery: 0, droppedUnsaved: 0,
  };
  readonly maxActive: number;
  readonly logger: AlertManagerLogger;
  readonly parentHold: ParentHoldOptions | undefined;
  /** the clock of the timer (event times come from the events) */
  readonly now: () => number;
  /** close()'s deadline clock (monotonic) */
  readonly monotonicNow: () => number;
  readonly sliceSize: number;
  suppressor: Suppressor | undefined;
  closed = false;
  readonly saver: AlertSaver;
  readonly feed: ChangeFeed;
  readonly index: SuppressedIndex;
  readonly holds = new ParentHolds(this);
  readonly graces = new RecoveryGraces(this);
  readonly unsaved = new UnsavedChanges(this);
  /** sweeps for removed devices, and for removed rules, that could not list the store, retried by the timer */
  readonly deviceSweeps = new OwedDeviceSweeps();
  readonly ruleSweep = new OwedRuleSweep();
  readonly owedSweeps: readonly OwedSweeps<RemovalSweep>[] = [this.deviceSweeps, this.ruleSweep];
  /** callers' sweeps that could not list the store (AlertManager.oweSweep), by what they sweep */
  readonly owedRuns = new Map<string, OwedRun>();
  readonly pending = new PendingChanges(() => this.timer.changed());
  readonly timer: HoldTimer;

  /** `onTimer`: the timer's run (holds and graces due, retries) */
  constructor(readonly store: AlertStore, opts: AlertManagerOptions, onTimer: () => void) {
    this.maxActive = Math.max(1, opts.maxActive ?? DEFAULT_MAX_ACTIVE_ALERTS);
    this.logger = opts.logger ?? { warn: (m) => console.warn(m), info: (m) => console.info(m) };
    this.suppressor = opts.suppressor;
    this.parentHold = opts.parentHold && opts.parentHold.ms > 0 ? opts.parentHold : undefined;
    this.now = opts.now ?? Date.now;
    // looked up at each call, so a test faking performance after construction is seen
    this.monotonicNow = opts.monotonicNow ?? (() => performance.now());
    this.sliceSize = Math.max(1, Math.floor(opts.sliceSize ?? 128));
    this.saver = new AlertSaver(store, this.logger);
    this.feed = new ChangeFeed(this.stats);
    this.index = new SuppressedIndex(opts.parentHold?.parentsOf);
    this.timer = new HoldTimer(this, onTimer);
  }

  /** whether a parent hold, a recovery grace, a source change not saved or a sweep owed waits for the timer */
  hasTimedWork(): boolean {
    return this.holds.byKey.size > 0 || this.graces.byKey.size > 0 || this.unsaved.byKey.size > 0 || this.sweepsOwed();
  }

  /** whether a sweep for removed devices or rules (OwedSweeps), or a caller's (owedRuns), is owed */
  sweepsOwed(): boolean {
    return this.owedRuns.size > 0 || this.owedSweeps.some((o) => o.pending);
  }

  /** the suppressor's decision; one that fails suppresses nothing (a notification too many beats one lost) */
  askSuppressor(alert: Alert, time: number): ReturnType<Suppressor> {
    try {
      return this.suppressor?.(alert, time);
    } catch (err) {
      this.logger.warn(`alerts: suppression check of ${alert.key} failed, not suppressed: ${errorMessage(err)}`);
      return undefined;
    }
  }

  /** an active alert newly suppressed: re-evaluated from now on, and counted */
  countSuppressed(alert: Alert, kind: AlertSuppression['kind']): void {
    this.index.add(alert);
    this.index.file(alert.key, alert.device);
    if (kind === 'maintenance') this.stats.suppressedMaintenance++;
    else this.stats.suppressedParent++;
  }

  /** saves `planned` together (AlertSaver.commitBatch) and announces the changes of those saved, in order */
  commit(planned: readonly PlannedSave[], what: string): AlertChange[] {
    return this.saver.commitBatch(planned, what).map((c) => this.feed.emit(c));
  }

  /**
   * A suppressed alert whose suppression ended while it is active: notified once saved (`reason`:
   * why it ended). Planned (commit): `done` and `failed` of the caller run after the manager's own.
   */
  planRelease(alert: Alert, now: number, reason: string, planned: PlannedSave[], done: () => void, failed: PlannedSave['failed']): void {
    const before = snapshot(alert);
    alert.suppressed = { ...alert.suppressed!, reason, until: now };
    planned.push({
      alert, before, failed,
      done: () => {
        this.index.delete(alert.key);
        this.stats.released++;
        done();
        return { kind: 'opened', alert, notify: true, released: true };
      },
    });
  }

  /**
   * A suppressed alert still suppressed, under a new reason: saved and announced silently
   * (`repeated`). Planned (commit). The same reason: nothing to save, `done` runs now.
   */
  planResuppress(alert: Alert, decision: NonNullable<ReturnType<Suppressor>>, now: number, planned: PlannedSave[], done: () => void, failed: PlannedSave['failed']): void {
    if (decision.reason === alert.suppressed?.reason) {
      done();
      return;
    }
    const before = snapshot(alert);
    alert.suppressed = { ...decision, since: now };
    planned.push({
      alert, before, failed,
      done: () => {
        done();
        return { kind: 'repeated', alert, notify: false };
      },
    });
  }
}
