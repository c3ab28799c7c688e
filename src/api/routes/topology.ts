import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { DEVICE_STATES } from '../schemas/devices.ts';
import { emptyBody, errors } from '../schemas/common.ts';
import { toDot, toGraphml } from '../topology-format.ts';

const graph = z.object({
  nodes: z.array(z.object({
    id: z.string(), label: z.string(), device: z.string().optional(), address: z.string().optional(),
    sysName: z.string().optional(), kind: z.string().optional(), state: z.enum(DEVICE_STATES).optional(),
  })),
  links: z.array(z.object({
    id: z.string(), source: z.string(), target: z.string(), sourcePort: z.string().optional(),
    targetPort: z.string().optional(), protocol: z.string(),
    inferred: z.boolean().optional().describe('seen in forwarding (FDB) and ARP tables only, not announced by LLDP or CDP'),
    stale: z.boolean().optional().describe('kept from an earlier discovery: the devices that reported it were unreachable or could not read the tables it came from this time, so its state is unknown, not down'),
    lastSeen: z.number().optional().describe('when a discovery last saw the link (ms since the epoch); older than discoveredAt for a stale link'),
    reporters: z.array(z.object({
      source: z.string().describe('lldp, cdp, fdb, arp or ospf'), device: z.string().describe('the managed device whose tables report the link'),
      lastSeen: z.number().describe('when this device last reported the link by this source (ms since the epoch)'),
      stale: z.boolean().optional().describe('this device could not read that source this time: its report is kept from an earlier discovery'),
    })).optional().describe('who reports the link, per source: a source that stopped reporting it is gone from the list; the link is down or stale only when none reports it'),
  })),
  discoveredAt: z.number().optional(),
});

export const topologyRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  app.get('/topology', {
    config: ctx.read,
    schema: {
      tags: ['topology'], summary: 'The discovered topology as {nodes, links}, Graphviz DOT or GraphML',
      querystring: z.strictObject({ format: z.enum(['json', 'dot', 'graphml']).default('json') }),
      response: {
        ...errors,
        200: {
          description: 'the graph',
          content: {
            'application/json': { schema: graph },
            'text/vnd.graphviz': { schema: z.string() },
            'application/graphml+xml': { schema: z.string() },
          },
        },
      },
    },
  }, async (req, reply) => {
    const g = await ctx.services.topology.graph();
    if (req.query.format === 'dot') return reply.type('text/vnd.graphviz; charset=utf-8').send(toDot(g));
    if (req.query.format === 'graphml') return reply.type('application/graphml+xml; charset=utf-8').send(toGraphml(g));
    return reply.type('application/json; charset=utf-8').send(g);
  });

  app.post('/topology/discover', {
    config: ctx.write,
    schema: {
      tags: ['topology'], summary: 'Run one discovery now (409 while one is running)', body: emptyBody,
      response: { 200: z.object({ nodes: z.number(), links: z.number(), durationMs: z.number(), errors: z.array(z.string()) }), ...errors },
    },
  }, async () => ctx.services.topology.discover());
};
