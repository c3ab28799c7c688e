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
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(input);
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

/** `got …` for a duration refused as too long: the value itself, cut short when long */
function tooLong(v: unknown): string {
  const text = typeof v === 'string' ? v.trim() : String(v);
  return text.length <= 24 ? `got ${text}` : `got ${text.slice(0, 12)}…${text.slice(-4)} (${text.length} characters)`;
}

/** `got …` for a duration refused as malformed or too short: a number as given, a string's shape only (shapeOf) */
export const gotTooShort = (v: unknown, ms: number | undefined): string =>
  `got ${typeof v === 'number' ? v : ms === undefined ? shapeOf(v) : 'a shorter one'}`;

/**
 * the problem of a duration past MAX_SPAN_MS, or undefined: `ms` (parseDuration's) not finite or
 * longer, or a number YAML read as Infinity (`.inf`, or digits beyond a double's range)
 */
export function spanProblem(v: unknown, ms: number | undefined): string | undefined {
  const over = ms === undefined ? v === Infinity : !(ms <= MAX_SPAN_MS);
  return over ? `expected at most ${formatDuration(MAX_SPAN_MS)} (100 years), ${tooLong(v)}` : undefined;
}

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
 * string (shapeOf: it may be a secret given in the wrong field), but for a span past MAX_SPAN_MS,
 * quoted (cut short) as it parses as a duration: digits and a unit.
 */
export function checkDuration(v: unknown, limits: DurationLimits = {}): { ms: number } | { problem: string } {
  const min = limits.min ?? 1;
  const max = Math.min(limits.max ?? MAX_TIMER_MS, MAX_SPAN_MS);
  const ms = typeof v === 'string' || typeof v === 'number' ? parseDuration(v) : undefined;
  const span = spanProblem(v, ms);
  if (span || (ms !== undefined && ms > max)) return { problem: max < MAX_SPAN_MS ? `expected at most ${formatDuration(max)}` : span! };
  if (ms === undefined || ms < min) {
    return { problem: `expected a duration like 500ms, 30s, 5m, 1h${min > 0 ? ` (at least ${min} ms)` : ''}, ${gotTooShort(v, ms)}` };
  }
  return { ms };
}
