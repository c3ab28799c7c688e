import { SEVERITY_RANK, type AlertChange, type AlertChangeKind, type Severity } from '../types.ts';
import type { UndeliveredDigests } from './undelivered.ts';

/** one alert change listed in a digest; message and device are cut so a digest stays small */
export interface DigestEntry {
  kind: AlertChangeKind;
  severity: Severity;
  device?: string;
  message: string;
  key: string;
  time: number;
  /** of a cleared change: who or what cleared it (`rule removed` is no recovery) */
  clearedBy?: string;
}

export interface DigestKindCount {
  total: number;
  bySeverity: Partial<Record<Severity, number>>;
}

/** What a channel sends instead of the alert changes it held back over its limit. */
export interface Digest {
  kind: 'digest';
  channel: string;
  /** when the first and the last held-back change arrived (ms since the epoch) */
  from: number;
  to: number;
  total: number;
  kinds: Partial<Record<AlertChangeKind, DigestKindCount>>;
  /** devices with the most changes, at most TOP_DEVICES */
  topDevices: { device: string; count: number }[];
  /** the most severe changes, oldest first within a severity; at most the channel's digestMaxAlerts */
  alerts: DigestEntry[];
  /** the web UI's alerts page, when notifications.uiUrl is set */
  link?: string;
  /** earlier digests of this channel given up after all retries, when there were any */
  undelivered?: UndeliveredDigests;
}

export const TOP_DEVICES = 5;
/** devices counted per digest; a storm over more devices counts the rest only in the totals */
export const MAX_TRACKED_DEVICES = 10_000;
export const MAX_ENTRY_MESSAGE = 200;
export const MAX_ENTRY_DEVICE = 64;

const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n - 3) + '...' : s);

/** Collects held-back changes in bounded memory: counts, a device tally and the N worst entries. */
export class DigestCollector {
  private total = 0;
  private from = 0;
  private to = 0;
  private kinds: Partial<Record<AlertChangeKind, DigestKindCount>> = {};
  private devices = new Map<string, number>();
  private entries: DigestEntry[] = [];

  constructor(private readonly maxAlerts: number) {}

  get size(): number {
    return this.total;
  }

  add(change: AlertChange, now: number): void {
    const a = change.alert;
    if (this.total === 0) this.from = now;
    this.to = now;
    this.total++;
    const k = (this.kinds[change.kind] ??= { total: 0, bySeverity: {} });
    k.total++;
    k.bySeverity[a.severity] = (k.bySeverity[a.severity] ?? 0) + 1;
    if (a.device !== undefined) {
      const n = this.devices.get(a.device);
      if (n !== undefined) this.devices.set(a.device, n + 1);
      else if (this.devices.size < MAX_TRACKED_DEVICES) this.devices.set(a.device, 1);
    }
    this.keepIfWorse({
      kind: change.kind, severity: a.severity, device: a.device === undefined ? undefined : cut(a.device, MAX_ENTRY_DEVICE),
      message: cut(a.message, MAX_ENTRY_MESSAGE), key: cut(a.key, MAX_ENTRY_MESSAGE),
      time: change.kind === 'cleared' ? (a.clearedAt ?? a.lastSeen) : a.lastSeen,
      ...(change.kind === 'cleared' && a.clearedBy !== undefined ? { clearedBy: cut(a.clearedBy, MAX_ENTRY_DEVICE) } : {}),
    });
  }

  /** the digest of everything collected; the collector is empty afterwards */
  take(channel: string, link?: string): Digest {
    const topDevices = [...this.devices]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, TOP_DEVICES)
      .map(([device, count]) => ({ device: cut(device, MAX_ENTRY_DEVICE), count }));
    const alerts = this.entries.sort((x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] || x.time - y.time);
    const digest: Digest = { kind: 'digest', channel, from: this.from, to: this.to, total: this.total, kinds: this.kinds, topDevices, alerts, link };
    this.total = 0;
    this.kinds = {};
    this.devices = new Map();
    this.entries = [];
    return digest;
  }

  private keepIfWorse(e: DigestEntry): void {
    if (this.entries.length < this.maxAlerts) {
      this.entries.push(e);
      return;
    }
    // replace the least severe (the newest among equals) when this one is worse
    let victim = -1;
    for (let i = 0; i < this.entries.length; i++) {
      if (victim < 0 || SEVERITY_RANK[this.entries[i].severity] >= SEVERITY_RANK[this.entries[victim].severity]) victim = i;
    }
    if (victim >= 0 && SEVERITY_RANK[e.severity] < SEVERITY_RANK[this.entries[victim].severity]) this.entries[victim] = e;
  }
}
