import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { emptyBody, errors, name } from '../schemas/common.ts';
import { errorPayload } from '../errors.ts';

/** a cron job as /ready lists it and a run request answers it */
export const cronJobSchema = z.object({
  name: z.string(), expression: z.string(), lastRunAt: z.number().nullable(), nextRunAt: z.number().nullable(),
  runs: z.number(), failures: z.number(), lastError: z.string().nullable(),
  running: z.boolean().describe('a run is in progress'),
});

export const cronRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  app.post('/cron-jobs/:name/run', {
    config: ctx.write,
    schema: {
      tags: ['system'],
      summary: 'Run a cron job now, counted like a scheduled run; 202 once started (not waiting for it to end), 409 while a run of it is in progress',
      params: z.strictObject({ name: name('cron job name') }), body: emptyBody,
      response: { 202: cronJobSchema, ...errors },
    },
  }, async (req, reply) => {
    const job = await ctx.services.cron.run(req.params.name);
    if (!job) return reply.code(404).send(errorPayload(404, `params.name: no cron job "${req.params.name}"`));
    return reply.code(202).send(job);
  });
};
