import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  ({ app } = await makeApp());
  const start = Date.now() + 86_400_000;
  for (const name of ['page-a', 'page-b']) {
    const r = await call(app, { method: 'POST', url: '/api/v1/maintenance', payload: { name, devices: ['dist-*'], start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() } });
    expect(r.status).toBe(201);
  }
});
afterAll(async () => app?.close());

describe('GET /api/v1/maintenance?limit=&offset=', () => {
  it('answers every window without limit/offset, with X-Total-Count', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/maintenance' });
    expect(r.status).toBe(200);
    expect(r.json.items.map((w: any) => w.name)).toEqual(['ups-battery-swap', 'page-a', 'page-b']);
    expect(r.headers['x-total-count']).toBe('3');
  });

  it('pages like /devices: the same order, the whole count in X-Total-Count', async () => {
    const all = (await call(app, { method: 'GET', url: '/api/v1/maintenance' })).json.items.map((w: any) => w.id);
    const cases: [string, string[]][] = [['limit=1', all.slice(0, 1)], ['limit=2&offset=1', all.slice(1, 3)], ['offset=2', all.slice(2)], ['offset=5', []], ['limit=10', all]];
    for (const [query, ids] of cases) {
      const r = await call(app, { method: 'GET', url: `/api/v1/maintenance?${query}` });
      expect(r.status, query).toBe(200);
      expect(r.json.items.map((w: any) => w.id), query).toEqual(ids);
      expect(r.headers['x-total-count'], query).toBe('3');
    }
  });

  it('refuses a bad limit or offset naming it', async () => {
    for (const [query, field] of [['limit=0', 'query.limit'], ['offset=-1', 'query.offset'], ['limit=x', 'query.limit']]) {
      const r = await call(app, { method: 'GET', url: `/api/v1/maintenance?${query}` });
      expect(r.status, query).toBe(400);
      expect(r.json.message, query).toContain(field);
    }
  });

  it('documents limit, offset and X-Total-Count in OpenAPI like /devices', () => {
    const spec = app.swagger() as any;
    for (const [path, more] of [['/api/v1/maintenance', []], ['/api/v1/devices', ['q']]] as const) {
      const op = spec.paths[path].get;
      expect(op.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name).sort(), path).toEqual(['limit', 'offset', ...more]);
      expect(op.responses['200'].headers['X-Total-Count'], path).toBeDefined();
    }
  });
});
