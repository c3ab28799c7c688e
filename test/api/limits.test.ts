/** Failed token checks counted per client address, reads rate-limited, the client address behind a trusted proxy. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { AuthFailures } from '../../src/api/auth-failures.ts';
import type { ApiOptions } from '../../src/api/options.ts';
import { AUTH, call, makeApp } from './helpers.ts';

const apps: FastifyInstance[] = [];
afterEach(async () => { await Promise.all(apps.splice(0).map((a) => a.close())); });
async function app(over: Partial<ApiOptions> = {}) {
  const { app: a } = await makeApp(over);
  apps.push(a);
  return a;
}
const BAD = { authorization: 'Bearer wrong-token-0123456789' };

describe('AuthFailures', () => {
  it('blocks an address past max failures until its window ends, tracking at most maxKeys addresses', () => {
    let now = 0;
    const f = new AuthFailures(2, 1000, () => now, 3);
    f.fail('a');
    expect(f.blockedFor('a')).toBe(0);
    f.fail('a');
    now = 400;
    expect([f.blockedFor('a'), f.blockedFor('b')]).toEqual([600, 0]);
    now = 1000;
    expect(f.blockedFor('a')).toBe(0);
    f.fail('a'); // a new window
    f.fail('a');
    for (const k of ['b', 'c', 'd']) f.fail(k); // 'a' is the oldest of 4: forgotten
    expect(f.blockedFor('a')).toBe(0);
  });
});

describe('failed token checks', () => {
  it('answer 429 with Retry-After past the limit, for every route and any request without the right token, from that address only', async () => {
    const a = await app({ authFailureLimit: { max: 3, timeWindowMs: 60_000 } });
    const from = (remoteAddress: string, headers: Record<string, string>, url = '/api/v1/devices') =>
      call(a, { method: 'GET', url, auth: false, headers, remoteAddress });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await from('10.0.0.1', BAD)).status);
    codes.push((await from('10.0.0.1', { authorization: 'Token nonsense' })).status);
    expect(codes).toEqual([401, 401, 401, 429]);
    const blocked = await from('10.0.0.1', BAD, '/api/v1/alerts');
    expect([blocked.status, blocked.headers['retry-after']]).toEqual([429, expect.stringMatching(/^\d+$/)]);
    expect(blocked.json.message).toMatch(/^headers\.authorization: too many failed token checks from 10\.0\.0\.1; retry in \d+ s$/);
    expect((await from('10.0.0.1', {})).status).toBe(429);
    expect((await from('10.0.0.1', AUTH)).status).toBe(200);
    expect((await from('10.0.0.2', AUTH)).status).toBe(200);
    expect((await from('10.0.0.1', {}, '/health')).status).toBe(200);
  });

  it('/ready\'s token check counts too: past the limit a wrong token gets 429 elsewhere; the right one still shows details', async () => {
    const a = await app({ authFailureLimit: { max: 2, timeWindowMs: 60_000 } });
    const ready = (headers: Record<string, string>) => call(a, { method: 'GET', url: '/ready', auth: false, headers, remoteAddress: '10.0.0.3' });
    expect((await ready(AUTH)).json.checks[2].detail).toBe('udp 127.0.0.1:0');
    for (let i = 0; i < 2; i++) expect((await ready(BAD)).json.checks[2].detail).toBeUndefined();
    expect((await ready(AUTH)).json.checks[2].detail).toBe('udp 127.0.0.1:0');
    expect((await call(a, { method: 'GET', url: '/api/v1/alerts', auth: false, headers: BAD, remoteAddress: '10.0.0.3' })).status).toBe(429);
  });

  it('a missing token (the UI before its login) is not counted', async () => {
    const a = await app({ authFailureLimit: { max: 2, timeWindowMs: 60_000 } });
    for (let i = 0; i < 4; i++) expect((await call(a, { method: 'GET', url: '/api/v1/devices', auth: false })).status).toBe(401);
    expect((await call(a, { method: 'GET', url: '/api/v1/devices' })).status).toBe(200);
  });
});

describe('read rate limit and trustProxy', () => {
  it('limits reads per client address', async () => {
    const a = await app({ readRateLimit: { max: 3, timeWindowMs: 60_000 } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await call(a, { method: 'GET', url: '/api/v1/alerts' })).status);
    expect(codes).toEqual([200, 200, 200, 429]);
  });

  it.each([
    [false, [200, 429]],
    [true, [200, 200]],
  ])('trustProxy %s: X-Forwarded-For names the client the limits count', async (trustProxy, want) => {
    const a = await app({ readRateLimit: { max: 1, timeWindowMs: 60_000 }, trustProxy });
    const codes = [];
    for (const client of ['192.0.2.1', '192.0.2.2']) codes.push((await call(a, { method: 'GET', url: '/api/v1/alerts', headers: { 'x-forwarded-for': client } })).status);
    expect(codes).toEqual(want);
  });
});
