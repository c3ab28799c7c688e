import { randomUUID } from 'node:crypto';
import { errorMessage } from '../errors/index.ts';
import type { AlertCore } from './alert-core.ts';
import { snapshot } from './alert-saver.ts';
import { TABLE_FULL_KEY } from './manager-options.ts';
import type { ParentHold } from './parent-holds.ts';
import type { SuppressionRuns } from './suppression-runs.ts';
import { isRemoval } from './threshold.ts';
import { joined, type SourceChange, type Unsaved } from './unsaved-changes.ts';
import { SEVERITY_RANK, isHeldNow, isSuppressedNow, type Alert, type AlertChange, type AlertEvent } from './types.ts';

/** at shutdown a change not saved is tried again this often while the store still fails */
const CLOSE_RETRY_MS = 250;
/** lost changes named in the shutdown's log line at most (all are counted) */
const CLOSE_LOST_LISTED = 200;

/**
 * The changes sources and users make to alerts: raises, clears, acknowledgements, and the
 * "alert table full" meta-alert. A source's change not saved is kept and redone (UnsavedChanges).
 */
export class SourceChanges {
  private rejectedSinceFull = 0;
  /** the open "alert table full" meta-alert, kept here so a storm costs no store lookups */
  private tableFull: Alert | undefined;

  constructor(private readonly core: AlertCore, private readonly runs: SuppressionRuns) {
    this.tableFull = core.store.active(TABLE_FULL_KEY);
  }

  /** AlertManager.raise() */
  raise(ev: AlertEvent): AlertChange | undefined {
    this.runs.settleBeforeChange(ev.key);
    return this.sourceChange(ev.key, (queued) => {
      const prior = queued?.action === 'raise' ? queued : undefined;
      const event = prior ? joined(prior.ev, ev) : ev;
      const firstSeen = prior?.firstSeen ?? ev.time;
      const times = (prior?.times ?? 0) + 1;
      return { apply: () => this.raiseNow(event, firstSeen, times), kept: { action: 'raise', ev: event, firstSeen, times } };
    });
  }

  /** AlertManager.clearKey() */
  clearKey(key: string, by: string, now: number, ev?: AlertEvent): AlertChange | undefined {
    // a grace due on the timer ends first (released, then cleared), as the timer would have ended it
    this.runs.settleGraceEnd(key);
    // a grace started here ends with this clear: no recheck of its device
    this.runs.settleDeferred(key, () => true);
    // a raise waiting for the store whose rule or device is gone must not open (and be announced) before this clear
    if (isRemoval(by) && this.core.unsaved.byKey.get(key)?.action === 'raise') this.core.unsaved.drop(key);
    return this.sourceChange(key, () => ({ apply: () => this.clearNow(key, by, now, ev), kept: { action: 'clear', by, time: now, ev } }));
  }

  /** AlertManager.acknowledge() */
  acknowledge(id: string, by: string, now: number): Alert | undefined {
    const { core } = this;
    let alert = core.store.byId(id);
    if (alert && this.runs.settleBeforeChange(alert.key)) alert = core.store.byId(id);
    if (!alert || alert.state !== 'open') return alert;
    const before = snapshot(alert);
    alert.state = 'acknowledged';
    alert.acknowledgedBy = by;
    alert.acknowledgedAt = now;
    core.saver.save(alert, before);
    const change: AlertChange = { kind: 'acknowledged', alert, notify: false };
    if (core.holds.byKey.has(alert.key)) change.held = true;
    core.feed.emit(change);
    return alert;
  }

  /** AlertManager.clear() */
  clear(id: string, by: string, now: number): Alert | undefined {
    let alert = this.core.store.byId(id);
    if (alert && this.runs.settleBeforeChange(alert.key)) alert = this.core.store.byId(id);
    if (!alert || alert.state === 'cleared') return alert;
    const cleared = this.clearNow(alert.key, by, now)?.alert;
    // a change of the key not saved yet is older than this clear: redone later, it would reopen the alert
    this.core.unsaved.drop(alert.key);
    return cleared;
  }

  /** redoes the changes not saved whose retry is due, their changes into `out` */
  retryUnsaved(out: AlertChange[]): void {
    const { unsaved } = this.core;
    const now = this.core.now();
    for (const [key, u] of [...unsaved.byKey]) if (u.retryAt <= now && unsaved.byKey.get(key) === u) this.redoUnsaved(key, u, out);
  }

  /**
   * Shutdown: the changes not saved are tried now and, while the store still fails, again every
   * CLOSE_RETRY_MS until `waitMs` has passed on the monotonic clock (checked between keys: a store
   * that blocks on each save, as SQLite's busy timeout does, cannot stretch it by more than one
   * save). A pass goes in the order the changes were made and ends at its first failure, so a store
   * still failing costs one save a pass, not one a change; when one change's failure ended the last
   * two passes, the next starts after it (wrapping round), and from then on each pass starts after
   * the change whose failure ended the one before, so changes the store refuses for their own keys
   * (one or several) do not block the others. The ones still not saved are
   * dropped and logged (how many, each key with its alert's id), never silently. Resolves when done.
   */
  async saveBeforeClose(waitMs: number): Promise<void> {
    const { unsaved } = this.core;
    const deadline = this.core.monotonicNow() + waitMs;
    let cause: unknown;
    // the change whose failure ended the last passes, and how many in a row
    let failedKey: string | undefined;
    let failedPasses = 0;
    // the next pass starts after this change (undefined: from the first)
    let after: string | undefined;
    for (;;) {
      const pass = this.closePass(deadline, after);
      cause = pass.err;
      failedPasses = pass.key !== undefined && pass.key === failedKey ? failedPasses + 1 : 1;
      failedKey = pass.key;
      // once rotating, go on rotating: a second refused change must not send the next pass back to the first
      after = pass.key !== undefined && (failedPasses >= 2 || after !== undefined) ? pass.key : undefined;
      const left = deadline - this.core.monotonicNow();
      if (unsaved.byKey.size === 0 || left <= 0) break;
      // not unref'd: the process must not end before the changes are saved or their loss is logged
      await new Promise((resolve) => setTimeout(resolve, Math.min(CLOSE_RETRY_MS, left)));
    }
    if (unsaved.byKey.size === 0) return;
    const lost = [...unsaved.byKey];
    const listed = this.describeLost(lost.slice(0, CLOSE_LOST_LISTED)).join(', ') + (lost.length > CLOSE_LOST_LISTED ? `, and ${lost.length - CLOSE_LOST_LISTED} more` : '');
    const why = cause === undefined ? 'the wait ran out before they were tried' : `the store still fails: ${errorMessage(cause)}`;
    this.core.logger.warn(`alerts: stopping: ${lost.length} alert changes not saved within ${waitMs} ms are lost (${why}): ${listed}`);
    for (const key of [...unsaved.byKey.keys()]) unsaved.drop(key);
  }

  /**
   * one pass of saveBeforeClose(): the waiting changes in turn until one fails (its error returned)
   * or the deadline has passed (the first is always tried). From the first change, or after
   * `after` (wrapping round), which saveBeforeClose names once a change's failure ended two passes
   * in a row: changes the store refuses for their own keys must not keep the others from being tried.
   */
  private closePass(deadline: number, after: string | undefined): { err: unknown; key?: string } {
    const { unsaved } = this.core;
    const waiting = [...unsaved.byKey];
    const at = waiting.findIndex(([key]) => key === after) + 1;
    let tried = false;
    for (const [key, u] of [...waiting.slice(at), ...waiting.slice(0, at)]) {
      if (unsaved.byKey.get(key) !== u) continue;
      if (tried && this.core.monotonicNow() >= deadline) return { err: undefined };
      tried = true;
      const err = this.redoUnsaved(key, u, undefined, false);
      if (err !== undefined) return { err, key };
    }
    return { err: undefined };
  }

  /**
   * `<action> of <key> (alert <id>)` for each lost change: `no alert yet` when none is open, `alert id
   * unknown` when the store cannot say. After the first read that fails no other is tried: a store
   * that blocks on each read (SQLite's busy timeout) must not hold the shutdown once per change.
   */
  private describeLost(lost: [string, Unsaved][]): string[] {
    let readable = true;
    return lost.map(([key, u]) => {
      let id = 'alert id unknown';
      if (readable) {
        try {
          const a = this.core.store.active(key);
          id = a ? `alert ${a.id}` : 'no alert yet';
        } catch {
          readable = false;
        }
      }
      return `${u.action} of ${key} (${id})`;
    });
  }

  /**
   * A source's change of `key`: its change not saved yet is redone first (still failing, it is not
   * tried a second time now); then `plan` (given what still waits) says what to apply; when that
   * throws, nothing changed, and `kept` waits to be redone instead, logged once.
   */
  private sourceChange(key: string, plan: (queued: Unsaved | undefined) => { apply(): AlertChange | undefined; kept: SourceChange }): AlertChange | undefined {
    const { unsaved } = this.core;
    const pending = unsaved.byKey.get(key);
    // the store still failing for the key: kept with the change waiting, not tried a second time now
    const failed = pending ? this.redoUnsaved(key, pending, undefined, false) : undefined;
    const queued = unsaved.byKey.get(key);
    const { apply, kept } = plan(queued);
    try {
      if (failed !== undefined) throw failed;
      const change = apply();
      // done, or a change of its key not saved overtaken (a clear by a raise: the alert is raised again)
      if (queued) unsaved.drop(key);
      return change;
    } catch (err) {
      unsaved.keep(key, kept, queued?.failures ?? 0, err);
      return undefined;
    }
  }

  /** redoes a change not saved; undefined once done (saved, or nothing left to do), else the error (`count`: the failed attempt counted and logged here, not by the caller) */
  private redoUnsaved(key: string, u: Unsaved, out?: AlertChange[], count = true): unknown {
    try {
      let change: AlertChange | undefined;
      // a meta-alert not saved before its episode ended: never opened
      if (u.action === 'raise' && key === TABLE_FULL_KEY && !this.fullNow()) this.endFullEpisode();
      else if (u.action === 'raise') change = this.raiseNow(u.ev, u.firstSeen, u.times);
      else if (u.action === 'clear') change = this.clearNow(key, u.by, u.time, u.ev);
      else change = this.endFullNow(u.time);
      this.core.unsaved.drop(key);
      if (change) out?.push(change);
      return undefined;
    } catch (err) {
      if (count) this.core.unsaved.failedAgain(key, u, err);
      return err ?? new Error('unknown failure');
    }
  }

  /** raise() without the retry: a failed read or save throws, nothing changed, nothing emitted; `times` events count as one (coalesced retries) */
  private raiseNow(ev: AlertEvent, firstSeen: number, times: number): AlertChange | undefined {
    const { core } = this;
    const existing = core.store.active(ev.key);
    if (existing) {
      const before = snapshot(existing);
      const escalated = SEVERITY_RANK[ev.severity] < SEVERITY_RANK[existing.severity];
      existing.lastSeen = Math.max(existing.lastSeen, ev.time);
      existing.count += times;
      existing.message = ev.message;
      if (escalated) existing.severity = ev.severity;
      if (ev.labels) Object.assign(existing.labels, ev.labels);
      const holding = core.holds.byKey.has(existing.key);
      const held = escalated && (holding || isSuppressedNow(existing) || core.askSuppressor(existing, ev.time) !== undefined);
      core.saver.save(existing, before);
      core.stats.repeated++;
      const change: AlertChange = { kind: escalated ? 'escalated' : 'repeated', alert: existing, notify: escalated && !held };
      if (holding) change.held = true;
      return core.feed.emit(change, ev);
    }
    if (core.stats.active >= core.maxActive && ev.key !== TABLE_FULL_KEY) return this.rejectFull(ev);
    const alert: Alert = {
      id: randomUUID(),
      key: ev.key,
      source: ev.source,
      rule: ev.rule,
      device: ev.device,
      severity: ev.severity,
      message: ev.message,
      state: 'open',
      firstSeen: Math.min(firstSeen, ev.time),
      lastSeen: ev.time,
      count: times,
      flapping: false,
      labels: { ...ev.labels },
      notify: ev.notify,
    };
    const change: AlertChange = { kind: 'opened', alert, notify: true };
    // decided now, recorded once saved: an open tried again must not count twice
    const flap = core.feed.flapOf(ev);
    if (flap) {
      alert.flapping = flap.flapping;
      if (flap.quiet) change.notify = false;
    }
    const suppression = ev.key === TABLE_FULL_KEY ? undefined : core.askSuppressor(alert, ev.time);
    let hold: ParentHold | undefined;
    if (suppression) {
      alert.suppressed = { ...suppression, since: ev.time };
      change.notify = false;
    } else if (change.notify && core.holds.holdsFor(ev)) {
      change.notify = false;
      change.held = true;
      hold = core.holds.open(alert, ev);
    }
    core.saver.save(alert);
    core.stats.opened++;
    if (ev.key !== TABLE_FULL_KEY) core.stats.active++;
    else this.tableFull = alert;
    if (flap) core.feed.recordFlap(ev, flap.flapping, flap.quiet);
    if (suppression) core.countSuppressed(alert, suppression.kind);
    if (hold) {
      core.holds.add(alert.key, hold);
      core.index.file(alert.key, alert.device);
      core.stats.heldForParents++;
    }
    const out = core.feed.emit(change, ev);
    if (hold) core.timer.armBefore(hold.until);
    return out;
  }

  /** clearKey() without the retry: a failed read or save throws, nothing changed, nothing emitted */
  private clearNow(key: string, by: string, now: number, ev?: AlertEvent): AlertChange | undefined {
    const { core } = this;
    const alert = core.store.active(key);
    if (!alert) return undefined;
    const before = snapshot(alert);
    alert.state = 'cleared';
    alert.clearedAt = now;
    alert.clearedBy = by;
    alert.lastSeen = Math.max(alert.lastSeen, now);
    const grace = core.graces.byKey.get(key);
    // its device came back within the recovery grace: the parent outage explained it after all
    if (grace?.alert.id === alert.id && alert.suppressed) alert.suppressed = { ...alert.suppressed, reason: core.graces.clearedReason(grace, by) };
    const hold = core.holds.byKey.get(key);
    // cleared while waiting for its parents: never notified, so no `until`; the reason says how it ended
    if (hold?.alert.id === alert.id && alert.suppressed && isHeldNow(alert)) alert.suppressed = core.holds.clearedSuppression(alert, hold, by, now);
    // decided before the save, so the record holds it; recorded in the window once saved
    const flap = ev ? core.feed.flapOf(ev) : undefined;
    if (flap) alert.flapping = flap.flapping;
    core.saver.save(alert, before);
    core.stats.cleared++;
    if (key !== TABLE_FULL_KEY) core.stats.active = Math.max(0, core.stats.active - 1);
    // an alert never notified (still suppressed, or still waiting for its parents) clears silently too
    const held = core.holds.delete(key);
    const change: AlertChange = { kind: 'cleared', alert, notify: !isSuppressedNow(alert) && !held };
    if (held) change.held = true;
    if (grace?.alert.id === alert.id) core.stats.clearedAfterParentRecovery++;
    const graced = core.graces.delete(key);
    if ((held || graced) && !core.hasTimedWork()) core.timer.stop();
    core.index.forget(key);
    if (flap) {
      core.feed.recordFlap(ev!, flap.flapping, flap.quiet);
      // the change that starts a flap is announced once; the ones that follow are held back
      if (flap.quiet) change.notify = false;
    }
    const out = core.feed.emit(change, ev);
    if (key === TABLE_FULL_KEY) this.tableFull = undefined;
    else if (this.tableFull && core.stats.active < core.maxActive * 0.9) this.endFull(now);
    return out;
  }

  /**
   * Table full: existing alerts still repeat and clear, new keys are only counted. One log line
   * and one critical meta-alert per episode; it clears once below 90 % of the cap. The meta-alert
   * not saved: undefined (a source change not saved, redone as the others are).
   */
  private rejectFull(ev: AlertEvent): AlertChange | undefined {
    const { core } = this;
    core.stats.rejectedFull++;
    this.rejectedSinceFull++;
    const meta = this.tableFull;
    if (meta) {
      // in memory only: a storm of distinct keys must not cost a store write each
      meta.count++;
      meta.lastSeen = Math.max(meta.lastSeen, ev.time);
      return { kind: 'repeated', alert: meta, notify: false };
    }
    // once per episode: not again while its meta-alert waits to be saved
    if (!core.unsaved.byKey.has(TABLE_FULL_KEY)) core.logger.warn(`alerts: alert table full (${core.maxActive} active alerts): new alerts are counted but not opened until some clear (first rejected: ${ev.key})`);
    return this.raise({
      action: 'raise', key: TABLE_FULL_KEY, source: 'device', rule: 'alert-table-full', severity: 'critical',
      message: `alert table full: ${core.maxActive} active alerts; new alerts are not opened until some clear`,
      labels: { meta: 'alert-table-full' }, time: ev.time,
    });
  }

  /** not below 90 % of the cap yet: a table-full episode goes on */
  private fullNow(): boolean {
    return this.core.stats.active >= this.core.maxActive * 0.9;
  }

  /** an episode ends (below 90 %): its meta-alert cleared; not saved, it is redone as a source change */
  private endFull(now: number): void {
    try {
      this.endFullNow(now);
    } catch (err) {
      this.core.unsaved.keep(TABLE_FULL_KEY, { action: 'end-full', time: now }, 0, err);
    }
  }

  /** endFull() without the retry: a failed save throws, the meta-alert still open (its final message may be saved) */
  private endFullNow(now: number): AlertChange | undefined {
    const meta = this.tableFull;
    if (!meta || this.fullNow()) return undefined;
    const before = snapshot(meta);
    meta.message = `alert table was full (${this.core.maxActive} active alerts): ${this.rejectedSinceFull} new alerts were not opened`;
    this.core.saver.save(meta, before);
    const change = this.clearNow(TABLE_FULL_KEY, 'auto', now);
    this.tableFull = undefined;
    this.endFullEpisode();
    return change;
  }

  /** the end of an episode: logged, its count started again (also when its meta-alert was never saved) */
  private endFullEpisode(): void {
    this.core.logger.info(`alerts: alert table below 90 % of ${this.core.maxActive} again; ${this.rejectedSinceFull} new alerts were not opened while it was full`);
    this.rejectedSinceFull = 0;
  }
}
