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
 * recomputed. A row also keeps the day's state runs (`runs`, for timeline reports); rows written
 * before that column existed (series-schema.ts, migration 3) have none (NULL): timeline reports
 * and the warm-up compute them again, the other reports still use their span. A day of more than
 * MAX_CACHED_RUNS runs (a flapping device) keeps RUNS_NOT_KEPT instead, so a row stays bounded:
 * timeline reports fold that day from its samples (the answer is exact) and leave the row as it is.
 * Rows no report reads any more (a device removed, or under its old maxGapMs after its interval
 * changed) are forgotten by the warm-up (availability-warm.ts, `forgetStale`).
 */
import type Database from 'better-sqlite3';
import { DAY_MS, STATE_BY_CODE, AVAILABILITY_STATES, dayOf, type AvailabilitySegment, type Outage } from '../availability.ts';
import type { AvailabilitySpan, SpanSample } from '../availability-span.ts';
import type { DeviceState } from '../../model/index.ts';

/** a day is cached once it ended this long ago: a few poll intervals for late results */
export const CACHE_MARGIN_MS = 10 * 60_000;

/** the days of [from, to) that may be cached at `now`: whole, inside the range, over; undefined when none */
export function cacheableDays(from: number, to: number, now: number): { from: number; to: number } | undefined {
  const a = Math.ceil(from / DAY_MS) * DAY_MS;
  const b = Math.min(dayOf(to), dayOf(now - CACHE_MARGIN_MS));
  return b > a ? { from: a, to: b } : undefined;
}

const ENCODING = 1;
/** the most state runs a day's row keeps (about 16 bytes each) */
export const MAX_CACHED_RUNS = 1000;
/** the `runs` of a day with more than MAX_CACHED_RUNS: cached, but its runs are read from its samples */
export const RUNS_NOT_KEPT = '"over MAX_CACHED_RUNS"';
const code = (s: DeviceState): number => STATE_BY_CODE.indexOf(s);
const runOut = (o: Outage | null) => (o ? [o.from, o.to] : null);

/** [version, samples, first, last, durations, downRuns, firstDown, lastDown, innerLongest]: compact JSON */
export function encodeSpan(s: AvailabilitySpan): string {
  const sample = (x: SpanSample | null) => (x ? [x.time, code(x.state)] : null);
  return JSON.stringify([ENCODING, s.samples, sample(s.first), sample(s.last), AVAILABILITY_STATES.map((k) => s.durations[k]),
    s.downRuns, runOut(s.firstDown), runOut(s.lastDown), runOut(s.innerLongest)]);
}

/** a span's runs as [from₀, state₀, from₁, state₁, …, end] (AVAILABILITY_STATES indexes; [] without runs); the span's ENCODING covers it */
export function encodeRuns(runs: readonly AvailabilitySegment[]): string {
  const flat: number[] = [];
  for (const r of runs) flat.push(r.from, AVAILABILITY_STATES.indexOf(r.state));
  if (runs.length > 0) flat.push(runs[runs.length - 1].to);
  return JSON.stringify(flat);
}

/**
 * The runs encodeRuns() wrote for this span; null when there are none (NULL) or they are not
 * exactly its runs: not covering [first.time, last.time) contiguously, equal neighbours not
 * merged, or not adding up to its durations.
 */
export function decodeRuns(text: string | null, span: AvailabilitySpan): AvailabilitySegment[] | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    const { first, last } = span;
    if (!Array.isArray(v)) return null;
    if (v.length === 0) return !first || !last || first.time === last.time ? [] : null;
    if (!first || !last || v.length % 2 !== 1 || v[0] !== first.time || v[v.length - 1] !== last.time) return null;
    const runs: AvailabilitySegment[] = [];
    const sums = Object.fromEntries(AVAILABILITY_STATES.map((k) => [k, 0])) as Record<string, number>;
    for (let i = 0; i + 1 < v.length; i += 2) {
      const [from, code, to] = [v[i], v[i + 1], v[i + 2]] as unknown[];
      if (typeof from !== 'number' || typeof to !== 'number' || !(to > from) || !Number.isInteger(code)) return null;
      const state = AVAILABILITY_STATES[code as number];
      if (!state || runs[runs.length - 1]?.state === state) return null;
      runs.push({ from, to, state });
      sums[state] += to - from;
    }
    // float sums of fractional holds may differ in the last bits, never by a microsecond
    return AVAILABILITY_STATES.every((k) => Math.abs(sums[k] - span.durations[k]) < 1e-3) ? runs : null;
  } catch {
    return null;
  }
}

/** null for anything but a span this version wrote (its runs unknown: decodeRuns) */
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
      downRuns, firstDown: run(firstDown), lastDown: run(lastDown), innerLongest: run(innerLongest), runs: null,
    };
    const consistent = (span.first === null) === (samples === 0) && (span.last === null) === (samples === 0)
      && (span.firstDown === null) === (downRuns === 0) && (span.lastDown === null) === (downRuns === 0);
    return consistent ? span : null;
  } catch {
    return null;
  }
}

const runsColumn = (runs: readonly AvailabilitySegment[] | null): string | null =>
  runs === null ? null : runs.length > MAX_CACHED_RUNS ? RUNS_NOT_KEPT : encodeRuns(runs);

/** whether a span lies in its day (an empty one does) */
const inDay = ({ first, last }: AvailabilitySpan, day: number): boolean =>
  !first || !last || (first.time >= day && last.time < day + DAY_MS && first.time <= last.time);

export class AvailabilityDayCache {
  private readonly stmts: {
    read: Database.Statement;
    readWithRuns: Database.Statement;
    has: Database.Statement;
    put: Database.Statement;
    invalidate: Database.Statement;
    prune: Database.Statement;
    pruneBatch: Database.Statement;
    firstDevice: Database.Statement;
    deviceAfter: Database.Statement;
    forgetDevice: Database.Statement;
    forgetOtherGaps: Database.Statement;
  };
  /**
   * the latest day any row is cached for: a point written into it or an earlier day invalidates
   * that day, also after the clock went back to before a day it had already cached
   */
  private latestDay: number;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      read: db.prepare('SELECT day, span FROM availability_days WHERE device = ? AND day >= ? AND day < ? AND max_gap_ms = ? ORDER BY day').raw(true),
      readWithRuns: db.prepare('SELECT day, span, runs FROM availability_days WHERE device = ? AND day >= ? AND day < ? AND max_gap_ms = ? ORDER BY day').raw(true),
      has: db.prepare('SELECT 1 FROM availability_days WHERE device = ? AND day = ? AND max_gap_ms = ? AND substr(span, 1, ?) = ? AND runs IS NOT NULL').pluck(),
      put: db.prepare('INSERT OR REPLACE INTO availability_days (device, day, max_gap_ms, span, runs) VALUES (?, ?, ?, ?, ?)'),
      invalidate: db.prepare('DELETE FROM availability_days WHERE device = ? AND day = ?'),
      prune: db.prepare('DELETE FROM availability_days WHERE day < ?'),
      pruneBatch: db.prepare('DELETE FROM availability_days WHERE (device, day, max_gap_ms) IN (SELECT device, day, max_gap_ms FROM availability_days WHERE day < ? LIMIT ?)'),
      firstDevice: db.prepare('SELECT device FROM availability_days ORDER BY device LIMIT 1').pluck(),
      deviceAfter: db.prepare('SELECT device FROM availability_days WHERE device > ? ORDER BY device LIMIT 1').pluck(),
      forgetDevice: db.prepare('DELETE FROM availability_days WHERE device = ?'),
      forgetOtherGaps: db.prepare('DELETE FROM availability_days WHERE device = ? AND max_gap_ms <> ?'),
    };
    this.latestDay = (db.prepare('SELECT max(day) FROM availability_days').pluck().get() as number | null) ?? Number.NEGATIVE_INFINITY;
  }

  /** whether a point at `day` may fall into a cached day (then `invalidate` it) */
  mayHold(day: number): boolean {
    return day <= this.latestDay;
  }

  /**
   * The cached days of [from, to) (day starts), oldest first; a row that is not a span of its day
   * is left out (computed again), and so is, `withRuns`, one without its runs (a timeline needs them)
   * but for a day over MAX_CACHED_RUNS: it is there with runs null (read its samples, do not store it
   * again). Without `withRuns` the spans' runs are null (not read).
   */
  read(device: string, maxGapMs: number, from: number, to: number, withRuns = false): Map<number, AvailabilitySpan> {
    const out = new Map<number, AvailabilitySpan>();
    const rows = (withRuns ? this.stmts.readWithRuns : this.stmts.read).all(device, from, to, maxGapMs) as [number, string, (string | null)?][];
    for (const [day, text, runs] of rows) {
      const span = decodeSpan(text);
      if (!span || !inDay(span, day)) continue;
      if (withRuns && runs !== RUNS_NOT_KEPT) {
        span.runs = decodeRuns(runs ?? null, span);
        if (!span.runs) continue;
      }
      out.set(day, span);
    }
    return out;
  }

  /** whether the day is cached in this encoding version with its runs: one primary-key seek, the span is not decoded */
  has(device: string, maxGapMs: number, day: number): boolean {
    const prefix = `[${ENCODING},`;
    return this.stmts.has.get(device, day, maxGapMs, prefix.length, prefix) !== undefined;
  }

  /** stores days of one device in one transaction; runs over MAX_CACHED_RUNS as RUNS_NOT_KEPT */
  put(device: string, maxGapMs: number, days: readonly (readonly [number, AvailabilitySpan])[]): void {
    if (days.length === 0) return;
    this.db.transaction(() => {
      for (const [day, span] of days) {
        this.stmts.put.run(device, day, maxGapMs, encodeSpan(span), runsColumn(span.runs));
        if (day > this.latestDay) this.latestDay = day;
      }
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

  /** one bounded step of prune: forgets at most `limit` of those days (the day index); the rows deleted */
  pruneBatch(before: number, limit: number): number {
    return this.stmts.pruneBatch.run(before, limit).changes;
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
