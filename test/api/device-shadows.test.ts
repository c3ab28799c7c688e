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
  return { inventory, warnings, get };
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
});
