/** A window's cron expression and globs are made once, not per alert / per re-check. */
import { CronExpressionParser } from 'cron-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isInWindow, nextStartAfter, windowCovers, type MaintenanceWindow } from '../../src/alerts/maintenance.ts';

const T = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const win = (over: Partial<MaintenanceWindow>): MaintenanceWindow => ({ id: 'w', name: 'w', devices: ['core-*'], tags: {}, origin: 'config', ...over });

describe('compiled maintenance windows', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses a recurring window once over many checks, with the same answers', () => {
    const parse = vi.spyOn(CronExpressionParser, 'parse');
    const w = win({ schedule: '0 2 * * 0', durationMs: 2 * H });
    for (let i = 0; i < 50; i++) {
      expect(isInWindow(w, T('2026-12-06T03:00:00Z'))).toBe(true);
      expect(isInWindow(w, T('2026-12-06T04:00:00Z'))).toBe(false);
      expect(nextStartAfter(w, T('2026-12-06T03:00:00Z'))).toBe(T('2026-12-13T02:00:00Z'));
    }
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('a replaced schedule or device list is compiled again', () => {
    const w = win({ schedule: '0 2 * * 0', durationMs: 2 * H });
    expect(isInWindow(w, T('2026-12-06T03:00:00Z'))).toBe(true);
    w.schedule = '0 5 * * 0';
    expect(isInWindow(w, T('2026-12-06T03:00:00Z'))).toBe(false);
    expect(isInWindow(w, T('2026-12-06T06:00:00Z'))).toBe(true);
    expect(windowCovers(w, 'core-1')).toBe(true);
    w.devices = ['edge-*'];
    expect(windowCovers(w, 'core-1')).toBe(false);
    expect(windowCovers(w, 'edge-1')).toBe(true);
  });

  it('answers from the cached occurrence as a fresh window would, across DST changes and in any order', () => {
    const specs: Partial<MaintenanceWindow>[] = [
      { schedule: '30 2 * * *', durationMs: H, timezone: 'Europe/Berlin' },
      { schedule: '0 */5 * * *', durationMs: 7 * H, timezone: 'America/New_York' },
      { schedule: '15 1 * * 0', durationMs: 30 * 60_000 },
    ];
    const from = T('2026-03-27T00:00:00Z');
    const times = [...Array(400).keys()].map((i) => from + i * 17 * 60_000);
    times.push(...times.slice(0, 100).reverse(), T('2026-11-01T05:59:00Z'), T('2026-11-01T06:30:00Z'), from);
    for (const spec of specs) {
      const cached = win(spec);
      for (const t of times) {
        const fresh = () => win(spec);
        expect(isInWindow(cached, t), `${spec.schedule} at ${new Date(t).toISOString()}`).toBe(isInWindow(fresh(), t));
        expect(nextStartAfter(cached, t)).toBe(nextStartAfter(fresh(), t));
      }
    }
  });

  it('nextStartAfter in the hour a DST gap skips names the moved occurrence, as isInWindow sees it', () => {
    // 02:30 Berlin does not exist on 2026-03-29; that night's occurrence runs at 03:30 CEST = 01:30Z
    const nightly = win({ schedule: '30 2 * * *', durationMs: H, timezone: 'Europe/Berlin' });
    for (const at of ['2026-03-29T01:05:00Z', '2026-03-29T01:29:00Z']) {
      expect(isInWindow(win(nightly), T(at))).toBe(false);
      expect(nextStartAfter(win(nightly), T(at))).toBe(T('2026-03-29T01:30:00Z'));
    }
    expect(isInWindow(win(nightly), T('2026-03-29T01:30:00Z'))).toBe(true);
  });

  it('a schedule that does not parse is never in effect and has no next start', () => {
    const w = win({ schedule: 'not a cron', durationMs: H });
    expect(isInWindow(w, T('2026-12-06T03:00:00Z'))).toBe(false);
    expect(nextStartAfter(w, T('2026-12-06T03:00:00Z'))).toBeUndefined();
  });
});
