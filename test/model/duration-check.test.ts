// The one duration check (src/model/duration.ts) behind the config file's durations and the
// trap rules' and notification channels': its limits and its messages, case by case.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkDuration, MAX_SPAN_MS, MAX_TIMER_MS, parseDuration, type DurationLimits } from '../../src/model/duration.ts';
import { durationAsWritten, durationMs } from '../../src/model/duration-schema.ts';

const DAY = 86_400_000;
const digits = '9'.repeat(400);
const SPAN: DurationLimits = { max: MAX_SPAN_MS };

describe('checkDuration', () => {
  it.each<[unknown, DurationLimits, number]>([
    ['500ms', {}, 500],
    ['30s', {}, 30_000],
    [' 5m ', {}, 300_000],
    ['1h', {}, 3_600_000],
    ['7d', {}, 7 * DAY],
    [20, {}, 20_000],
    ['2.5s', {}, 2500],
    ['24d', {}, MAX_TIMER_MS],
    ['0s', { min: 0 }, 0],
    [0, { min: 0 }, 0],
    ['1s', { min: 1000 }, 1000],
    ['400d', SPAN, 400 * DAY],
    ['36500d', SPAN, MAX_SPAN_MS],
    ['1h', { min: 3_600_000, max: MAX_SPAN_MS }, 3_600_000],
  ])('%j %j -> %d ms', (v, limits, ms) => {
    expect(checkDuration(v, limits)).toEqual({ ms });
  });

  it.each<[unknown, DurationLimits, string]>([
    ['30x', {}, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a string of 3 characters'],
    ['', {}, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got an empty string'],
    ['soon', { min: 0 }, 'expected a duration like 500ms, 30s, 5m, 1h, got a string of 4 characters'],
    [-1, { min: 0 }, 'expected a duration like 500ms, 30s, 5m, 1h, got -1'],
    [0, {}, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got 0'],
    ['0ms', {}, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a shorter one'],
    ['10ms', { min: 1000 }, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1s), got a shorter one'],
    // the minimum in the unit it is whole in, as the maximum (was `60000 ms`); below a second in ms
    ['30s', { min: 60_000 }, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1m), got a shorter one'],
    [59, { min: 60_000 }, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1m), got 59'],
    ['1h', { min: 2 * 3_600_000, max: MAX_SPAN_MS }, 'expected a duration like 500ms, 30s, 5m, 1h (at least 2h), got a shorter one'],
    ['1s', { min: 1500 }, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1500ms), got a shorter one'],
    ['0s', { min: 100 }, 'expected a duration like 500ms, 30s, 5m, 1h (at least 100 ms), got a shorter one'],
    // a number is quoted when short; a long one (a secret typed as digits?) is described
    [-123_456_789_012, { min: 0 }, 'expected a duration like 500ms, 30s, 5m, 1h, got a negative number'],
    [-Infinity, { min: 0 }, 'expected a duration like 500ms, 30s, 5m, 1h, got a negative number'],
    [0.000123456789, {}, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a shorter one'],
    [NaN, {}, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got NaN'],
    // a string, even one that parses, is never quoted
    ['12345678ms', { min: 86_400_000, max: MAX_SPAN_MS }, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1d), got a shorter one'],
    [true, {}, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got true/false'],
    [null, {}, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got null'],
    [['5m'], {}, 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a list'],
    ['25d', {}, 'expected at most 24d'],
    [`${digits}s`, {}, 'expected at most 24d'],
    [1e308, {}, 'expected at most 24d'],
    [Infinity, {}, 'expected at most 24d'],
    ['8d', { max: 7 * DAY }, 'expected at most 7d'],
    // over the limit: not quoted (digits only, it may be a secret typed into a retention field; was cut to 24 characters)
    ['36501d', SPAN, 'expected at most 36500d (100 years), got a longer one'],
    [`${digits}d`, SPAN, 'expected at most 36500d (100 years), got a longer one'],
    ['1234567890123456789012', SPAN, 'expected at most 36500d (100 years), got a longer one'],
    ['31536000000001', SPAN, 'expected at most 36500d (100 years), got a longer one'],
    [31_536_000_000_001, SPAN, 'expected at most 36500d (100 years), got a longer one'],
    [1e306, SPAN, 'expected at most 36500d (100 years), got a longer one'],
    [Infinity, SPAN, 'expected at most 36500d (100 years), got a longer one'],
    ['36501d', { max: 2 * MAX_SPAN_MS }, 'expected at most 36500d (100 years), got a longer one'],
  ])('%j %j: %s', (v, limits, problem) => {
    expect(checkDuration(v, limits)).toEqual({ problem });
  });
});

describe('the zod fields on it', () => {
  it('durationMs gives ms; durationAsWritten keeps the value as written', () => {
    expect(durationMs().parse('5m')).toBe(300_000);
    expect(durationAsWritten().parse('5m')).toBe('5m');
    expect(durationAsWritten({ min: 0 }).parse(0)).toBe(0);
  });

  it.each([
    [durationMs(), '5x'],
    [durationAsWritten(), '5x'],
  ] as const)('both refuse with the same message (%#)', (schema, v) => {
    const r = (schema as z.ZodType).safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual(['expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a string of 2 characters']);
  });

  // durationAsWritten's union answered zod's `Invalid input` for a value neither string nor number
  it.each([
    [true, 'got true/false'],
    [['5m'], 'got a list'],
    [null, 'got null'],
  ] as const)('both tell %j as checkDuration does', (v, got) => {
    for (const schema of [durationMs(), durationAsWritten()] as z.ZodType[]) {
      const r = schema.safeParse(v);
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.message)).toEqual([`expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), ${got}`]);
    }
  });
});

describe('parseDuration on long input', () => {
  // the pattern had `\s*` on both sides of the optional unit: a run of spaces took quadratic time
  // (64k: 1.8 s; this one, 1 MiB, most of an hour), reachable through the series API's `step`
  it('a run of a million spaces between a number and junk is refused at once', () => {
    expect(parseDuration(`1${' '.repeat(1 << 20)}x`)).toBeUndefined();
    expect(parseDuration(`${' '.repeat(1 << 20)}5 m${' '.repeat(1 << 20)}`)).toBe(300_000);
  });
});
