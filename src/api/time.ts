/**
 * Times in queries, parsed once for every route. A relative time is kept relative until the route
 * resolves it with the `now` it uses for its defaults, so validation and the range check agree.
 *
 * - `now`, `-15m`, `-1h`, `-7d` (relative to the route's now)
 * - ISO 8601 date or date-time; without a zone (`2026-03-01`, `2026-03-01T10:00`) it is UTC;
 *   an impossible date (`2026-02-30`, `T24:00`) is refused
 * - epoch digits by magnitude: below 1e10 seconds (up to 2286), from 1e11 milliseconds (from
 *   1973); in between (seconds after 2286 or milliseconds in 1970-73) refused as ambiguous
 * - resolved times must fall within 1970-01-01 .. 9999-12-31 (UTC)
 */
import { parseDuration } from '../model/index.ts';

export type TimeSpec = { at: number } | { ago: number };

const MIN_TIME = 0;
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const SECONDS_BELOW = 1e10;
const MS_FROM = 1e11;

const TIME_FORMATS = 'now, -15m/-1h/-7d, ISO 8601 (no zone: UTC), epoch seconds or milliseconds';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function parseIso(t: string): number | string | undefined {
  const m = ISO.exec(t);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  const zone = m[8];
  if (m[4] === undefined && zone !== undefined) return `"${t}": a zone needs a time of day`;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  if (month < 1 || month > 12 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return `"${t}": no such date or time`;
  }
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const [h, min] = [Number(z[2]), Number(z[3] ?? 0)];
    if (h > 23 || min > 59) return `"${t}": no such zone offset`;
    offset = (z[1] === '-' ? -1 : 1) * (h * 60 + min) * 60_000;
  }
  return date.getTime() - offset;
}

/** A time as a query gives it, or the problem (without the field name). Absolute times are range-checked here. */
export function parseTimeSpec(s: string): TimeSpec | string {
  const t = s.trim();
  const bad = `expected a time: ${TIME_FORMATS}`;
  if (t === 'now') return { ago: 0 };
  if (t.startsWith('-')) {
    const d = parseDuration(t.slice(1));
    return d === undefined || !/[a-z]$/.test(t) ? bad : { ago: d };
  }
  let at: number;
  if (/^\d{1,16}$/.test(t)) {
    const n = Number(t);
    if (n >= SECONDS_BELOW && n < MS_FROM) return `"${t}" is ambiguous (epoch seconds after 2286 or milliseconds in 1970-73): send seconds below 1e10, milliseconds from 1e11, or ISO 8601`;
    at = n < SECONDS_BELOW ? n * 1000 : n;
  } else {
    const iso = parseIso(t);
    if (iso === undefined) return bad;
    if (typeof iso === 'string') return iso;
    at = iso;
  }
  return outOfRange(at) ?? { at };
}

function outOfRange(ms: number): string | undefined {
  if (ms < MIN_TIME) return 'before 1970-01-01T00:00:00Z';
  if (ms > MAX_TIME) return 'after 9999-12-31T23:59:59.999Z';
  return undefined;
}

function resolveTime(spec: TimeSpec, now: number): number {
  return 'at' in spec ? spec.at : now - spec.ago;
}

/** `now`/relative/ISO/epoch → ms, or undefined when it is not a time (a relative one resolved against `now`) */
export function parseTime(s: string, now = Date.now()): number | undefined {
  const spec = parseTimeSpec(s);
  if (typeof spec === 'string') return undefined;
  const ms = resolveTime(spec, now);
  return outOfRange(ms) === undefined ? ms : undefined;
}

export interface RangeRules {
  /** from when the query has none: to - this */
  defaultSpanMs?: number;
  /** the longest range allowed */
  maxSpanMs?: number;
  /** from == to is refused (an empty range) */
  nonEmpty?: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * from/to resolved with one `now` (to defaults to now, from to `to - defaultSpanMs` when given),
 * or the 400 message naming the field. The same order message on every route.
 */
export function resolveRange(q: { from?: TimeSpec; to?: TimeSpec }, now: number, rules: RangeRules = {}): { from?: number; to: number } | string {
  const to = q.to === undefined ? now : resolveTime(q.to, now);
  const toProblem = outOfRange(to);
  if (toProblem) return `query.to: ${toProblem}`;
  const from = q.from !== undefined ? resolveTime(q.from, now) : rules.defaultSpanMs !== undefined ? Math.max(MIN_TIME, to - rules.defaultSpanMs) : undefined;
  if (from === undefined) return { to };
  const fromProblem = outOfRange(from);
  if (fromProblem) return `query.from: ${fromProblem}`;
  if (from > to || (rules.nonEmpty && from === to)) return `query.from: must be before query.to (${iso(from)} ${from === to ? '=' : '>'} ${iso(to)})`;
  if (rules.maxSpanMs !== undefined && to - from > rules.maxSpanMs) return `query.from: range over ${rules.maxSpanMs / 86_400_000} days (narrow from..to)`;
  return { from, to };
}
