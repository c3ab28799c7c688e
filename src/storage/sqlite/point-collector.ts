import { aggregateOf } from '../fields.ts';
import type { SeriesPoint, SeriesValue } from '../types.ts';

/**
 * Builds one series' answer from rows streamed out of SQLite (a cursor), so memory holds the
 * answer, never the whole time range. Rows come oldest first, or newest first when a limit is
 * set (then reading stops after `limit` points or buckets). With a step, rows are folded into
 * buckets aligned to the epoch, like InfluxQL GROUP BY time(step) fill(none): floats are
 * averaged, everything else keeps the newest value.
 */
export class PointCollector {
  readonly points: SeriesPoint[] = [];
  private bucketStart: number | undefined;
  private sums: Record<string, { sum: number; n: number }> = {};
  private lasts: Record<string, SeriesValue> = {};

  constructor(
    private readonly measurement: string,
    private readonly step: number | undefined,
    private readonly newestFirst: boolean,
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {}

  /** false once the limit is reached: stop reading */
  add(time: number, values: Record<string, SeriesValue>): boolean {
    if (!this.step) {
      if (Object.keys(values).length > 0) this.points.push({ time, values });
      return this.points.length < this.limit;
    }
    const start = Math.floor(time / this.step) * this.step;
    if (start !== this.bucketStart) {
      this.closeBucket();
      if (this.points.length >= this.limit) return false;
      this.bucketStart = start;
    }
    for (const k in values) {
      const v = values[k];
      if (aggregateOf(this.measurement, k) === 'mean' && typeof v === 'number') {
        const acc = (this.sums[k] ??= { sum: 0, n: 0 });
        acc.sum += v;
        acc.n++;
      } else if (!this.newestFirst || !(k in this.lasts)) {
        this.lasts[k] = v;
      }
    }
    return true;
  }

  /** the points oldest first */
  finish(): SeriesPoint[] {
    this.closeBucket();
    if (this.points.length > this.limit) this.points.length = this.limit;
    return this.newestFirst ? this.points.reverse() : this.points;
  }

  private closeBucket(): void {
    if (this.bucketStart === undefined) return;
    const values: Record<string, SeriesValue> = { ...this.lasts };
    for (const k in this.sums) values[k] = this.sums[k].sum / this.sums[k].n;
    if (Object.keys(values).length > 0) this.points.push({ time: this.bucketStart, values });
    this.bucketStart = undefined;
    this.sums = {};
    this.lasts = {};
  }
}
