import { randomUUID } from 'node:crypto';
import { SlidingWindow } from './limits.ts';
import { MemoryAlertStore, type AlertStore } from './store.ts';
import { SEVERITY_RANK, type Alert, type AlertChange, type AlertEvent } from './types.ts';

export type AlertListener = (change: AlertChange) => void;

export interface AlertManagerStats {
  opened: number;
  repeated: number;
  cleared: number;
  suppressedFlapping: number;
  suppressedRateLimit: number;
}

/**
 * The one alert lifecycle: open → acknowledged → cleared, deduplicated by key, with
 * first/last seen and a count. Sources (trap rules, device state, thresholds) hand it
 * AlertEvents; listeners (the notifier, the API) receive every change.
 */
export class AlertManager {
  readonly stats: AlertManagerStats = { opened: 0, repeated: 0, cleared: 0, suppressedFlapping: 0, suppressedRateLimit: 0 };
  private readonly listeners = new Set<AlertListener>();
  private readonly flaps = new SlidingWindow();
  private readonly rates = new SlidingWindow();
  private readonly flappingKeys = new Set<string>();

  constructor(readonly store: AlertStore = new MemoryAlertStore()) {}

  onChange(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  handle(ev: AlertEvent): AlertChange | undefined {
    return ev.action === 'clear' ? this.clearKey(ev.key, 'auto', ev.time, ev) : this.raise(ev);
  }

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
    const change: AlertChange = { kind: 'cleared', alert, notify: true };
    if (ev) this.trackFlap(change, ev);
    return this.emit(change, ev);
  }

  private trackFlap(change: AlertChange, ev: AlertEvent): void {
    if (!ev.flap) return;
    const changes = this.flaps.hit(ev.key, ev.time, ev.flap.windowMs, ev.flap.count);
    const flapping = changes >= ev.flap.count;
    const wasFlapping = this.flappingKeys.has(ev.key);
    if (flapping) this.flappingKeys.add(ev.key);
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
