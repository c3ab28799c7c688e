// The bearer token is hashed only where the answer depends on it: not on public routes that never
// ask whether the caller may read (health, docs, UI files), nor on reads with openReads.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { TOKEN, call, makeApp } from './helpers.ts';

/** what was fed to a hash */
const hashed = vi.hoisted(() => [] as string[]);
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  const createHash: typeof crypto.createHash = (algorithm, options) => {
    const hash = crypto.createHash(algorithm, options);
    const update = hash.update.bind(hash) as (data: unknown, encoding?: unknown) => typeof hash;
    hash.update = ((data: unknown, encoding?: unknown) => {
      hashed.push(String(data));
      return update(data, encoding);
    }) as typeof hash.update;
    return hash;
  };
  return { ...crypto, default: { ...crypto, createHash }, createHash };
});

let closed: FastifyInstance;
let open: FastifyInstance;
beforeAll(async () => {
  closed = (await makeApp()).app;
  open = (await makeApp({ openReads: true })).app;
});
afterAll(async () => {
  await Promise.all([closed?.close(), open?.close()]);
});
const WRONG = 'wrong-token-0123456789';
const tokenHashed = (token: string) => hashed.includes(token);

describe('token hashing', () => {
  it.each(['/health', '/docs/json', '/'])('GET %s hashes no token and answers 200, whatever the Authorization header', async (url) => {
    for (const authorization of [`Bearer ${WRONG}`, `Bearer ${TOKEN}`, 'garbage', 'Bearer', `Basic ${Buffer.from('a:b').toString('base64')}`]) {
      hashed.length = 0;
      const r = await call(closed, { method: 'GET', url, auth: false, headers: { authorization } });
      expect(r.status, authorization).toBe(200);
      expect(tokenHashed(WRONG) || tokenHashed(TOKEN), authorization).toBe(false);
    }
  });

  it('hashes it on /ready, which shows details only to a caller that may read', async () => {
    hashed.length = 0;
    const r = await call(closed, { method: 'GET', url: '/ready', auth: false, headers: { authorization: `Bearer ${WRONG}` } });
    expect(r.status).toBe(200);
    expect(tokenHashed(WRONG)).toBe(true);
  });

  it('hashes it on reads only without openReads, and on writes always', async () => {
    hashed.length = 0;
    expect((await call(closed, { method: 'GET', url: '/api/v1/devices', auth: false, headers: { authorization: `Bearer ${WRONG}` } })).status).toBe(401);
    expect(tokenHashed(WRONG)).toBe(true);
    hashed.length = 0;
    expect((await call(open, { method: 'GET', url: '/api/v1/devices', auth: false, headers: { authorization: `Bearer ${WRONG}` } })).status).toBe(200);
    expect(tokenHashed(WRONG)).toBe(false);
    expect((await call(open, { method: 'POST', url: '/api/v1/topology/discover', auth: false, headers: { authorization: `Bearer ${WRONG}` } })).status).toBe(401);
    expect(tokenHashed(WRONG)).toBe(true);
  });
});
