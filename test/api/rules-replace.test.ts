import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => ({ app } = await makeApp()));
afterAll(async () => app?.close());

const rule = (name: string) => ({ name, severity: 'major', condition: { type: 'trap', trapOid: '1.3.6.1.4.1.9' } });

describe('PUT /api/v1/rules/{id}', () => {
  it('answers 404 for an unknown id even when the name belongs to another rule', async () => {
    // "Link down" is the fake's rule link-down; in another letter case it is still taken
    for (const name of ['Link down', 'LINK DOWN']) {
      const r = await call(app, { method: 'PUT', url: '/api/v1/rules/no-such-rule', payload: rule(name) });
      expect(r.status, name).toBe(404);
      expect(r.json.message).toBe('params.id: no rule "no-such-rule"');
    }
  });

  it('still answers 409 for a known id taking another rule\'s name, and 200 keeping its own', async () => {
    const id = (await call(app, { method: 'POST', url: '/api/v1/rules', payload: rule('Replace me') })).json.id as string;
    const taken = await call(app, { method: 'PUT', url: `/api/v1/rules/${id}`, payload: rule('link DOWN') });
    expect(taken.status).toBe(409);
    expect(taken.json.message).toContain('rule link-down is named "Link down"');
    expect((await call(app, { method: 'PUT', url: `/api/v1/rules/${id}`, payload: rule('REPLACE ME') })).status).toBe(200);
  });
});
