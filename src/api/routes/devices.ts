import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import { NetpulseError } from '../../errors/index.ts';
import { deviceParams, errorBody, errors } from '../schemas/common.ts';
import { deviceDetail, deviceInput, deviceReplace, deviceView } from '../schemas/devices.ts';
import { errorPayload, nameKey, noDevicePayload } from '../errors.ts';
import type { DeviceView } from '../services.ts';
import { bodyPerSnapshot, sendJson } from '../snapshot.ts';
import { pageOf, pageQuery, withTotalCount } from '../schemas/page.ts';
import { etagOf, withEtag, writeGuard, writeHeaders } from '../etag.ts';

const deviceList = z.object({ items: z.array(deviceView) });
const listQuery = pageQuery.extend({
  q: z.string().max(256).optional().describe('only devices whose name contains this, ignoring case and Unicode normalization (a type-ahead); X-Total-Count counts the matches'),
});
const removeQuery = z.strictObject({
  hidden: z.enum(['true', 'false']).optional().describe('true: remove the API-created device that a config device of this name hides (the config device marked `shadows: "api"`), not the listed one; 404 when none is hidden'),
});
/** what a PUT replaces (not the live status, the profile's summary, nor whether it hides an API device): the ETag's input */
const storedDevice = deviceView.omit({ snmp: true, status: true, shadows: true });
const deviceTag = (d: DeviceView) => etagOf(storedDevice.parse(d));

export const deviceRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { devices, series } = ctx.services;
  const guard = writeGuard();
  const item = (id: string) => ({ key: id, what: `device "${id}"`, tag: async () => { const d = await devices.get(id); return d && deviceTag(d); } });
  // its own lock key: the hidden device and the config one are different items
  const hiddenItem = (id: string) => ({ key: `hidden:${id}`, what: `hidden API-created device "${id}"`, tag: async () => { const d = await devices.hidden(id); return d && deviceTag(d); } });

  const wholeList = bodyPerSnapshot(deviceList, { method: 'GET', url: `${app.prefix}/devices` }, (items: readonly DeviceView[]) => ({ items: [...items] }));
  app.get('/devices', {
    config: ctx.read,
    schema: { tags: ['devices'], summary: 'List devices with state and SNMP version (all of them unless limit/offset)', querystring: listQuery, response: { 200: withTotalCount(deviceList, 'devices (those matching q)'), ...errors } },
  }, async (req, reply) => {
    const { limit, offset, q } = req.query;
    const all = await devices.list();
    // a type-ahead: not by case nor Unicode normalization (errors.ts nameKey; device names themselves are unique as written)
    const needle = q ? nameKey(q) : '';
    const items = needle ? all.filter((d) => nameKey(d.name).includes(needle)) : all;
    reply.header('x-total-count', items.length);
    if (!needle && limit === undefined && offset === 0) return sendJson(reply, wholeList(items));
    return { items: pageOf(items, req.query) };
  });

  app.post('/devices', {
    config: ctx.write,
    schema: { tags: ['devices'], summary: 'Add a device (credentials by profile name)', body: deviceInput, response: { 201: withEtag(deviceView), ...errors } },
  }, async (req, reply) => {
    const created = await devices.create(req.body);
    return reply.code(201).header('etag', deviceTag(created)).send(created);
  });

  app.get('/devices/:id', {
    config: ctx.read,
    schema: { tags: ['devices'], summary: 'Device detail: state, last poll, errors, interfaces with latest values, recent values', params: deviceParams, response: { 200: withEtag(deviceDetail), ...errors } },
  }, async (req, reply) => {
    const device = await devices.get(req.params.id);
    if (!device) return reply.code(404).send(noDevicePayload(req.params.id));
    // the tag covers the stored device (for If-Match), not the live values below: never a 304, no cache may answer for them
    void reply.header('cache-control', 'no-store').header('etag', deviceTag(device));
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
    schema: { tags: ['devices'], summary: 'Replace a device', params: deviceParams, headers: writeHeaders, body: deviceReplace, response: { 200: withEtag(deviceView), ...errors, 412: errorBody } },
  }, async (req, reply) => {
    if (req.body.name !== undefined && req.body.name !== req.params.id) {
      return reply.code(400).send(errorPayload(400, 'body.name: must match the path (renaming is delete + create)'));
    }
    return guard(req, reply, item(req.params.id), async () => {
      const updated = await devices.update(req.params.id, { ...req.body, name: req.params.id });
      return reply.header('etag', deviceTag(updated)).send(updated);
    });
  });

  app.delete('/devices/:id', {
    config: ctx.write,
    schema: {
      tags: ['devices'], summary: 'Remove a device created through the API (config devices answer 409), or with hidden=true the API-created device a config device of its name hides',
      params: deviceParams, querystring: removeQuery, headers: writeHeaders, response: { 204: z.null().describe('removed'), ...errors, 412: errorBody },
    },
  }, async (req, reply) => {
    const id = req.params.id;
    const hidden = req.query.hidden === 'true';
    return guard(req, reply, hidden ? hiddenItem(id) : item(id), async () => {
      if (!(await (hidden ? devices.removeHidden(id) : devices.remove(id)))) {
        const reason = hidden ? 'hidden=true: no API-created device of this name is hidden by a config device' : 'no such device';
        throw new NetpulseError({ scope: 'api', target: `device "${id}"`, reason, kind: 'not-found' });
      }
      return reply.code(204).send(null);
    });
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

