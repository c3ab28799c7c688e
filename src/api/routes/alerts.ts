import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { SEVERITIES } from '../../alerts/types.ts';
import { errorBody, errors, limit, name, text, time } from '../schemas/common.ts';
import { errorPayload } from '../errors.ts';
import { resolveRange } from '../time.ts';

export const alertSchema = z.object({
  id: z.string(), key: z.string(), source: z.enum(['trap', 'device', 'threshold']), rule: z.string(),
  device: z.string().optional(), severity: z.enum(SEVERITIES), message: z.string(),
  state: z.enum(['open', 'acknowledged', 'cleared']), firstSeen: z.number(), lastSeen: z.number(), count: z.number(),
  flapping: z.boolean(), acknowledgedBy: z.string().optional(), acknowledgedAt: z.number().optional(),
  clearedAt: z.number().optional(), clearedBy: z.string().optional(), labels: z.record(z.string(), z.string()),
  suppressed: z.object({
    kind: z.enum(['maintenance', 'parent']), reason: z.string().describe('maintenance <window>, parent <device> down, parent <device> unreachable behind <devices> down, or while a parent is back and the device is re-checked: <cause>; <device> back up, checking <device> (until <ISO time>); once released: <cause>; released: <how it ended>; while a parent hold lasts: held since <ISO time> for parent <names with their states>; notified at <ISO time> at the latest unless <names> found down; after a parent hold that ended without suppression: held <s> s for parent <names>; <each parent\'s state>'),
    by: z.string().describe('the window name or the parent device'), since: z.number(),
    until: z.number().optional().describe('set when the suppression ended with the alert still active (it was notified then)'),
    holdUntil: z.number().optional().describe('set only while the alert waits for its parents (parent hold): when it is notified at the latest, unless its parents are found down first'),
  }).optional().describe('notifications held back by a maintenance window or a down parent, or waiting for the parents\' state (parent hold); the alert is recorded all the same'),
});

export const trapSchema = z.object({
  id: z.string(), time: z.number(), source: z.string(), device: z.string().optional(),
  version: z.string(), trapOid: z.string(), trapName: z.string().optional(), severity: z.string().optional(),
  varbinds: z.array(z.object({ oid: z.string(), name: z.string().optional(), type: z.string(), value: z.string() })),
});

const alertId = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'expected an alert id' }) });
const actionBody = z.strictObject({ by: text(64, { min: 1 }).optional() }).nullish();

export const alertRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { alerts, traps } = ctx.services;

  app.get('/traps', {
    config: ctx.read,
    schema: {
      tags: ['alerts'], summary: 'The trap log, newest first',
      querystring: z.strictObject({
        device: name('device name').optional(),
        oid: z.string().max(256).regex(/^[A-Za-z0-9:._-]+$/, { message: 'expected a trap OID or name' }).optional(),
        from: time.optional(), to: time.optional(), limit: limit(5000, 200),
      }),
      response: { 200: z.object({ items: z.array(trapSchema) }), ...errors },
    },
  }, async (req, reply) => {
    const { from, to, ...rest } = req.query;
    const r = resolveRange({ from, to }, Date.now());
    if (typeof r === 'string') return reply.code(400).send(errorPayload(400, r));
    const range = { ...(from !== undefined ? { from: r.from } : {}), ...(to !== undefined ? { to: r.to } : {}) };
    return { items: await traps.list({ ...rest, ...range, oid: rest.oid?.replace(/^\./, '') }) };
  });

  app.get('/alerts', {
    config: ctx.read,
    schema: {
      tags: ['alerts'], summary: 'Alerts, newest first (state=active: open or acknowledged)',
      querystring: z.strictObject({
        state: z.enum(['open', 'acknowledged', 'cleared', 'active']).optional(),
        severity: z.enum(SEVERITIES).optional(),
        device: name('device name').optional(),
        suppressed: z.enum(['true', 'false']).optional().describe('true: only alerts held back now (maintenance, down parent, parent hold); false: the others'),
        limit: limit(5000, 500),
      }),
      response: { 200: z.object({ items: z.array(alertSchema) }), ...errors },
    },
  }, async (req) => {
    const { suppressed, ...rest } = req.query;
    return { items: await alerts.list({ ...rest, suppressed: suppressed === undefined ? undefined : suppressed === 'true' }) };
  });

  app.get('/alerts/count', {
    config: ctx.read,
    schema: {
      tags: ['alerts'],
      summary: 'How many alerts GET /alerts would list without a limit, by severity; active states only (cleared alerts are the whole history, never pruned: counting them would scan it)',
      querystring: z.strictObject({
        state: z.enum(['open', 'acknowledged', 'active'], { message: 'expected open, acknowledged or active: cleared alerts are not counted (the whole history: list them with GET /alerts?state=cleared)' }),
        severity: z.enum(SEVERITIES).optional(),
        device: name('device name').optional(),
        suppressed: z.enum(['true', 'false']).optional().describe('true: only alerts held back now (maintenance, down parent, parent hold); false: the others'),
      }),
      response: {
        200: z.object({ count: z.number().int(), bySeverity: z.record(z.enum(SEVERITIES), z.number().int()).describe('every severity, 0 when none') }),
        ...errors,
      },
    },
  }, async (req) => {
    const { suppressed, ...rest } = req.query;
    return alerts.count({ ...rest, suppressed: suppressed === undefined ? undefined : suppressed === 'true' });
  });

  for (const action of ['ack', 'clear'] as const) {
    app.post(`/alerts/:id/${action}`, {
      config: ctx.write,
      schema: {
        tags: ['alerts'], summary: `${action === 'ack' ? 'Acknowledge an alert' : 'Clear an alert by hand'}; 503 with Retry-After when the state store cannot save it (nothing changed)`,
        params: alertId, body: actionBody, response: { 200: alertSchema, ...errors, 503: errorBody },
      },
    }, async (req, reply) => {
      const by = req.body?.by ?? 'api';
      const alert = action === 'ack' ? await alerts.ack(req.params.id, by) : await alerts.clear(req.params.id, by);
      if (!alert) return reply.code(404).send(errorPayload(404, `params.id: no alert "${req.params.id}"`));
      return alert;
    });
  }
};
