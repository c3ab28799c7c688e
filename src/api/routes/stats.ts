import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { errors } from '../schemas/common.ts';
import { snmpVersionStats } from '../stats.ts';
import { perSnapshot } from '../snapshot.ts';

const split = z.object({ count: z.number(), ok: z.number(), failing: z.number(), unknown: z.number() });
const splitMap = z.record(z.string(), split);

export const statsRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const versionStats = perSnapshot(snmpVersionStats);
  app.get('/stats/snmp-versions', {
    config: ctx.read,
    schema: {
      tags: ['devices'],
      summary: 'Device counts by SNMP version; v3 by security level and auth/priv protocol; each split by state',
      querystring: z.strictObject({}),
      response: {
        200: z.object({
          total: split, v1: split, v2c: split,
          v3: split.extend({ byLevel: splitMap, byAuthProtocol: splitMap, byPrivProtocol: splitMap }),
          unresolved: split,
        }),
        ...errors,
      },
    },
  }, async () => versionStats(await ctx.services.devices.list()));
};
