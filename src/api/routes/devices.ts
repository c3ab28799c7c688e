import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { NetpulseError } from '../../errors/index.ts';
import { deviceId, errors } from '../schemas/common.ts';
import { deviceDetail, deviceInput, deviceReplace, deviceView } from '../schemas/devices.ts';
import { errorPayload } from '../errors.ts';

const params = z.strictObject({ id: deviceId });

export const deviceRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { devices, series } = ctx.services;

  app.get('/devices', {
    config: ctx.read,
    schema: { tags: ['devices'], summary: 'List devices with state and SNMP version', querystring: z.strictObject({}), response: { 200: z.object({ items: z.array(deviceView) }), ...errors } },
  }, async () => ({ items: await devices.list() }));

  app.post('/devices', {
    config: ctx.write,
    schema: { tags: ['devices'], summary: 'Add a device (credentials by profile name)', body: deviceInput, response: { 201: deviceView, ...errors } },
  }, async (req, reply) => reply.code(201).send(await devices.create(req.body)));

  app.get('/devices/:id', {
    config: ctx.read,
    schema: { tags: ['devices'], summary: 'Device detail: state, last poll, errors, interfaces with latest values, recent values', params, response: { 200: deviceDetail, ...errors } },
  }, async (req, reply) => {
    const device = await devices.get(req.params.id);
    if (!device) return reply.code(404).send(errorPayload(404, `params.id: no device "${req.params.id}"`));
    const one = async (measurement: string) => (await series.latest(measurement, device.name))[0];
    const [interfaces, system, host, icmp, status] = await Promise.all([
      series.latest('snmp_interface', device.name),
      one('snmp_system'), one('snmp_host'), one('icmp'), one('device_status'),
    ]);
    interfaces.sort((a, b) => Number(a.tags.ifIndex ?? 0) - Number(b.tags.ifIndex ?? 0));
    return { device, interfaces, recent: { system, host, icmp, status } };
  });

  app.put('/devices/:id', {
    config: ctx.write,
    schema: { tags: ['devices'], summary: 'Replace a device', params, body: deviceReplace, response: { 200: deviceView, ...errors } },
  }, async (req, reply) => {
    if (req.body.name !== undefined && req.body.name !== req.params.id) {
      return reply.code(400).send(errorPayload(400, 'body.name: must match the path (renaming is delete + create)'));
    }
    return devices.update(req.params.id, { ...req.body, name: req.params.id });
  });

  app.delete('/devices/:id', {
    config: ctx.write,
    schema: { tags: ['devices'], summary: 'Remove a device', params, response: { 204: z.null().describe('removed'), ...errors } },
  }, async (req, reply) => {
    if (!(await devices.remove(req.params.id))) throw new NetpulseError({ scope: 'api', target: `device "${req.params.id}"`, reason: 'no such device', kind: 'not-found' });
    return reply.code(204).send(null);
  });

  app.get('/devices/:id/neighbors', {
    config: ctx.read,
    schema: {
      tags: ['topology'], summary: 'LLDP/CDP/FDB neighbours of a device', params,
      response: {
        200: z.object({
          device: z.string(),
          neighbors: z.array(z.object({
            localPort: z.string().optional(), remoteId: z.string(), remoteName: z.string().optional(),
            remotePort: z.string().optional(), remoteAddress: z.string().optional(), protocol: z.string(),
          })),
        }),
        ...errors,
      },
    },
  }, async (req, reply) => {
    const neighbors = await ctx.services.topology.neighbors(req.params.id);
    if (!neighbors) return reply.code(404).send(errorPayload(404, `params.id: no device "${req.params.id}"`));
    return { device: req.params.id, neighbors };
  });
};

