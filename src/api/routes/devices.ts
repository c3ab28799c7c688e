import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { NetpulseError } from '../../errors/index.ts';
import { deviceParams, errors } from '../schemas/common.ts';
import { deviceDetail, deviceInput, deviceReplace, deviceView } from '../schemas/devices.ts';
import { errorPayload, noDevicePayload } from '../errors.ts';
import type { DeviceView } from '../services.ts';
import { bodyPerSnapshot, sendJson } from '../snapshot.ts';

const deviceList = z.object({ items: z.array(deviceView) });
/** the list's response as documented: the same body, plus the header (@fastify/swagger reads `headers` off the response schema) */
const deviceListResponse = deviceList.meta({
  headers: { 'X-Total-Count': { type: 'integer', minimum: 0, description: 'devices in the whole list, whatever limit and offset say' } },
});
const page = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1_000_000).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const deviceRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { devices, series } = ctx.services;

  const wholeList = bodyPerSnapshot(deviceList, { method: 'GET', url: `${app.prefix}/devices` }, (items: readonly DeviceView[]) => ({ items: [...items] }));
  app.get('/devices', {
    config: ctx.read,
    schema: { tags: ['devices'], summary: 'List devices with state and SNMP version (all of them unless limit/offset)', querystring: page, response: { 200: deviceListResponse, ...errors } },
  }, async (req, reply) => {
    const { limit, offset } = req.query;
    const items = await devices.list();
    reply.header('x-total-count', items.length);
    if (limit === undefined && offset === 0) return sendJson(reply, wholeList(items));
    return { items: items.slice(offset, limit === undefined ? undefined : offset + limit) };
  });

  app.post('/devices', {
    config: ctx.write,
    schema: { tags: ['devices'], summary: 'Add a device (credentials by profile name)', body: deviceInput, response: { 201: deviceView, ...errors } },
  }, async (req, reply) => reply.code(201).send(await devices.create(req.body)));

  app.get('/devices/:id', {
    config: ctx.read,
    schema: { tags: ['devices'], summary: 'Device detail: state, last poll, errors, interfaces with latest values, recent values', params: deviceParams, response: { 200: deviceDetail, ...errors } },
  }, async (req, reply) => {
    const device = await devices.get(req.params.id);
    if (!device) return reply.code(404).send(noDevicePayload(req.params.id));
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
    schema: { tags: ['devices'], summary: 'Replace a device', params: deviceParams, body: deviceReplace, response: { 200: deviceView, ...errors } },
  }, async (req, reply) => {
    if (req.body.name !== undefined && req.body.name !== req.params.id) {
      return reply.code(400).send(errorPayload(400, 'body.name: must match the path (renaming is delete + create)'));
    }
    return devices.update(req.params.id, { ...req.body, name: req.params.id });
  });

  app.delete('/devices/:id', {
    config: ctx.write,
    schema: { tags: ['devices'], summary: 'Remove a device', params: deviceParams, response: { 204: z.null().describe('removed'), ...errors } },
  }, async (req, reply) => {
    if (!(await devices.remove(req.params.id))) throw new NetpulseError({ scope: 'api', target: `device "${req.params.id}"`, reason: 'no such device', kind: 'not-found' });
    return reply.code(204).send(null);
  });

  app.get('/devices/:id/neighbors', {
    config: ctx.read,
    schema: {
      tags: ['topology'], summary: 'LLDP/CDP/FDB neighbours of a device', params: deviceParams,
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
    if (!neighbors) return reply.code(404).send(noDevicePayload(req.params.id));
    return { device: req.params.id, neighbors };
  });
};

