import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * CORS through @fastify/cors: off by default, so browsers only let the same-origin UI read
 * the API. `true` allows any origin (`*`), a list reflects exactly those origins. Preflights
 * are answered in the onRequest hook, before the token check (browsers send no Authorization
 * on a preflight). No cookies are used (bearer tokens), so credentials are never allowed.
 */
export async function registerCors(app: FastifyInstance, allow: boolean | string[]): Promise<void> {
  if (allow === false || (Array.isArray(allow) && allow.length === 0)) return;
  await app.register(cors, {
    origin: allow === true ? '*' : allow,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match'],
    // response headers cross-origin scripts may read besides the CORS-safelisted ones
    exposedHeaders: ['x-total-count', 'retry-after', 'etag'],
    credentials: false,
    maxAge: 600,
    hook: 'onRequest',
  });
}
