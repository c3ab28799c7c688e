/** A maintenance window as the config file and the API take it (zod; errors name the field). */
import { z } from 'zod';
import { parseDuration } from '../model/duration.ts';
import { durationAsWritten } from '../model/duration-schema.ts';
import { scheduleProblem, type MaintenanceWindow } from './maintenance.ts';

/** ISO 8601 with a date, a time and a zone (`Z` or `+02:00`): a bare local time would depend on the server's zone */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Date.parse rolls 2026-02-31 over into March: the day must be one its month has */
const dayExists = (v: string): boolean => {
  const [y, m, d] = v.slice(0, 10).split('-').map(Number);
  return d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
};

const isoTime = z.string().max(64).transform((v, ctx): number => {
  const ms = ISO_WITH_ZONE.test(v) && dayExists(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `expected an ISO 8601 time with a zone like 2026-12-06T02:00:00Z or 2026-12-06T03:00:00+01:00, got "${v}"` });
    return z.NEVER;
  }
  return ms;
});

/** the longest window: a recurring occurrence's duration, and a one-off window's end - start */
const MAX_WINDOW_MS = 366 * 86_400_000;

/** 1m to 366d, a string or a number (the OpenAPI document shows them) → ms; checked before the transform runs */
const durationMs = durationAsWritten({ min: 60_000, max: MAX_WINDOW_MS }).transform((v) => parseDuration(v)!);

const text = (max: number) => z.string().min(1, { error: 'must not be empty' }).max(max).regex(/^[^\u0000-\u001f]*$/, { error: 'no control characters' });

export const maintenanceWindowSchema = z
  .strictObject({
    name: text(128),
    /** device name globs (`core-*`) */
    devices: z.array(text(256)).max(1000).default([]),
    /** devices carrying all of these tags (values are globs) */
    tags: z.record(z.string().min(1).max(64), z.string().max(256)).default({}),
    start: isoTime.optional(),
    end: isoTime.optional(),
    schedule: z.string().max(128).optional(),
    duration: durationMs.optional(),
    /** IANA time zone of `schedule` (default UTC) */
    timezone: z.string().max(64).optional(),
    comment: z.string().max(1024).optional(),
  })
  .superRefine((w, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (w.devices.length === 0 && Object.keys(w.tags).length === 0) problem('devices', 'a window must cover something: list device names/globs in devices or tags in tags');
    const oneOff = w.start !== undefined || w.end !== undefined;
    const recurring = w.schedule !== undefined || w.duration !== undefined;
    if (oneOff && recurring) problem('schedule', 'give either start and end (one-off) or schedule and duration (recurring), not both');
    else if (!oneOff && !recurring) problem('start', 'give start and end (ISO 8601, one-off) or schedule and duration (recurring)');
    else if (oneOff) {
      if (w.start === undefined) problem('start', 'a one-off window needs start');
      else if (w.end === undefined) problem('end', 'a one-off window needs end');
      else if (w.end <= w.start) problem('end', 'must be after start');
      else if (w.end - w.start > MAX_WINDOW_MS) problem('end', 'a one-off window lasts at most 366 days');
    } else {
      if (w.schedule === undefined) problem('schedule', 'a recurring window needs schedule (a cron expression)');
      else if (w.duration === undefined) problem('duration', 'a recurring window needs duration (e.g. 2h)');
      if (w.schedule !== undefined) {
        const bad = scheduleProblem(w.schedule, w.timezone);
        if (bad) problem(bad.startsWith('unknown time zone') ? 'timezone' : 'schedule', bad);
      }
    }
    if (w.timezone !== undefined && !recurring) problem('timezone', 'only a recurring window (schedule) takes a time zone');
  });

export type MaintenanceWindowSpec = z.output<typeof maintenanceWindowSchema>;

/** the validated input as a window */
export function toWindow(spec: MaintenanceWindowSpec, id: string, origin: MaintenanceWindow['origin']): MaintenanceWindow {
  const w: MaintenanceWindow = { id, name: spec.name, devices: spec.devices, tags: spec.tags, origin };
  if (spec.start !== undefined) w.start = spec.start;
  if (spec.end !== undefined) w.end = spec.end;
  if (spec.schedule !== undefined) w.schedule = spec.schedule;
  if (spec.duration !== undefined) w.durationMs = spec.duration;
  if (spec.timezone !== undefined) w.timezone = spec.timezone;
  if (spec.comment !== undefined) w.comment = spec.comment;
  return w;
}
