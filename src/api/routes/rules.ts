import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { SEVERITIES } from '../../alerts/types.ts';
import { NetpulseError } from '../../errors/index.ts';
import { errorBody, errors, name, tags, text } from '../schemas/common.ts';
import { DEVICE_STATES } from '../schemas/devices.ts';
import { errorPayload, sameName } from '../errors.ts';
import { nameGuard } from '../name-guard.ts';
import { etagOf, notModified, notModifiedBody, readHeaders, sendNotModified, withEtag, writeGuard, writeHeaders } from '../etag.ts';
import type { Rule } from '../services.ts';

const oid = z.string().max(256).regex(/^[A-Za-z0-9:._-]+$/, { message: 'expected a numeric OID or MODULE::name' });
const ident = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { message: 'expected a name (letters, digits, _)' });
const forMs = z.number().int().min(0).max(7 * 86_400_000).default(0);

const condition = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('trap'), trapOid: oid, clearTrapOid: oid.optional(), varbinds: z.record(oid, z.string().max(256)).optional() }),
  z.strictObject({
    type: z.literal('threshold'), measurement: ident, field: ident, op: z.enum(['>', '>=', '<', '<=', '==', '!=']),
    value: z.number(), forMs, clearValue: z.number().optional(),
  }),
  z.strictObject({ type: z.literal('device-state'), states: z.array(z.enum(DEVICE_STATES)).min(1), forMs }),
], { error: (iss) => (iss.code === 'invalid_union' ? 'expected type "trap", "threshold" or "device-state"' : undefined) });

const ruleBase = {
  name: text(128, { min: 1 }),
  enabled: z.boolean().default(true),
  severity: z.enum(SEVERITIES),
  description: text(2000, { multiline: true }).optional(),
  match: z.strictObject({ device: name('device name').optional(), tags: tags.optional() }).default({}),
  condition,
  notify: z.array(name('notifier name')).max(16).default([]),
};
export const ruleInput = z.strictObject(ruleBase);
export const ruleSchema = z.object({
  id: z.string(), name: z.string(), enabled: z.boolean(), severity: z.enum(SEVERITIES), description: z.string().optional(),
  match: z.object({ device: z.string().optional(), tags: z.record(z.string(), z.string()).optional() }),
  condition: z.union([
    z.object({ type: z.literal('trap'), trapOid: z.string(), clearTrapOid: z.string().optional(), varbinds: z.record(z.string(), z.string()).optional() }),
    z.object({ type: z.literal('threshold'), measurement: z.string(), field: z.string(), op: z.string(), value: z.number(), forMs: z.number(), clearValue: z.number().optional() }),
    z.object({ type: z.literal('device-state'), states: z.array(z.string()), forMs: z.number() }),
  ]),
  notify: z.array(z.string()),
});

const params = z.strictObject({ id: name('rule id') });
const ruleTag = (r: Rule) => etagOf(ruleSchema.parse(r));
const noRule = (id: string) => errorPayload(404, `params.id: no rule "${id}"`);

export const ruleRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { rules } = ctx.services;
  /** the rule other than `exceptId` that has this name, in any case, as a 409 names it */
  const holder = (name: string, exceptId?: string) => async () => {
    const other = (await rules.list()).find((r) => r.id !== exceptId && sameName(r.name, name));
    return other && `rule ${other.id} is named "${other.name}"`;
  };
  const guard = writeGuard();
  const named = nameGuard();
  const item = (id: string) => ({ key: id, what: `rule "${id}"`, tag: async () => { const r = await rules.get(id); return r && ruleTag(r); } });

  app.get('/rules', {
    config: ctx.read,
    schema: { tags: ['alerts'], summary: 'Alert rules', querystring: z.strictObject({}), response: { 200: z.object({ items: z.array(ruleSchema) }), ...errors } },
  }, async () => ({ items: await rules.list() }));

  app.post('/rules', {
    config: ctx.write,
    schema: { tags: ['alerts'], summary: 'Create an alert rule', body: ruleInput, response: { 201: withEtag(ruleSchema), ...errors } },
  }, async (req, reply) => named(reply, req.body.name, holder(req.body.name), async () => {
    const created = await rules.create(req.body);
    return reply.code(201).header('etag', ruleTag(created)).send(created);
  }));

  app.get('/rules/:id', {
    config: ctx.read,
    schema: { tags: ['alerts'], summary: 'One alert rule', params, headers: readHeaders, response: { 200: withEtag(ruleSchema), 304: notModifiedBody, ...errors } },
  }, async (req, reply) => {
    const rule = await rules.get(req.params.id);
    if (!rule) return reply.code(404).send(noRule(req.params.id));
    return notModified(req, reply, ruleTag(rule)) ? sendNotModified(reply) : rule;
  });

  app.put('/rules/:id', {
    config: ctx.write,
    schema: { tags: ['alerts'], summary: 'Replace an alert rule', params, headers: writeHeaders, body: ruleInput, response: { 200: withEtag(ruleSchema), ...errors, 412: errorBody } },
  }, async (req, reply) => guard(req, reply, item(req.params.id), async (current) => {
    // an unknown rule (no tag) is a 404 before its new name can be a 409
    if (current === undefined) return reply.code(404).send(noRule(req.params.id));
    // the id's lock, then the name's (never the other way round: no two writes wait on each other)
    return named(reply, req.body.name, holder(req.body.name, req.params.id), async () => {
      const updated = await rules.update(req.params.id, req.body);
      return reply.header('etag', ruleTag(updated)).send(updated);
    });
  }));

  app.delete('/rules/:id', {
    config: ctx.write,
    schema: { tags: ['alerts'], summary: 'Remove an alert rule', params, headers: writeHeaders, response: { 204: z.null(), ...errors, 412: errorBody } },
  }, async (req, reply) => guard(req, reply, item(req.params.id), async () => {
    if (!(await rules.remove(req.params.id))) throw new NetpulseError({ scope: 'api', target: `rule "${req.params.id}"`, reason: 'no such rule', kind: 'not-found' });
    return reply.code(204).send(null);
  }));
};
