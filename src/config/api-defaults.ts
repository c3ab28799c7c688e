/** The API's limits when the config's `api:` section leaves them out (src/api/options.ts says what each is). */
export const API_DEFAULTS = {
  bodyLimit: 64 * 1024,
  mibBodyLimit: 5 * 1024 * 1024,
  rateLimit: { max: 120, timeWindowMs: 60_000 },
  readRateLimit: { max: 1200, timeWindowMs: 60_000 },
  authFailureLimit: { max: 10, timeWindowMs: 60_000 },
  heartbeatMs: 15_000,
  sseReplay: { maxEvents: 10_000, maxBytes: 8 * 1024 * 1024 },
  sseMaxClients: 100,
  sseMaxBufferedBytes: 1024 * 1024,
} as const;
