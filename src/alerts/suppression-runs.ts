import { errorMessage } from '../errors/index.ts';
import type { AlertCore } from './alert-core.ts';
import type { PlannedSave } from './alert-saver.ts';
import type { Deferred } from './pending-changes.ts';
import type { GraceEndItem } from './recovery-graces.ts';
import { causeOf } from './suppression-text.ts';
import type { Suppressor } from './suppression.ts';
import { isSuppressedNow, type AlertChange } from './types.ts';

const reevaluationFailed = (key: string) => `re-evaluating the suppression of ${key} failed: it stays as it was, nothing sent, tried again at the next re-evaluation`;

/**
 * The runs that ask the suppressor again about held and suppressed alerts (reevaluateSuppressed,
 * endHolds, devicePolled, the timer), `sliceSize` alerts a turn: what a run leaves for later waits
 * in PendingChanges, and is settled before any other change of its alert.
 */
export class SuppressionRuns {
  private drain: NodeJS.Immediate | undefined;

  /** `retryFailed`: redoes the source changes not saved and the sweeps owed (removed devices, rules) that are due, their changes into `out` */
  constructor(private readonly core: AlertCore, private readonly retryFailed: (out: AlertChange[]) => void) {}

  /** AlertManager.reevaluateSuppressed() */
  reevaluate(now: number, device: string | undefined): AlertChange[] {
    const { core } = this;
    const keys = device === undefined ? undefined : this.keysToCheck(device);
    if (!keys) core.index.fileAll(core.holds.devices());
    const out: AlertChange[] = core.hasTimedWork() ? this.endHoldsOf(now, keys) : [];
    const asked = keys ? core.index.suppressedIn(keys) : [...core.index.byKey.keys()];
    const first = asked.slice(0, core.sliceSize);
    for (const key of first) core.pending.reevaluations.take(key);
    // a key queued already keeps its place (this run's time and state): runs asking the same keys must not starve the rest
    for (const key of asked.slice(core.sliceSize)) this.defer(key, now, core.index.byKey.get(key)?.device);
    this.reevaluateBatch(first.map((key) => [key, { at: now }]), out);
    if (core.pending.reevaluations.size > 0) this.scheduleDrain();
    return out;
  }

  /** AlertManager.devicePolled() */
  devicePolled(device: string, at: number): AlertChange[] {
    const { core } = this;
    // its graces whose end fell due on the timer end first, as the timer would have ended them: this check then finds them gone
    const ending = core.pending.graceEnds.keysOf(device);
    const out: AlertChange[] = ending.length > 0 ? this.endQueuedGraces(ending) : [];
    if (ending.length > 0) core.pending.wakeIfIdle();
    // its alerts' graces not started yet (left for a later slice) start first, so this check can end them;
    // this check ends the graces asked at or before its start: no recheck for those
    for (const key of core.pending.reevaluations.keysOf(device)) this.settleDeferred(key, (asked) => asked.at <= at);
    if (core.graces.byKey.size === 0) return out;
    // a device without graces of its own costs a lookup, not a scan of every grace and of the timer's work
    const checked = core.graces.checked(device, at, core.now());
    if (checked.length === 0) return out;
    for (const c of core.graces.end(checked)) out.push(c);
    core.timer.arm();
    return out;
  }

  /**
   * AlertManager.endHolds() for the holds of `keys` (keysToCheck: those a device's change can
   * affect, and the ones waiting for a retry) and those due; undefined: every hold. A hold ended
   * suppressed joins `keys`.
   */
  endHoldsOf(now: number, keys: Set<string> | undefined): AlertChange[] {
    const { core } = this;
    const out: AlertChange[] = [];
    if (core.unsaved.byKey.size > 0 || core.sweepsOwed()) this.retryFailed(out);
    // the graces due are queued and ended `sliceSize` at a time: the first slice now, the others one per event-loop turn
    if (core.graces.queueDue(now, core.pending.graceEnds) && core.pending.graceEnds.size > 0) {
      for (const c of this.endGraceSlice()) out.push(c);
      this.continueDrain();
    }
    core.holds.endDue(now, keys, out);
    core.timer.arm();
    return out;
  }

  /** the timer's run: the holds due and those waiting for a retry (the others' parents did not change since the last state change) */
  onTimer(): void {
    this.endHoldsOf(this.core.now(), this.keysToCheck(undefined));
  }

  /** settleGraceEnd() and settleDeferred() of a key about to change (ack, clear by hand); true when either ran */
  settleBeforeChange(key: string): boolean {
    const ended = this.settleGraceEnd(key);
    return this.settleDeferred(key) || ended;
  }

  /** the end of a grace due on the timer, still waiting for its slice, done now (before a change of its alert); true when it was */
  settleGraceEnd(key: string): boolean {
    if (!this.core.pending.graceEnds.has(key)) return false;
    this.endQueuedGraces([key]);
    this.core.pending.wakeIfIdle();
    return true;
  }

  /**
   * A key left for a later slice is asked now, before a change of its alert; true when it was.
   * `checked(asked)`: a check of its device that needs no recheck has concluded (devicePolled: one
   * started at or after the run that asked, which ends the grace at once) or its alert is clearing
   * (clearKey): a grace it starts then asks for no recheck, a wasted poll.
   */
  settleDeferred(key: string, checked?: (asked: Deferred) => boolean): boolean {
    const asked = this.core.pending.reevaluations.take(key);
    if (asked === undefined) return false;
    this.reevaluateBatch([[key, asked]], [], !checked?.(asked));
    this.core.pending.wakeIfIdle();
    return true;
  }

  /** no more slices (shutdown): what waits for one is dropped */
  close(): void {
    if (this.drain) clearImmediate(this.drain);
    this.drain = undefined;
    // the graces of the ends dropped stay (the alerts suppressed); after a restart the re-evaluation starts them again
    this.core.pending.close();
  }

  private keysToCheck(device: string | undefined): Set<string> | undefined {
    return this.core.index.keysToCheck(device, (key) => this.core.holds.byKey.has(key));
  }

  /**
   * The re-evaluation of `entries` (key, the run that asked: Deferred): each alert's new state is
   * decided first, the changed records saved together (commit), then, for those saved only, the
   * manager's own state follows and the changes are emitted into `out`. One whose decision or save
   * failed stays as it was, nothing sent, and is asked again at the next run.
   */
  private reevaluateBatch(entries: readonly (readonly [string, Deferred])[], out: AlertChange[], askRecheck = true): void {
    const { core } = this;
    if (entries.length === 0) return;
    // a grace end due on the timer comes first, as it would have: the re-evaluation then sees the alert released (or the grace going on, not saved)
    if (core.pending.graceEnds.size > 0) {
      const ending = entries.map(([key]) => key).filter((key) => core.pending.graceEnds.has(key));
      if (ending.length > 0) this.endQueuedGraces(ending);
    }
    const recheck = new Set<string>();
    const planned: PlannedSave[] = [];
    for (const [key, asked] of entries) {
      try {
        if (this.planReevaluation(key, asked, recheck, planned)) core.index.retryNext.delete(key);
        else core.index.retryNext.add(key);
      } catch (err) {
        core.index.retryNext.add(key);
        core.saver.noteFailure(key, reevaluationFailed(key), err);
      }
    }
    // one push each: a slice may be larger than the stack takes as arguments
    for (const c of core.commit(planned, 'suppression changes (re-evaluation)')) out.push(c);
    if (recheck.size > 0) {
      if (askRecheck) for (const device of recheck) core.graces.recheck(device);
      core.timer.arm();
    }
  }

  /**
   * The re-evaluation of one key, its save (if any) added to `planned`; false when the suppressor
   * failed (asked again at the next run); a failed read throws, the alert left as it was
   */
  private planReevaluation(key: string, { at: now, deviceState }: Deferred, recheck: Set<string>, planned: PlannedSave[]): boolean {
    const { core } = this;
    const alert = core.store.active(key);
    if (!alert?.suppressed || !isSuppressedNow(alert)) {
      core.index.delete(key);
      return true;
    }
    let still: ReturnType<Suppressor>;
    try {
      still = core.suppressor?.(alert, now);
    } catch (err) {
      // unknown now: it stays as it is, the next re-evaluation asks again
      core.logger.warn(`alerts: suppression check of ${key} failed, still suppressed: ${errorMessage(err)}`);
      return false;
    }
    const failed = (err: unknown, logged: boolean) => {
      core.index.retryNext.add(key);
      if (!logged) core.saver.noteFailure(key, reevaluationFailed(key), err);
    };
    if (still) {
      // its parents down again (or a window): no grace runs, it stays suppressed
      core.planResuppress(alert, still, now, planned, () => void core.graces.delete(key), failed);
      return true;
    }
    if (core.graces.plan(alert, now, recheck, planned, failed, deviceState)) return true;
    const parentEnded = alert.suppressed.kind === 'parent' && alert.device !== undefined;
    const reason = parentEnded ? `${causeOf(alert.suppressed.reason, alert.device!)}; released: no longer behind a down parent` : alert.suppressed.reason;
    core.planRelease(alert, now, reason, planned, () => {}, failed);
    return true;
  }

  /** schedules the next slice of what waits for later (one per event-loop turn): grace ends first */
  private scheduleDrain(): void {
    if (this.drain || this.core.closed) return;
    this.drain = setImmediate(() => {
      this.drain = undefined;
      const { core } = this;
      if (core.closed) return;
      if (core.pending.graceEnds.size > 0) {
        this.endGraceSlice();
        this.continueDrain();
        return;
      }
      const keys = core.pending.reevaluations.firstKeys(core.sliceSize);
      const slice = keys.map((key): [string, Deferred] => [key, core.pending.reevaluations.take(key)!]);
      try {
        this.reevaluateBatch(slice, []);
      } catch (err) {
        // not expected (each key's failure is handled); a slice must not end the process
        for (const key of keys) core.index.retryNext.add(key);
        core.logger.warn(`alerts: re-evaluating ${slice.length} suppressed alerts failed, tried again at the next re-evaluation: ${errorMessage(err)}`);
      }
      this.continueDrain();
    });
  }

  /** the next slice in a later turn, or whenIdle() resolved when nothing waits any more */
  private continueDrain(): void {
    if (this.core.pending.idle()) this.core.pending.wakeIfIdle();
    else this.scheduleDrain();
  }

  /** the next `sliceSize` grace ends due on the timer, in their order, in one commit */
  private endGraceSlice(): AlertChange[] {
    return this.endQueuedGraces(this.core.pending.graceEnds.firstKeys(this.core.sliceSize));
  }

  /**
   * Ends the graces of `keys` whose end waits (graceEnds) as the timer that found them due would
   * have (its time, its outcome), in one commit; a failed one goes on and is retried by the timer.
   */
  private endQueuedGraces(keys: readonly string[]): AlertChange[] {
    const { core } = this;
    const items: GraceEndItem[] = [];
    for (const key of keys) {
      const end = core.pending.graceEnds.take(key);
      if (!end) continue;
      const g = core.graces.byKey.get(key);
      if (g) items.push({ key, g, at: end.at, outcome: end.outcome, decided: { decision: end.decision } });
    }
    let out: AlertChange[] = [];
    try {
      out = core.graces.end(items);
    } catch (err) {
      // not expected (each grace's failure is handled); they go on, retried by the timer
      core.logger.warn(`alerts: ending ${items.length} recovery graces failed, tried again: ${errorMessage(err)}`);
    }
    core.timer.arm();
    return out;
  }

  /** queues the re-evaluation of `key` (its alert's device: `device`) for a later slice; one queued already keeps its place, with this run's time and state */
  private defer(key: string, at: number, device: string | undefined): void {
    const deviceState = this.deviceStateOf(device);
    const queued = this.core.pending.reevaluations.get(key);
    if (queued) {
      queued.at = at;
      queued.deviceState = deviceState;
      return;
    }
    this.core.pending.reevaluations.add(key, { at, deviceState }, device);
  }

  /** the state of a suppressed alert's device now, kept with its deferred re-evaluation (undefined: asked later) */
  private deviceStateOf(device: string | undefined): Deferred['deviceState'] {
    const stateOf = this.core.parentHold?.stateOf;
    if (!stateOf || device === undefined) return undefined;
    try {
      return { state: stateOf(device) };
    } catch {
      // asked again (and a failure logged) when it runs
      return undefined;
    }
  }
}
