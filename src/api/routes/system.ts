import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import type { CronJobView, MetricFamily } from '../services.ts';
import { errors } from '../schemas/common.ts';
import { renderMetrics } from '../metrics-text.ts';
import { cronJobSchema } from './cron.ts';

const check = z.object({ name: z.string(), ok: z.boolean(), detail: z.string().optional() });
const readiness = z.object({ ready: z.boolean(), checks: z.array(check), cronJobs: z.array(cronJobSchema) });

/**
 * /ready is public (probes carry no token): a caller that may not read gets each check's name and
 * state and each cron job's counts, without the details, which can carry error texts and paths.
 */
function withoutDetails(r: z.infer<typeof readiness>): z.infer<typeof readiness> {
  return {
    ...r,
    checks: r.checks.map(({ name, ok }) => ({ name, ok })),
    cronJobs: r.cronJobs.map((j) => ({ ...j, lastError: j.lastError === null ? null : 'failed (details need read access)' })),
  };
}
const started = Date.now();

/** /health (liveness), /ready (readiness) and /metrics (Prometheus), outside /api/v1 where tools expect them. */
export const systemRoutes: FastifyPluginAsyncZod<RouteContext & { apiMetrics: () => MetricFamily[] }> = async (app, ctx) => {
  app.get('/health', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Liveness: the process answers', querystring: z.strictObject({}), response: { 200: z.object({ status: z.literal('ok'), uptimeSeconds: z.number() }) } },
  }, async () => ({ status: 'ok' as const, uptimeSeconds: Math.round((Date.now() - started) / 1000) }));

  app.get('/ready', {
    config: { access: 'public' },
    schema: {
      tags: ['system'], summary: 'Readiness: storage, scheduler, trap listener; 503 when any check fails; the cron jobs and their last runs. Check details and cron errors only for callers that may read (open reads or a token)', querystring: z.strictObject({}),
      response: { 200: readiness, 503: readiness },
    },
  }, async (req, reply) => {
    let checks: z.infer<typeof check>[];
    let cronJobs: CronJobView[] = [];
    try {
      checks = await ctx.services.health.checks();
      cronJobs = await ctx.services.health.cronJobs();
    } catch (err) {
      checks = [{ name: 'health', ok: false, detail: (err as Error).message }];
    }
    const ready = checks.every((c) => c.ok);
    const body = { ready, checks, cronJobs };
    return reply.code(ready ? 200 : 503).send(req.mayRead ? body : withoutDetails(body));
  });

  app.get('/metrics', {
    config: ctx.read,
    schema: {
      tags: ['system'], summary: 'Prometheus metrics: polls, queue, traps, points written/spooled/dropped', querystring: z.strictObject({}),
      response: { ...errors, 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } } },
    },
  }, async (_req, reply) => {
    const families = [...(await ctx.services.metrics()), ...ctx.apiMetrics()];
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderMetrics(families));
  });
};
