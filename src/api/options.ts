import type { FastifyServerOptions } from 'fastify';

/** What the API needs from the config's `api:` section, plus limits with sane defaults. */
export interface ApiOptions {
  /** bearer tokens; every write needs one, reads too unless openReads */
  tokens: string[];
  openReads: boolean;
  /** false: no CORS headers (same-origin UI only); true: any origin; a list: those origins */
  cors: boolean | string[];
  /** writes per client address per window */
  rateLimit?: { max: number; timeWindowMs: number };
  /** bytes; default 64 KiB */
  bodyLimit?: number;
  /** bytes for MIB uploads; default 5 MiB */
  mibBodyLimit?: number;
  /** Fastify logger option; secrets are redacted whatever is passed */
  logger?: FastifyServerOptions['logger'];
  /** serve the web UI at / (default true) */
  ui?: boolean;
  /** serve OpenAPI at /docs (default true) */
  docs?: boolean;
  /** SSE heartbeat period (default 15 s) */
  heartbeatMs?: number;
  /** SSE replay ring: the recent events a reconnecting client can resume from (default 10,000 events, 8 MiB) */
  sseReplay?: { maxEvents: number; maxBytes: number };
}

export const API_DEFAULTS = {
  bodyLimit: 64 * 1024,
  mibBodyLimit: 5 * 1024 * 1024,
  rateLimit: { max: 120, timeWindowMs: 60_000 },
  heartbeatMs: 15_000,
  sseReplay: { maxEvents: 10_000, maxBytes: 8 * 1024 * 1024 },
} as const;

/** pino redact paths: secrets never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'community', 'authKey', 'privKey', 'token', 'tokens',
  '*.community', '*.authKey', '*.privKey', '*.token', '*.tokens',
  '*.*.community', '*.*.authKey', '*.*.privKey',
];
