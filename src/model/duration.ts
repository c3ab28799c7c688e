import { shapeOf } from './shape-of.ts';

/** a timer's longest wait (setTimeout fires at once above 2^31 - 1 ms, ≈ 24.8 days) */
export const MAX_TIMER_MS = 24 * 86_400_000;

/**
 * The longest span (a retention) a duration may give: 100 years. A retention past about 56 years
 * already keeps everything (its cutoff falls before 1970), so 100 leaves room without a limit
 * anyone meets; InfluxDB holds a retention policy's duration in int64 nanoseconds (≈ 292 years),
 * and a digit string of any length would otherwise parse to Infinity (nothing ever deleted).
 */
export const MAX_SPAN_MS = 36_500 * 86_400_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `30s`, `5m`, `1h`, `7d` or a plain number of seconds. Returns ms, or undefined if malformed. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input * 1000 : undefined;
  // trimmed first: `\s*` on both sides of the optional unit made a run of spaces quadratic (64k: 1.8 s)
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(input.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 's']);
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** a number is quoted up to this many characters; a longer one below a minimum (many decimals, a long negative) is described */
const QUOTED_NUMBER_CHARS = 8;

/**
 * `got …` for a duration refused as malformed or too short: a short number as given, a string's
 * shape only (shapeOf), never the string: it may be a secret given in the wrong field
 */
const gotTooShort = (v: unknown, ms: number | undefined): string => {
  if (typeof v !== 'number') return `got ${ms === undefined ? shapeOf(v) : 'a shorter one'}`;
  if (String(v).length <= QUOTED_NUMBER_CHARS) return `got ${v}`;
  return `got ${ms === undefined ? 'a negative number' : 'a shorter one'}`;
};

/** a minimum as the messages write it: `1m`, `10s`; below a second in ms (`100 ms`) */
const minimumText = (ms: number): string => (ms < 1000 ? `${ms} ms` : formatDuration(ms));

/**
 * the problem of a duration over `max` (a timer's: `expected at most 24d`; a span's: past 100 years).
 * The value is not quoted: digits only, it may be a secret typed into a retention field.
 */
const tooLong = (max: number): string =>
  max < MAX_SPAN_MS ? `expected at most ${formatDuration(max)}` : `expected at most ${formatDuration(MAX_SPAN_MS)} (100 years), got a longer one`;

/**
 * What a duration may give, in ms: at least `min` (default 1) and at most `max` (default
 * MAX_TIMER_MS: most durations end up in a timer, and an interval of 30d would fire every
 * millisecond); a span that is not one (a retention) passes a larger `max`, never beyond MAX_SPAN_MS.
 */
export interface DurationLimits {
  min?: number;
  max?: number;
}

/**
 * A duration given in a config file, a rule or a channel (`500ms`, `30s`, `5m`, `1h`, `7d`, or a
 * number of seconds) → its ms, or the problem with it, which names a string's shape, never the
 * string (shapeOf: it may be a secret given in the wrong field), nor a value over the limit.
 */
export function checkDuration(v: unknown, limits: DurationLimits = {}): { ms: number } | { problem: string } {
  const min = limits.min ?? 1;
  const max = Math.min(limits.max ?? MAX_TIMER_MS, MAX_SPAN_MS);
  const ms = typeof v === 'string' || typeof v === 'number' ? parseDuration(v) : undefined;
  // digits beyond a double's range parse to Infinity; a number YAML read as Infinity (`.inf`, such digits unquoted) does not parse
  if (ms === undefined ? v === Infinity : ms > max) return { problem: tooLong(max) };
  if (ms === undefined || ms < min) {
    return { problem: `expected a duration like 500ms, 30s, 5m, 1h${min > 0 ? ` (at least ${minimumText(min)})` : ''}, ${gotTooShort(v, ms)}` };
  }
  return { ms };
}
