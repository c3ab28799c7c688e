/** Devices through the API: parents and interface filters on create/update, the interface filter's count in the status. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => ({ app } = await makeApp()));
afterAll(async () => app?.close());

const dev = (name: string, extra: Record<string, unknown> = {}) => ({ name, address: '127.0.0.20', credentials: 'lab-v2c', ...extra });
const post = (payload: Record<string, unknown>) => call(app, { method: 'POST', url: '/api/v1/devices', payload });

describe('device status: interfaces filtered', () => {
  it('shows how many interfaces the filter left out, and nothing without a filter', async () => {
    const one = await call(app, { method: 'GET', url: '/api/v1/devices/dist-sw1' });
    expect(one.status).toBe(200);
    expect(one.json.device.status.interfacesFiltered).toBe(3);
    const list = (await call(app, { method: 'GET', url: '/api/v1/devices' })).json.items;
    expect(list.find((d: { name: string }) => d.name === 'dist-sw1').status.interfacesFiltered).toBe(3);
    expect(list.find((d: { name: string }) => d.name === 'core-rtr1').status).not.toHaveProperty('interfacesFiltered');
  });
});

describe('devices with parents and interface filters', () => {
  it('creates and replaces them; the view shows parents and the normalised filter', async () => {
    const c = await post(dev('ap-1', {
      parents: ['core-rtr1', 'dist-sw1'],
      interfaces: { include: { ifName: ['Gi*'] }, exclude: { ifType: ['softwareLoopback', 1], ifAlias: ['/^unused/i'], adminDown: true } },
    }));
    expect(c.status).toBe(201);
    expect(c.json.parents).toEqual(['core-rtr1', 'dist-sw1']);
    expect(c.json.interfaces).toEqual({
      include: { ifType: [], ifName: ['Gi*'], ifDescr: [], ifAlias: [] },
      exclude: { ifType: [24, 1], ifName: [], ifDescr: [], ifAlias: ['/^unused/i'], adminDown: true },
    });
    const p = await call(app, { method: 'PUT', url: '/api/v1/devices/ap-1', payload: dev('ap-1', { parents: ['dist-sw2'] }) });
    expect(p.status).toBe(200);
    expect(p.json.parents).toEqual(['dist-sw2']);
    expect(p.json).not.toHaveProperty('interfaces');
    expect((await call(app, { method: 'GET', url: '/api/v1/devices/ap-1' })).json.device.parents).toEqual(['dist-sw2']);
  });

  it('422 naming the field for an unknown parent, the device itself and a cycle', async () => {
    const unknown = await post(dev('ap-2', { parents: ['core-rtr1', 'nope'] }));
    expect(unknown.status).toBe(422);
    expect(unknown.json.message).toContain('parents[1]: unknown device "nope"');
    const self = await post(dev('ap-3', { parents: ['ap-3'] }));
    expect(self.status).toBe(422);
    expect(self.json.message).toContain('parents[0]: device "ap-3" cannot be its own parent');
    expect((await post(dev('ring-a', { parents: ['core-rtr1'] }))).status).toBe(201);
    expect((await post(dev('ring-b', { parents: ['ring-a'] }))).status).toBe(201);
    expect((await post(dev('ring-c', { parents: ['ring-b'] }))).status).toBe(201);
    const cycle = await call(app, { method: 'PUT', url: '/api/v1/devices/ring-a', payload: dev('ring-a', { parents: ['ring-c'] }) });
    expect(cycle.status).toBe(422);
    expect(cycle.json.message).toContain('parents: parent cycle ring-a -> ring-c -> ring-b -> ring-a');
  });

  it('409 when removing a device that is still a parent', async () => {
    expect((await post(dev('up-1'))).status).toBe(201);
    expect((await post(dev('down-1', { parents: ['up-1'] }))).status).toBe(201);
    const r = await call(app, { method: 'DELETE', url: '/api/v1/devices/up-1' });
    expect(r.status).toBe(409);
    expect(r.json.message).toContain('is a parent of down-1');
    expect((await call(app, { method: 'DELETE', url: '/api/v1/devices/down-1' })).status).toBe(204);
    expect((await call(app, { method: 'DELETE', url: '/api/v1/devices/up-1' })).status).toBe(204);
  });

  it('checks the interface filter as the config does: 422 naming the field', async () => {
    for (const [interfaces, field, text] of [
      [{ include: { ifType: ['softwareLoopbak'] } }, 'interfaces.include.ifType[0]', 'unknown IANAifType "softwareLoopbak"; did you mean "softwareLoopback"?'],
      [{ exclude: { ifType: [0] } }, 'interfaces.exclude.ifType[0]', 'expected an IANAifType number'],
      [{ exclude: { ifName: ['Gi*', '/(/'] } }, 'interfaces.exclude.ifName[1]', ''],
      [{ include: { ifAlias: ['/(a+)+$/'] } }, 'interfaces.include.ifAlias[0]', ''],
    ] as const) {
      const r = await post(dev('bad-if', { interfaces }));
      expect(r.status, JSON.stringify(interfaces)).toBe(422);
      expect(r.json.message).toContain(`${field}: ${text}`);
    }
    expect((await call(app, { method: 'GET', url: '/api/v1/devices/bad-if' })).status).toBe(404);
  });

  it('400 naming the field for a wrong shape', async () => {
    for (const [payload, field] of [
      [dev('x', { parents: 'core-rtr1' }), 'body.parents'],
      [dev('x', { parents: ['bad name!'] }), 'body.parents.0'],
      [dev('x', { interfaces: { include: { ifNmae: ['Gi*'] } } }), 'body.interfaces.include.ifNmae'],
      [dev('x', { interfaces: { exclude: { adminDown: 'yes' } } }), 'body.interfaces.exclude.adminDown'],
      [dev('x', { interfaces: { include: { ifName: [''] } } }), 'body.interfaces.include.ifName.0'],
    ] as const) {
      const r = await post(payload);
      expect(r.status, JSON.stringify(payload)).toBe(400);
      expect(r.json.message).toContain(field);
    }
  });

  it('documents parents and interfaces in OpenAPI', async () => {
    const spec = (app as unknown as { swagger(): { paths: Record<string, any> } }).swagger();
    const body = JSON.stringify(spec.paths['/api/v1/devices'].post);
    expect(body).toContain('"parents"');
    expect(body).toContain('"adminDown"');
  });
});
