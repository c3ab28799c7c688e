/**
 * The series route's `step` (a bucket width) is checked by checkDuration, from 1s to MAX_SPAN_MS:
 * its problems read as every other duration's, and the OpenAPI document still says a string.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { checkDuration, MAX_SPAN_MS } from '../../src/model/duration.ts';
import { call, makeApp } from './helpers.ts';
import type { FakeServices } from './fake-services.ts';

let app: FastifyInstance;
let svc: FakeServices;
beforeAll(async () => ({ app, svc } = await makeApp()));
afterAll(async () => app?.close());

const series = (step: string) => call(app, { method: 'GET', url: `/api/v1/devices/core-rtr1/series?measurement=icmp&step=${encodeURIComponent(step)}` });
const problem = (step: string) => {
  const r = checkDuration(step, { min: 1000, max: MAX_SPAN_MS });
  return 'problem' in r ? `query.step: ${r.problem}` : 'accepted';
};

describe('series step', () => {
  it.each([
    ['5m', 300_000],
    ['1s', 1000],
    ['90', 90_000],
    ['1.5h', 5_400_000],
    ['36500d', MAX_SPAN_MS],
  ])('takes %s as %i ms', async (step, ms) => {
    const query = vi.spyOn(svc.series, 'querySeries');
    const r = await series(step);
    expect(r.status).toBe(200);
    expect(query.mock.calls.at(-1)![0].step).toBe(ms);
    query.mockRestore();
  });

  it.each([
    ['a word', 'soon'], ['nothing', ''], ['half a second', '0.5s'], ['1ms', '1ms'], ['a negative', '-5m'],
    ['past 100 years', '36501d'], ['19 digits of days', '9'.repeat(19) + 'd'], ['5000 characters', 'x'.repeat(5000)],
  ])('refuses %s with the shared duration wording', async (_, step) => {
    const r = await series(step);
    expect(r.status).toBe(400);
    expect(r.json.message).toBe(problem(step));
  });

  it('documents step as a string', async () => {
    const doc = (await call(app, { method: 'GET', url: '/docs/json', auth: false })).json;
    const step = doc.paths['/api/v1/devices/{id}/series'].get.parameters.find((p: any) => p.name === 'step');
    expect(step).toMatchObject({ in: 'query', required: false, schema: { type: 'string' } });
  });
});
