import { z } from 'zod';
import { checkDuration, type DurationLimits } from './duration.ts';

/** a duration field (checkDuration) → its ms: the config file's */
export function durationMs(limits: DurationLimits = {}) {
  return z.any().transform((v, ctx): number => {
    const r = checkDuration(v, limits);
    if ('ms' in r) return r.ms;
    ctx.issues.push({ code: 'custom', input: v, message: r.problem });
    return z.NEVER;
  });
}

/**
 * a duration field (checkDuration) kept as written (`'5m'`, or a number of seconds): trap rules and
 * notification channels, stored and shown as given and parsed again when read back
 */
export function durationAsWritten(limits: DurationLimits = {}) {
  return z.union([z.string(), z.number()]).superRefine((v, ctx) => {
    const r = checkDuration(v, limits);
    if ('problem' in r) ctx.addIssue({ code: 'custom', message: r.problem });
  });
}
