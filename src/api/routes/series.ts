import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { MAX_SPAN_MS, SCHEMA } from '../../model/index.ts';
import { durationMs } from '../../model/duration-schema.ts';
import { deviceParams, errors, limit, time } from '../schemas/common.ts';
import { seriesResponse } from '../schemas/devices.ts';
import { errorPayload, noDevicePayload } from '../errors.ts';
import { resolveRange } from '../time.ts';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const RESERVED = new Set(['measurement', 'field', 'from', 'to', 'step', 'limit']);
/** GROUP BY time() over more buckets than this is a runaway query (1 year of 30 s buckets is ~1.05 M) */
const MAX_BUCKETS = 2_000_000;
const known = SCHEMA as Record<string, { tags: readonly string[]; fields: Record<string, string> }>;

/** `field=a&field=b` or `field=a,b` */
const fieldList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));

/** Any other query key is a tag filter; for the built-in measurements fields and tags are checked against the schema. */
export const seriesQuery = z
  .object({
    measurement: z.string().regex(IDENT, { message: 'expected a measurement name (letters, digits, _)' }),
    field: fieldList.optional(),
    from: time.optional(),
    to: time.optional(),
    /** the bucket width, from 1s to a span's longest (MAX_SPAN_MS) */
    step: z.string().pipe(durationMs({ min: 1000, max: MAX_SPAN_MS })).optional(),
    limit: limit(10_000, 2_000),
  })
  .catchall(z.string().max(256, { message: 'expected a tag value of at most 256 characters' }))
  .superRefine((q, ctx) => {
    const schema = known[q.measurement];
    for (const f of q.field ?? []) {
      if (!IDENT.test(f)) ctx.addIssue({ code: 'custom', path: ['field'], message: `"${f.slice(0, 64)}" is not a field name` });
      else if (schema && !(f in schema.fields)) ctx.addIssue({ code: 'custom', path: ['field'], message: `${q.measurement} has no field "${f}" (fields: ${Object.keys(schema.fields).join(', ')})` });
    }
    for (const k of Object.keys(q)) {
      if (RESERVED.has(k)) continue;
      if (k === 'device') ctx.addIssue({ code: 'custom', path: [k], message: 'the device comes from the path' });
      else if (!IDENT.test(k)) ctx.addIssue({ code: 'custom', path: [k.slice(0, 64)], message: 'unknown field (tag filters are tag names)' });
      else if (schema && !schema.tags.includes(k)) ctx.addIssue({ code: 'custom', path: [k], message: `unknown field: ${q.measurement} has no tag "${k}" (tags: ${schema.tags.filter((t) => t !== 'device').join(', ')})` });
    }
  });

export const seriesRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  app.get('/devices/:id/series', {
    config: ctx.read,
    schema: {
      tags: ['devices'],
      summary: 'Time series of one device for charts; step=5m averages into buckets; other query keys filter by tag (ifName=eth0)',
      params: deviceParams,
      querystring: seriesQuery,
      response: { 200: seriesResponse, ...errors },
    },
  }, async (req, reply) => {
    const { measurement, field, from, to, step, limit: max, ...tagFilters } = req.query;
    const r = resolveRange({ from, to }, Date.now(), { defaultSpanMs: 3_600_000 });
    if (typeof r === 'string') return reply.code(400).send(errorPayload(400, r));
    const [t0, t1] = [r.from!, r.to];
    if (step !== undefined && (t1 - t0) / step > MAX_BUCKETS) {
      return reply.code(400).send(errorPayload(400, `query.step: ${Math.ceil((t1 - t0) / step)} buckets over query.from..query.to, at most ${MAX_BUCKETS} (widen step or narrow the range)`));
    }
    if (!(await ctx.services.devices.get(req.params.id))) return reply.code(404).send(noDevicePayload(req.params.id));
    const tags = tagFilters as Record<string, string>;
    const fields = field ?? [];
    const series = await ctx.services.series.querySeries({ measurement, device: req.params.id, fields, tags, from: t0, to: t1, step, limit: max });
    return { device: req.params.id, measurement, fields, from: t0, to: t1, series };
  });
};
