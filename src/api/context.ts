import type { ApiServices } from './services.ts';
import type { Access } from './auth.ts';

/** Route config blocks: who may call, and the rate limits of reads and writes. */
export interface RouteContext {
  services: ApiServices;
  read: { access: Access; rateLimit: { max: number; timeWindow: number } };
  write: { access: Access; rateLimit: { max: number; timeWindow: number } };
  mibBodyLimit: number;
  heartbeatMs: number;
}
