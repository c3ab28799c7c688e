import { errorMessage } from '../errors/index.ts';
import { AlertCore } from './alert-core.ts';
import { DEFAULT_MAX_ACTIVE_ALERTS, TABLE_FULL_KEY, type AlertListener, type AlertManagerOptions, type AlertManagerStats } from './manager-options.ts';
import { SourceChanges } from './source-changes.ts';
import { OwedRun } from './owed-runs.ts';
import { namedUpTo, type OwedSweeps, type RemovalSweep } from './owed-sweeps.ts';
import type { LiveRuleIds, LiveRules } from './removed-rules.ts';
import { retryDelayMs } from './retry.ts';
import { SharedListing } from './shared-listing.ts';
import { MemoryAlertStore, type AlertStore } from './store.ts';
import { SuppressionRuns } from './suppression-runs.ts';
import type { Suppressor } from './suppression.ts';
import { isHeldNow, isSuppressedNow, type Alert, type AlertChange, type AlertEvent } from './types.ts';

export { DEFAULT_MAX_ACTIVE_ALERTS, TABLE_FULL_KEY, type AlertListener, type AlertManagerOptions, type AlertManagerStats };

/** the log line of a sweep of the alerts of `what` that could not list the store, `failures` times in a row */
const listingFailed = (what: string, failures: number, err: unknown) =>
  `alerts: listing the active alerts of ${what} failed${failures > 1 ? ` (${failures} attempts in a row)` : ''}: they stay open, tried again in ${retryDelayMs(failures) / 1000} s and until listed: ${errorMessage(err)}`;
const listedAgain = (what: string, failures: number) => `alerts: the active alerts of ${what} listed again after ${failures} failed attempts`;

/** the log line of a sweep of the alerts of `what`: those `cleared`, those whose clear the store refused (`kept`) and the waiting raises `dropped` */
function clearedLine(what: string, by: string, cleared: string[], kept: string[], dropped: string[]): string {
  const parts = [`${cleared.length} alerts of ${what} cleared (${by})${cleared.length ? `: ${namedUpTo(cleared)}` : ''}`];
  if (kept.length) parts.push(`${kept.length} not cleared yet, the store refused their clear (kept, tried again until saved): ${namedUpTo(kept)}`);
  if (dropped.length) parts.push(`${dropped.length} raises waiting for the store dropped, never opened: ${namedUpTo(dropped)}`);
  return `alerts: ${parts.join('; ')}`;
}

/** how long close() goes on trying to save the changes the store refused, by default */
export const CLOSE_SAVE_WAIT_MS = 2000;

/**
 * The one alert lifecycle: open → acknowledged → cleared, deduplicated by key, with
 * first/last seen and a count. Sources (trap rules, device state, thresholds) hand it
 * AlertEvents; listeners (the notifier, the API) receive every change.
 * Its parts: SourceChanges (raises, clears, acks, table full, changes not saved),
 * SuppressionRuns (re-evaluations, holds and graces ending, slices), over AlertCore's state.
 */
export class AlertManager {
  readonly stats: AlertManagerStats;
  readonly maxActive: number;
  private readonly core: AlertCore;
  private readonly runs: SuppressionRuns;
  private readonly sources: SourceChanges;
  private readonly listing: SharedListing;

  constructor(readonly store: AlertStore = new MemoryAlertStore(), opts: AlertManagerOptions = {}) {
    const core = new AlertCore(store, opts, () => this.runs.onTimer());
    this.core = core;
    this.stats = core.stats;
    this.maxActive = core.maxActive;
    this.runs = new SuppressionRuns(core, (out) => {
      this.sources.retryUnsaved(out);
      this.retryOwedSweeps(out);
    });
    const active = store.list({ state: 'active' }).filter((a) => a.key !== TABLE_FULL_KEY);
    core.stats.active = active.length;
    for (const a of active) {
      if (isHeldNow(a)) core.holds.restore(a);
      else if (isSuppressedNow(a)) {
        core.index.add(a);
        core.index.unfiled.add(a.key);
      }
    }
    this.sources = new SourceChanges(core, this.runs);
    this.listing = new SharedListing(store, (l) => core.feed.onChange(l));
  }

  /** the active alerts (store.list({ state: 'active' })); within shareListing() one listing shared, those cleared since left out */
  listActive(): Alert[] {
    return this.listing.active();
  }

  /**
   * Runs `fn`, whose listActive() calls (and this manager's sweeps for removed rules and devices)
   * share one listing of the active alerts: the sweeps of one rule reload list the store once.
   */
  shareListing<T>(fn: () => T): T {
    return this.listing.share(fn);
  }

  onChange(listener: AlertListener): () => void {
    return this.core.feed.onChange(listener);
  }

  handle(ev: AlertEvent): AlertChange | undefined {
    return ev.action === 'clear' ? this.clearKey(ev.key, 'auto', ev.time, ev) : this.raise(ev);
  }

  /**
   * Opens or refreshes the alert for `ev.key`. When `maxActive` alerts are active a new key is
   * not opened: it is counted (`stats.rejectedFull`) and the change returned is the
   * "alert table full" meta-alert's, not emitted to listeners. When its record cannot be saved
   * nothing changes (in memory as in the store) and nothing is emitted: it returns undefined, the
   * event is kept and redone until saved (Unsaved), logged once; sources never see the throw.
   */
  raise(ev: AlertEvent): AlertChange | undefined {
    return this.sources.raise(ev);
  }

  /** a failed save throws (the API answers with an error), the alert left as it was */
  acknowledge(id: string, by: string, now = Date.now()): Alert | undefined {
    return this.sources.acknowledge(id, by, now);
  }

  /** clears by hand (API/CLI); a failed save throws (the API answers with an error), the alert left as it was */
  clear(id: string, by: string, now = Date.now()): Alert | undefined {
    return this.sources.clear(id, by, now);
  }

  /**
   * Clears the active alert of `key` (sources). When its record cannot be saved it stays active,
   * nothing is emitted, and the clear is kept and redone until saved (Unsaved), logged once. A
   * raise of the key not saved yet is tried first; still failing, the clear overtakes it (an
   * alert raised and cleared while the store failed leaves no record and sends nothing).
   */
  clearKey(key: string, by: string, now: number, ev?: AlertEvent): AlertChange | undefined {
    return this.sources.clearKey(key, by, now, ev);
  }

  /**
   * Clears by RULE_REMOVED, as deleting the rule through the API does, the active alerts whose rule
   * is gone from `live` or disabled there (rules removed while netpulse was stopped: call it at
   * start-up), and drops the raises of such rules still waiting for the store, so they never open.
   * Alerts of implicit rules stay (removed-rules.ts: built-in device states, topology links, the
   * table-full meta-alert); so do those of an API rule the API still lists (liveRuleIds). A store
   * that cannot list is logged and the sweep owed: retried against `live` as it is then (the rule
   * engine's sets) by the timer (1 s doubling to 60 s, retry.ts), at each re-evaluation once due
   * and with the next call (of this or clearAlertsOfGoneRules), until it lists; a rule re-created
   * under its id by then keeps its alerts. Returns the keys cleared, kept (the store refused their clear) or dropped.
   */
  clearAlertsOfRemovedRules(live: LiveRules, now = this.core.now()): string[] {
    return this.sweep(this.core.ruleSweep, this.core.ruleSweep.next(live), now);
  }

  /**
   * clearAlertsOfRemovedRules() after a rule change, for the rules `gone` only (enabled before it,
   * gone or disabled since: goneRuleIds): none, and nothing is read. While a sweep is owed (an
   * earlier one could not list the store), this one sweeps for every rule not in `live` instead.
   */
  clearAlertsOfGoneRules(gone: LiveRuleIds, live: LiveRules, now = this.core.now()): string[] {
    return this.sweep(this.core.ruleSweep, this.core.ruleSweep.next(live, gone), now);
  }

  /**
   * Clears by DEVICE_REMOVED (no recovery) the active alerts of `devices`, which left the inventory
   * (config reload, API delete): every source's alert naming one as its device (device states, API
   * device-state rules, thresholds, traps, topology links it reported), and drops their raises
   * still waiting for the store, so they never open. A store that cannot list is logged and the
   * sweep owed: retried by the timer (1 s doubling to 60 s, retry.ts), at each re-evaluation once
   * due and with the next call, until it lists; a device the inventory (clearAlertsOfDevicesGone)
   * has again by then keeps its alerts. Returns the keys cleared, kept (the store refused their clear) or dropped.
   */
  clearAlertsOfDevices(devices: readonly string[], now = this.core.now()): string[] {
    if (!devices.length) return [];
    return this.sweep(this.core.deviceSweeps, this.core.deviceSweeps.next(devices), now);
  }

  /**
   * Start-up: clears by DEVICE_REMOVED every active alert naming a device `exists` does not have
   * (devices removed while netpulse was stopped), as clearAlertsOfDevices() does, and keeps `exists`
   * (the inventory, asked when used) for the retries of sweeps owed: a device re-added before its
   * retry keeps its alerts. A store that cannot list: owed and retried the same way.
   */
  clearAlertsOfDevicesGone(exists: (device: string) => boolean, now = this.core.now()): string[] {
    this.core.deviceSweeps.useInventory(exists);
    return this.sweep(this.core.deviceSweeps, this.core.deviceSweeps.next([]), now);
  }

  /** the timer's, or a re-evaluation's, retry of the sweeps owed (removed devices, rules), once due; their changes into `out` */
  private retryOwedSweeps(out: AlertChange[]): void {
    const now = this.core.now();
    for (const owed of this.core.owedSweeps) if (owed.pending && (owed.retryAt ?? 0) <= now) this.sweep(owed, owed.owed(), now, out);
    for (const owed of [...this.core.owedRuns.values()]) {
      if ((owed.retryAt ?? 0) > now || this.core.owedRuns.get(owed.what) !== owed) continue;
      try {
        owed.run();
        this.sweepDone(owed.what);
      } catch (err) {
        if (owed.failed(this.core.now(), err)) this.core.logger.warn(listingFailed(owed.what, owed.failures!, err));
        this.core.timer.changed();
      }
    }
  }

  /**
   * A caller's sweep (src/main: the alerts of trap, threshold and device-state rules changed) could
   * not list the store (`err`): `retry` is retried like the sweeps owed here (timer, 1 s doubling
   * to 60 s, re-evaluations once due) until it returns without throwing, or until the caller's next
   * sweep of `what` completes (sweepDone). Logged at the first failure, at one for another reason
   * and every 10 minutes while it fails (FailureLog), and once more when it lists again. Owing
   * `what` again replaces its retry and counts a failed attempt.
   */
  oweSweep(what: string, retry: () => void, err: unknown): void {
    if (this.core.closed) return;
    let owed = this.core.owedRuns.get(what);
    if (!owed) this.core.owedRuns.set(what, owed = new OwedRun(what, retry));
    owed.run = retry;
    if (owed.failed(this.core.now(), err)) this.core.logger.warn(listingFailed(what, owed.failures!, err));
    this.core.timer.changed();
    this.core.timer.arm();
  }

  /** the caller's sweep of `what` completed: no longer owed (oweSweep) */
  sweepDone(what: string): void {
    const owed = this.core.owedRuns.get(what);
    if (!owed) return;
    this.core.owedRuns.delete(what);
    this.core.timer.changed();
    this.core.timer.arm();
    this.core.logger.info(listedAgain(what, owed.failures ?? 0));
  }

  /**
   * Runs `sweep` (which covers what `owed` holds): clears the alerts it picks. One that
   * cannot list is owed, retried later (OwedSweeps) and logged: at the first failure, again when it
   * owes something new or fails for another reason, and every 10 minutes while it fails
   * (FailureLog); one info line when it lists again.
   */
  private sweep<S extends RemovalSweep>(owed: OwedSweeps<S>, sweep: S, now: number, out?: AlertChange[]): string[] {
    if (sweep.empty) {
      owed.done(sweep);
      return [];
    }
    let listed = true;
    const keys = this.clearMatching(sweep, now, (err) => {
      listed = false;
      const logIt = owed.failed(sweep, this.core.now(), err);
      this.core.timer.changed();
      if (logIt) this.core.logger.warn(listingFailed(sweep.listing, owed.failures!, err));
    }, out);
    if (listed) {
      const failures = owed.done(sweep);
      if (failures > 0) this.core.logger.info(listedAgain(sweep.what, failures));
    }
    this.core.timer.arm();
    return keys;
  }

  /**
   * Clears (by sweep.by: a removal, isRemoval) the alerts `sweep` picks among those it lists (the
   * table-full meta-alert never) and among the raises waiting for the store, which clearKey drops so
   * they never open; logs how many were cleared, how many the store refused (kept, their clears
   * redone until saved) and how many waiting raises were dropped. Returns their keys, all three
   * kinds (the changes into `out`).
   */
  private clearMatching(sweep: RemovalSweep, now: number, listFailed: (err: unknown) => void, out?: AlertChange[]): string[] {
    const { of, by } = sweep;
    let waiting = new Set<string>();
    const keys = new Set<string>();
    try {
      // `of` may read the store too (the live rules: removed-rules.ts)
      waiting = new Set([...this.core.unsaved.byKey].filter(([, u]) => u.action === 'raise' && of(u.ev)).map(([key]) => key));
      for (const key of waiting) keys.add(key);
      for (const a of sweep.list(this.store, () => this.listActive())) if (a.key !== TABLE_FULL_KEY && of(a)) keys.add(a.key);
    } catch (err) {
      listFailed(err);
    }
    const cleared: string[] = [];
    const kept: string[] = [];
    const dropped: string[] = [];
    for (const key of keys) {
      const change = this.clearKey(key, by, now);
      if (change) {
        out?.push(change);
        cleared.push(key);
      } else if (this.core.unsaved.byKey.get(key)?.action === 'clear') kept.push(key);
      else if (waiting.has(key)) dropped.push(key);
    }
    if (keys.size === 0) return [];
    this.core.logger.info(clearedLine(sweep.what, by, cleared, kept, dropped));
    return [...keys];
  }

  setSuppressor(suppressor: Suppressor | undefined): void {
    this.core.suppressor = suppressor;
  }

  /**
   * Asks the suppressor again about every active suppressed alert: one whose window ended is
   * notified now, as `opened` with `released` (it is a real problem: it is still active); one
   * whose parent came back waits the recovery grace first (parentHold.stateOf); one held for
   * another reason keeps quiet under the new reason.
   * Call it when windows change or end and when devices change state. An alert whose change
   * cannot be read or saved stays as it was (nothing sent), logged once, and is tried again at the
   * next call; the others go on. Source changes not saved (Unsaved) that are due are redone first.
   * `device`: the device whose state changed; only the held and suppressed alerts its state can
   * decide are asked again (its own and those of the devices behind it: parentHold.parentsOf),
   * with the holds due and those waiting for a retry — what a full run would change, as its
   * other alerts' states did not change. Without it (windows changed, the periodic check) every
   * one is asked, which also picks up edited parents and windows that started or ended.
   * The suppressed alerts are asked `sliceSize` at a time: the first slice now (its changes
   * returned), the others in later event-loop turns (their changes go to the listeners only;
   * whenIdle() resolves after the last). Each slice's changes are saved in one transaction when the
   * store has saveAll, and announced only once saved. A key left for later whose alert changes
   * first (a raise, a clear, an ack, a check of its device) is asked right before that change.
   */
  reevaluateSuppressed(now = Date.now(), device?: string): AlertChange[] {
    return this.runs.reevaluate(now, device);
  }

  /** suppressed keys whose re-evaluation waits for a later event-loop turn (a slice of reevaluateSuppressed()) */
  get deferredCount(): number {
    return this.core.pending.reevaluations.size;
  }

  /** resolves once no re-evaluation or grace end waits for a later turn (at once when none does, or after close()) */
  whenIdle(): Promise<void> {
    return this.core.closed ? Promise.resolve() : this.core.pending.whenIdle();
  }

  /**
   * A check of `device` that started at `at` has concluded (src/main: each primary poll, its
   * `device_status`). Its alerts in the recovery grace since at or before `at` end it now: those
   * still active are released (the device is still unreachable: its device-state alert did not
   * clear); the ones that cleared have gone already.
   */
  devicePolled(device: string, at: number): AlertChange[] {
    return this.runs.devicePolled(device, at);
  }

  /** active suppressed alerts (their suppression has not ended) */
  get suppressedCount(): number {
    return this.core.index.byKey.size;
  }

  /** active alerts whose notification waits for their parents */
  get heldCount(): number {
    return this.core.holds.byKey.size;
  }

  /** parent-suppressed alerts whose parents came back, waiting the recovery grace for a check of their device */
  get recoveringCount(): number {
    return this.core.graces.byKey.size;
  }

  /**
   * Ends the parent holds that are over, and early the ones the suppressor now suppresses (a
   * parent found down): suppressed → recorded as such, a `repeated` change, nothing sent;
   * otherwise the alert, still active, is notified now (`opened`, notify). Holds of alerts that
   * cleared or were replaced are dropped. A hold whose end cannot be read or saved stays held,
   * nothing sent, and is tried again at the next call and by its timer (retryDelayMs).
   * Recovery graces that are over end too (released), `sliceSize` at a time: the first slice now,
   * the others one per event-loop turn (whenIdle()); source changes not saved that are due are redone. Runs by itself on a timer; reevaluateSuppressed() calls it.
   */
  endHolds(now = this.core.now()): AlertChange[] {
    return this.runs.endHoldsOf(now, undefined);
  }

  /**
   * Stops the timer of parent holds and recovery graces for good (shutdown): held alerts stay
   * active, un-notified, and alerts in a grace stay suppressed (after a restart the re-evaluation
   * starts a grace again). Source changes the store refused so far are tried once more, and while
   * it still fails again every 250 ms until `saveWaitMs` has passed on the monotonic clock
   * (`monotonicNow`; a pass stops at its first failure: SourceChanges.saveBeforeClose); those still
   * not saved are logged (how many, keys and alert ids) and dropped. Resolves then (at once when
   * none waits).
   */
  close(saveWaitMs = CLOSE_SAVE_WAIT_MS): Promise<void> {
    this.core.closed = true;
    this.core.timer.stop();
    // the next start-up sweeps
    for (const owed of this.core.owedSweeps) owed.drop();
    this.core.owedRuns.clear();
    this.runs.close();
    return this.sources.saveBeforeClose(saveWaitMs);
  }
}
