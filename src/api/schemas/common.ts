import { isIP } from 'node:net';
import { z } from 'zod';
import { DEVICE_NAME_RE, DEVICE_NAME_RULE } from '../../model/device-name.ts';
import { parseTimeSpec, type TimeSpec } from '../time.ts';

const HOSTNAME = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function isAddressOrHost(s: string): boolean {
  return isIP(s) !== 0 || HOSTNAME.test(s);
}

export const address = z.string().max(253).refine(isAddressOrHost, { message: 'expected an IPv4/IPv6 address or host name' });

/** device names, credential and rule ids: what goes into a URL path segment (the config's device-name rule) */
export const name = (what: string) => z.string().regex(DEVICE_NAME_RE, { message: `expected a ${what}: ${DEVICE_NAME_RULE}` });

/** what a name or free text must not hold: C0/C1 controls hide text, bidi controls reorder what it shows (U+202E) */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** the problem with a name (`multiline`: free text, where tabs and newlines may stand) or undefined */
export function textProblem(s: string, multiline = false): string | undefined {
  const c = (multiline ? CONTROL_BUT_LINES : CONTROL).exec(s) ?? BIDI.exec(s);
  if (!c) return undefined;
  const code = `U+${c[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `${BIDI.test(c[0]) ? 'bidirectional control character' : 'control character'} ${code} at ${c.index} (not allowed${multiline ? '; tabs and newlines are' : ''})`;
}

/** a display name or free text: no control or bidi characters */
export const text = (max: number, opts: { min?: number; multiline?: boolean } = {}) => z.string().min(opts.min ?? 0).max(max).superRefine((s, ctx) => {
  const problem = textProblem(s, opts.multiline);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const deviceId = name('device name');
export const idParams = z.strictObject({ id: name('id') });
/** `:id` of the /devices/:id/... routes */
export const deviceParams = z.strictObject({ id: deviceId });

export const tags = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { message: 'expected a tag name: letters, digits, _' }), z.string().max(256))
  .refine((t) => Object.keys(t).length <= 32, { message: 'at most 32 tags' });

/** a query time (src/api/time.ts): kept relative until the route resolves it with its own now */
export const time = z
  .string()
  .max(40)
  .transform((s, ctx): TimeSpec => {
    const spec = parseTimeSpec(s);
    if (typeof spec === 'string') {
      ctx.addIssue({ code: 'custom', message: spec });
      return z.NEVER;
    }
    return spec;
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
