/** The ETag a created item is answered with is documented where it is sent. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  ({ app } = await makeApp());
});
afterAll(async () => app?.close());

describe('OpenAPI: ETag on 201', () => {
  it.each([
    ['/api/v1/rules', { name: 'Created rule tag', severity: 'major', condition: { type: 'trap', trapOid: '1.3.6.1.4.1.9' } }],
    ['/api/v1/maintenance', { name: 'created-window-tag', devices: ['x-*'], start: new Date(Date.now() + 86_400_000).toISOString(), end: new Date(Date.now() + 90_000_000).toISOString() }],
  ])('POST %s sends an ETag and documents it', async (path, payload) => {
    const created = await call(app, { method: 'POST', url: path, payload });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect((app.swagger() as any).paths[path].post.responses['201'].headers?.ETag, path).toBeDefined();
  });
});
