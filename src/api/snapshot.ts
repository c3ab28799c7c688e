/**
 * What a route derives from a services snapshot (`DevicesPort.list()` hands out the same
 * array while nothing changed), computed once per snapshot and forgotten with it.
 */
import type { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';

export function perSnapshot<S extends object, R>(derive: (snapshot: S) => R): (snapshot: S) => R {
  const memo = new WeakMap<S, R>();
  return (snapshot) => {
    if (!memo.has(snapshot)) memo.set(snapshot, derive(snapshot));
    return memo.get(snapshot)!;
  };
}

/**
 * A route's 200 body built once per snapshot by the serializer Fastify would run on it
 * (zod checks and strips it, then JSON); `sendJson` sends it as it is.
 */
export function bodyPerSnapshot<S extends object, T extends z.ZodType>(
  schema: T, route: { method: string; url: string }, payload: (snapshot: S) => z.output<T>,
): (snapshot: S) => Buffer {
  const serialize = serializerCompiler({ schema, ...route, httpStatus: '200' });
  return perSnapshot((snapshot: S) => Buffer.from(serialize(payload(snapshot))));
}

/** bytes from `bodyPerSnapshot`, with the content type Fastify gives the JSON it serializes (it does not serialize a Buffer) */
export function sendJson(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}
