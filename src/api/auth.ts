import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorPayload } from './errors.ts';

/** What a route needs: `public` (health, UI files), `read` (open if openReads), `write` (always a token). */
export type Access = 'public' | 'read' | 'write';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** the caller may read (open reads, or a valid token): public routes show details only then; set on public routes */
    mayRead: boolean;
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

export function authHook(tokens: string[], openReads: boolean) {
  const matches = tokenMatcher(tokens);
  return async function checkToken(req: FastifyRequest, reply: FastifyReply) {
    const access = req.routeOptions.config?.access ?? 'public';
    const header = req.headers.authorization;
    const token = bearerToken(header);
    if (access === 'public') {
      req.mayRead = openReads || (token !== undefined && matches(token));
      return;
    }
    if (access === 'read' && openReads) return;
    if (token === undefined) {
      const why = header ? 'malformed Authorization header (expected "Bearer <token>")' : 'missing bearer token (Authorization: Bearer <token>)';
      return reply.code(401).header('www-authenticate', 'Bearer realm="netpulse"').send(errorPayload(401, `headers.authorization: ${why}`));
    }
    if (!matches(token)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="netpulse", error="invalid_token"').send(errorPayload(401, 'headers.authorization: invalid token'));
    }
  };
}
