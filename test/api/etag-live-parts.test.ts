/**
 * An ETag that covers only an item's stored definition must not answer 304 for a
 * representation whose live parts (a window's `active`, `covers`) changed without a write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  ({ app } = await makeApp({ rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } }));
});
afterAll(async () => app?.close());

describe('GET /maintenance/{id}: live parts', () => {
  it('answers the whole window (not 304) after a device it covers was added, with the same ETag', async () => {
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const end = new Date(Date.now() + 90_000_000).toISOString();
    const created = await call(app, { method: 'POST', url: '/api/v1/maintenance', payload: { name: 'live-window', devices: ['live-sw-*'], start, end } });
    expect(created.status).toBe(201);
    const url = `/api/v1/maintenance/${encodeURIComponent(created.json.id)}`;
    const first = await call(app, { method: 'GET', url });
    expect(first.json.covers).toEqual([]);
    const tag = first.headers.etag as string;
    expect(tag).toBe(created.headers.etag);

    expect((await call(app, { method: 'POST', url: '/api/v1/devices', payload: { name: 'live-sw-1', address: '127.0.0.78', credentials: 'lab-v2c' } })).status).toBe(201);
    const again = await call(app, { method: 'GET', url, headers: { 'if-none-match': tag } });
    expect(again.status).toBe(200);
    expect(again.json.covers).toEqual(['live-sw-1']);
    expect(again.headers.etag).toBe(tag); // the definition did not change: If-Match with it still deletes
    expect(again.headers['cache-control']).toBe('no-store');
    expect((await call(app, { method: 'DELETE', url, headers: { 'if-match': tag } })).status).toBe(204);
  });

  it('documents no 304 and no If-None-Match for it in OpenAPI', () => {
    const get = (app.swagger() as any).paths['/api/v1/maintenance/{id}'].get;
    expect(get.responses['304']).toBeUndefined();
    expect(get.responses['200'].headers?.ETag).toBeDefined();
    expect((get.parameters ?? []).some((x: any) => x.in === 'header' && x.name === 'if-none-match')).toBe(false);
  });
});

describe('304 answers of items without live parts', () => {
  it.each(['/api/v1/rules/link-down', '/api/v1/credentials/lab-v2c'])('%s: the ETag, no body and no Content-Length (the 200\'s is not 4)', async (url) => {
    const tag = (await call(app, { method: 'GET', url })).headers.etag as string;
    const r = await call(app, { method: 'GET', url, headers: { 'if-none-match': `"x", W/${tag}` } });
    expect(r.status).toBe(304);
    expect(r.body).toBe('');
    expect(r.headers.etag).toBe(tag);
    expect(r.headers['content-length']).toBeUndefined();
  });
});
