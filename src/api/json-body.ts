import { errorCodes, type FastifyInstance } from 'fastify';

/** a body key that would reach an object's prototype (refused like Fastify's own parser does, but told as such) */
export class ForbiddenKeyError extends Error {
  readonly statusCode = 400;
  constructor(readonly key: string) {
    super(`body: the key "${key}" is not allowed (it could reach object prototypes); rename or remove it`);
  }
}

function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new ForbiddenKeyError('__proto__');
  if (key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype')) throw new ForbiddenKeyError('constructor.prototype');
  return value;
}

/**
 * JSON bodies as Fastify parses them (empty and malformed bodies give its errors, so no part of the
 * body is echoed), except that a `__proto__` or `constructor.prototype` key is named in the 400.
 */
export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
    try {
      done(null, JSON.parse(text, refuseProtoKeys));
    } catch (err) {
      done(err instanceof ForbiddenKeyError ? err : new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    }
  });
}
