/** Review fixes: a recurring window on the night clocks spring forward; one-off windows of absurd length. */
import { describe, expect, it } from 'vitest';
import { isInWindow, nextStartAfter, windowSpanAt, type MaintenanceWindow } from '../../src/alerts/maintenance.ts';
import { maintenanceWindowSchema } from '../../src/alerts/maintenance-schema.ts';

const T = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const win = (over: Partial<MaintenanceWindow>): MaintenanceWindow => ({ id: 'w', name: 'w', devices: ['*'], tags: {}, origin: 'config', ...over });

describe('recurring window across a DST change', () => {
  // daily 02:30-03:30 Berlin time; on 2026-03-29 02:30 does not exist (02:00 CET -> 03:00 CEST)
  const nightly = win({ schedule: '30 2 * * *', durationMs: H, timezone: 'Europe/Berlin' });

  it('the spring-forward occurrence (moved to 03:30 CEST = 01:30Z) is in effect where nextStartAfter says it starts', () => {
    const next = nextStartAfter(nightly, T('2026-03-28T12:00:00Z'))!;
    expect(new Date(next).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(isInWindow(nightly, next)).toBe(true);
    expect(isInWindow(nightly, T('2026-03-29T02:15:00Z'))).toBe(true);
    expect(windowSpanAt(nightly, T('2026-03-29T02:15:00Z'))).toEqual({ start: next, end: next + H });
    expect(isInWindow(nightly, T('2026-03-29T02:30:00Z'))).toBe(false);
    expect(isInWindow(nightly, T('2026-03-29T01:29:59Z'))).toBe(false);
  });

  it('the days around it are unchanged', () => {
    expect(isInWindow(nightly, T('2026-03-28T01:45:00Z'))).toBe(true); // 02:45 CET
    expect(isInWindow(nightly, T('2026-03-30T00:45:00Z'))).toBe(true); // 02:45 CEST
    expect(isInWindow(nightly, T('2026-03-30T01:45:00Z'))).toBe(false);
  });
});

describe('one-off window length', () => {
  const parse = (start: string, end: string) => maintenanceWindowSchema.safeParse({ name: 'x', devices: ['a'], start, end });

  it('accepts up to 366 days', () => {
    expect(parse('2026-12-06T00:00:00Z', '2027-12-07T00:00:00Z').success).toBe(true);
  });

  it('rejects a one-off window longer than 366 days (a typo in the year silences alerts for ever)', () => {
    const r = parse('2026-12-06T00:00:00Z', '2062-12-06T00:00:00Z');
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toMatch(/end/);
    expect(parse('2026-12-06T00:00:00Z', '+275760-09-13T00:00:00Z').success).toBe(false);
  });
});

describe('one-off window times', () => {
  it.each(['2026-02-31T00:00:00Z', '2026-02-29T00:00:00Z', '2026-04-31T00:00:00+02:00'])('rejects a day the month does not have (%s), not roll it into the next month', (start) => {
    const r = maintenanceWindowSchema.safeParse({ name: 'x', devices: ['a'], start, end: '2026-06-01T00:00:00Z' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toMatch(/start/);
  });

  it('accepts 29 February of a leap year', () => {
    expect(maintenanceWindowSchema.safeParse({ name: 'x', devices: ['a'], start: '2028-02-29T00:00:00Z', end: '2028-03-01T00:00:00Z' }).success).toBe(true);
  });
});
