import type { FastifyInstance } from 'fastify';

/**
 * Minimal CORS (no @fastify/cors installed): off by default, so browsers only let the
 * same-origin UI read the API. `true` allows any origin, a list allows those origins.
 * No cookies are used (bearer tokens), so credentials are never allowed.
 */
export function registerCors(app: FastifyInstance, cors: boolean | string[]): void {
  if (cors === false || (Array.isArray(cors) && cors.length === 0)) return;
  const allowed = (origin: string | undefined) => origin !== undefined && (cors === true || (cors as string[]).includes(origin));
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (!allowed(origin)) return;
    reply.header('access-control-allow-origin', cors === true ? '*' : origin!);
    reply.header('vary', 'Origin');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      reply.header('access-control-allow-methods', 'GET, POST, PUT, DELETE');
      reply.header('access-control-allow-headers', 'authorization, content-type');
      reply.header('access-control-max-age', '600');
      return reply.code(204).send();
    }
  });
  app.options('/*', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.code(204).send());
}
