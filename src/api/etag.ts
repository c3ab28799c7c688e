/**
 * Optimistic concurrency for the items a client edits (devices, credential profiles, rules,
 * maintenance windows): an ETag per item, `If-Match` on its writes (412 when the item changed
 * since the tag was read), `If-None-Match` on its writes (412) and on the reads of the items whose
 * answer the tag covers whole (credential profiles, rules: 304; a device's or window's answer has
 * live parts, so its GET carries the tag for If-Match but never answers 304).
 *
 * Tags are strong (`"<hash>"`, so If-Match's strong comparison applies): a SHA-256 of the
 * item's stored representation as the API shows it (what a PUT replaces, not live status),
 * keys sorted. Secrets never enter a tag: credential profiles hash their non-secret summary
 * plus a per-process random salt and a write counter (see `credentials.ts`).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorPayload } from './errors.ts';
import { keyedLock } from './keyed-lock.ts';

/** JSON with object keys sorted at every level, undefined fields left out: equal values, equal text */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** the strong entity tag of a stored representation */
export function etagOf(stored: unknown): string {
  return `"${createHash('sha256').update(canonicalJson(stored)).digest('base64url').slice(0, 27)}"`;
}

/** the entity tags of an If-Match / If-None-Match value; `*` is `'*'` */
export function parseTagList(header: string): { any: boolean; tags: { weak: boolean; tag: string }[] } {
  if (header.trim() === '*') return { any: true, tags: [] };
  const tags = [...header.matchAll(/(W\/)?("[^"]*")/g)].map((m) => ({ weak: m[1] !== undefined, tag: m[2] }));
  return { any: false, tags };
}

const headerValue = (h: string | string[] | undefined) => (Array.isArray(h) ? h.join(', ') : h);

/**
 * The 412 body for a write whose preconditions fail against the item's current tag
 * (`current` undefined: the item does not exist), or undefined when the write may go ahead.
 * If-Match compares strongly (a weak tag never matches), If-None-Match weakly.
 */
function failedPrecondition(req: FastifyRequest, what: string, current: string | undefined) {
  const ifMatch = headerValue(req.headers['if-match']);
  if (ifMatch !== undefined) {
    const { any, tags } = parseTagList(ifMatch);
    const matches = current !== undefined && (any || tags.some((t) => !t.weak && t.tag === current));
    if (!matches) {
      const now = current === undefined ? 'it does not exist' : `its ETag is now ${current}`;
      return errorPayload(412, `headers.if-match: ${what} has changed since ${ifMatch.slice(0, 100)} was read (${now}); read it again and retry`);
    }
  }
  const ifNoneMatch = headerValue(req.headers['if-none-match']);
  if (ifNoneMatch !== undefined && current !== undefined && weakMatch(ifNoneMatch, current)) {
    return errorPayload(412, `headers.if-none-match: ${what} exists (ETag ${current})`);
  }
  return undefined;
}

function weakMatch(header: string, current: string): boolean {
  const { any, tags } = parseTagList(header);
  return any || tags.some((t) => t.tag === current);
}

/**
 * Sets the item's ETag on a read; true when the client's If-None-Match already names it
 * (the route then answers 304 without a body).
 */
export function notModified(req: FastifyRequest, reply: FastifyReply, current: string): boolean {
  void reply.header('etag', current);
  const ifNoneMatch = headerValue(req.headers['if-none-match']);
  return ifNoneMatch !== undefined && weakMatch(ifNoneMatch, current);
}

/** the 304 itself: no payload, so no Content-Length (a serialized `null` would announce 4 bytes the 200 does not have) */
export function sendNotModified(reply: FastifyReply): FastifyReply {
  return reply.code(304).send();
}

export interface GuardedItem {
  /** the item's id: writes of one key run one at a time */
  key: string;
  /** the item as a 412 names it: `rule "x"` */
  what: string;
  /** its current ETag, undefined when it does not exist */
  tag: () => Promise<string | undefined>;
  creates?: boolean;
}

/**
 * A route's guard for the writes of one kind of item: `guard(req, reply, item, write)` runs
 * `write(current)` once the request's preconditions hold against the item's current tag, else
 * answers 412; one write per key at a time. `item.tag()` is undefined when the item does not
 * exist: then `write(undefined)` runs unchecked and answers its own 404 (preconditions do not
 * turn a 404 into a 412), unless `item.creates` (a PUT that creates: If-Match fails,
 * If-None-Match: * holds).
 */
export function writeGuard() {
  const lock = keyedLock();
  return <T>(req: FastifyRequest, reply: FastifyReply, item: GuardedItem, write: (current: string | undefined) => Promise<T>) =>
    lock(item.key, async () => {
      const current = await item.tag();
      const stale = current !== undefined || item.creates ? failedPrecondition(req, item.what, current) : undefined;
      return stale ? reply.code(412).send(stale) : write(current);
    });
}

// ---------- OpenAPI ----------

const tagList = z.string().max(2048);
/** request headers of a read of one item */
export const readHeaders = z.looseObject({
  'if-none-match': tagList.optional().describe('an ETag from an earlier read: 304 (no body) while the item still has it'),
});
/** request headers of a write of one item */
export const writeHeaders = z.looseObject({
  'if-match': tagList.optional().describe('the ETag the item had when read (or *): 412 if it has changed since (or is gone); without it the write goes ahead (last writer wins)'),
  'if-none-match': tagList.optional().describe('* (or an ETag): 412 if the item exists (has that ETag)'),
});
/** the ETag response header, as @fastify/swagger reads it off a response schema */
export const withEtag = <T extends z.ZodType>(schema: T) => schema.meta({
  headers: { ETag: { type: 'string', description: 'strong ETag of the stored item (what a write replaces); send it back in If-Match' } },
});
export const notModifiedBody = z.null().describe('not modified: the item still has the ETag sent in If-None-Match');
