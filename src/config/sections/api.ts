/** `api`: the HTTP API and UI. First version by the config loader, extended by the API engineer. */
import { z } from 'zod';
import { API_DEFAULTS } from '../api-defaults.ts';
import { cidr, duration, integer, listen } from '../primitives.ts';

/** a token travels in `Authorization: Bearer <token>`, which ends at white space; controls cannot be sent */
const UNSENDABLE = /[\s\p{Cc}]/u;

const tokens = z
  .array(
    z
      .string()
      .min(16, { error: 'tokens must be at least 16 characters' })
      .refine((t) => !UNSENDABLE.test(t), { error: 'must not contain white space or control characters (an Authorization header cannot carry them)' }),
  )
  .default([])
  .superRefine((list, ctx) => {
    const first = new Map<string, number>();
    list.forEach((t, i) => {
      const seen = first.get(t);
      if (seen !== undefined) ctx.addIssue({ code: 'custom', path: [i], input: undefined, message: `duplicate token (the same as tokens[${seen}])` });
      else first.set(t, i);
    });
  });

/**
 * `scheme://host[:port]` exactly as a browser sends it in `Origin` (lower case, no default port,
 * no path or trailing slash): anything else never matches. Origins are public, so the message
 * may quote the entry.
 */
export function originProblem(entry: string): string | undefined {
  if (entry === '*') return undefined;
  const expected = 'expected an origin like https://ui.example.com (scheme://host[:port], no path or trailing slash) or "*"';
  let origin: string;
  try {
    const url = new URL(entry);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${expected}; only http and https pages have an origin to allow`;
    origin = url.origin;
  } catch {
    return expected;
  }
  return origin === entry ? undefined : `${expected}; did you mean "${origin}"?`;
}

const cors = z
  .union([z.boolean(), z.array(z.string())], { error: 'expected false, true (any origin) or a list of origins' })
  .default(false)
  .superRefine((v, ctx) => {
    if (!Array.isArray(v)) return;
    v.forEach((entry, i) => {
      const problem = originProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', path: [i], input: undefined, message: problem });
      else if (entry === '*' && v.length > 1) ctx.addIssue({ code: 'custom', path: [i], input: undefined, message: '"*" allows every origin: list it alone (or set cors: true)' });
    });
  })
  // ["*"] is `true`: the CORS layer reads a list as exact origins
  .transform((v) => (Array.isArray(v) && v.length === 1 && v[0] === '*' ? true : v));

/** below this, one large event (a topology change) would drop every live-update client */
const MIN_SSE_BUFFERED_BYTES = 64 * 1024;

const count = (min: number, unit: string) => integer(`expected a whole number of ${unit}, at least ${min}`, min);

/** `{ max, window }` in the file → ApiOptions' `{ max, timeWindowMs }` */
const perWindow = (dflt: { max: number; timeWindowMs: number }) =>
  z
    .strictObject({
      max: count(1, 'requests').default(dflt.max),
      window: duration({ min: 1000 }).default(dflt.timeWindowMs),
    })
    .transform((r) => ({ max: r.max, timeWindowMs: r.window }))
    .prefault({});

/** false (the socket address), true (any proxy: a client can name itself) or the proxies' addresses/CIDR blocks */
const trustProxy = z
  .union([z.boolean(), cidr(), z.array(cidr())], { error: 'expected false, true (any proxy) or a list of proxy addresses or CIDR blocks' })
  .default(false)
  .transform((v): boolean | string[] => (typeof v === 'string' ? [v] : v));

export const apiSchema = z
  .strictObject({
    listen: listen('127.0.0.1:8080'),
    /** bearer tokens (secrets); writes always need one */
    tokens,
    /** allow GETs without a token */
    openReads: z.boolean().default(false),
    /** false, true or ["*"] (any origin) or a list of allowed origins */
    cors,
    /** writes per client address per window */
    rateLimit: perWindow(API_DEFAULTS.rateLimit),
    /** reads (GET) per client address per window */
    readRateLimit: perWindow(API_DEFAULTS.readRateLimit),
    /** failed token checks per client address per window, then 429 for the rest of it */
    authFailureLimit: perWindow(API_DEFAULTS.authFailureLimit),
    /** whose X-Forwarded-For names the client address the limits count by */
    trustProxy,
    /** live-update (SSE) clients at once */
    sseMaxClients: count(1, 'clients').default(API_DEFAULTS.sseMaxClients),
    /** unsent bytes per live-update client before it is dropped */
    sseMaxBufferedBytes: count(MIN_SSE_BUFFERED_BYTES, 'bytes').default(API_DEFAULTS.sseMaxBufferedBytes),
  })
  .prefault({});

export type ApiConfig = z.output<typeof apiSchema>;

/** what the loader warns about in `api` (the config is accepted) */
export function apiWarnings(api: ApiConfig): string[] {
  const warnings: string[] = [];
  if (api.cors === true) warnings.push('api.cors: every origin may call the API from a browser page (cors is true or "*"); list the UI\'s origins instead unless that is meant');
  if (api.trustProxy === true) warnings.push('api.trustProxy: any client may name its own address in X-Forwarded-For and so escape the per-address limits; list the proxies\' addresses instead unless every connection comes through one');
  return warnings;
}
