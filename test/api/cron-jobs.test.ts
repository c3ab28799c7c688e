// The runtime's cron jobs on /ready and /metrics, through the real health and metrics adapters over a real CronRegistry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';
import type { FakeServices } from './fake-services.ts';
import { CronRegistry } from '../../src/poller/cron.ts';
import { healthPort } from '../../src/main/adapters/health.ts';
import { cronMetricFamilies } from '../../src/main/adapters/metrics.ts';

let app: FastifyInstance;
let svc: FakeServices;
const cron = new CronRegistry();
let failing = true;
beforeAll(async () => {
  ({ app, svc } = await makeApp());
  cron.add('availability-days', '20 0 * * *', () => {
    if (failing) throw new Error('availability warm-up of yesterday: 3 device-days failed');
  }, { timezone: 'UTC' });
  cron.add('idle', '0 3 * * *', () => {});
  svc.health = healthPort({
    storage: () => ({ healthy: true, backend: 'sqlite' }), scheduler: () => ({ running: true, jobs: 4 }),
    dictionary: () => ({ state: 'ready', nodes: 10 }), configFile: 'lab.yaml', cron: () => cron.list(),
  });
  const base = svc.metrics;
  svc.metrics = async () => [...(await base()), ...cronMetricFamilies(cron.list())];
});
afterAll(async () => {
  await cron.stop();
  await app?.close();
});

describe('cron jobs', () => {
  it('lists the jobs on /ready; a failed last run shows in the cron check but leaves netpulse ready', async () => {
    let r = await call(app, { method: 'GET', url: '/ready' });
    expect(r.status).toBe(200);
    expect(r.json.cronJobs).toEqual([
      { name: 'availability-days', expression: '20 0 * * *', lastRunAt: null, nextRunAt: expect.any(Number), runs: 0, failures: 0, lastError: null, running: false },
      { name: 'idle', expression: '0 3 * * *', lastRunAt: null, nextRunAt: expect.any(Number), runs: 0, failures: 0, lastError: null, running: false },
    ]);
    expect(r.json.checks.find((c: { name: string }) => c.name === 'cron')).toEqual({ name: 'cron', ok: true, detail: '2 jobs' });

    const t0 = Date.now();
    await cron.run('availability-days');
    r = await call(app, { method: 'GET', url: '/ready' });
    expect(r.status).toBe(200);
    expect(r.json.ready).toBe(true);
    const [job] = r.json.cronJobs;
    expect(job).toMatchObject({ runs: 1, failures: 1, lastError: 'availability warm-up of yesterday: 3 device-days failed' });
    expect(job.lastRunAt).toBeGreaterThanOrEqual(t0);
    expect(new Date(job.nextRunAt).getUTCHours() * 60 + new Date(job.nextRunAt).getUTCMinutes()).toBe(20);
    expect(r.json.checks.find((c: { name: string }) => c.name === 'cron')).toEqual({
      name: 'cron', ok: true, detail: '2 jobs; availability-days: last run failed: availability warm-up of yesterday: 3 device-days failed',
    });

    // without a token (reads are not open here) the public probe sees states and counts, no error text
    const anon = await call(app, { method: 'GET', url: '/ready', auth: false });
    expect(anon.status).toBe(200);
    expect(anon.json.cronJobs[0]).toMatchObject({ runs: 1, failures: 1, lastError: 'failed (details need read access)' });
    expect(anon.json.cronJobs[1]).toMatchObject({ runs: 0, lastError: null });
    expect(anon.json.checks.find((c: { name: string }) => c.name === 'cron')).toEqual({ name: 'cron', ok: true });
    expect(JSON.stringify(anon.json)).not.toMatch(/device-days|lab\.yaml/);
    const wrong = await call(app, { method: 'GET', url: '/ready', auth: false, headers: { authorization: 'Bearer not-a-token' } });
    expect(JSON.stringify(wrong.json)).not.toMatch(/device-days/);

    failing = false;
    await cron.run('availability-days');
    r = await call(app, { method: 'GET', url: '/ready' });
    expect(r.json.cronJobs[0]).toMatchObject({ runs: 2, failures: 1, lastError: null });
    expect(r.json.checks.find((c: { name: string }) => c.name === 'cron').detail).toBe('2 jobs');
  });

  it('exports runs, failures and the last run time per job on /metrics', async () => {
    const lastRunAt = cron.list()[0].lastRunAt!;
    const m = (await call(app, { method: 'GET', url: '/metrics' })).body;
    expect(m).toMatch(/^# TYPE netpulse_cron_job_runs_total counter$/m);
    expect(m).toMatch(/^# TYPE netpulse_cron_job_failures_total counter$/m);
    expect(m).toMatch(/^# TYPE netpulse_cron_job_last_run_timestamp_seconds gauge$/m);
    expect(m).toMatch(/^netpulse_cron_job_runs_total\{job="availability-days"\} 2$/m);
    expect(m).toMatch(/^netpulse_cron_job_failures_total\{job="availability-days"\} 1$/m);
    expect(m).toMatch(/^netpulse_cron_job_runs_total\{job="idle"\} 0$/m);
    expect(m).toContain(`netpulse_cron_job_last_run_timestamp_seconds{job="availability-days"} ${lastRunAt / 1000}\n`);
    expect(m).not.toMatch(/^netpulse_cron_job_last_run_timestamp_seconds\{job="idle"\}/m);
  });

  it('documents the jobs in the /ready response schema', async () => {
    const spec = (await call(app, { method: 'GET', url: '/docs/json', auth: false })).json;
    for (const code of ['200', '503']) {
      const schema = spec.paths['/ready'].get.responses[code].content['application/json'].schema;
      expect(Object.keys(schema.properties.cronJobs.items.properties)).toEqual(['name', 'expression', 'lastRunAt', 'nextRunAt', 'runs', 'failures', 'lastError', 'running']);
    }
  });
});
