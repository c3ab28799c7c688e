import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { NetpulseError } from '../../errors/index.ts';
import type { Credential } from '../../model/index.ts';
import { errors, name } from '../schemas/common.ts';
import { credentialInput, credentialSummary } from '../schemas/devices.ts';

const params = z.strictObject({ name: name('credential profile name') });

/** Credential profiles: secrets are write-only, reads return the non-secret side. */
export const credentialRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { credentials } = ctx.services;

  app.get('/credentials', {
    config: ctx.read,
    schema: { tags: ['devices'], summary: 'Credential profiles (never the secrets)', querystring: z.strictObject({}), response: { 200: z.object({ items: z.array(credentialSummary) }), ...errors } },
  }, async () => ({ items: await credentials.list() }));

  app.put('/credentials/:name', {
    config: ctx.write,
    schema: { tags: ['devices'], summary: 'Create or replace a credential profile (secrets are write-only)', params, body: credentialInput, response: { 200: credentialSummary, ...errors } },
  }, async (req) => credentials.put(req.params.name, req.body as Credential));

  app.delete('/credentials/:name', {
    config: ctx.write,
    schema: { tags: ['devices'], summary: 'Remove a credential profile (409 while a device uses it)', params, response: { 204: z.null(), ...errors } },
  }, async (req, reply) => {
    if (!(await credentials.remove(req.params.name))) throw new NetpulseError({ scope: 'api', target: `credential profile "${req.params.name}"`, reason: 'no such profile', kind: 'not-found' });
    return reply.code(204).send(null);
  });
};
