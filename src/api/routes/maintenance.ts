import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { maintenanceWindowSchema } from '../../alerts/maintenance-schema.ts';
import { NetpulseError } from '../../errors/index.ts';
import { errorBody, errors, textProblem } from '../schemas/common.ts';
import { errorPayload, sameName } from '../errors.ts';
import { nameGuard } from '../name-guard.ts';
import { pageOf, pageQuery, withTotalCount } from '../schemas/page.ts';
import { etagOf, withEtag, writeGuard, writeHeaders } from '../etag.ts';
import type { MaintenanceWindowView } from '../services.ts';

export const maintenanceWindowView = z.object({
  id: z.string(), name: z.string(), devices: z.array(z.string()), tags: z.record(z.string(), z.string()),
  start: z.number().optional(), end: z.number().optional(),
  schedule: z.string().optional(), durationMs: z.number().optional(), timezone: z.string().optional(),
  comment: z.string().optional(), origin: z.enum(['config', 'api']), createdAt: z.number().optional(), createdBy: z.string().optional(),
  active: z.boolean().describe('inside the window now'),
  activeUntil: z.number().optional().describe('when active: the end of the current occurrence'),
  nextStart: z.number().optional().describe('when not active: the next start'),
  covers: z.array(z.string()).describe('known devices the window covers'),
  shadows: z.literal('api').optional().describe('set on a config window that hides an API-created window of the same name: that one is neither listed nor applied until the config window is renamed or removed'),
  shadowedBy: z.literal('config').optional().describe('set on an API-created window (read by its id) that a config window of the same name hides: it is neither listed nor applied, `active` and `covers` say what it would do once back; it can be deleted'),
});

/** the window as defined (not whether it is active now, what it covers, nor whether a config window hides it): the ETag's input */
const storedWindow = maintenanceWindowView.omit({ active: true, activeUntil: true, nextStart: true, covers: true, shadows: true, shadowedBy: true });
const windowTag = (w: MaintenanceWindowView) => etagOf(storedWindow.parse(w));
const windowList = z.object({ items: z.array(maintenanceWindowView) });

/** the config's window schema, and names and comments free of control and bidi characters */
const windowInput = maintenanceWindowSchema.superRefine((w, ctx) => {
  for (const [path, value, multiline] of [['name', w.name, false], ['comment', w.comment, true]] as const) {
    const problem = value === undefined ? undefined : textProblem(value, multiline);
    if (problem) ctx.addIssue({ code: 'custom', path: [path], message: problem });
  }
});

// config window ids are `config.<name>` and names may hold spaces: any printable text
const params = z.strictObject({ id: z.string().regex(/^[^\x00-\x1f\x7f]{1,300}$/, { message: 'expected a maintenance window id' }) });

export const maintenanceRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { maintenance } = ctx.services;
  const guard = writeGuard();
  const named = nameGuard();
  /** the window that has this name, in any case, as a 409 names it */
  const holder = (name: string) => async () => {
    const other = (await maintenance.list()).find((w) => sameName(w.name, name));
    return other && `window ${other.id} is named "${other.name}"`;
  };

  app.get('/maintenance', {
    config: ctx.read,
    schema: {
      tags: ['alerts'], summary: 'Maintenance windows (config file and API): alerts of covered devices are recorded but not notified',
      querystring: pageQuery,
      response: { 200: withTotalCount(windowList, 'windows'), ...errors },
    },
  }, async (req, reply) => {
    const items = await maintenance.list();
    reply.header('x-total-count', items.length);
    return { items: pageOf(items, req.query) };
  });

  app.get('/maintenance/:id', {
    config: ctx.read,
    schema: { tags: ['alerts'], summary: 'One maintenance window, with its ETag (for If-Match; never a 304: `active` and `covers` change without a write); also an API window a config one of its name hides (`shadowedBy`)', params, response: { 200: withEtag(maintenanceWindowView), ...errors } },
  }, async (req, reply) => {
    const window = await maintenance.get(req.params.id);
    if (!window) return reply.code(404).send(errorPayload(404, `params.id: no maintenance window "${req.params.id}"`));
    // the tag covers the window's definition, not `active` and `covers`: a 304 for an unchanged
    // tag would hand back a stale `active`, so the answer is always the whole window, uncached
    return reply.header('cache-control', 'no-store').header('etag', windowTag(window)).send(window);
  });

  app.post('/maintenance', {
    config: ctx.write,
    schema: {
      tags: ['alerts'],
      summary: 'Create a maintenance window: devices (globs) and/or tags; start/end (ISO 8601 with a zone) or schedule (cron) + duration (e.g. 2h) + timezone',
      body: windowInput,
      response: { 201: withEtag(maintenanceWindowView), ...errors },
    },
  }, async (req, reply) => named(reply, req.body.name, holder(req.body.name), async () => {
    const created = await maintenance.create(req.body, 'api');
    return reply.code(201).header('etag', windowTag(created)).send(created);
  }));

  app.delete('/maintenance/:id', {
    config: ctx.write,
    schema: { tags: ['alerts'], summary: 'Delete a maintenance window created through the API', params, headers: writeHeaders, response: { 204: z.null().describe('deleted'), ...errors, 412: errorBody } },
  }, async (req, reply) => guard(req, reply, {
    key: req.params.id, what: `maintenance window "${req.params.id}"`, tag: async () => { const w = await maintenance.get(req.params.id); return w && windowTag(w); },
  }, async () => {
    if (!(await maintenance.remove(req.params.id))) throw new NetpulseError({ scope: 'api', target: `maintenance window "${req.params.id}"`, reason: 'no such window', kind: 'not-found' });
    return reply.code(204).send(null);
  }));
};
