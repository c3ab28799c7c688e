// POST /api/v1/cron-jobs/{name}/run: on the fake services, and through the real cron adapter over a real CronRegistry.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';
import type { FakeServices } from './fake-services.ts';
import { CronRegistry } from '../../src/poller/cron.ts';
import { cronPort } from '../../src/main/adapters/cron.ts';
import { healthPort } from '../../src/main/adapters/health.ts';

const URL = '/api/v1/cron-jobs/availability-days/run';

describe('POST /api/v1/cron-jobs/{name}/run (fake services)', () => {
  let app: FastifyInstance;
  let svc: FakeServices;
  beforeAll(async () => {
    ({ app, svc } = await makeApp({ openReads: true }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('starts a run: 202 with the job running; 409 naming the job while it runs; the run shows on /ready', async () => {
    const t0 = Date.now();
    const r = await call(app, { method: 'POST', url: URL });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ name: 'availability-days', expression: '20 0 * * *', runs: 1, failures: 0, lastError: null, running: true });
    expect(r.json.lastRunAt).toBeGreaterThanOrEqual(t0);
    expect((await call(app, { method: 'GET', url: '/ready', auth: false })).json.cronJobs[0]).toMatchObject({ running: true, runs: 1 });

    const busy = await call(app, { method: 'POST', url: URL, payload: {} });
    expect(busy.status).toBe(409);
    expect(busy.json).toEqual({ statusCode: 409, error: 'Conflict', message: 'cron: job "availability-days": a run is already in progress' });

    svc.finishCronRuns();
    expect((await call(app, { method: 'GET', url: '/ready', auth: false })).json.cronJobs[0]).toMatchObject({ running: false, runs: 1 });
    expect((await call(app, { method: 'POST', url: URL })).json).toMatchObject({ runs: 2, running: true });
  });

  it('404 naming an unknown job; 400 naming a malformed name or body', async () => {
    const r = await call(app, { method: 'POST', url: '/api/v1/cron-jobs/no-such-job/run' });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ statusCode: 404, error: 'Not Found', message: 'params.name: no cron job "no-such-job"' });
    const bad = await call(app, { method: 'POST', url: '/api/v1/cron-jobs/-x%20y/run' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/^params\.name: expected a cron job name/);
    const body = await call(app, { method: 'POST', url: URL, payload: { now: true } });
    expect(body.status).toBe(400);
    expect(body.json.message).toBe('body.now: unknown field');
  });

  it('always needs a token, even with openReads: 401 without one or with a wrong one', async () => {
    const none = await call(app, { method: 'POST', url: URL, auth: false });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.json.message).toContain('headers.authorization');
    const wrong = await call(app, { method: 'POST', url: URL, auth: false, headers: { authorization: 'Bearer wrong-token' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.message).toBe('headers.authorization: invalid token');
  });

  it('is in the OpenAPI document with the job view as the 202 body and the error bodies', async () => {
    const spec = (await call(app, { method: 'GET', url: '/docs/json', auth: false })).json;
    const op = spec.paths['/api/v1/cron-jobs/{name}/run'].post;
    expect(op.tags).toEqual(['system']);
    expect(op.summary).toMatch(/^Run a cron job now/);
    expect(Object.keys(op.responses['202'].content['application/json'].schema.properties)).toEqual(['name', 'expression', 'lastRunAt', 'nextRunAt', 'runs', 'failures', 'lastError', 'running']);
    for (const code of ['401', '404', '409']) expect(op.responses[code].content['application/json'].schema.properties).toHaveProperty('message');
  });
});

describe('POST /api/v1/cron-jobs/{name}/run (real CronRegistry)', () => {
  let app: FastifyInstance;
  const cron = new CronRegistry();
  let release = (): void => {};
  let failing = false;
  beforeAll(async () => {
    const made = await makeApp();
    app = made.app;
    cron.add('availability-days', '20 0 * * *', async () => {
      await new Promise<void>((r) => { release = r; });
      if (failing) throw new Error('availability warm-up of yesterday: 1 device-days failed');
    }, { timezone: 'UTC' });
    made.svc.health = healthPort({
      storage: () => ({ healthy: true, backend: 'sqlite' }), scheduler: () => ({ running: true, jobs: 1 }),
      dictionary: () => ({ state: 'ready', nodes: 10 }), configFile: 'lab.yaml', cron: () => cron.list(),
    });
    made.svc.cron = cronPort(cron);
  });
  afterEach(() => release());
  afterAll(async () => {
    await cron.stop();
    await app?.close();
  });

  it('answers 202 while the job still runs and 409 until it ends; a failed run counts as a scheduled one does', async () => {
    const r = await call(app, { method: 'POST', url: URL });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ name: 'availability-days', runs: 1, running: true, lastError: null });
    expect((await call(app, { method: 'POST', url: URL })).status).toBe(409);
    expect(cron.list()[0]).toMatchObject({ runs: 1, running: true });

    release();
    await cron.run('availability-days'); // joins the run in progress: returns when it has ended
    expect((await call(app, { method: 'GET', url: '/ready', auth: false })).json.cronJobs[0]).toMatchObject({ runs: 1, running: false, failures: 0 });

    failing = true;
    expect((await call(app, { method: 'POST', url: URL })).json).toMatchObject({ runs: 2, running: true });
    release();
    await cron.run('availability-days');
    const ready = (await call(app, { method: 'GET', url: '/ready' })).json;
    expect(ready.cronJobs[0]).toMatchObject({ runs: 2, failures: 1, running: false, lastError: 'availability warm-up of yesterday: 1 device-days failed' });
  });
});
