import { randomUUID } from 'node:crypto';
import { SlidingWindow } from './limits.ts';
import { MemoryAlertStore, type AlertStore } from './store.ts';
import type { Suppressor } from './suppression.ts';
import { SEVERITY_RANK, type Alert, type AlertChange, type AlertEvent } from './types.ts';

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
}

export interface AlertManagerOptions {
  /** active alerts at most; beyond it new keys are counted in `rejectedFull`, not opened (default 50,000) */
  maxActive?: number;
  logger?: { warn(msg: string): void; info(msg: string): void };
  /** maintenance windows and parent dependencies (suppression.ts); none by default */
  suppressor?: Suppressor;
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
    suppressedMaintenance: 0, suppressedParent: 0, released: 0,
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
  /** keys of active alerts whose suppression has not ended: what reevaluateSuppressed() looks at */
  private readonly suppressedKeys = new Set<string>();

  constructor(readonly store: AlertStore = new MemoryAlertStore(), opts: AlertManagerOptions = {}) {
    this.maxActive = Math.max(1, opts.maxActive ?? DEFAULT_MAX_ACTIVE_ALERTS);
    this.logger = opts.logger ?? { warn: (m) => console.warn(m), info: (m) => console.info(m) };
    this.suppressor = opts.suppressor;
    const active = store.list({ state: 'active' }).filter((a) => a.key !== TABLE_FULL_KEY);
    this.stats.active = active.length;
    for (const a of active) if (a.suppressed && a.suppressed.until === undefined) this.suppressedKeys.add(a.key);
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
   * "alert table full" meta-alert's, not emitted to listeners.
   */
  raise(ev: AlertEvent): AlertChange {
    const existing = this.store.active(ev.key);
    if (existing) {
      const escalated = SEVERITY_RANK[ev.severity] < SEVERITY_RANK[existing.severity];
      existing.lastSeen = Math.max(existing.lastSeen, ev.time);
      existing.count++;
      existing.message = ev.message;
      if (escalated) existing.severity = ev.severity;
      if (ev.labels) Object.assign(existing.labels, ev.labels);
      const held = escalated && (this.isSuppressed(existing) || this.suppressor?.(existing, ev.time) !== undefined);
      this.store.save(existing);
      this.stats.repeated++;
      return this.emit({ kind: escalated ? 'escalated' : 'repeated', alert: existing, notify: escalated && !held }, ev);
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
      firstSeen: ev.time,
      lastSeen: ev.time,
      count: 1,
      flapping: false,
      labels: { ...ev.labels },
      notify: ev.notify,
    };
    this.stats.opened++;
    if (ev.key !== TABLE_FULL_KEY) this.stats.active++;
    const change: AlertChange = { kind: 'opened', alert, notify: true };
    this.trackFlap(change, ev);
    const suppression = ev.key === TABLE_FULL_KEY ? undefined : this.suppressor?.(alert, ev.time);
    if (suppression) {
      alert.suppressed = { ...suppression, since: ev.time };
      change.notify = false;
      this.suppressedKeys.add(alert.key);
      if (suppression.kind === 'maintenance') this.stats.suppressedMaintenance++;
      else this.stats.suppressedParent++;
    }
    this.store.save(alert);
    return this.emit(change, ev);
  }

  acknowledge(id: string, by: string, now = Date.now()): Alert | undefined {
    const alert = this.store.byId(id);
    if (!alert || alert.state !== 'open') return alert;
    alert.state = 'acknowledged';
    alert.acknowledgedBy = by;
    alert.acknowledgedAt = now;
    this.store.save(alert);
    this.emit({ kind: 'acknowledged', alert, notify: false });
    return alert;
  }

  /** clears by hand (API/CLI) */
  clear(id: string, by: string, now = Date.now()): Alert | undefined {
    const alert = this.store.byId(id);
    if (!alert || alert.state === 'cleared') return alert;
    return this.clearKey(alert.key, by, now)?.alert;
  }

  clearKey(key: string, by: string, now: number, ev?: AlertEvent): AlertChange | undefined {
    const alert = this.store.active(key);
    if (!alert) return undefined;
    alert.state = 'cleared';
    alert.clearedAt = now;
    alert.clearedBy = by;
    alert.lastSeen = Math.max(alert.lastSeen, now);
    this.store.save(alert);
    this.stats.cleared++;
    if (key !== TABLE_FULL_KEY) this.stats.active = Math.max(0, this.stats.active - 1);
    // an alert never notified (still suppressed) clears silently too
    const change: AlertChange = { kind: 'cleared', alert, notify: !this.isSuppressed(alert) };
    this.suppressedKeys.delete(key);
    if (ev) this.trackFlap(change, ev);
    const out = this.emit(change, ev);
    if (key === TABLE_FULL_KEY) this.tableFull = undefined;
    else if (this.tableFull && this.stats.active < this.maxActive * 0.9) this.endFull(now);
    return out;
  }

  setSuppressor(suppressor: Suppressor | undefined): void {
    this.suppressor = suppressor;
  }

  /**
   * Asks the suppressor again about every active suppressed alert: one whose window ended or
   * whose parent came back is notified now, as `opened` with `released` (it is a real problem:
   * it is still active); one held for another reason keeps quiet under the new reason.
   * Call it when windows change or end and when devices change state.
   */
  reevaluateSuppressed(now = Date.now()): AlertChange[] {
    const out: AlertChange[] = [];
    for (const key of [...this.suppressedKeys]) {
      const alert = this.store.active(key);
      if (!alert?.suppressed || alert.suppressed.until !== undefined) {
        this.suppressedKeys.delete(key);
        continue;
      }
      const still = this.suppressor?.(alert, now);
      if (still) {
        if (still.reason === alert.suppressed.reason) continue;
        alert.suppressed = { ...still, since: now };
        this.store.save(alert);
        out.push(this.emit({ kind: 'repeated', alert, notify: false }));
        continue;
      }
      alert.suppressed = { ...alert.suppressed, until: now };
      this.suppressedKeys.delete(key);
      this.store.save(alert);
      this.stats.released++;
      out.push(this.emit({ kind: 'opened', alert, notify: true, released: true }));
    }
    return out;
  }

  /** active suppressed alerts (their suppression has not ended) */
  get suppressedCount(): number {
    return this.suppressedKeys.size;
  }

  private isSuppressed(alert: Alert): boolean {
    return alert.suppressed !== undefined && alert.suppressed.until === undefined;
  }

  /**
   * Table full: existing alerts still repeat and clear, new keys are only counted. One log line
   * and one critical meta-alert per episode; it clears once below 90 % of the cap.
   */
  private rejectFull(ev: AlertEvent): AlertChange {
    this.stats.rejectedFull++;
    this.rejectedSinceFull++;
    const meta = this.tableFull;
    if (meta) {
      // in memory only: a storm of distinct keys must not cost a store write each
      meta.count++;
      meta.lastSeen = Math.max(meta.lastSeen, ev.time);
      return { kind: 'repeated', alert: meta, notify: false };
    }
    this.logger.warn(`alerts: alert table full (${this.maxActive} active alerts): new alerts are counted but not opened until some clear (first rejected: ${ev.key})`);
    const change = this.raise({
      action: 'raise', key: TABLE_FULL_KEY, source: 'device', rule: 'alert-table-full', severity: 'critical',
      message: `alert table full: ${this.maxActive} active alerts; new alerts are not opened until some clear`,
      labels: { meta: 'alert-table-full' }, time: ev.time,
    });
    this.tableFull = change.alert;
    return change;
  }

  private endFull(now: number): void {
    this.logger.info(`alerts: alert table below 90 % of ${this.maxActive} again; ${this.rejectedSinceFull} new alerts were not opened while it was full`);
    const meta = this.tableFull!;
    meta.message = `alert table was full (${this.maxActive} active alerts): ${this.rejectedSinceFull} new alerts were not opened`;
    this.store.save(meta);
    this.rejectedSinceFull = 0;
    this.clearKey(TABLE_FULL_KEY, 'auto', now);
  }

  private trackFlap(change: AlertChange, ev: AlertEvent): void {
    if (!ev.flap) return;
    const changes = this.flaps.hit(ev.key, ev.time, ev.flap.windowMs, ev.flap.count);
    const flapping = changes >= ev.flap.count;
    const wasFlapping = this.flappingKeys.has(ev.key);
    if (flapping) {
      // keys of alerts that cleared and went quiet stay here: bounded, oldest forgotten first
      if (!wasFlapping && this.flappingKeys.size >= 100_000) this.flappingKeys.delete(this.flappingKeys.values().next().value!);
      this.flappingKeys.add(ev.key);
    }
    else this.flappingKeys.delete(ev.key);
    change.alert.flapping = flapping;
    // the change that starts a flap is announced once; the ones that follow are held back
    if (flapping && wasFlapping) {
      change.notify = false;
      this.stats.suppressedFlapping++;
    }
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
