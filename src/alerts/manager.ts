import { randomUUID } from 'node:crypto';
import { SlidingWindow } from './limits.ts';
import { MemoryAlertStore, type AlertStore } from './store.ts';
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
}

export interface AlertManagerOptions {
  /** active alerts at most; beyond it new keys are counted in `rejectedFull`, not opened (default 50,000) */
  maxActive?: number;
  logger?: { warn(msg: string): void; info(msg: string): void };
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

  constructor(readonly store: AlertStore = new MemoryAlertStore(), opts: AlertManagerOptions = {}) {
    this.maxActive = Math.max(1, opts.maxActive ?? DEFAULT_MAX_ACTIVE_ALERTS);
    this.logger = opts.logger ?? { warn: (m) => console.warn(m), info: (m) => console.info(m) };
    this.stats.active = store.list({ state: 'active' }).filter((a) => a.key !== TABLE_FULL_KEY).length;
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
      this.store.save(existing);
      this.stats.repeated++;
      return this.emit({ kind: escalated ? 'escalated' : 'repeated', alert: existing, notify: escalated }, ev);
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
    const change: AlertChange = { kind: 'cleared', alert, notify: true };
    if (ev) this.trackFlap(change, ev);
    const out = this.emit(change, ev);
    if (key === TABLE_FULL_KEY) this.tableFull = undefined;
    else if (this.tableFull && this.stats.active < this.maxActive * 0.9) this.endFull(now);
    return out;
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
