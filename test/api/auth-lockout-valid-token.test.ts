/**
 * The failed-token lockout is per client address: a client with a valid token behind the same NAT
 * as a guesser is not locked out, while every request from that address without the right token
 * keeps getting the same 429. The token comparison has no early exit.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
const { timingSafeEqual } = await import('node:crypto');
const { tokenMatcher } = await import('../../src/api/auth.ts');
const { AUTH, call, makeApp } = await import('./helpers.ts');

const apps: FastifyInstance[] = [];
afterEach(async () => { await Promise.all(apps.splice(0).map((a) => a.close())); });

const NAT = '198.51.100.7';
const BAD = { authorization: 'Bearer wrong-token-0123456789' };

async function lockedApp(): Promise<FastifyInstance> {
  const { app } = await makeApp({ authFailureLimit: { max: 3, timeWindowMs: 60_000 } });
  apps.push(app);
  for (let i = 0; i < 3; i++) expect((await call(app, { method: 'GET', url: '/api/v1/devices', auth: false, headers: BAD, remoteAddress: NAT })).status).toBe(401);
  return app;
}

describe('failed-token lockout and valid tokens', () => {
  it('lets a valid token through from a locked address, for reads and writes', async () => {
    const app = await lockedApp();
    expect((await call(app, { method: 'GET', url: '/api/v1/devices', auth: false, headers: BAD, remoteAddress: NAT })).status).toBe(429);
    expect((await call(app, { method: 'GET', url: '/api/v1/devices', remoteAddress: NAT })).status).toBe(200);
    expect((await call(app, { method: 'GET', url: '/api/v1/alerts', remoteAddress: NAT })).status).toBe(200);
    const write = await call(app, { method: 'POST', url: '/api/v1/topology/discover', remoteAddress: NAT });
    expect(write.status).toBeLessThan(300);
  });

  it('answers a locked address the same 429 for any wrong, malformed or missing token, also after a valid one passed', async () => {
    const app = await lockedApp();
    const from = (headers: Record<string, string>) => call(app, { method: 'GET', url: '/api/v1/devices', auth: false, headers, remoteAddress: NAT });
    const answers = [];
    for (const headers of [BAD, { authorization: `Bearer ${AUTH.authorization.slice(7, -1)}X` }, { authorization: 'Token nonsense' }, {}]) {
      const res = await from(headers);
      answers.push([res.status, res.json.message.replace(/\d+ s$/, 'N s'), /^\d+$/.test(String(res.headers['retry-after']))]);
    }
    expect((await from(AUTH)).status).toBe(200);
    const after = await from(BAD);
    answers.push([after.status, after.json.message.replace(/\d+ s$/, 'N s'), true]);
    const want = [429, `headers.authorization: too many failed token checks from ${NAT}; retry in N s`, true];
    expect(answers).toEqual([want, want, want, want, want]);
  });

  it('keeps other addresses unaffected', async () => {
    const app = await lockedApp();
    expect((await call(app, { method: 'GET', url: '/api/v1/devices', auth: false, headers: BAD, remoteAddress: '198.51.100.8' })).status).toBe(401);
  });

  it('compares a candidate with every configured token (no early exit), whether it matches the first, the last or none', () => {
    const matches = tokenMatcher(['first-token-0123456789', 'second-token-0123456789', 'third-token-0123456789']);
    const spy = vi.mocked(timingSafeEqual);
    const comparisons = (candidate: string) => {
      spy.mockClear();
      const ok = matches(candidate);
      return [ok, spy.mock.calls.length, spy.mock.calls.every(([a, b]) => (a as Buffer).length === 32 && (b as Buffer).length === 32)];
    };
    expect(comparisons('first-token-0123456789')).toEqual([true, 3, true]);
    expect(comparisons('third-token-0123456789')).toEqual([true, 3, true]);
    expect(comparisons('x')).toEqual([false, 3, true]);
    expect(comparisons('x'.repeat(10_000))).toEqual([false, 3, true]);
  });
});
