/**
 * Maintenance windows: which devices a window covers and whether a time falls inside it.
 * One-off windows are [start, end); recurring ones start at each cron occurrence (in their
 * time zone, UTC by default) and last `durationMs`.
 */
import { CronExpressionParser } from 'cron-parser';
import { globMatcher } from './glob.ts';

export interface MaintenanceWindow {
  id: string;
  name: string;
  /** device name globs */
  devices: string[];
  /** tag name → value glob; a device carrying all of them is covered */
  tags: Record<string, string>;
  /** one-off window, ms since the epoch: start inclusive, end exclusive */
  start?: number;
  end?: number;
  /** recurring window: a 5-field cron expression (6 with seconds) and how long each occurrence lasts */
  schedule?: string;
  durationMs?: number;
  /** IANA time zone the schedule is read in (default UTC) */
  timezone?: string;
  comment?: string;
  origin: 'config' | 'api';
  createdAt?: number;
  createdBy?: string;
}

const isValidTimezone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** why a cron expression / time zone pair cannot be used, or undefined when it can */
export function scheduleProblem(schedule: string, timezone?: string): string | undefined {
  if (timezone !== undefined && !isValidTimezone(timezone)) return `unknown time zone "${timezone}" (expected an IANA name like Europe/Berlin)`;
  if (schedule.trim().split(/\s+/).length > 6) return `expected a cron expression of 5 fields (6 with seconds) like "0 2 * * 0", got "${schedule}"`;
  try {
    CronExpressionParser.parse(schedule, { tz: timezone ?? 'UTC', currentDate: new Date(0) }).next();
    return undefined;
  } catch (err) {
    return `expected a cron expression like "0 2 * * 0", got "${schedule}" (${(err as Error).message})`;
  }
}

/** the occurrence of a recurring window in effect at `t` ([start, end) containing t), or undefined */
function occurrenceAt(w: MaintenanceWindow, t: number): { start: number; end: number } | undefined {
  if (!w.schedule || !w.durationMs) return undefined;
  try {
    const tz = w.timezone ?? 'UTC';
    // prev() is strictly before currentDate: +1 ms makes an occurrence starting exactly at t count
    let start = CronExpressionParser.parse(w.schedule, { tz, currentDate: new Date(t + 1) }).prev().getTime();
    // prev() skips an occurrence a DST gap moved (02:30 on the spring-forward night runs at 03:30);
    // next() from the occurrence before finds it, as nextStartAfter() does
    const after = CronExpressionParser.parse(w.schedule, { tz, currentDate: new Date(start) });
    for (let i = 0; i < 4; i++) {
      const n = after.next().getTime();
      if (n > t) break;
      start = n;
    }
    return t < start + w.durationMs ? { start, end: start + w.durationMs } : undefined;
  } catch {
    return undefined;
  }
}

/** the [start, end) span of `w` containing `t`, or undefined when t is outside the window */
export function windowSpanAt(w: MaintenanceWindow, t: number): { start: number; end: number } | undefined {
  if (w.schedule) return occurrenceAt(w, t);
  if (w.start !== undefined && w.end !== undefined && w.start <= t && t < w.end) return { start: w.start, end: w.end };
  return undefined;
}

export function isInWindow(w: MaintenanceWindow, t: number): boolean {
  return windowSpanAt(w, t) !== undefined;
}

/** a device is covered when its name matches one of the globs, or it carries every listed tag (values are globs) */
export function windowCovers(w: MaintenanceWindow, device: string, tags: Record<string, string> = {}): boolean {
  if (w.devices.some((g) => globMatcher(g)(device))) return true;
  const wanted = Object.entries(w.tags);
  return wanted.length > 0 && wanted.every(([k, v]) => tags[k] !== undefined && globMatcher(v)(tags[k]));
}

/** the first window covering `device` at `t` */
export function activeWindowFor(windows: readonly MaintenanceWindow[], device: string, tags: Record<string, string> | undefined, t: number): MaintenanceWindow | undefined {
  return windows.find((w) => windowCovers(w, device, tags) && isInWindow(w, t));
}

/** the next start of `w` after `t` (recurring: the next cron occurrence; one-off: start if still ahead) */
export function nextStartAfter(w: MaintenanceWindow, t: number): number | undefined {
  if (!w.schedule) return w.start !== undefined && w.start > t ? w.start : undefined;
  try {
    return CronExpressionParser.parse(w.schedule, { tz: w.timezone ?? 'UTC', currentDate: new Date(t) }).next().getTime();
  } catch {
    return undefined;
  }
}
