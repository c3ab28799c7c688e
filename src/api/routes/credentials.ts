import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { NetpulseError } from '../../errors/index.ts';
import type { Credential } from '../../model/index.ts';
import { errorBody, errors, name } from '../schemas/common.ts';
import { credentialInput, credentialSummary } from '../schemas/devices.ts';
import { errorPayload } from '../errors.ts';
import { etagOf, notModified, notModifiedBody, readHeaders, sendNotModified, withEtag, writeGuard, writeHeaders } from '../etag.ts';
import type { CredentialSummary } from '../services.ts';

const params = z.strictObject({ name: name('credential profile name') });

/** Credential profiles: secrets are write-only, reads return the non-secret side. */
export const credentialRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { credentials } = ctx.services;
  /*
   * A profile's ETag cannot hash its secrets (reads never see them, and a tag must not let
   * anyone test a guess), so a new community with the same summary would keep the tag: it
   * hashes the summary, a salt drawn at start and a count of this process's writes of the
   * name instead. Every tag changes on a restart (a stale If-Match then fails safe, 412); a
   * secret changed by other means than this API (the config file) is not seen.
   */
  const salt = randomBytes(16).toString('base64url');
  const writes = new Map<string, number>();
  const tagOf = (summary: CredentialSummary) => etagOf({ summary: credentialSummary.parse(summary), salt, writes: writes.get(summary.name) ?? 0 });
  const count = (profile: string) => writes.set(profile, (writes.get(profile) ?? 0) + 1);
  const item = (profile: string, creates = false) => ({
    key: profile, what: `credential profile "${profile}"`, creates, tag: async () => { const c = await credentials.get(profile); return c && tagOf(c); },
  });
  const guard = writeGuard();

  app.get('/credentials', {
    config: ctx.read,
    schema: { tags: ['devices'], summary: 'Credential profiles (never the secrets)', querystring: z.strictObject({}), response: { 200: z.object({ items: z.array(credentialSummary) }), ...errors } },
  }, async () => ({ items: await credentials.list() }));

  app.get('/credentials/:name', {
    config: ctx.read,
    schema: { tags: ['devices'], summary: 'One credential profile (never the secrets), with its ETag', params, headers: readHeaders, response: { 200: withEtag(credentialSummary), 304: notModifiedBody, ...errors } },
  }, async (req, reply) => {
    const summary = await credentials.get(req.params.name);
    if (!summary) return reply.code(404).send(errorPayload(404, `params.name: no credential profile "${req.params.name}"`));
    return notModified(req, reply, tagOf(summary)) ? sendNotModified(reply) : summary;
  });

  app.put('/credentials/:name', {
    config: ctx.write,
    schema: {
      tags: ['devices'], summary: 'Create or replace a credential profile (secrets are write-only); If-None-Match: * creates only',
      params, headers: writeHeaders, body: credentialInput, response: { 200: withEtag(credentialSummary), ...errors, 412: errorBody },
    },
  }, async (req, reply) => guard(req, reply, item(req.params.name, true), async () => {
    const summary = await credentials.put(req.params.name, req.body as Credential);
    count(req.params.name);
    return reply.header('etag', tagOf(summary)).send(summary);
  }));

  app.delete('/credentials/:name', {
    config: ctx.write,
    schema: { tags: ['devices'], summary: 'Remove a credential profile (409 while a device uses it, an API device hidden by a config device of its name included)', params, headers: writeHeaders, response: { 204: z.null(), ...errors, 412: errorBody } },
  }, async (req, reply) => guard(req, reply, item(req.params.name), async () => {
    if (!(await credentials.remove(req.params.name))) throw new NetpulseError({ scope: 'api', target: `credential profile "${req.params.name}"`, reason: 'no such profile', kind: 'not-found' });
    // counted (and kept) past the removal: a profile created again under the name, even by a config reload, gets a tag no earlier read saw
    count(req.params.name);
    return reply.code(204).send(null);
  }));
};
