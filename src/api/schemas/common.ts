import { isIP } from 'node:net';
import { z } from 'zod';
import { parseDuration } from '../../model/index.ts';

const HOSTNAME = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function isAddressOrHost(s: string): boolean {
  return isIP(s) !== 0 || HOSTNAME.test(s);
}

export const address = z.string().max(253).refine(isAddressOrHost, { message: 'expected an IPv4/IPv6 address or host name' });

/** device names, credential and rule ids: what goes into a URL path segment */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const name = (what: string) =>
  z.string().regex(NAME_RE, { message: `expected a ${what}: letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128` });

export const deviceId = name('device name');
export const idParams = z.strictObject({ id: name('id') });
/** `:id` of the /devices/:id/... routes */
export const deviceParams = z.strictObject({ id: deviceId });

export const tags = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { message: 'expected a tag name: letters, digits, _' }), z.string().max(256))
  .refine((t) => Object.keys(t).length <= 32, { message: 'at most 32 tags' });

/** `now`, `-1h` (relative), an ISO 8601 time or epoch milliseconds → ms since the epoch */
export function parseTime(s: string, now = Date.now()): number | undefined {
  const t = s.trim();
  if (t === 'now') return now;
  if (t.startsWith('-')) {
    const d = parseDuration(t.slice(1));
    return d === undefined || !/[a-z]$/.test(t) ? undefined : now - d;
  }
  if (/^\d{1,15}$/.test(t)) return Number(t);
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

export const time = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const ms = parseTime(s);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected a time: now, -15m/-1h/-7d, ISO 8601 or epoch milliseconds' });
      return z.NEVER;
    }
    return ms;
  });

export const limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

export const errorBody = z.object({
  statusCode: z.number(),
  error: z.string(),
  message: z.string(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** the error responses every route can give */
export const errors = {
  400: errorBody,
  401: errorBody,
  404: errorBody,
  409: errorBody,
  413: errorBody,
  415: errorBody,
  422: errorBody,
  429: errorBody,
} as const;

export const emptyBody = z.strictObject({}).nullish();
