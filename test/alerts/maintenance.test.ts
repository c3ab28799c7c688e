import { describe, expect, it } from 'vitest';
import { isInWindow, nextStartAfter, windowCovers, type MaintenanceWindow } from '../../src/alerts/maintenance.ts';
import { formatIssues } from '../../src/alerts/rule-schema.ts';
import { maintenanceWindowSchema } from '../../src/alerts/maintenance-schema.ts';

const T = (iso: string) => Date.parse(iso);
const win = (over: Partial<MaintenanceWindow>): MaintenanceWindow => ({ id: 'w', name: 'w', devices: ['*'], tags: {}, origin: 'config', ...over });
const H = 3_600_000;

describe('is time T inside window W', () => {
  const oneOff = win({ start: T('2026-12-06T22:00:00Z'), end: T('2026-12-07T02:00:00Z') });
  // Sundays 23:00 UTC for 3 h: crosses midnight and the Sunday → Monday week boundary
  const sundayNight = win({ schedule: '0 23 * * 0', durationMs: 3 * H });
  // Saturdays 23:30 for 1 h in Berlin (UTC+1 in December, UTC+2 in July)
  const berlin = win({ schedule: '30 23 * * 6', durationMs: H, timezone: 'Europe/Berlin' });
  // every day 01:00-02:00 New York time (UTC-5 in winter)
  const newYork = win({ schedule: '0 1 * * *', durationMs: H, timezone: 'America/New_York' });
  // 6-field cron (seconds), every 15 minutes for 5 minutes
  const quarter = win({ schedule: '0 */15 * * * *', durationMs: 5 * 60_000 });
  // a window longer than the gap between its occurrences (hourly for 90 min): always inside
  const overlapping = win({ schedule: '0 * * * *', durationMs: 90 * 60_000 });

  it.each([
    ['one-off: before start', oneOff, '2026-12-06T21:59:59.999Z', false],
    ['one-off: at start (inclusive)', oneOff, '2026-12-06T22:00:00Z', true],
    ['one-off: across midnight', oneOff, '2026-12-07T00:30:00Z', true],
    ['one-off: last ms', oneOff, '2026-12-07T01:59:59.999Z', true],
    ['one-off: at end (exclusive)', oneOff, '2026-12-07T02:00:00Z', false],
    ['recurring: Sunday before', sundayNight, '2026-12-06T22:59:59Z', false],
    ['recurring: at the occurrence (inclusive)', sundayNight, '2026-12-06T23:00:00Z', true],
    ['recurring: past midnight, into Monday', sundayNight, '2026-12-07T01:30:00Z', true],
    ['recurring: at end (exclusive)', sundayNight, '2026-12-07T02:00:00Z', false],
    ['recurring: Saturday at the same hour', sundayNight, '2026-12-05T23:30:00Z', false],
    ['recurring: a week later', sundayNight, '2026-12-14T00:15:00Z', true],
    ['recurring: year boundary (Sun 2028-12-31 → Mon 2029-01-01)', sundayNight, '2029-01-01T00:59:00Z', true],
    ['tz Berlin winter: 23:30 local = 22:30 UTC', berlin, '2026-12-05T22:30:00Z', true],
    ['tz Berlin winter: 23:30 UTC is 00:30 local, inside', berlin, '2026-12-05T23:29:59Z', true],
    ['tz Berlin winter: 23:30 UTC is the end', berlin, '2026-12-05T23:30:00Z', false],
    ['tz Berlin winter: 22:29 UTC is before', berlin, '2026-12-05T22:29:59Z', false],
    ['tz Berlin summer (UTC+2): 21:30 UTC', berlin, '2026-07-04T21:30:00Z', true],
    ['tz Berlin summer: 22:30 UTC is the end', berlin, '2026-07-04T22:30:00Z', false],
    ['tz New York: 06:00 UTC = 01:00 EST, crosses the UTC date', newYork, '2026-12-07T06:10:00Z', true],
    ['tz New York: 01:00 UTC is 20:00 EST', newYork, '2026-12-07T01:10:00Z', false],
    ['seconds field: 10:15:00', quarter, '2026-12-07T10:15:00Z', true],
    ['seconds field: 10:19:59', quarter, '2026-12-07T10:19:59Z', true],
    ['seconds field: 10:20:00', quarter, '2026-12-07T10:20:00Z', false],
    ['overlapping occurrences', overlapping, '2026-12-07T10:59:00Z', true],
  ] as const)('%s', (_name, w, at, inside) => {
    expect(isInWindow(w, T(at))).toBe(inside);
  });

  it('gives the next start of a recurring window in its time zone', () => {
    expect(new Date(nextStartAfter(sundayNight, T('2026-12-07T01:00:00Z'))!).toISOString()).toBe('2026-12-13T23:00:00.000Z');
    expect(new Date(nextStartAfter(berlin, T('2026-12-01T00:00:00Z'))!).toISOString()).toBe('2026-12-05T22:30:00.000Z');
    expect(nextStartAfter(oneOff, T('2026-12-06T23:00:00Z'))).toBeUndefined();
  });
});

describe('which devices a window covers', () => {
  it.each([
    [['core-*'], {}, 'core-rtr1', {}, true],
    [['core-*'], {}, 'dist-sw1', {}, false],
    [['dist-sw1', 'dist-sw2'], {}, 'dist-sw2', {}, true],
    [[], { site: 'hq' }, 'x', { site: 'hq', role: 'core' }, true],
    [[], { site: 'hq', role: 'core' }, 'x', { site: 'hq' }, false],
    [[], { site: 'lab-*' }, 'x', { site: 'lab-2' }, true],
    [['core-*'], { site: 'hq' }, 'edge1', { site: 'hq' }, true],
    [[], {}, 'x', { site: 'hq' }, false],
  ] as [string[], Record<string, string>, string, Record<string, string>, boolean][])('devices %j tags %j: %s %j → %s', (devices, tags, device, deviceTags, covered) => {
    expect(windowCovers(win({ devices, tags }), device, deviceTags)).toBe(covered);
  });
});

describe('maintenance window input', () => {
  const problems = (input: unknown) => {
    const r = maintenanceWindowSchema.safeParse(input);
    return r.success ? [] : formatIssues('maintenance[0]', r.error);
  };

  it('takes one-off and recurring windows', () => {
    expect(maintenanceWindowSchema.parse({ name: 'a', devices: ['x'], start: '2026-12-06T22:00:00Z', end: '2026-12-07T03:00:00+01:00' }))
      .toMatchObject({ start: T('2026-12-06T22:00:00Z'), end: T('2026-12-07T02:00:00Z') });
    expect(maintenanceWindowSchema.parse({ name: 'b', tags: { site: 'hq' }, schedule: '0 2 * * 0', duration: '2h', timezone: 'Europe/Berlin' }))
      .toMatchObject({ schedule: '0 2 * * 0', duration: 2 * H, timezone: 'Europe/Berlin', devices: [] });
  });

  it.each([
    ['1m', 60_000],
    ['60000ms', 60_000],
    [60, 60_000],
    ['1.5m', 90_000],
    ['366d', 366 * 24 * H],
    ['8784h', 366 * 24 * H],
    [366 * 86_400, 366 * 24 * H],
  ] as [string | number, number][])('takes a recurring duration of %j (1m to 366d) → %d ms', (duration, ms) => {
    expect(maintenanceWindowSchema.parse({ name: 'a', devices: ['x'], schedule: '0 2 * * 0', duration }).duration).toBe(ms);
  });

  it.each([
    [{ name: 'a', start: '2026-12-06T22:00:00Z', end: '2026-12-07T02:00:00Z' }, 'maintenance[0].devices: a window must cover something'],
    [{ name: 'a', devices: ['x'], start: '2026-12-07T02:00:00Z', end: '2026-12-06T22:00:00Z' }, 'maintenance[0].end: must be after start'],
    [{ name: 'a', devices: ['x'], start: '2026-12-06 22:00', end: '2026-12-07T02:00:00Z' }, 'maintenance[0].start: expected an ISO 8601 time with a zone'],
    [{ name: 'a', devices: ['x'], start: '2026-12-06T22:00:00' , end: '2026-12-07T02:00:00Z' }, 'maintenance[0].start: expected an ISO 8601 time with a zone'],
    [{ name: 'a', devices: ['x'], start: '2026-12-06T22:00:00Z' }, 'maintenance[0].end: a one-off window needs end'],
    [{ name: 'a', devices: ['x'] }, 'maintenance[0].start: give start and end'],
    [{ name: 'a', devices: ['x'], schedule: '0 2 * * 0' }, 'maintenance[0].duration: a recurring window needs duration'],
    [{ name: 'a', devices: ['x'], schedule: '0 25 * * 0', duration: '1h' }, 'maintenance[0].schedule: expected a cron expression'],
    [{ name: 'a', devices: ['x'], schedule: '0 2 * * 0', duration: '2x' }, 'maintenance[0].duration: expected a duration like 500ms, 30s, 5m, 1h (at least 1m), got a string of 2 characters'],
    [{ name: 'a', devices: ['x'], schedule: '0 2 * * 0', duration: '59999ms' }, 'maintenance[0].duration: expected a duration like 500ms, 30s, 5m, 1h (at least 1m), got a shorter one'],
    [{ name: 'a', devices: ['x'], schedule: '0 2 * * 0', duration: 59 }, 'maintenance[0].duration: expected a duration like 500ms, 30s, 5m, 1h (at least 1m), got 59'],
    [{ name: 'a', devices: ['x'], schedule: '0 2 * * 0', duration: -60 }, 'maintenance[0].duration: expected a duration like 500ms, 30s, 5m, 1h (at least 1m), got -60'],
    [{ name: 'a', devices: ['x'], schedule: '0 2 * * 0', duration: '31622400001ms' }, 'maintenance[0].duration: expected at most 366d'],
    [{ name: 'a', devices: ['x'], schedule: '0 2 * * 0', duration: '367d' }, 'maintenance[0].duration: expected at most 366d'],
    [{ name: 'a', devices: ['x'], schedule: '0 2 * * 0', duration: '2h', timezone: 'Mars/Olympus' }, 'maintenance[0].timezone: unknown time zone "Mars/Olympus"'],
    [{ name: 'a', devices: ['x'], schedule: '0 2 * * 0', duration: '2h', start: '2026-12-06T22:00:00Z' }, 'maintenance[0].schedule: give either start and end'],
    [{ name: 'a', devices: ['x'], start: '2026-12-06T22:00:00Z', end: '2026-12-07T02:00:00Z', timezone: 'UTC' }, 'maintenance[0].timezone: only a recurring window'],
    [{ name: 'a', devices: ['x'], start: '2026-12-06T22:00:00Z', end: '2026-12-07T02:00:00Z', every: 'day' }, 'maintenance[0]: Unrecognized key: "every"'],
  ])('%j → %s', (input, message) => {
    expect(problems(input).join('\n')).toContain(message);
  });
});
