import { randomUUID } from 'node:crypto';
import { errorMessage } from '../errors/index.ts';
import { isPathUnreachable, type DeviceState } from '../model/device.ts';
import { DeviceDependents } from './dependents.ts';
import { SlidingWindow } from './limits.ts';
import { MemoryAlertStore, type AlertStore } from './store.ts';
import type { Suppressor } from './suppression.ts';
import { SEVERITY_RANK, isHeldNow, isSuppressedNow, type Alert, type AlertChange, type AlertEvent, type AlertSuppression } from './types.ts';

export type AlertListener = (change: AlertChange) => void;

export interface AlertManagerStats {
  opened: number;
  /** new alerts not opened because `maxActive` alerts were active */
  rejectedFull: number;
  /** active (open or acknowledged) alerts now, the meta-alert not included */
  active: number;
  repeated: number;
  cleared: number;
  suppressedFlapping: number;
  suppressedRateLimit: number;
  /** alerts opened silenced by a maintenance window / held back by a down parent */
  suppressedMaintenance: number;
  suppressedParent: number;
  /** suppressed alerts notified because their suppression ended while they were active */
  released: number;
  /**
   * alerts whose notification waited `parentHold` for their parents; those suppressed when it
   * ended count in suppressedParent (or suppressedMaintenance) too
   */
  heldForParents: number;
  /**
   * parent-suppressed alerts that cleared during the recovery grace (their parents back, the
   * device up again at its next check): never notified, never released
   */
  clearedAfterParentRecovery: number;
  /** source changes (raise, clear) not saved and not kept for a retry because `maxActive` already wait (logged once) */
  droppedUnsaved: number;
}

export interface AlertManagerOptions {
  /** active alerts at most; beyond it new keys are counted in `rejectedFull`, not opened (default 50,000) */
  maxActive?: number;
  logger?: { warn(msg: string): void; info(msg: string): void };
  /** maintenance windows and parent dependencies (suppression.ts); none by default */
  suppressor?: Suppressor;
  /**
   * Parent hold: the notification of an alert raised with `holdForParents` (device down or
   * snmp-unreachable) of a device with parents waits `ms`, so a parent failing in the same poll
   * round is known to be down; then the suppressor is asked again. `ms` 0 or absent: no hold.
   */
  parentHold?: {
    ms: number;
    /**
     * also (whatever `ms`) what reevaluateSuppressed(now, device) uses to find the alerts a device's
     * change can affect: the suppressor must decide from the states of the alert's device and its
     * ancestors (suppression.ts), and from time (maintenance windows: the full re-evaluation's part)
     */
    parentsOf(device: string): readonly string[];
    /**
     * Recovery grace: when a parent comes back, the parent-suppressed alerts of a child whose
     * state is path-unreachable (default: assumed so) are not released at once but after `ms`, or
     * when a check of the child started after the parent's recovery concludes (devicePolled()),
     * whichever comes first; a child up by then has its device-state alert cleared silently.
     */
    stateOf?(device: string): DeviceState | undefined;
    /** asks for that check of the child now (src/main: Poller.expedite); errors are logged */
    recheck?(device: string): void;
  };
  /** the clock of the parent hold's timer (default Date.now); event times come from the events */
  now?: () => number;
  /**
   * suppressed alerts re-evaluated in one event-loop turn, their changes saved in one transaction
   * (AlertStore.saveAll) and announced once saved; a re-evaluation of more (a core back up in front
   * of thousands of devices) does the rest in further turns (default 128: about 5 ms a turn on SQLite)
   */
  sliceSize?: number;
}

/** a parent-suppressed alert whose parents came back, waiting for a check of its device */
interface RecoveryGrace {
  id: string;
  device: string;
  /** the parents back up, as the suppression reason names them */
  parents: string;
  /** the suppression's original reason (`parent <name> down`), kept at the front of every later one */
  cause: string;
  since: number;
  until: number;
  /** ending it failed this many times in a row (its record not saved): it goes on, tried again */
  failures?: number;
  /** when its timer tries to end it again after a failure */
  retryAt?: number;
  /** its alert when the grace started: what the suppressor is asked about when its end falls due (the decision needs the device only) */
  alert: Alert;
}

/**
 * An alert changed in memory whose save waits for its batch's commit (commitBatch): `done` runs
 * once it is saved (the manager's state follows) and gives the change to announce; `failed` once it
 * is not, the alert put back as `before` (`logged`: the batch's failure was logged already, once for all).
 */
interface PlannedSave {
  alert: Alert;
  before: Alert;
  done(): AlertChange;
  failed(err: unknown, logged: boolean): void;
}

/**
 * A suppressed key's re-evaluation left for a later event-loop turn: when the run that asked ran,
 * and its device's state then (parentHold.stateOf; absent: asked when it runs). The recovery
 * grace is decided on that state, as the run would have: a child whose alert clears before its
 * turn (it came back) is then re-evaluated first and clears silently in its grace, not released.
 */
interface Deferred {
  at: number;
  deviceState?: { state: DeviceState | undefined };
  /** its alert's device when queued: where deferredByDevice files it */
  device?: string;
}

/**
 * A recovery grace whose end fell due on the hold timer, left for a later event-loop turn (its
 * slice): when it fell due and how it ended (`not back up within 30 s`); its device is where
 * graceEndsByDevice files it. Ended before any other change of its alert, as if the timer had.
 */
interface GraceEnd {
  at: number;
  outcome: string;
  device: string;
  /** the suppressor's answer when it fell due (its parents' states then): a parent down again later does not change how it ends */
  decision: ReturnType<Suppressor>;
}

/** a recovery grace to end: at `at`, its reason ending in `outcome` (endRecoveries) */
interface GraceEndItem {
  key: string;
  g: RecoveryGrace;
  at: number;
  outcome: string;
  /** decided when it fell due (GraceEnd); absent: the suppressor is asked now */
  decided?: { decision: ReturnType<Suppressor> };
}

/** an alert's notification waiting for its parents */
interface ParentHold {
  alert: Alert;
  /** when it was added, among holds: a device's change goes through the holds it affects in the order a full run does */
  order: number;
  since: number;
  until: number;
  /** its parents and their states as its suppression names them, as one key (refreshHold: rewritten when they change) */
  parentsKey: string;
  /** ending it failed this many times in a row (its record not saved): it stays held, tried again */
  failures?: number;
  /** when its timer tries to end it again after a failure */
  retryAt?: number;
}

/** a held device's parents and their states (none without stateOf) */
interface HeldParents {
  parents: readonly string[];
  states: readonly string[];
}

/**
 * A source's raise or clear (or the end of a table-full episode) whose record could not be saved:
 * nothing of it changed or was sent; redone by the timer (holdEndRetryMs), at each re-evaluation
 * once due, and first thing when the next change of its key comes. Raises not saved coalesce: the
 * latest event, the worst severity, the first time, every repeat counted.
 */
type Unsaved = { failures: number; retryAt: number } & (
  | { action: 'raise'; ev: AlertEvent; firstSeen: number; times: number }
  | { action: 'clear'; by: string; time: number; ev?: AlertEvent }
  | { action: 'end-full'; time: number }
);

/** an alert's fields as they are now (its labels copied: a repeat merges into them) */
const snapshot = (a: Alert): Alert => ({ ...a, labels: { ...a.labels } });

/** puts `a` back as `before` was, dropping fields set since */
function restore(a: Alert, before: Alert): void {
  for (const k of Object.keys(a)) if (!(k in before)) delete (a as unknown as Record<string, unknown>)[k];
  Object.assign(a, before);
}

/** two raises of one key not saved, as one: the later event, with the worse severity and both events' labels */
function joined(first: AlertEvent, next: AlertEvent): AlertEvent {
  const severity = SEVERITY_RANK[first.severity] < SEVERITY_RANK[next.severity] ? first.severity : next.severity;
  return { ...next, severity, labels: { ...first.labels, ...next.labels } };
}

const parentsKeyOf = (p: HeldParents) => `${p.parents.join(',')}|${p.states.join(',')}`;

const GRACE_MARK = ' back up, checking ';

/** a change that failed to save (a hold's end, a grace's end, a source's raise or clear) is tried again by the timer after 1 s, 2 s, 4 s … 60 s at most */
const holdEndRetryMs = (failures: number) => Math.min(60_000, 1000 * 2 ** Math.min(failures - 1, 6));

/**
 * The original cause in a parent suppression's reason: all of it, or, for a reason written during
 * a recovery grace (`<cause>; <parents> back up, checking <device> (until <time>)`, as read back
 * after a restart), what precedes the grace's part. Device names hold no spaces, so `; ` splits.
 */
function causeOf(reason: string, device: string): string {
  const mark = reason.lastIndexOf(`${GRACE_MARK}${device} (until `);
  if (mark < 0) return reason;
  const at = reason.lastIndexOf('; ', mark);
  return at >= 0 ? reason.slice(0, at) : reason;
}

/** `30`, `2.5`: whole seconds from 10 s on, tenths below */
function seconds(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  return String(s >= 10 ? Math.round(s) : Math.round(s * 10) / 10);
}

/** `parent core-1`, `parents core-1 (down), core-2 (up)`: whom a hold waits for */
function heldFor(parents: readonly string[], states: readonly string[] = []): string {
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
function holdOutcome(parents: readonly string[], states: readonly string[]): string {
  if (parents.length === 0) return 'no parents left';
  return parents.map((p, i) => `${p} ${states[i]}`).join(', ');
}

export const DEFAULT_MAX_ACTIVE_ALERTS = 50_000;
/** the meta-alert raised while the table is full */
export const TABLE_FULL_KEY = 'netpulse:alert-table-full';

/**
 * The one alert lifecycle: open → acknowledged → cleared, deduplicated by key, with
 * first/last seen and a count. Sources (trap rules, device state, thresholds) hand it
 * AlertEvents; listeners (the notifier, the API) receive every change.
 */
export class AlertManager {
  readonly stats: AlertManagerStats = {
    opened: 0, rejectedFull: 0, active: 0, repeated: 0, cleared: 0, suppressedFlapping: 0, suppressedRateLimit: 0,
    suppressedMaintenance: 0, suppressedParent: 0, released: 0, heldForParents: 0, clearedAfterParentRecovery: 0, droppedUnsaved: 0,
  };
  readonly maxActive: number;
  private readonly logger: NonNullable<AlertManagerOptions['logger']>;
  private rejectedSinceFull = 0;
  /** the open "alert table full" meta-alert, kept here so a storm costs no store lookups */
  private tableFull: Alert | undefined;
  private readonly listeners = new Set<AlertListener>();
  private readonly flaps = new SlidingWindow();
  private readonly rates = new SlidingWindow();
  private readonly flappingKeys = new Set<string>();
  private suppressor: Suppressor | undefined;
  /** keys of active alerts whose suppression has not ended (what reevaluateSuppressed() looks at) → their device, and when added (the order of a full run) */
  private readonly suppressedKeys = new Map<string, { device: string | undefined; order: number }>();
  private added = 0;
  /**
   * held and suppressed alerts by the devices whose states decide them (their own and its
   * ancestors): a device's change re-evaluates those only; filed again at each full run (parents edited)
   */
  private readonly dependents: DeviceDependents | undefined;
  /** held or suppressed keys not filed (read back at start-up, no device, parents not readable): re-evaluated at every device's change until a full run files them */
  private readonly unfiled = new Set<string>();
  /** held or suppressed keys whose last re-evaluation failed, or a hold read back whose record is not rewritten yet: tried at every run */
  private readonly retryNext = new Set<string>();
  /** no hold ends before this (a lower bound; Infinity: none): until then a device's change looks for no hold due */
  private holdsDueFrom = Infinity;
  /** no recovery grace ends before this (a lower bound) */
  private recoveriesDueFrom = Infinity;
  private readonly parentHold: AlertManagerOptions['parentHold'];
  private readonly now: () => number;
  /**
   * active alerts whose notification waits for their parents: key → the alert as opened, when the
   * hold started and ends, and what its suppression says of its parents (holdSuppression)
   */
  private readonly holds = new Map<string, ParentHold>();
  /** parent-suppressed alerts whose parents came back, waiting for a check of their device: key → grace */
  private readonly recovering = new Map<string, RecoveryGrace>();
  /** source changes not saved, by key, waiting to be redone (Unsaved) */
  private readonly unsaved = new Map<string, Unsaved>();
  /** keys whose save failed, logged once, → failed attempts since: one info line when a save of the key works again */
  private readonly failing = new Map<string, number>();
  /** `maxActive` unsaved changes wait: further ones are dropped (logged once until none wait) */
  private unsavedFull = false;
  private holdTimer: NodeJS.Timeout | undefined;
  private holdTimerAt = Infinity;
  private closed = false;
  private readonly sliceSize: number;
  /** suppressed keys a re-evaluation left for a later event-loop turn, in their order */
  private readonly deferred = new Map<string, Deferred>();
  /** the keys of `deferred` by their alert's device: a device's check settles its own only (devicePolled) */
  private readonly deferredByDevice = new Map<string, Set<string>>();
  /** recovery graces whose end fell due on the timer and waits for its slice, in their order */
  private readonly graceEnds = new Map<string, GraceEnd>();
  /** the keys of `graceEnds` by their grace's device: a device's check ends its own first (devicePolled) */
  private readonly graceEndsByDevice = new Map<string, Set<string>>();
  private drain: NodeJS.Immediate | undefined;
  private idleWaiters: (() => void)[] = [];
  /** batch commits (saveAll) failed in a row: logged at the first, and once when a store write works again (a batch or one save) */
  private batchFailures = 0;

  constructor(readonly store: AlertStore = new MemoryAlertStore(), opts: AlertManagerOptions = {}) {
    this.maxActive = Math.max(1, opts.maxActive ?? DEFAULT_MAX_ACTIVE_ALERTS);
    this.logger = opts.logger ?? { warn: (m) => console.warn(m), info: (m) => console.info(m) };
    this.suppressor = opts.suppressor;
    this.parentHold = opts.parentHold && opts.parentHold.ms > 0 ? opts.parentHold : undefined;
    this.now = opts.now ?? Date.now;
    this.sliceSize = Math.max(1, Math.floor(opts.sliceSize ?? 128));
    const parentsOf = opts.parentHold?.parentsOf;
    this.dependents = parentsOf ? new DeviceDependents(parentsOf) : undefined;
    const active = store.list({ state: 'active' }).filter((a) => a.key !== TABLE_FULL_KEY);
    this.stats.active = active.length;
    for (const a of active) {
      if (isHeldNow(a)) this.restoreHold(a);
      else if (isSuppressedNow(a)) {
        this.addSuppressed(a);
        this.unfiled.add(a.key);
      }
    }
    this.tableFull = store.active(TABLE_FULL_KEY);
  }

  onChange(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    this.settleGraceEnd(ev.key);
    this.settleDeferred(ev.key);
    const pending = this.unsaved.get(ev.key);
    // the store still failing for the key: kept with the change waiting, not tried a second time now
    const failed = pending ? this.redoUnsaved(ev.key, pending, undefined, false) : undefined;
    const queued = this.unsaved.get(ev.key);
    const prior = queued?.action === 'raise' ? queued : undefined;
    const event = prior ? joined(prior.ev, ev) : ev;
    const firstSeen = prior?.firstSeen ?? ev.time;
    const times = (prior?.times ?? 0) + 1;
    try {
      if (failed !== undefined) throw failed;
      const change = this.raiseNow(event, firstSeen, times);
      // done, or a clear of its key not saved overtaken: the alert is raised again
      if (queued) this.dropUnsaved(ev.key);
      return change;
    } catch (err) {
      this.keepUnsaved(ev.key, { action: 'raise', ev: event, firstSeen, times, failures: queued?.failures ?? 0, retryAt: 0 }, err);
      return undefined;
    }
  }

  /** raise() without the retry: a failed read or save throws, nothing changed, nothing emitted; `times` events count as one (coalesced retries) */
  private raiseNow(ev: AlertEvent, firstSeen: number, times: number): AlertChange | undefined {
    const existing = this.store.active(ev.key);
    if (existing) {
      const before = snapshot(existing);
      const escalated = SEVERITY_RANK[ev.severity] < SEVERITY_RANK[existing.severity];
      existing.lastSeen = Math.max(existing.lastSeen, ev.time);
      existing.count += times;
      existing.message = ev.message;
      if (escalated) existing.severity = ev.severity;
      if (ev.labels) Object.assign(existing.labels, ev.labels);
      const holding = this.holds.has(existing.key);
      const held = escalated && (holding || isSuppressedNow(existing) || this.askSuppressor(existing, ev.time) !== undefined);
      this.save(existing, before);
      this.stats.repeated++;
      const change: AlertChange = { kind: escalated ? 'escalated' : 'repeated', alert: existing, notify: escalated && !held };
      if (holding) change.held = true;
      return this.emit(change, ev);
    }
    if (this.stats.active >= this.maxActive && ev.key !== TABLE_FULL_KEY) return this.rejectFull(ev);
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
    const flap = this.flapOf(ev);
    if (flap) {
      alert.flapping = flap.flapping;
      if (flap.quiet) change.notify = false;
    }
    const suppression = ev.key === TABLE_FULL_KEY ? undefined : this.askSuppressor(alert, ev.time);
    let hold: ParentHold | undefined;
    if (suppression) {
      alert.suppressed = { ...suppression, since: ev.time };
      change.notify = false;
    } else if (change.notify && this.holdsForParents(ev)) {
      change.notify = false;
      change.held = true;
      const until = ev.time + this.parentHold!.ms;
      const parents = this.heldParents(ev.device!);
      alert.suppressed = this.holdSuppression(parents, ev.device!, ev.time, until);
      hold = { alert: { ...alert }, order: 0, since: ev.time, until, parentsKey: parentsKeyOf(parents) };
    }
    this.save(alert);
    this.stats.opened++;
    if (ev.key !== TABLE_FULL_KEY) this.stats.active++;
    else this.tableFull = alert;
    if (flap) this.recordFlap(ev, flap.flapping, flap.quiet);
    if (suppression) this.countSuppressed(alert, suppression.kind);
    if (hold) {
      this.addHold(alert.key, hold);
      this.file(alert.key, alert.device);
      this.stats.heldForParents++;
    }
    const out = this.emit(change, ev);
    if (hold && hold.until < this.holdTimerAt) this.armHoldTimer();
    return out;
  }

  /** a failed save throws (the API answers with an error), the alert left as it was */
  acknowledge(id: string, by: string, now = Date.now()): Alert | undefined {
    let alert = this.store.byId(id);
    if (alert && this.settleBeforeChange(alert.key)) alert = this.store.byId(id);
    if (!alert || alert.state !== 'open') return alert;
    const before = snapshot(alert);
    alert.state = 'acknowledged';
    alert.acknowledgedBy = by;
    alert.acknowledgedAt = now;
    this.save(alert, before);
    const change: AlertChange = { kind: 'acknowledged', alert, notify: false };
    if (this.holds.has(alert.key)) change.held = true;
    this.emit(change);
    return alert;
  }

  /** clears by hand (API/CLI); a failed save throws (the API answers with an error), the alert left as it was */
  clear(id: string, by: string, now = Date.now()): Alert | undefined {
    let alert = this.store.byId(id);
    if (alert && this.settleBeforeChange(alert.key)) alert = this.store.byId(id);
    if (!alert || alert.state === 'cleared') return alert;
    const cleared = this.clearNow(alert.key, by, now)?.alert;
    // a change of the key not saved yet is older than this clear: redone later, it would reopen the alert
    this.dropUnsaved(alert.key);
    return cleared;
  }

  /**
   * Clears the active alert of `key` (sources). When its record cannot be saved it stays active,
   * nothing is emitted, and the clear is kept and redone until saved (Unsaved), logged once. A
   * raise of the key not saved yet is tried first; still failing, the clear overtakes it (an
   * alert raised and cleared while the store failed leaves no record and sends nothing).
   */
  clearKey(key: string, by: string, now: number, ev?: AlertEvent): AlertChange | undefined {
    // a grace due on the timer ends first (released, then cleared), as the timer would have ended it
    this.settleGraceEnd(key);
    // a grace started here ends with this clear: no recheck of its device
    this.settleDeferred(key, () => true);
    const pending = this.unsaved.get(key);
    const failed = pending ? this.redoUnsaved(key, pending, undefined, false) : undefined;
    const queued = this.unsaved.get(key);
    try {
      if (failed !== undefined) throw failed;
      const change = this.clearNow(key, by, now, ev);
      if (queued) this.dropUnsaved(key);
      return change;
    } catch (err) {
      this.keepUnsaved(key, { action: 'clear', by, time: now, ev, failures: queued?.failures ?? 0, retryAt: 0 }, err);
      return undefined;
    }
  }

  /** clearKey() without the retry: a failed read or save throws, nothing changed, nothing emitted */
  private clearNow(key: string, by: string, now: number, ev?: AlertEvent): AlertChange | undefined {
    const alert = this.store.active(key);
    if (!alert) return undefined;
    const before = snapshot(alert);
    alert.state = 'cleared';
    alert.clearedAt = now;
    alert.clearedBy = by;
    alert.lastSeen = Math.max(alert.lastSeen, now);
    const grace = this.recovering.get(key);
    // its device came back within the recovery grace: the parent outage explained it after all
    if (grace?.id === alert.id && alert.suppressed) {
      const outcome = by === 'auto' ? ` and ${grace.device} up again` : `, cleared by hand while checking ${grace.device}`;
      alert.suppressed = { ...alert.suppressed, reason: `${grace.cause}; ${grace.parents} back up${outcome}` };
    }
    const hold = this.holds.get(key);
    // cleared while waiting for its parents: never notified, so no `until`; the reason says how it ended
    if (hold?.alert.id === alert.id && alert.suppressed && isHeldNow(alert)) {
      const { holdUntil: _, ...rest } = alert.suppressed;
      alert.suppressed = { ...rest, reason: `held ${seconds(now - hold.since)} s for ${heldFor(this.parentsOfHeld(alert.device!))}; cleared ${by === 'auto' ? '' : 'by hand '}during the hold` };
    }
    // decided before the save, so the record holds it; recorded in the window once saved
    const flap = ev ? this.flapOf(ev) : undefined;
    if (flap) alert.flapping = flap.flapping;
    this.save(alert, before);
    this.stats.cleared++;
    if (key !== TABLE_FULL_KEY) this.stats.active = Math.max(0, this.stats.active - 1);
    // an alert never notified (still suppressed, or still waiting for its parents) clears silently too
    const held = this.holds.delete(key);
    const change: AlertChange = { kind: 'cleared', alert, notify: !isSuppressedNow(alert) && !held };
    if (held) change.held = true;
    if (grace?.id === alert.id) this.stats.clearedAfterParentRecovery++;
    const graced = this.recovering.delete(key);
    if ((held || graced) && this.holds.size === 0 && this.recovering.size === 0 && this.unsaved.size === 0) this.stopTimer();
    this.suppressedKeys.delete(key);
    this.forget(key);
    if (flap) {
      this.recordFlap(ev!, flap.flapping, flap.quiet);
      // the change that starts a flap is announced once; the ones that follow are held back
      if (flap.quiet) change.notify = false;
    }
    const out = this.emit(change, ev);
    if (key === TABLE_FULL_KEY) this.tableFull = undefined;
    else if (this.tableFull && this.stats.active < this.maxActive * 0.9) this.endFull(now);
    return out;
  }

  setSuppressor(suppressor: Suppressor | undefined): void {
    this.suppressor = suppressor;
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
    const keys = device === undefined ? undefined : this.keysToCheck(device);
    if (!keys) this.fileAll();
    const out: AlertChange[] = this.holds.size > 0 || this.recovering.size > 0 || this.unsaved.size > 0 ? this.endHoldsOf(now, keys) : [];
    const asked = keys ? this.suppressedIn(keys) : [...this.suppressedKeys.keys()];
    const first = asked.slice(0, this.sliceSize);
    for (const key of first) this.undefer(key);
    // a key queued already keeps its place (this run's time and state): runs asking the same keys must not starve the rest
    for (const key of asked.slice(this.sliceSize)) this.defer(key, { at: now, deviceState: this.deviceStateOf(key) });
    this.reevaluateBatch(first.map((key) => [key, { at: now }]), out);
    if (this.deferred.size > 0) this.scheduleDrain();
    return out;
  }

  /** suppressed keys whose re-evaluation waits for a later event-loop turn (a slice of reevaluateSuppressed()) */
  get deferredCount(): number {
    return this.deferred.size;
  }

  /** recovery graces whose end fell due on the timer and waits for a later event-loop turn (a slice) */
  get graceEndsWaiting(): number {
    return this.graceEnds.size;
  }

  /** resolves once no re-evaluation or grace end waits for a later turn (at once when none does, or after close()) */
  whenIdle(): Promise<void> {
    if (this.idle() || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * The re-evaluation of `entries` (key, the run that asked: Deferred): each alert's new state is
   * decided first, the changed records saved together (commitBatch), then, for those saved only,
   * the manager's own state follows and the changes are emitted into `out`. One whose decision or
   * save failed stays as it was, nothing sent, and is asked again at the next run.
   */
  private reevaluateBatch(entries: readonly (readonly [string, Deferred])[], out: AlertChange[], askRecheck = true): void {
    if (entries.length === 0) return;
    // a grace end due on the timer comes first, as it would have: the re-evaluation then sees the alert released (or the grace going on, not saved)
    if (this.graceEnds.size > 0) {
      const ending = entries.map(([key]) => key).filter((key) => this.graceEnds.has(key));
      if (ending.length > 0) this.endQueuedGraces(ending);
    }
    const recheck = new Set<string>();
    const planned: PlannedSave[] = [];
    for (const [key, asked] of entries) {
      try {
        if (this.planReevaluation(key, asked, recheck, planned)) this.retryNext.delete(key);
        else this.retryNext.add(key);
      } catch (err) {
        this.retryNext.add(key);
        this.noteFailure(key, `re-evaluating the suppression of ${key} failed: it stays as it was, nothing sent, tried again at the next re-evaluation`, err);
      }
    }
    this.commitBatch(planned, out, 'suppression changes (re-evaluation)');
    if (recheck.size > 0) {
      if (askRecheck) for (const device of recheck) this.recheck(device);
      this.armHoldTimer();
    }
  }

  /**
   * reevaluateSuppressed() for one key, its save (if any) added to `planned`; false when the
   * suppressor failed (asked again at the next run); a failed read throws, the alert left as it was
   */
  private planReevaluation(key: string, { at: now, deviceState }: Deferred, recheck: Set<string>, planned: PlannedSave[]): boolean {
    const alert = this.store.active(key);
    if (!alert?.suppressed || !isSuppressedNow(alert)) {
      this.suppressedKeys.delete(key);
      return true;
    }
    let still: ReturnType<Suppressor>;
    try {
      still = this.suppressor?.(alert, now);
    } catch (err) {
      // unknown now: it stays as it is, the next re-evaluation asks again
      this.logger.warn(`alerts: suppression check of ${key} failed, still suppressed: ${errorMessage(err)}`);
      return false;
    }
    const failed = (err: unknown, logged: boolean) => {
      this.retryNext.add(key);
      if (!logged) this.noteFailure(key, `re-evaluating the suppression of ${key} failed: it stays as it was, nothing sent, tried again at the next re-evaluation`, err);
    };
    if (still) {
      // its parents down again (or a window): no grace runs, it stays suppressed
      if (!this.planResuppress(alert, still, now, planned, () => this.recovering.delete(key), failed)) this.recovering.delete(key);
      return true;
    }
    if (this.planRecoveryGrace(alert, now, recheck, planned, failed, deviceState)) return true;
    const parentEnded = alert.suppressed.kind === 'parent' && alert.device !== undefined;
    const reason = parentEnded ? `${causeOf(alert.suppressed.reason, alert.device!)}; released: no longer behind a down parent` : alert.suppressed.reason;
    this.planRelease(alert, now, reason, planned, () => {}, failed);
    return true;
  }

  /**
   * Saves the alerts of `planned` — all in one transaction when the store has saveAll, else one by
   * one — then runs `done` of each saved and, once the manager's state has followed them all,
   * announces their changes in order (into `out` and to the listeners); `failed` of each not saved,
   * put back as it was first: nothing is announced that is not saved. A failed transaction saved
   * none: all are put back, logged once (`what`).
   */
  private commitBatch(planned: readonly PlannedSave[], out: AlertChange[], what: string): void {
    if (planned.length === 0) return;
    let saved: readonly PlannedSave[] = planned;
    if (this.store.saveAll && planned.length > 1) {
      try {
        this.store.saveAll(planned.map((p) => p.alert));
      } catch (err) {
        for (const p of planned) restore(p.alert, p.before);
        if (++this.batchFailures === 1) {
          this.logger.warn(`alerts: saving ${planned.length} ${what} in one transaction failed (the first of ${planned[0]!.alert.key}): none saved or sent, each stays as it was and is tried again: ${errorMessage(err)}`);
        }
        for (const p of planned) p.failed(err, true);
        return;
      }
      this.storeWritesAgain((n) => `a batch of ${planned.length} ${what} saved after ${n} failed attempts`);
      if (this.failing.size > 0) for (const p of planned) this.savedAgain(p.alert.key);
    } else {
      const ok: PlannedSave[] = [];
      for (const p of planned) {
        try {
          this.save(p.alert, p.before);
          ok.push(p);
        } catch (err) {
          p.failed(err, false);
        }
      }
      saved = ok;
    }
    const changes = saved.map((p) => p.done());
    for (const c of changes) out.push(this.emit(c));
  }

  /** schedules the next slice of the re-evaluations left for later (one per event-loop turn) */
  private scheduleDrain(): void {
    if (this.drain || this.closed) return;
    this.drain = setImmediate(() => {
      this.drain = undefined;
      if (this.closed) return;
      if (this.graceEnds.size > 0) {
        this.endGraceSlice();
        if (this.idle()) this.wakeIdle();
        else this.scheduleDrain();
        return;
      }
      const slice: [string, Deferred][] = [];
      for (const entry of this.deferred) {
        slice.push(entry);
        if (slice.length >= this.sliceSize) break;
      }
      for (const [key] of slice) this.undefer(key);
      try {
        this.reevaluateBatch(slice, []);
      } catch (err) {
        // not expected (each key's failure is handled); a slice must not end the process
        for (const [key] of slice) this.retryNext.add(key);
        this.logger.warn(`alerts: re-evaluating ${slice.length} suppressed alerts failed, tried again at the next re-evaluation: ${errorMessage(err)}`);
      }
      if (!this.idle()) this.scheduleDrain();
      else this.wakeIdle();
    });
  }

  private idle(): boolean {
    return this.deferred.size === 0 && this.graceEnds.size === 0;
  }

  /** the next `sliceSize` grace ends due on the timer, in their order, in one commit */
  private endGraceSlice(): AlertChange[] {
    const keys: string[] = [];
    for (const key of this.graceEnds.keys()) {
      keys.push(key);
      if (keys.length >= this.sliceSize) break;
    }
    return this.endQueuedGraces(keys);
  }

  /**
   * Ends the graces of `keys` whose end waits (graceEnds) as the timer that found them due would
   * have (its time, its outcome), in one commit; a failed one goes on and is retried by the timer.
   */
  private endQueuedGraces(keys: readonly string[]): AlertChange[] {
    const items: GraceEndItem[] = [];
    for (const key of keys) {
      const end = this.graceEnds.get(key);
      if (!end) continue;
      this.unqueueGraceEnd(key);
      const g = this.recovering.get(key);
      if (g) items.push({ key, g, at: end.at, outcome: end.outcome, decided: { decision: end.decision } });
    }
    let out: AlertChange[] = [];
    try {
      out = this.endRecoveries(items);
    } catch (err) {
      // not expected (each grace's failure is handled); they go on, retried by the timer
      this.logger.warn(`alerts: ending ${items.length} recovery graces failed, tried again: ${errorMessage(err)}`);
    }
    this.armHoldTimer();
    return out;
  }

  /** the end of a grace due on the timer, still waiting for its slice, done now (before a change of its alert); true when it was */
  private settleGraceEnd(key: string): boolean {
    if (!this.graceEnds.has(key)) return false;
    this.endQueuedGraces([key]);
    if (this.idle()) this.wakeIdle();
    return true;
  }

  /** settleGraceEnd() and settleDeferred() of a key about to change (ack, clear by hand); true when either ran */
  private settleBeforeChange(key: string): boolean {
    const ended = this.settleGraceEnd(key);
    return this.settleDeferred(key) || ended;
  }

  private unqueueGraceEnd(key: string): void {
    const end = this.graceEnds.get(key);
    if (!end) return;
    this.graceEnds.delete(key);
    const keys = this.graceEndsByDevice.get(end.device);
    keys?.delete(key);
    if (keys?.size === 0) this.graceEndsByDevice.delete(end.device);
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * A key left for a later slice is asked now, before a change of its alert; true when it was.
   * `checked(asked)`: a check of its device that needs no recheck has concluded (devicePolled: one
   * started at or after the run that asked, which ends the grace at once) or its alert is clearing
   * (clearKey): a grace it starts then asks for no recheck, a wasted poll.
   */
  private settleDeferred(key: string, checked?: (asked: Deferred) => boolean): boolean {
    const asked = this.deferred.get(key);
    if (asked === undefined) return false;
    this.undefer(key);
    this.reevaluateBatch([[key, asked]], [], !checked?.(asked));
    if (this.idle()) this.wakeIdle();
    return true;
  }

  /** queues a key's re-evaluation for a later slice; one queued already keeps its place, with this run's time and state */
  private defer(key: string, entry: Deferred): void {
    const queued = this.deferred.get(key);
    if (queued) {
      queued.at = entry.at;
      queued.deviceState = entry.deviceState;
      return;
    }
    const device = this.suppressedKeys.get(key)?.device;
    this.deferred.set(key, device === undefined ? entry : { ...entry, device });
    if (device === undefined) return;
    const keys = this.deferredByDevice.get(device);
    if (keys) keys.add(key);
    else this.deferredByDevice.set(device, new Set([key]));
  }

  /** queues the end of a grace due on the timer for a later slice */
  private queueGraceEnd(key: string, end: GraceEnd): void {
    this.graceEnds.set(key, end);
    const keys = this.graceEndsByDevice.get(end.device);
    if (keys) keys.add(key);
    else this.graceEndsByDevice.set(end.device, new Set([key]));
  }

  /** a key's re-evaluation no longer waits (done now, or settled) */
  private undefer(key: string): void {
    const entry = this.deferred.get(key);
    if (!entry) return;
    this.deferred.delete(key);
    if (entry.device === undefined) return;
    const keys = this.deferredByDevice.get(entry.device);
    keys?.delete(key);
    if (keys?.size === 0) this.deferredByDevice.delete(entry.device);
  }

  /** the state of a suppressed key's device now, kept with its deferred re-evaluation (undefined: asked later) */
  private deviceStateOf(key: string): Deferred['deviceState'] {
    const stateOf = this.parentHold?.stateOf;
    const device = this.suppressedKeys.get(key)?.device;
    if (!stateOf || device === undefined) return undefined;
    try {
      return { state: stateOf(device) };
    } catch {
      // asked again (and a failure logged) when it runs
      return undefined;
    }
  }

  /**
   * A check of `device` that started at `at` has concluded (src/main: each primary poll, its
   * `device_status`). Its alerts in the recovery grace since at or before `at` end it now: those
   * still active are released (the device is still unreachable: its device-state alert did not
   * clear); the ones that cleared have gone already.
   */
  devicePolled(device: string, at: number): AlertChange[] {
    // its graces whose end fell due on the timer end first, as the timer would have ended them: this check then finds them gone
    const ending = this.graceEndsByDevice.get(device);
    const out: AlertChange[] = ending ? this.endQueuedGraces([...ending]) : [];
    if (ending && this.idle()) this.wakeIdle();
    // its alerts' graces not started yet (left for a later slice) start first, so this check can end them
    const queued = this.deferredByDevice.get(device);
    // this check ends the graces asked at or before its start: no recheck for those
    if (queued) for (const key of [...queued]) this.settleDeferred(key, (asked) => asked.at <= at);
    if (this.recovering.size === 0) return out;
    const now = this.now();
    const outcome = 'still unreachable at its check';
    const items: GraceEndItem[] = [];
    for (const [key, g] of this.recovering) if (g.device === device && g.since <= at) items.push({ key, g, at: now, outcome });
    out.push(...this.endRecoveries(items));
    this.armHoldTimer();
    return out;
  }

  /** active suppressed alerts (their suppression has not ended) */
  get suppressedCount(): number {
    return this.suppressedKeys.size;
  }

  /** active alerts whose notification waits for their parents */
  get heldCount(): number {
    return this.holds.size;
  }

  /** parent-suppressed alerts whose parents came back, waiting the recovery grace for a check of their device */
  get recoveringCount(): number {
    return this.recovering.size;
  }

  /**
   * Ends the parent holds that are over, and early the ones the suppressor now suppresses (a
   * parent found down): suppressed → recorded as such, a `repeated` change, nothing sent;
   * otherwise the alert, still active, is notified now (`opened`, notify). Holds of alerts that
   * cleared or were replaced are dropped. A hold whose end cannot be read or saved stays held,
   * nothing sent, and is tried again at the next call and by its timer (holdEndRetryMs).
   * Recovery graces that are over end too (released), `sliceSize` at a time: the first slice now,
   * the others one per event-loop turn (whenIdle()); source changes not saved that are due are redone. Runs by itself on a timer; reevaluateSuppressed() calls it.
   */
  endHolds(now = this.now()): AlertChange[] {
    return this.endHoldsOf(now, undefined);
  }

  /**
   * endHolds() for the holds of `keys` (keysToCheck: those a device's change can affect, and the
   * ones waiting for a retry) and those due; undefined: every hold. A hold ended suppressed joins `keys`.
   */
  private endHoldsOf(now: number, keys: Set<string> | undefined): AlertChange[] {
    const out: AlertChange[] = [];
    if (this.unsaved.size > 0) this.retryUnsaved(out);
    if (this.recovering.size > 0 && now >= this.recoveriesDueFrom) {
      // the graces due are queued and ended `sliceSize` at a time: the first slice now, the others one per event-loop turn
      const outcome = `not back up within ${seconds(this.parentHold?.ms ?? 0)} s`;
      this.recoveriesDueFrom = Infinity;
      for (const [key, g] of this.recovering) {
        if (this.graceEnds.has(key)) continue;
        if (g.until <= now && (g.retryAt ?? 0) <= now) this.queueGraceEnd(key, { at: now, outcome, device: g.device, decision: this.askSuppressor(g.alert, now) });
        else this.recoveriesDueFrom = Math.min(this.recoveriesDueFrom, Math.max(g.until, g.retryAt ?? 0));
      }
      if (this.graceEnds.size > 0) {
        out.push(...this.endGraceSlice());
        if (this.idle()) this.wakeIdle();
        else this.scheduleDrain();
      }
    }
    for (const [key, hold] of keys ? this.holdsIn(keys, now) : [...this.holds]) {
      // the decision needs the device only: no store lookup for holds that go on, unless their parents' states changed
      const suppression = this.askSuppressor(hold.alert, now);
      if (!suppression && hold.until > now) {
        if (this.refreshHold(key, hold, out)) this.retryNext.delete(key);
        else this.retryNext.add(key);
        continue;
      }
      try {
        const alert = this.store.active(key);
        const ends = alert?.id === hold.alert.id;
        if (ends && suppression) this.saveSuppression(alert, { ...suppression, since: now });
        else if (ends) this.recordHoldEnd(alert, hold.since, now);
        // dropped only once its end is saved (or its alert cleared or replaced): a failed read or save keeps it held, tried again
        this.holds.delete(key);
        this.retryNext.delete(key);
        if (hold.failures) this.logger.info(`alerts: the end of the parent hold of ${key} saved after ${hold.failures} failed attempts`);
        if (!ends) continue;
        if (suppression) {
          this.countSuppressed(alert, suppression.kind);
          keys?.add(key);
          out.push(this.emit({ kind: 'repeated', alert, notify: false }));
        } else {
          out.push(this.emit({ kind: 'opened', alert, notify: true }));
        }
      } catch (err) {
        hold.failures = (hold.failures ?? 0) + 1;
        hold.retryAt = now + holdEndRetryMs(hold.failures);
        this.retryNext.add(key);
        // once per failing hold: the timer and every state change try again
        if (hold.failures === 1) this.logger.warn(`alerts: ending the parent hold of ${key} failed, it stays held (nothing sent) and is tried again: ${errorMessage(err)}`);
      }
    }
    this.armHoldTimer();
    return out;
  }

  /**
   * Stops the timer of parent holds and recovery graces for good (shutdown): held alerts stay
   * active, un-notified, and alerts in a grace stay suppressed (after a restart the re-evaluation
   * starts a grace again).
   */
  close(): void {
    this.closed = true;
    this.stopTimer();
    if (this.drain) clearImmediate(this.drain);
    this.drain = undefined;
    this.deferred.clear();
    this.deferredByDevice.clear();
    // their graces stay (the alerts suppressed); after a restart the re-evaluation starts them again
    this.graceEnds.clear();
    this.graceEndsByDevice.clear();
    this.wakeIdle();
  }

  private stopTimer(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.holdTimerAt = Infinity;
  }

  /**
   * A hold over without a suppression: the alert, to be notified now, says why it waited and how it
   * ended, as an ended parent suppression (`until` set: nothing is held back any more), e.g.
   * `held 30 s for parent core-1; core-1 up`. A failed save throws, the alert left as it was (held).
   */
  private recordHoldEnd(alert: Alert, since: number, now: number): void {
    const device = alert.device!;
    const held = this.heldParents(device);
    const parents = held.parents;
    // without their states (no stateOf, or it failed) the manager only knows the suppressor did not find them all down
    const states = held.states.length === parents.length ? held.states : parents.map(() => 'not known down');
    const waited = `held ${seconds(now - since)} s for ${heldFor(parents)}`;
    this.saveSuppression(alert, {
      kind: 'parent', reason: `${waited}; ${holdOutcome(parents, states)}`,
      by: parents.find((_, i) => states[i] !== 'down') ?? parents[0] ?? device, since, until: now,
    });
  }

  /** saves the alert with this suppression; when the save fails the alert keeps its old one (the store's may be the same object) and it throws */
  private saveSuppression(alert: Alert, suppressed: AlertSuppression): void {
    const before = snapshot(alert);
    alert.suppressed = suppressed;
    this.save(alert, before);
  }

  /**
   * Saves `alert`; when that fails it is put back as `before` (the store may hold this very
   * object, as the memory store does) and it throws. A key whose failure was logged is logged
   * once more when a save of it works again.
   */
  private save(alert: Alert, before?: Alert): void {
    try {
      this.store.save(alert);
    } catch (err) {
      if (before) restore(alert, before);
      throw err;
    }
    this.storeWritesAgain((n) => `the store saves again (${alert.key} saved) after ${n} failed batch commits`);
    if (this.failing.size > 0) this.savedAgain(alert.key);
  }

  /** a store write worked: a run of failed batch commits is over (logged, `said` of their number), the next failed one is logged again */
  private storeWritesAgain(said: (failures: number) => string): void {
    if (this.batchFailures === 0) return;
    this.logger.info(`alerts: ${said(this.batchFailures)}`);
    this.batchFailures = 0;
  }

  /** a change of `key` not read or saved: `what` (scope, target, what happens now) and the cause, logged once until a save of it works */
  private noteFailure(key: string, what: string, err: unknown): void {
    const n = (this.failing.get(key) ?? 0) + 1;
    this.failing.set(key, n);
    if (n === 1) this.logger.warn(`alerts: ${what}: ${errorMessage(err)}`);
  }

  private savedAgain(key: string): void {
    const n = this.failing.get(key);
    if (n === undefined) return;
    this.failing.delete(key);
    this.logger.info(`alerts: ${key} saved again after ${n} failed attempts`);
  }

  /** keeps a source change not saved to be redone (Unsaved); beyond `maxActive` waiting, a new key's is dropped */
  private keepUnsaved(key: string, u: Unsaved, err: unknown): void {
    if (!this.unsaved.has(key) && this.unsaved.size >= this.maxActive) {
      this.stats.droppedUnsaved++;
      if (!this.unsavedFull) this.logger.warn(`alerts: ${this.maxActive} alert changes wait for the store already: the ${u.action} of ${key} is dropped, as are the next ones until they are saved (stats.droppedUnsaved): ${errorMessage(err)}`);
      this.unsavedFull = true;
      return;
    }
    u.failures++;
    u.retryAt = this.now() + holdEndRetryMs(u.failures);
    this.unsaved.set(key, u);
    this.noteFailure(key, `saving the ${u.action} of ${key} failed: nothing changed or sent, tried again until saved`, err);
    if (u.retryAt < this.holdTimerAt) this.armHoldTimer();
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
      this.dropUnsaved(key);
      if (change) out?.push(change);
      return undefined;
    } catch (err) {
      if (count) {
        u.failures++;
        u.retryAt = this.now() + holdEndRetryMs(u.failures);
        this.noteFailure(key, `saving the ${u.action} of ${key} failed: nothing changed or sent, tried again until saved`, err);
      }
      return err ?? new Error('unknown failure');
    }
  }

  /** forgets the change of `key` not saved (done, or overtaken by a later one) */
  private dropUnsaved(key: string): void {
    if (!this.unsaved.delete(key)) return;
    this.failing.delete(key);
    if (this.unsaved.size === 0) this.unsavedFull = false;
  }

  /** redoes the changes not saved whose retry is due */
  private retryUnsaved(out: AlertChange[]): void {
    const now = this.now();
    for (const [key, u] of [...this.unsaved]) if (u.retryAt <= now && this.unsaved.get(key) === u) this.redoUnsaved(key, u, out);
  }

  /**
   * The suppression an alert carries while its parent hold lasts (`holdUntil` set, `until` not: it
   * is held back now), its parents' states as they are now, e.g. `held since 2026-12-06T22:00:00.000Z
   * for parent core-1 (up); notified at 2026-12-06T22:00:30.000Z at the latest unless core-1 is
   * found down`; `by` the first parent not down (what it waits on).
   */
  private holdSuppression({ parents, states }: HeldParents, device: string, since: number, until: number): AlertSuppression {
    const waitsOn = parents.filter((_, i) => states[i] !== 'down');
    const pending = waitsOn.length > 0 ? waitsOn : parents;
    const unless = pending.length === 0 ? 'its parents are found down' : `${listed(pending)} ${pending.length === 1 ? 'is' : 'are'} found down`;
    return {
      kind: 'parent', by: pending[0] ?? device, since, holdUntil: until,
      reason: `held since ${iso(since)} for ${heldFor(parents, states)}; notified at ${iso(until)} at the latest unless ${unless}`,
    };
  }

  /** a held device's parents and their states now (`not polled`: unknown to the poller) */
  private heldParents(device: string): HeldParents {
    const parents = this.parentsOfHeld(device);
    try {
      const stateOf = this.parentHold?.stateOf;
      return { parents, states: stateOf ? parents.map((p) => stateOf(p) ?? 'not polled') : [] };
    } catch (err) {
      this.logger.warn(`alerts: reading the parents' states of ${device} for its parent hold failed: ${errorMessage(err)}`);
      return { parents, states: [] };
    }
  }

  /** the parents of a held alert's device; none when they cannot be read (logged) */
  private parentsOfHeld(device: string): readonly string[] {
    try {
      return this.parentHold?.parentsOf(device) ?? [];
    } catch (err) {
      this.logger.warn(`alerts: reading the parents of ${device} for its parent hold failed: ${errorMessage(err)}`);
      return [];
    }
  }

  /** a hold going on whose parents' states changed: its suppression says so (saved, a silent `repeated` change); false when that failed (tried again at the next run) */
  private refreshHold(key: string, hold: ParentHold, out: AlertChange[]): boolean {
    if (!this.parentHold) return true;
    const parents = this.heldParents(hold.alert.device!);
    const parentsKey = parentsKeyOf(parents);
    if (parentsKey === hold.parentsKey) return true;
    try {
      const alert = this.store.active(key);
      if (!alert || alert.id !== hold.alert.id || !isHeldNow(alert)) {
        hold.parentsKey = parentsKey;
        return true;
      }
      this.saveSuppression(alert, this.holdSuppression(parents, hold.alert.device!, hold.since, hold.until));
      // only once saved: a failed read or save is tried again at the next run
      hold.parentsKey = parentsKey;
      out.push(this.emit({ kind: 'repeated', alert, notify: false, held: true }));
      return true;
    } catch (err) {
      this.noteFailure(key, `recording the parents' states in the parent hold of ${key} failed: its record stays as it was, tried again at the next run`, err);
      return false;
    }
  }

  /**
   * A hold read back from the store (a restart during it): it goes on, ending at its limit but not
   * before a full `parentHold` from now, so the parents are polled again first. Its timer starts at
   * the first endHolds() (src/main: the first device state change or suppression check), once the
   * suppressor and the parents' states are there again.
   */
  private restoreHold(alert: Alert): void {
    const s = alert.suppressed!;
    const until = Math.max(s.holdUntil!, this.now() + (this.parentHold?.ms ?? 0));
    // nothing seen yet: the first refresh writes the record anew, with the new limit
    this.addHold(alert.key, { alert: { ...alert }, order: 0, since: s.since, until, parentsKey: '' });
    // its parents are not known yet (src/main: the inventory comes later): the first full run files it
    this.unfiled.add(alert.key);
    this.retryNext.add(alert.key);
  }

  /**
   * A suppressed alert whose suppression ended while it is active: notified once saved (`reason`:
   * why it ended). Planned (commitBatch): `done` and `failed` of the caller run after the manager's own.
   */
  private planRelease(alert: Alert, now: number, reason: string, planned: PlannedSave[], done: () => void, failed: PlannedSave['failed']): void {
    const before = snapshot(alert);
    alert.suppressed = { ...alert.suppressed!, reason, until: now };
    planned.push({
      alert, before, failed,
      done: () => {
        this.suppressedKeys.delete(alert.key);
        this.stats.released++;
        done();
        return { kind: 'opened', alert, notify: true, released: true };
      },
    });
  }

  /**
   * A suppressed alert still suppressed, under a new reason: saved and announced silently
   * (`repeated`); false when the reason is the same (nothing to save). Planned (commitBatch).
   */
  private planResuppress(alert: Alert, decision: NonNullable<ReturnType<Suppressor>>, now: number, planned: PlannedSave[], done: () => void, failed: PlannedSave['failed']): boolean {
    if (decision.reason === alert.suppressed?.reason) return false;
    const before = snapshot(alert);
    alert.suppressed = { ...decision, since: now };
    planned.push({
      alert, before, failed,
      done: () => {
        done();
        return { kind: 'repeated', alert, notify: false };
      },
    });
    return true;
  }

  /**
   * Whether a parent-suppressed alert no longer suppressed waits (starting its grace when new):
   * its device still has parents and is still unreachable because of the path, so its next check
   * is likely to find it up (the parent was the cause), and it then clears without a page. The
   * grace starts once its record is saved (planned: commitBatch); not saved, it does not start (no
   * recheck, no change), `failed` runs and the alert stays suppressed as it was.
   */
  private planRecoveryGrace(
    alert: Alert, now: number, recheck: Set<string>, planned: PlannedSave[], failed: PlannedSave['failed'], deviceStateThen?: Deferred['deviceState'],
  ): boolean {
    if (this.recovering.get(alert.key)?.id === alert.id) return true;
    const hold = this.parentHold;
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
      this.logger.warn(`alerts: recovery check of ${alert.key} failed, released now: ${errorMessage(err)}`);
      return false;
    }
    const cause = causeOf(alert.suppressed.reason, device);
    const before = snapshot(alert);
    const grace: RecoveryGrace = { id: alert.id, device, parents: back.join(', '), cause, since: now, until: now + hold.ms, alert: before };
    // still suppressed (`since` kept), under a reason that says what it waits for
    alert.suppressed = {
      ...alert.suppressed, by: back[0]!,
      reason: `${cause}; ${grace.parents}${GRACE_MARK}${device} (until ${new Date(grace.until).toISOString()})`,
    };
    planned.push({
      alert, before, failed,
      done: () => {
        this.recovering.set(alert.key, grace);
        if (grace.until < this.recoveriesDueFrom) this.recoveriesDueFrom = grace.until;
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
   * alert suppressed as it was, nothing sent), tried again by the timer (holdEndRetryMs) and at the
   * device's next check; logged once.
   */
  private endRecoveries(items: readonly GraceEndItem[]): AlertChange[] {
    const out: AlertChange[] = [];
    const planned: PlannedSave[] = [];
    for (const { key, g, at: now, outcome, decided } of items) {
      if (this.recovering.get(key) !== g) continue;
      const failed = (err: unknown, logged: boolean) => {
        g.failures = (g.failures ?? 0) + 1;
        g.retryAt = this.now() + holdEndRetryMs(g.failures);
        // ended in a later turn than the timer's run: the timer must see this retry
        this.recoveriesDueFrom = Math.min(this.recoveriesDueFrom, Math.max(g.until, g.retryAt));
        if (!logged) this.noteFailure(key, `ending the recovery grace of ${key} failed: it stays suppressed, nothing sent, tried again`, err);
      };
      const ended = () => void this.recovering.delete(key);
      try {
        const alert = this.store.active(key);
        if (alert?.id === g.id && isSuppressedNow(alert)) {
          const again = decided ? decided.decision : this.askSuppressor(alert, now);
          if (again) {
            if (!this.planResuppress(alert, again, now, planned, ended, failed)) ended();
          } else {
            this.planRelease(alert, now, `${g.cause}; released: ${g.parents} back up and ${g.device} ${outcome}`, planned, ended, failed);
          }
        } else ended();
      } catch (err) {
        failed(err, false);
      }
    }
    this.commitBatch(planned, out, 'ends of recovery graces');
    return out;
  }

  private recheck(device: string): void {
    try {
      this.parentHold?.recheck?.(device);
    } catch (err) {
      this.logger.warn(`alerts: asking for a check of ${device} after its parents came back failed: ${errorMessage(err)}`);
    }
  }

  /** the suppressor's decision; one that fails suppresses nothing (a notification too many beats one lost) */
  private askSuppressor(alert: Alert, time: number): ReturnType<Suppressor> {
    try {
      return this.suppressor?.(alert, time);
    } catch (err) {
      this.logger.warn(`alerts: suppression check of ${alert.key} failed, not suppressed: ${errorMessage(err)}`);
      return undefined;
    }
  }

  private holdsForParents(ev: AlertEvent): boolean {
    return ev.holdForParents === true && this.parentHold !== undefined && ev.device !== undefined && this.parentsOfHeld(ev.device).length > 0;
  }

  /** one timer, at the earliest end of a hold or grace (one that fires early finds nothing due and re-arms) */
  private armHoldTimer(): void {
    let next = Infinity;
    for (const h of this.holds.values()) next = Math.min(next, Math.max(h.until, h.retryAt ?? 0));
    // a grace whose end waits for its slice is not due again
    for (const [key, g] of this.recovering) if (!this.graceEnds.has(key)) next = Math.min(next, Math.max(g.until, g.retryAt ?? 0));
    for (const u of this.unsaved.values()) if (u.retryAt < next) next = u.retryAt;
    if (this.closed) next = Infinity;
    if (next === this.holdTimerAt) return;
    this.stopTimer();
    if (next === Infinity) return;
    this.holdTimerAt = next;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      this.holdTimerAt = Infinity;
      // the holds due and those waiting for a retry: the others' parents did not change since the last state change
      this.endHoldsOf(this.now(), this.keysToCheck(undefined));
    }, Math.max(0, next - this.now()));
    this.holdTimer.unref?.();
  }

  /** an active alert newly suppressed: re-evaluated from now on, and counted */
  private countSuppressed(alert: Alert, kind: AlertSuppression['kind']): void {
    this.addSuppressed(alert);
    this.file(alert.key, alert.device);
    if (kind === 'maintenance') this.stats.suppressedMaintenance++;
    else this.stats.suppressedParent++;
  }

  private addSuppressed(alert: Alert): void {
    if (!this.suppressedKeys.has(alert.key)) this.suppressedKeys.set(alert.key, { device: alert.device, order: ++this.added });
  }

  private addHold(key: string, hold: ParentHold): void {
    hold.order = this.holds.get(key)?.order ?? ++this.added;
    this.holds.set(key, hold);
    if (hold.until < this.holdsDueFrom) this.holdsDueFrom = hold.until;
  }

  /** files a held or suppressed key under the devices whose states decide it; one without a device or whose parents cannot be read is re-evaluated at every change */
  private file(key: string, device: string | undefined): void {
    if (!this.dependents) return;
    try {
      if (device === undefined) throw new Error('no device');
      this.dependents.add(key, device);
      this.unfiled.delete(key);
    } catch {
      // the parents are read again, and a failure logged, where they are used (suppressor, hold)
      this.unfiled.add(key);
    }
  }

  /** files every held and suppressed key anew (a full run: parents may have been edited) */
  private fileAll(): void {
    for (const [key, hold] of this.holds) this.file(key, hold.alert.device);
    for (const [key, { device }] of this.suppressedKeys) this.file(key, device);
  }

  /** a key no longer active: out of the index and the retries */
  private forget(key: string): void {
    this.dependents?.remove(key);
    this.unfiled.delete(key);
    this.retryNext.delete(key);
  }

  /**
   * The held and suppressed keys a change of `device` can affect (none for undefined: the hold
   * timer), with those not filed and those waiting for a retry; undefined without parentsOf (every
   * key then). Keys no longer held or suppressed leave the index on the way.
   */
  private keysToCheck(device: string | undefined): Set<string> | undefined {
    if (!this.dependents) return undefined;
    const keys = new Set<string>();
    const live = (key: string) => this.holds.has(key) || this.suppressedKeys.has(key);
    if (device !== undefined) {
      const gone: string[] = [];
      for (const key of this.dependents.of(device)) {
        if (live(key)) keys.add(key);
        else gone.push(key);
      }
      for (const key of gone) this.dependents.remove(key);
    }
    for (const set of [this.unfiled, this.retryNext]) {
      for (const key of set) {
        if (live(key)) keys.add(key);
        else set.delete(key);
      }
    }
    return keys;
  }

  /** the holds of `keys` and those due at `now`, in the order a full run goes through them */
  private holdsIn(keys: ReadonlySet<string>, now: number): [string, ParentHold][] {
    const picked = new Map<string, ParentHold>();
    for (const key of keys) {
      const hold = this.holds.get(key);
      if (hold) picked.set(key, hold);
    }
    if (now >= this.holdsDueFrom) {
      let next = Infinity;
      for (const [key, hold] of this.holds) {
        if (hold.until <= now) picked.set(key, hold);
        else if (hold.until < next) next = hold.until;
      }
      this.holdsDueFrom = next;
    }
    return [...picked].sort((a, b) => a[1].order - b[1].order);
  }

  /** the suppressed keys among `keys`, in the order a full run goes through them */
  private suppressedIn(keys: ReadonlySet<string>): string[] {
    const picked: [string, number][] = [];
    for (const key of keys) {
      const entry = this.suppressedKeys.get(key);
      if (entry) picked.push([key, entry.order]);
    }
    return picked.sort((a, b) => a[1] - b[1]).map(([key]) => key);
  }

  /**
   * Table full: existing alerts still repeat and clear, new keys are only counted. One log line
   * and one critical meta-alert per episode; it clears once below 90 % of the cap. The meta-alert
   * not saved: undefined (a source change not saved, redone as the others are).
   */
  private rejectFull(ev: AlertEvent): AlertChange | undefined {
    this.stats.rejectedFull++;
    this.rejectedSinceFull++;
    const meta = this.tableFull;
    if (meta) {
      // in memory only: a storm of distinct keys must not cost a store write each
      meta.count++;
      meta.lastSeen = Math.max(meta.lastSeen, ev.time);
      return { kind: 'repeated', alert: meta, notify: false };
    }
    // once per episode: not again while its meta-alert waits to be saved
    if (!this.unsaved.has(TABLE_FULL_KEY)) this.logger.warn(`alerts: alert table full (${this.maxActive} active alerts): new alerts are counted but not opened until some clear (first rejected: ${ev.key})`);
    return this.raise({
      action: 'raise', key: TABLE_FULL_KEY, source: 'device', rule: 'alert-table-full', severity: 'critical',
      message: `alert table full: ${this.maxActive} active alerts; new alerts are not opened until some clear`,
      labels: { meta: 'alert-table-full' }, time: ev.time,
    });
  }

  /** not below 90 % of the cap yet: a table-full episode goes on */
  private fullNow(): boolean {
    return this.stats.active >= this.maxActive * 0.9;
  }

  /** an episode ends (below 90 %): its meta-alert cleared; not saved, it is redone as a source change */
  private endFull(now: number): void {
    try {
      this.endFullNow(now);
    } catch (err) {
      this.keepUnsaved(TABLE_FULL_KEY, { action: 'end-full', time: now, failures: 0, retryAt: 0 }, err);
    }
  }

  /** endFull() without the retry: a failed save throws, the meta-alert still open (its final message may be saved) */
  private endFullNow(now: number): AlertChange | undefined {
    const meta = this.tableFull;
    if (!meta || this.fullNow()) return undefined;
    const before = snapshot(meta);
    meta.message = `alert table was full (${this.maxActive} active alerts): ${this.rejectedSinceFull} new alerts were not opened`;
    this.save(meta, before);
    const change = this.clearNow(TABLE_FULL_KEY, 'auto', now);
    this.tableFull = undefined;
    this.endFullEpisode();
    return change;
  }

  /** the end of an episode: logged, its count started again (also when its meta-alert was never saved) */
  private endFullEpisode(): void {
    this.logger.info(`alerts: alert table below 90 % of ${this.maxActive} again; ${this.rejectedSinceFull} new alerts were not opened while it was full`);
    this.rejectedSinceFull = 0;
  }

  /** what `ev` makes of its key's flapping, nothing recorded yet: flapping, and `quiet` (it was already: its change is held back) */
  private flapOf(ev: AlertEvent): { flapping: boolean; quiet: boolean } | undefined {
    if (!ev.flap) return undefined;
    const flapping = this.flaps.peek(ev.key, ev.time, ev.flap.windowMs) >= ev.flap.count;
    return { flapping, quiet: flapping && this.flappingKeys.has(ev.key) };
  }

  /** records `ev`'s change in its key's flap window (once its record is saved) */
  private recordFlap(ev: AlertEvent, flapping: boolean, quiet: boolean): void {
    this.flaps.hit(ev.key, ev.time, ev.flap!.windowMs, ev.flap!.count);
    if (flapping) {
      // keys of alerts that cleared and went quiet stay here: bounded, oldest forgotten first
      if (!this.flappingKeys.has(ev.key) && this.flappingKeys.size >= 100_000) this.flappingKeys.delete(this.flappingKeys.values().next().value!);
      this.flappingKeys.add(ev.key);
    } else this.flappingKeys.delete(ev.key);
    if (quiet) this.stats.suppressedFlapping++;
  }

  private emit(change: AlertChange, ev?: AlertEvent): AlertChange {
    if (change.notify && ev?.rateLimit) {
      const n = this.rates.hit(`rule:${ev.rule}`, ev.time, ev.rateLimit.windowMs, ev.rateLimit.count + 1);
      if (n > ev.rateLimit.count) {
        change.notify = false;
        this.stats.suppressedRateLimit++;
      }
    }
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        // a failing listener must not break the lifecycle; listeners handle their own errors
      }
    }
    return change;
  }
}
