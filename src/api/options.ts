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
  /** reads (GET) per client address per window; generous (default 1200 a minute) */
  readRateLimit?: { max: number; timeWindowMs: number };
  /** failed token checks per client address per window before it gets 429 for the rest of it (default 10 a minute) */
  authFailureLimit?: { max: number; timeWindowMs: number };
  /**
   * Fastify's trustProxy: which proxies' X-Forwarded-For names the client address the limits
   * count by (default false: the socket address). true (any proxy) or the proxies' addresses/CIDRs.
   */
  trustProxy?: boolean | string | string[];
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
  /** live-update (SSE) clients connected at once (default 100); one more gets 503 + Retry-After */
  sseMaxClients?: number;
  /** unsent bytes per live SSE client before it is dropped (default 1 MiB) */
  sseMaxBufferedBytes?: number;
}

/** the limits' defaults live with the config that may override them (config below api) */
export { API_DEFAULTS } from '../config/api-defaults.ts';

/** pino redact paths: secrets never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'community', 'authKey', 'privKey', 'token', 'tokens',
  '*.community', '*.authKey', '*.privKey', '*.token', '*.tokens',
  '*.*.community', '*.*.authKey', '*.*.privKey',
];
