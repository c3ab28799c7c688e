/**
 * A config device with the name of an API-created device hides it (the config wins; start-up and
 * reload log a warning): the API says so on the config device with `shadows: "api"`, through the
 * real Inventory and devices port as src/main/runtime.ts wires them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { parseConfig } from '../../src/config/load.ts';
import { devicesPort } from '../../src/main/adapters/devices.ts';
import { Inventory } from '../../src/main/inventory.ts';
import { StatusTracker } from '../../src/main/status-tracker.ts';
import { DeviceStatusRegistry } from '../../src/poller/status-registry.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { createFakeServices } from './fake-services.ts';
import { AUTH, TOKEN } from './helpers.ts';

const config = (devices: string) => parseConfig(`credentials:
  lab: { version: 2c, community: pub-secret }
devices:
${devices}`, 'shadows.yaml', {});
const CORE = '  - { name: core1, address: 127.0.0.1, port: 16101, credentials: lab, profiles: [system] }\n';
const EDGE = '  - { name: edge1, address: 127.0.0.1, port: 16102, credentials: lab, profiles: [system] }\n';

let state: StateStore | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); state?.close(); app = undefined; });

/** an API device edge1 in the store, then netpulse started with `devices` in its config file */
async function start(devices: string) {
  state = new StateStore(':memory:');
  await devicesPort(new Inventory(config(CORE), state, () => ['system']), new DeviceStatusRegistry(), new StatusTracker())
    .create({ name: 'edge1', address: '127.0.0.9', port: 16109, credentials: 'lab', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: false });
  const warnings: string[] = [];
  const inventory = new Inventory(config(devices), state, () => ['system'], (line) => warnings.push(line));
  const svc = createFakeServices();
  svc.devices = devicesPort(inventory, new DeviceStatusRegistry(), new StatusTracker());
  app = await buildApp(svc, { tokens: [TOKEN], openReads: false, cors: false });
  await app.ready();
  const get = async (url: string) => (await app!.inject({ method: 'GET', url, headers: AUTH })).json();
  const del = (url: string, headers: Record<string, string> = {}) => app!.inject({ method: 'DELETE', url, headers: { ...AUTH, ...headers } });
  return { inventory, warnings, get, del };
}

describe('a config device hiding an API-created device of its name', () => {
  it('carries shadows: "api" in its detail and in the list; the others do not', async () => {
    const { warnings, get } = await start(CORE + EDGE);
    expect(warnings.join('\n')).toContain('device edge1 of the config file hides the API-created device');
    const detail = await get('/api/v1/devices/edge1');
    expect(detail.device).toMatchObject({ name: 'edge1', origin: 'config', address: '127.0.0.1', shadows: 'api' });
    expect((await get('/api/v1/devices/core1')).device).not.toHaveProperty('shadows');
    const list = (await get('/api/v1/devices')).items.map((d: any) => [d.name, d.origin, d.shadows]);
    expect(list).toEqual([['core1', 'config', undefined], ['edge1', 'config', 'api']]);
  });

  it('an API device nothing hides has no shadows; a reload that drops the config device brings it back without', async () => {
    const { inventory, get } = await start(CORE + EDGE);
    inventory.replaceConfig(config(CORE));
    expect((await get('/api/v1/devices/edge1')).device).toMatchObject({ origin: 'api', address: '127.0.0.9' });
    expect((await get('/api/v1/devices/edge1')).device).not.toHaveProperty('shadows');
    inventory.replaceConfig(config(CORE + EDGE));
    expect((await get('/api/v1/devices/edge1')).device).toMatchObject({ origin: 'config', shadows: 'api' });
  });

  it('is documented in the OpenAPI description', async () => {
    const { get } = await start(CORE);
    const doc = await get('/docs/json');
    expect(JSON.stringify(doc)).toContain('hides an API-created device of the same name');
  });

  it('is documented in the OpenAPI description: DELETE ?hidden=true', async () => {
    const { get } = await start(CORE);
    const del = (await get('/docs/json')).paths['/api/v1/devices/{id}'].delete;
    expect(JSON.stringify(del.parameters.find((p: any) => p.name === 'hidden'))).toContain('hides');
  });
});

describe('DELETE /api/v1/devices/{name}?hidden=true', () => {
  it('removes the hidden API-created device, from the store too; the config device stays, no longer marked', async () => {
    const { del, get } = await start(CORE + EDGE);
    const marks = async () => (await get('/api/v1/devices')).items.map((d: any) => [d.name, d.shadows]);
    expect(await marks()).toEqual([['core1', undefined], ['edge1', 'api']]); // the list snapshot built before the delete
    const res = await del('/api/v1/devices/edge1?hidden=true');
    expect(res.statusCode).toBe(204);
    expect(state!.devices.list().map((d) => d.name)).toEqual([]);
    expect((await get('/api/v1/devices/edge1')).device).toMatchObject({ origin: 'config', address: '127.0.0.1' });
    expect((await get('/api/v1/devices/edge1')).device).not.toHaveProperty('shadows');
    expect(await marks()).toEqual([['core1', undefined], ['edge1', undefined]]);
  });

  it('answers 404 naming the device when none of that name is hidden: again, a config device hiding none, an API device, no device', async () => {
    const { del, inventory } = await start(CORE + EDGE);
    inventory.createDevice({ name: 'api1', address: '127.0.0.3', port: 16103, credentials: 'lab', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: false });
    expect((await del('/api/v1/devices/edge1?hidden=true')).statusCode).toBe(204);
    for (const name of ['edge1', 'core1', 'api1', 'nope']) {
      const res = await del(`/api/v1/devices/${name}?hidden=true`);
      expect(res.statusCode, name).toBe(404);
      expect(res.json().message, name).toContain(`device "${name}": hidden=true: no API-created device of this name is hidden by a config device`);
    }
    expect(inventory.origin('api1')).toBe('api'); // the listed API device is not what hidden=true removes
  });

  it('without hidden=true a config device answers 409, naming ?hidden=true only when it hides an API device', async () => {
    const { del } = await start(CORE + EDGE);
    for (const url of ['/api/v1/devices/edge1', '/api/v1/devices/edge1?hidden=false']) {
      const res = await del(url);
      expect(res.statusCode, url).toBe(409);
      expect(res.json().message, url).toContain('is defined in the config file; remove it there (an API-created device of that name is hidden behind it: to remove that one, delete with ?hidden=true)');
    }
    const core = await del('/api/v1/devices/core1');
    expect(core.statusCode).toBe(409);
    expect(core.json().message).not.toContain('hidden');
    expect(state!.devices.list().map((d) => d.name)).toEqual(['edge1']);
  });

  it('refuses a hidden value other than true/false and unknown query parameters (400), removing nothing', async () => {
    const { del } = await start(CORE + EDGE);
    expect((await del('/api/v1/devices/edge1?hidden=yes')).statusCode).toBe(400);
    expect((await del('/api/v1/devices/edge1?hiden=true')).statusCode).toBe(400);
    expect(state!.devices.list().map((d) => d.name)).toEqual(['edge1']);
  });

  it('If-Match compares the hidden device\'s ETag, not the config device\'s', async () => {
    const { del } = await start(CORE + EDGE);
    const configTag = (await app!.inject({ method: 'GET', url: '/api/v1/devices/edge1', headers: AUTH })).headers.etag as string;
    expect((await del('/api/v1/devices/edge1?hidden=true', { 'if-match': configTag })).statusCode).toBe(412);
    expect((await del('/api/v1/devices/edge1?hidden=true', { 'if-match': '*' })).statusCode).toBe(204);
  });
});
