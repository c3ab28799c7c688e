/** Why a datagram was not turned into a trap. */
export const REJECT_REASONS = [
  'malformed', 'not-a-notification', 'unknown-community', 'unknown-user', 'unknown-engine',
  'wrong-digest', 'decryption-error', 'unsupported-sec-level', 'not-in-time-window',
  'source-not-allowed', 'overload', 'record-failed',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * Counts rejections by reason and by source address, bounded: the source that was rejected least
 * recently goes first (a flood of spoofed addresses can still push out a real one between two of its
 * rejections; the per-reason totals stay exact).
 */
export class RejectCounters {
  readonly byReason: Record<RejectReason, number> = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
  private readonly bySource = new Map<string, Partial<Record<RejectReason, number>>>();
  received = 0;
  accepted = 0;
  informsAcked = 0;
  reportsSent = 0;
  /** v3 engine-ID discovery probes answered (not rejections) */
  discoveries = 0;
  /** inform retries of one already recorded (or being recorded): acked, not recorded again */
  duplicateInforms = 0;

  constructor(private readonly maxSources = 10_000) {}

  reject(reason: RejectReason, address: string): void {
    this.byReason[reason]++;
    let s = this.bySource.get(address);
    if (s) {
      // most recently rejected last: the first key is the one to drop
      this.bySource.delete(address);
      this.bySource.set(address, s);
    } else {
      if (this.bySource.size >= this.maxSources) this.bySource.delete(this.bySource.keys().next().value!);
      s = {};
      this.bySource.set(address, s);
    }
    s[reason] = (s[reason] ?? 0) + 1;
  }

  get rejected(): number {
    return Object.values(this.byReason).reduce((a, b) => a + b, 0);
  }

  snapshot(): { received: number; accepted: number; rejected: number; informsAcked: number; reportsSent: number; discoveries: number; duplicateInforms: number; byReason: Record<string, number>; bySource: Record<string, Record<string, number>> } {
    return {
      received: this.received,
      accepted: this.accepted,
      rejected: this.rejected,
      informsAcked: this.informsAcked,
      reportsSent: this.reportsSent,
      discoveries: this.discoveries,
      duplicateInforms: this.duplicateInforms,
      byReason: { ...this.byReason },
      bySource: Object.fromEntries([...this.bySource].map(([k, v]) => [k, { ...v } as Record<string, number>])),
    };
  }
}
