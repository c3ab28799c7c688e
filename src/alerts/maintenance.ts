/**
 * Maintenance windows: which devices a window covers and whether a time falls inside it.
 * One-off windows are [start, end); recurring ones start at each cron occurrence (in their
 * time zone, UTC by default) and last `durationMs`.
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser';
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

type Matcher = (s: string) => boolean;

/** a window's cron expression and globs, made once: windows are asked per alert and per re-check */
interface CompiledWindow {
  from: Pick<MaintenanceWindow, 'schedule' | 'timezone' | 'devices' | 'tags'>;
  /** undefined: one-off, or a schedule that does not parse */
  cron: CronExpression | undefined;
  /** the last occurrence looked up: `start` is the latest occurrence at any time in [start, next) */
  between?: { start: number; next: number };
  devices: Matcher[];
  tags: [string, Matcher][];
}

const compiledWindows = new WeakMap<MaintenanceWindow, CompiledWindow>();

/** the window's compiled form; made again when its schedule, zone, devices or tags were replaced */
function compiled(w: MaintenanceWindow): CompiledWindow {
  const c = compiledWindows.get(w);
  if (c && c.from.schedule === w.schedule && c.from.timezone === w.timezone && c.from.devices === w.devices && c.from.tags === w.tags) return c;
  let cron: CronExpression | undefined;
  if (w.schedule) {
    try {
      cron = CronExpressionParser.parse(w.schedule, { tz: w.timezone ?? 'UTC' });
    } catch {
      cron = undefined;
    }
  }
  const made: CompiledWindow = {
    from: { schedule: w.schedule, timezone: w.timezone, devices: w.devices, tags: w.tags },
    cron,
    devices: w.devices.map(globMatcher),
    tags: Object.entries(w.tags).map(([k, v]) => [k, globMatcher(v)]),
  };
  compiledWindows.set(w, made);
  return made;
}

/** the latest occurrence of `cron` at or before `t` and the one after it (cached: checks come at close times) */
function occurrencesAround(c: CompiledWindow, cron: CronExpression, t: number): { start: number; next: number } | undefined {
  if (c.between && c.between.start <= t && t < c.between.next) return c.between;
  // prev() is strictly before the current date: +1 ms makes an occurrence starting exactly at t count
  cron.reset(new Date(t + 1));
  let start = cron.prev().getTime();
  // prev() skips an occurrence a DST gap moved (02:30 on the spring-forward night runs at 03:30);
  // next() from the occurrence before finds it
  cron.reset(new Date(start));
  for (let i = 0; i < 4; i++) {
    const n = cron.next().getTime();
    if (n > t) return (c.between = { start, next: n });
    start = n;
  }
  return undefined;
}

/** the occurrence of a recurring window in effect at `t` ([start, end) containing t), or undefined */
function occurrenceAt(w: MaintenanceWindow, t: number): { start: number; end: number } | undefined {
  const c = compiled(w);
  if (!c.cron || !w.durationMs) return undefined;
  try {
    const around = occurrencesAround(c, c.cron, t);
    return around && t < around.start + w.durationMs ? { start: around.start, end: around.start + w.durationMs } : undefined;
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
  const c = compiled(w);
  if (c.devices.some((m) => m(device))) return true;
  return c.tags.length > 0 && c.tags.every(([k, m]) => tags[k] !== undefined && m(tags[k]));
}

/** the first window covering `device` at `t` */
export function activeWindowFor(windows: readonly MaintenanceWindow[], device: string, tags: Record<string, string> | undefined, t: number): MaintenanceWindow | undefined {
  return windows.find((w) => windowCovers(w, device, tags) && isInWindow(w, t));
}

/** the next start of `w` after `t` (recurring: the next cron occurrence; one-off: start if still ahead) */
export function nextStartAfter(w: MaintenanceWindow, t: number): number | undefined {
  if (!w.schedule) return w.start !== undefined && w.start > t ? w.start : undefined;
  const c = compiled(w);
  if (!c.cron) return undefined;
  try {
    // from the occurrence in effect, as occurrenceAt() finds it: next() from t itself can skip one a DST gap moved
    return occurrencesAround(c, c.cron, t)?.next;
  } catch {
    return undefined;
  }
}
