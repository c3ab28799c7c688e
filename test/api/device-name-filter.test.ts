import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => { ({ app } = await makeApp()); });
afterAll(async () => app?.close());

const names = (r: { json: any }) => r.json.items.map((d: any) => d.name);

describe('GET /api/v1/devices?q= (the UI\'s type-ahead)', () => {
  it('lists the devices whose name contains q, ignoring case; X-Total-Count counts the matches', async () => {
    const cases: [string, string[]][] = [
      ['q=sw', ['dist-sw1', 'dist-sw2', 'access-sw3']],
      ['q=DIST-SW', ['dist-sw1', 'dist-sw2']],
      ['q=ups', ['legacy-ups']],
      ['q=nothing-like-it', []],
      ['q=sw&limit=1', ['dist-sw1']],
      ['q=sw&limit=1&offset=2', ['access-sw3']],
    ];
    for (const [query, want] of cases) {
      const r = await call(app, { method: 'GET', url: `/api/v1/devices?${query}` });
      expect(r.status, query).toBe(200);
      expect(names(r), query).toEqual(want);
      expect(r.headers['x-total-count'], query).toBe(String(query.startsWith('q=sw') ? 3 : want.length));
    }
  });

  it('ignores Unicode normalization as a name conflict does: fullwidth ＳＷ finds -sw names', async () => {
    const r = await call(app, { method: 'GET', url: `/api/v1/devices?q=${encodeURIComponent('ＳＷ')}` });
    expect(r.status).toBe(200);
    expect(names(r)).toEqual(['dist-sw1', 'dist-sw2', 'access-sw3']);
  });

  it('an empty q lists every device', async () => {
    const all = await call(app, { method: 'GET', url: '/api/v1/devices' });
    const r = await call(app, { method: 'GET', url: '/api/v1/devices?q=' });
    expect(names(r)).toEqual(names(all));
    expect(r.headers['x-total-count']).toBe(String(all.json.items.length));
  });

  it('refuses a q longer than 256 characters naming it', async () => {
    const r = await call(app, { method: 'GET', url: `/api/v1/devices?q=${'a'.repeat(257)}` });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('query.q');
  });

  it('documents q in the OpenAPI description', async () => {
    const doc = (await call(app, { method: 'GET', url: '/docs/json', auth: false })).json;
    const params = doc?.paths?.['/api/v1/devices']?.get?.parameters ?? [];
    expect(params.map((p: any) => p.name)).toContain('q');
  });
});
