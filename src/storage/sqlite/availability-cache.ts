/**
 * The embedded store's availability day cache: one AvailabilitySpan (../availability-span.ts) per
 * device, UTC day and maxGapMs, computed once from the day's device_status samples and reused by
 * every later report (Zabbix trends, RRD consolidation). Only days that are over (their end at
 * least CACHE_MARGIN_MS in the past) and wholly inside a report's range are cached; days without
 * samples are not stored (the report skips them with one index seek).
 *
 * Kept right by the writer, not by age: a device_status point written into a day before today
 * deletes that device's cached rows for the day (in the write transaction), and retention
 * pruning deletes the days it prunes. A row in another encoding version is read as missing and
 * recomputed. Rows no report reads any more (a device removed, or under its old maxGapMs after
 * its interval changed) are forgotten by the warm-up (availability-warm.ts, `forgetStale`).
 */
import type Database from 'better-sqlite3';
import { DAY_MS, STATE_BY_CODE, AVAILABILITY_STATES, dayOf, type Outage } from '../availability.ts';
import type { AvailabilitySpan, SpanSample } from '../availability-span.ts';
import type { DeviceState } from '../../model/index.ts';

/** a day is cached once it ended this long ago: a few poll intervals for late results */
export const CACHE_MARGIN_MS = 10 * 60_000;

/** created with the store's other tables (series-store.ts) */
export const AVAILABILITY_DAYS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS availability_days (
    device TEXT NOT NULL,
    day INTEGER NOT NULL,
    max_gap_ms REAL NOT NULL,
    span TEXT NOT NULL,
    PRIMARY KEY (device, day, max_gap_ms)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS availability_days_by_day ON availability_days (day);
`;

/** the days of [from, to) that may be cached at `now`: whole, inside the range, over; undefined when none */
export function cacheableDays(from: number, to: number, now: number): { from: number; to: number } | undefined {
  const a = Math.ceil(from / DAY_MS) * DAY_MS;
  const b = Math.min(dayOf(to), dayOf(now - CACHE_MARGIN_MS));
  return b > a ? { from: a, to: b } : undefined;
}

const ENCODING = 1;
const code = (s: DeviceState): number => STATE_BY_CODE.indexOf(s);
const runOut = (o: Outage | null) => (o ? [o.from, o.to] : null);

/** [version, samples, first, last, durations, downRuns, firstDown, lastDown, innerLongest]: compact JSON */
export function encodeSpan(s: AvailabilitySpan): string {
  const sample = (x: SpanSample | null) => (x ? [x.time, code(x.state)] : null);
  return JSON.stringify([ENCODING, s.samples, sample(s.first), sample(s.last), AVAILABILITY_STATES.map((k) => s.durations[k]),
    s.downRuns, runOut(s.firstDown), runOut(s.lastDown), runOut(s.innerLongest)]);
}

/** null for anything but a span this version wrote */
export function decodeSpan(text: string): AvailabilitySpan | null {
  try {
    const v = JSON.parse(text) as unknown;
    if (!Array.isArray(v) || v[0] !== ENCODING || v.length !== 9) return null;
    const [, samples, first, last, durations, downRuns, firstDown, lastDown, innerLongest] = v as [number, number, unknown, unknown, unknown, number, unknown, unknown, unknown];
    const sample = (x: unknown): SpanSample | null => {
      if (x === null) return null;
      if (!Array.isArray(x) || typeof x[0] !== 'number' || !STATE_BY_CODE[x[1]]) throw new Error('bad sample');
      return { time: x[0], state: STATE_BY_CODE[x[1]] };
    };
    const run = (x: unknown): Outage | null => {
      if (x === null) return null;
      if (!Array.isArray(x) || typeof x[0] !== 'number' || typeof x[1] !== 'number') throw new Error('bad run');
      return { from: x[0], to: x[1], durationMs: x[1] - x[0] };
    };
    if (!Number.isInteger(samples) || !Number.isInteger(downRuns) || !Array.isArray(durations) || durations.length !== AVAILABILITY_STATES.length) return null;
    const span: AvailabilitySpan = {
      samples, first: sample(first), last: sample(last),
      durations: Object.fromEntries(AVAILABILITY_STATES.map((k, i) => [k, Number(durations[i])])) as AvailabilitySpan['durations'],
      downRuns, firstDown: run(firstDown), lastDown: run(lastDown), innerLongest: run(innerLongest),
    };
    const consistent = (span.first === null) === (samples === 0) && (span.last === null) === (samples === 0)
      && (span.firstDown === null) === (downRuns === 0) && (span.lastDown === null) === (downRuns === 0);
    return consistent ? span : null;
  } catch {
    return null;
  }
}

export class AvailabilityDayCache {
  private readonly stmts: {
    read: Database.Statement;
    has: Database.Statement;
    put: Database.Statement;
    invalidate: Database.Statement;
    prune: Database.Statement;
    firstDevice: Database.Statement;
    deviceAfter: Database.Statement;
    forgetDevice: Database.Statement;
    forgetOtherGaps: Database.Statement;
  };

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      read: db.prepare('SELECT day, span FROM availability_days WHERE device = ? AND day >= ? AND day < ? AND max_gap_ms = ? ORDER BY day').raw(true),
      has: db.prepare('SELECT 1 FROM availability_days WHERE device = ? AND day = ? AND max_gap_ms = ? AND substr(span, 1, ?) = ?').pluck(),
      put: db.prepare('INSERT OR REPLACE INTO availability_days (device, day, max_gap_ms, span) VALUES (?, ?, ?, ?)'),
      invalidate: db.prepare('DELETE FROM availability_days WHERE device = ? AND day = ?'),
      prune: db.prepare('DELETE FROM availability_days WHERE day < ?'),
      firstDevice: db.prepare('SELECT device FROM availability_days ORDER BY device LIMIT 1').pluck(),
      deviceAfter: db.prepare('SELECT device FROM availability_days WHERE device > ? ORDER BY device LIMIT 1').pluck(),
      forgetDevice: db.prepare('DELETE FROM availability_days WHERE device = ?'),
      forgetOtherGaps: db.prepare('DELETE FROM availability_days WHERE device = ? AND max_gap_ms <> ?'),
    };
  }

  /** the cached days of [from, to) (day starts), oldest first; a row that is not a span of its day is left out (computed again) */
  read(device: string, maxGapMs: number, from: number, to: number): Map<number, AvailabilitySpan> {
    const out = new Map<number, AvailabilitySpan>();
    for (const [day, text] of this.stmts.read.all(device, from, to, maxGapMs) as [number, string][]) {
      const span = decodeSpan(text);
      if (span && (!span.first || !span.last || (span.first.time >= day && span.last.time < day + DAY_MS && span.first.time <= span.last.time))) out.set(day, span);
    }
    return out;
  }

  /** whether the day is cached in this encoding version: one primary-key seek, the span is not decoded */
  has(device: string, maxGapMs: number, day: number): boolean {
    const prefix = `[${ENCODING},`;
    return this.stmts.has.get(device, day, maxGapMs, prefix.length, prefix) !== undefined;
  }

  /** stores days of one device in one transaction */
  put(device: string, maxGapMs: number, days: readonly (readonly [number, AvailabilitySpan])[]): void {
    if (days.length === 0) return;
    this.db.transaction(() => {
      for (const [day, span] of days) this.stmts.put.run(device, day, maxGapMs, encodeSpan(span));
    })();
  }

  /** forgets one device's day (every maxGapMs): a point was written into it */
  invalidate(device: string, day: number): void {
    this.stmts.invalidate.run(device, day);
  }

  /** forgets the days retention pruned, wholly or in part: those starting before `before` */
  prune(before: number): number {
    return this.stmts.prune.run(before).changes;
  }

  /** the next device with cached rows after `after` (without it: the first), in key order; one primary-key seek */
  nextDevice(after?: string): string | undefined {
    return (after === undefined ? this.stmts.firstDevice.get() : this.stmts.deviceAfter.get(after)) as string | undefined;
  }

  /** forgets a device's rows, with `keepGap` only those under another maxGapMs; the rows deleted */
  forget(device: string, keepGap?: number): number {
    return (keepGap === undefined ? this.stmts.forgetDevice.run(device) : this.stmts.forgetOtherGaps.run(device, keepGap)).changes;
  }
}
