/** Review: the maintenance window routes are behind the token like every other route (writes always). */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

describe('maintenance routes auth', () => {
  it.each([
    ['POST', '/api/v1/maintenance', { name: 'x', devices: ['a'], start: '2026-12-06T02:00:00Z', end: '2026-12-06T04:00:00Z' }],
    ['DELETE', '/api/v1/maintenance/some-id', undefined],
  ])('%s %s always needs a token', async (method, url, payload) => {
    const { app } = await makeApp({ openReads: true });
    apps.push(app);
    const r = await call(app, { method: method as 'POST', url, payload: payload as object, auth: false });
    expect(r.status).toBe(401);
  });

  it('GET /api/v1/maintenance needs a token unless openReads', async () => {
    const { app } = await makeApp();
    apps.push(app);
    expect((await call(app, { method: 'GET', url: '/api/v1/maintenance', auth: false })).status).toBe(401);
    expect((await call(app, { method: 'GET', url: '/api/v1/maintenance' })).status).toBe(200);
  });
});
