/**
 * The state timeline of one device, built as the fold records its runs (oldest first, contiguous).
 *
 * Runs are kept exactly while there are at most `maxSegments` of them. The count of merged runs
 * only grows, so the run that passes the cap decides for good: from then on the range is cut into
 * `maxSegments` equal buckets, each holding the worst state with any time in it, and every run
 * (the kept ones, then each new one as it comes) is folded straight into its buckets. Memory is
 * at most maxSegments + 1 runs, then one rank per bucket, whatever the number of samples.
 * A run folded in pieces marks the same buckets as the whole run, so the answer is the same as
 * bucketing the complete list of runs at the end.
 */
import type { AvailabilitySegment, AvailabilityState } from './availability.ts';

/** worst first: what a bucketed timeline shows when a bucket holds several states */
const SEVERITY: readonly AvailabilityState[] = ['down', 'auth-failed', 'snmp-unreachable', 'no-data', 'unknown', 'up'];

export class AvailabilityTimeline {
  private segments: AvailabilitySegment[] | undefined = [];
  /** bucket index → SEVERITY index of its worst state, once bucketed */
  private worst: number[] | undefined;
  private readonly width: number;

  constructor(
    private readonly from: number,
    private readonly to: number,
    private readonly maxSegments: number,
  ) {
    this.width = Math.ceil((to - from) / maxSegments);
  }

  /** the state over [a, b); runs come oldest first, each starting where the previous ended or later */
  add(a: number, b: number, state: AvailabilityState): void {
    if (this.worst) return this.mark(a, b, state);
    const segments = this.segments!;
    const last = segments[segments.length - 1];
    if (last && last.state === state && last.to === a) {
      last.to = b;
      return;
    }
    segments.push({ from: a, to: b, state });
    if (segments.length > this.maxSegments) {
      this.worst = [];
      this.segments = undefined;
      for (const s of segments) this.mark(s.from, s.to, s.state);
    }
  }

  /** runs (or buckets) held now: bounded by maxSegments + 1, never by the samples fed */
  get held(): number {
    return this.worst ? this.worst.length : this.segments!.length;
  }

  result(): { timeline: AvailabilitySegment[]; exact: boolean } {
    if (this.segments) return { timeline: this.segments, exact: true };
    return { timeline: this.buckets(), exact: false };
  }

  private mark(a: number, b: number, state: AvailabilityState): void {
    const worst = this.worst!;
    const rank = SEVERITY.indexOf(state);
    const first = Math.floor((a - this.from) / this.width);
    const last = Math.floor((b - 1 - this.from) / this.width);
    for (let i = first; i <= last; i++) worst[i] = Math.min(worst[i] ?? rank, rank);
  }

  /** the buckets as runs, equal neighbours merged */
  private buckets(): AvailabilitySegment[] {
    const worst = this.worst!;
    const out: AvailabilitySegment[] = [];
    for (let i = 0; i < worst.length; i++) {
      const a = this.from + i * this.width;
      const b = Math.min(this.to, a + this.width);
      const state = SEVERITY[worst[i]];
      const prev = out[out.length - 1];
      if (prev && prev.state === state) prev.to = b;
      else out.push({ from: a, to: b, state });
    }
    return out;
  }
}
