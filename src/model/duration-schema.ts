import { z } from 'zod';
import { checkDuration, type DurationLimits } from './duration.ts';

/** a duration field (checkDuration) → its ms: the config file's, and the series API's `step` */
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
 * notification channels, stored and shown as given and parsed again when read back (maintenance
 * windows use it too, then parse it to ms)
 */
export function durationAsWritten(limits: DurationLimits = {}) {
  const problem = (v: unknown): string | undefined => {
    const r = checkDuration(v, limits);
    return 'problem' in r ? r.problem : undefined;
  };
  // neither a string nor a number (true, a list): told as checkDuration tells it, not zod's `Invalid input`
  return z.union([z.string(), z.number()], { error: (iss) => problem(iss.input) }).superRefine((v, ctx) => {
    const p = problem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });
}
