/** Alert model shared by every source (traps, device state, thresholds). */
export const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** lower is worse; used to route "at least major" and to detect escalation */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3, info: 4 };

export type AlertState = 'open' | 'acknowledged' | 'cleared';
export type AlertSource = 'trap' | 'device' | 'threshold';

export interface Alert {
  id: string;
  /** dedup key: one active (open or acknowledged) alert per key */
  key: string;
  source: AlertSource;
  /** rule id that raised it */
  rule: string;
  device?: string;
  severity: Severity;
  message: string;
  state: AlertState;
  /** ms since the epoch */
  firstSeen: number;
  lastSeen: number;
  count: number;
  /** true while the key changes state more often than the rule's flap limit */
  flapping: boolean;
  acknowledgedBy?: string;
  acknowledgedAt?: number;
  clearedAt?: number;
  /** 'auto' (a clearing event) or who cleared it by hand */
  clearedBy?: string;
  labels: Record<string, string>;
  /** channels named by the rule, on top of the severity routes */
  notify?: string[];
  /** set while a maintenance window or a down parent holds the alert's notifications back; `until` once released */
  suppressed?: AlertSuppression;
}

/** held back now: suppressed or held for its parents, and that has not ended */
export function isSuppressedNow(alert: Pick<Alert, 'suppressed'>): boolean {
  return alert.suppressed !== undefined && alert.suppressed.until === undefined;
}

/** Why an alert is not notified: `maintenance` (window `by`) or `parent` (device `by` is down). */
export interface AlertSuppression {
  kind: 'maintenance' | 'parent';
  /**
   * `maintenance <window name>`, `parent <device> down` (`parent <device> unreachable behind <devices> down`
   * further up the chain), or during the recovery grace (recovery-graces.ts) `<cause>; <device> back up, checking
   * <child> (until <ISO time>)`; once released `<cause>; released: <how it ended>`,
   * or cleared within the grace `<cause>; <how it ended>`. An alert held for its parents (parent hold)
   * carries one while it waits, `holdUntil` set: `held since <ISO time> for parent core-1 (up); notified
   * at <ISO time> at the latest unless core-1 is found down` (each parent's state now); notified at the
   * hold's end, `until` set: `held 30 s for parent core-1; core-1 up` (each parent's state then);
   * cleared during the hold: `held 12 s for parent core-1; cleared during the hold`
   */
  reason: string;
  /** the window's name or the down device (a parent, or an ancestor further up); during and after a hold, the first parent not down */
  by: string;
  since: number;
  /** when the suppression ended with the alert still active (its notification went out then) */
  until?: number;
  /** only while a parent hold lasts: when the alert is notified at the latest (unless its parents are found down first) */
  holdUntil?: number;
}

/** a parent hold that has not ended: the alert waits for its parents, nothing of it is sent yet */
export function isHeldNow(alert: Pick<Alert, 'suppressed'>): boolean {
  return alert.suppressed?.holdUntil !== undefined && alert.suppressed.until === undefined;
}

/** What a source hands the alert manager: raise (or refresh) or clear the alert with this key. */
export interface AlertEvent {
  action: 'raise' | 'clear';
  key: string;
  source: AlertSource;
  rule: string;
  device?: string;
  severity: Severity;
  message: string;
  labels?: Record<string, string>;
  time: number;
  /** channels named by the rule, on top of the severity routes */
  notify?: string[];
  /** flap detection: this many state changes of the key within windowMs mark it flapping */
  flap?: { count: number; windowMs: number };
  /** at most this many notifications for the rule within windowMs; the rest are counted */
  rateLimit?: { count: number; windowMs: number };
  /**
   * a device-state alert (down, snmp-unreachable) whose device may be behind a parent that is
   * failing too: its notification waits the manager's `parentHold` when the device has parents
   */
  holdForParents?: boolean;
}

export type AlertChangeKind = 'opened' | 'repeated' | 'escalated' | 'acknowledged' | 'cleared';

export interface AlertChange {
  kind: AlertChangeKind;
  alert: Alert;
  /** false when flap detection, a rate limit or a suppression holds the notification back */
  notify: boolean;
  /** an `opened` change sent when the suppression that held the alert back ended while it was still active */
  released?: boolean;
  /**
   * the alert's notification is waiting for its parents (parentHold): nothing of it is sent yet.
   * When the hold ends the alert is either suppressed (a `repeated` change) or notified (an
   * `opened` change with `notify: true`, a second one for the same alert).
   */
  held?: boolean;
}
