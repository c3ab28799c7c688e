import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import type { OidNode } from '../services.ts';
import { errorBody, errors, limit } from '../schemas/common.ts';
import { errorPayload } from '../errors.ts';

export const oidNode = z.object({
  oid: z.string(), name: z.string(), module: z.string(), kind: z.string(),
  syntax: z.string().optional(), access: z.string().optional(), status: z.string().optional(), units: z.string().optional(),
  description: z.string().optional(), indexes: z.array(z.string()).optional(), augments: z.string().optional(), objects: z.array(z.string()).optional(), enums: z.record(z.string(), z.string()).optional(),
  childCount: z.number(),
});
const moduleInfo = z.object({
  name: z.string(), nodeCount: z.number(),
  source: z.string().optional().describe('the file, relative to the MIB directory it was found in (standard/IF-MIB.txt); uploaded/NAME.mib for a saved upload, upload for one added since the last compile; never a server path'),
  errors: z.array(z.string()),
});
const mibProblem = z.object({ line: z.number().optional(), column: z.number().optional(), module: z.string().optional(), message: z.string(), severity: z.enum(['error', 'warning']).optional() });

/** errors a 422 answer to an upload lists; the rest are counted in `moreErrors` */
const MAX_UPLOAD_ERRORS = 200;

const NAME_OR_OID = /^(?:\.?\d+(?:\.\d+)*|[A-Za-z][A-Za-z0-9-]*(?:::[A-Za-z][A-Za-z0-9-]*)?(?:\.\d+)*)$/;

/** numeric ancestors of a node, root first (for the tree's breadcrumb) */
async function ancestors(ctx: RouteContext, oid: string): Promise<OidNode[]> {
  const arcs = oid.split('.');
  const found = await Promise.all(arcs.slice(0, -1).map((_, i) => ctx.services.oids.node(arcs.slice(0, i + 1).join('.'))));
  return found.filter((n): n is OidNode => n !== undefined);
}

export const oidRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { oids } = ctx.services;

  app.get('/oids', {
    config: ctx.read,
    schema: {
      tags: ['oids'], summary: 'Search the OID dictionary by name, IF-MIB::name, numeric prefix or description',
      querystring: z.strictObject({ q: z.string().max(256).default(''), limit: limit(500, 50), offset: z.coerce.number().int().min(0).max(1_000_000).default(0) }),
      response: { 200: z.object({ total: z.number(), items: z.array(oidNode) }), ...errors },
    },
  }, async (req) => oids.search(req.query.q.trim(), { limit: req.query.limit, offset: req.query.offset }));

  app.get('/oids/:nameOrOid', {
    config: ctx.read,
    schema: {
      tags: ['oids'], summary: 'One node with its children and ancestors',
      params: z.strictObject({ nameOrOid: z.string().max(256).regex(NAME_OR_OID, { message: 'expected a numeric OID (1.3.6.1.2.1.2), a name (ifDescr) or MODULE::name' }) }),
      response: { 200: z.object({ node: oidNode, children: z.array(oidNode), path: z.array(oidNode) }), ...errors },
    },
  }, async (req, reply) => {
    const key = req.params.nameOrOid.replace(/^\./, '');
    const node = await oids.node(key);
    if (!node) return reply.code(404).send(errorPayload(404, `params.nameOrOid: "${key}" is not in the dictionary`));
    const [children, path] = await Promise.all([oids.children(node.oid), ancestors(ctx, node.oid)]);
    return { node, children, path };
  });

  app.get('/mibs', {
    config: ctx.read,
    schema: { tags: ['oids'], summary: 'Loaded MIB modules with node counts and load errors', querystring: z.strictObject({}), response: { 200: z.object({ items: z.array(moduleInfo) }), ...errors } },
  }, async () => ({ items: await oids.modules() }));

  app.post('/mibs', {
    config: ctx.write,
    bodyLimit: ctx.mibBodyLimit,
    schema: {
      tags: ['oids'],
      summary: 'Upload a MIB module (text/plain): 201 when compiled and added, 422 with the parser errors (the first 200, `moreErrors` counting the rest) or when parsing exceeds its time limit (dictionary unchanged), 503 with Retry-After while the parser queue is full, 500 when the module compiles but the server cannot save it (dictionary unchanged)',
      consumes: ['text/plain'],
      body: z.string().min(1, { message: 'expected the MIB module text' }),
      response: { ...errors, 201: moduleInfo.extend({ warnings: z.array(mibProblem) }), 500: errorBody, 503: errorBody, 422: z.object({ statusCode: z.number(), error: z.string(), message: z.string(), errors: z.array(mibProblem).optional(), moreErrors: z.number().optional() }) },
    },
  }, async (req, reply) => {
    const result = await oids.addModule(req.body);
    if (result.ok) return reply.code(201).send({ ...result.module, warnings: result.warnings ?? [] });
    if ('unavailable' in result) return reply.code(503).header('retry-after', String(result.retryAfterSeconds)).send(errorPayload(503, result.unavailable));
    if ('failed' in result) return reply.code(500).send(errorPayload(500, result.failed));
    const first = result.errors[0];
    const where = first?.line ? `line ${first.line}: ` : '';
    return reply.code(422).send({
      statusCode: 422, error: 'Unprocessable Entity',
      message: `body: the module does not compile (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; first: ${where}${first?.message ?? 'unknown'})`,
      errors: result.errors.slice(0, MAX_UPLOAD_ERRORS),
      ...(result.errors.length > MAX_UPLOAD_ERRORS ? { moreErrors: result.errors.length - MAX_UPLOAD_ERRORS } : {}),
    });
  });
};
