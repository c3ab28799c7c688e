import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthFailures } from './auth-failures.ts';
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
 * asks for `req.mayRead`. Failed checks (a wrong or malformed token, not a missing one: the UI
 * asks for the token on its first 401) are counted per client address, `mayRead`'s too (`/ready`
 * shows details only to a valid token: it must not become an unlimited guessing oracle). The token
 * is checked before the address's block: a valid token passes from a blocked address (another
 * client behind the same NAT as a guesser); an invalid, malformed or missing one gets 429 there.
 */
export function installAuth(app: FastifyInstance, tokens: string[], openReads: boolean, failureLimit: { max: number; timeWindowMs: number }): void {
  const matches = tokenMatcher(tokens);
  const failures = new AuthFailures(failureLimit.max, failureLimit.timeWindowMs);
  app.decorateRequest('mayRead', {
    getter(this: FastifyRequest) {
      if (openReads) return true;
      const token = bearerToken(this.headers.authorization);
      if (token === undefined) return false;
      const ok = matches(token);
      if (!ok) failures.fail(this.ip);
      return ok;
    },
  });
  app.addHook('onRequest', async function checkToken(req: FastifyRequest, reply: FastifyReply) {
    const access = req.routeOptions.config?.access ?? 'public';
    if (access === 'public' || (access === 'read' && openReads)) return;
    const header = req.headers.authorization;
    const token = bearerToken(header);
    // a valid token passes even from a blocked address (a client behind the guesser's NAT); every
    // other request from it gets the same 429, whatever it sent
    if (token !== undefined && matches(token)) return;
    const blockedMs = failures.blockedFor(req.ip);
    if (blockedMs > 0) {
      const s = Math.ceil(blockedMs / 1000);
      return reply.code(429).header('retry-after', String(s)).send(errorPayload(429, `headers.authorization: too many failed token checks from ${req.ip}; retry in ${s} s`));
    }
    if (token === undefined) {
      if (header) failures.fail(req.ip);
      const why = header ? 'malformed Authorization header (expected "Bearer <token>")' : 'missing bearer token (Authorization: Bearer <token>)';
      return reply.code(401).header('www-authenticate', 'Bearer realm="netpulse"').send(errorPayload(401, `headers.authorization: ${why}`));
    }
    failures.fail(req.ip);
    return reply.code(401).header('www-authenticate', 'Bearer realm="netpulse", error="invalid_token"').send(errorPayload(401, 'headers.authorization: invalid token'));
  });
}
