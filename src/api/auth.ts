import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorPayload } from './errors.ts';

/** What a route needs: `public` (health, UI files), `read` (open if openReads), `write` (always a token). */
export type Access = 'public' | 'read' | 'write';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /**
     * the caller may read (open reads, or a valid token): public routes show details only then.
     * A getter: the token is hashed when a route asks, not for every public request.
     */
    readonly mayRead: boolean;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Compares against every token in constant time: both sides are hashed to the same length
 * and every configured token is compared, so neither length nor position leaks.
 */
export function tokenMatcher(tokens: string[]): (candidate: string) => boolean {
  const digests = tokens.filter((t) => t.length > 0).map(digest);
  return (candidate) => {
    const c = digest(candidate);
    let ok = false;
    for (const d of digests) ok = timingSafeEqual(c, d) || ok;
    return ok;
  };
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

/**
 * The token check (`onRequest`) and `req.mayRead`. A presented token is hashed only where the
 * answer depends on it: read routes without openReads, write routes, and a public route that
 * asks for `req.mayRead`.
 */
export function installAuth(app: FastifyInstance, tokens: string[], openReads: boolean): void {
  const matches = tokenMatcher(tokens);
  app.decorateRequest('mayRead', {
    getter(this: FastifyRequest) {
      if (openReads) return true;
      const token = bearerToken(this.headers.authorization);
      return token !== undefined && matches(token);
    },
  });
  app.addHook('onRequest', async function checkToken(req: FastifyRequest, reply: FastifyReply) {
    const access = req.routeOptions.config?.access ?? 'public';
    if (access === 'public' || (access === 'read' && openReads)) return;
    const header = req.headers.authorization;
    const token = bearerToken(header);
    if (token === undefined) {
      const why = header ? 'malformed Authorization header (expected "Bearer <token>")' : 'missing bearer token (Authorization: Bearer <token>)';
      return reply.code(401).header('www-authenticate', 'Bearer realm="netpulse"').send(errorPayload(401, `headers.authorization: ${why}`));
    }
    if (!matches(token)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="netpulse", error="invalid_token"').send(errorPayload(401, 'headers.authorization: invalid token'));
    }
  });
}
