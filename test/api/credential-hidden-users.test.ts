/**
 * DELETE /credentials/{name} of an API-created profile is refused (409) while a device uses it,
 * an API device a config device of its name hides included: that device polls with the profile
 * again once the config device leaves the file, and the reload bringing it back would be refused
 * (Inventory.comebackProblem) with no way to repoint it through the API while it is hidden.
 * Through the real Inventory and credentials port as src/main/runtime.ts wires them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { parseConfig } from '../../src/config/load.ts';
import { credentialsPort, devicesPort } from '../../src/main/adapters/devices.ts';
import { Inventory } from '../../src/main/inventory.ts';
import { StatusTracker } from '../../src/main/status-tracker.ts';
import { DeviceStatusRegistry } from '../../src/poller/status-registry.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { createFakeServices } from './fake-services.ts';
import { AUTH, TOKEN } from './helpers.ts';

const config = (devices: string) => parseConfig(`credentials:
  lab: { version: 2c, community: pub-secret }
devices:
${devices}`, 'hidden-users.yaml', {});
const CORE = '  - { name: core1, address: 127.0.0.1, port: 16101, credentials: lab, profiles: [system] }\n';
const EDGE = (name: string) => `  - { name: ${name}, address: 127.0.0.1, port: 16102, credentials: lab, profiles: [system] }\n`;
const apiDevice = (name: string, credentials: string) =>
  ({ name, address: '127.0.0.9', port: 16109, credentials, profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: false });

let state: StateStore | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); state?.close(); app = undefined; });

/** API profiles `apiCreds` and API devices (name → profile) in the store, then netpulse started with `devices` in its config file */
async function start(devices: string, apiCreds: string[], apiDevices: [string, string][]) {
  state = new StateStore(':memory:');
  const before = new Inventory(config(CORE), state, () => ['system']);
  const creds = credentialsPort(before);
  for (const c of apiCreds) await creds.put(c, { version: '2c', community: `${c}-secret` });
  const port = devicesPort(before, new DeviceStatusRegistry(), new StatusTracker());
  for (const [name, c] of apiDevices) await port.create(apiDevice(name, c));
  const inventory = new Inventory(config(devices), state, () => ['system']);
  const svc = createFakeServices();
  svc.devices = devicesPort(inventory, new DeviceStatusRegistry(), new StatusTracker());
  svc.credentials = credentialsPort(inventory);
  app = await buildApp(svc, { tokens: [TOKEN], openReads: false, cors: false });
  await app.ready();
  const inject = async (method: 'GET' | 'DELETE', url: string) => app!.inject({ method, url, headers: AUTH });
  return { inventory, inject };
}

describe('DELETE /credentials/{name} of a profile an API device a config device hides uses', () => {
  it('is refused (409) naming the hidden device as such; the profile stays, and the device comes back polling with it', async () => {
    const { inventory, inject } = await start(CORE + EDGE('edge1'), ['edge'], [['edge1', 'edge']]);
    const res = await inject('DELETE', '/api/v1/credentials/edge');
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('API devices hidden by a config device of their name use it: edge1 (they poll with it again once that config device leaves the file)');
    expect((await inject('GET', '/api/v1/credentials/edge')).statusCode).toBe(200);
    expect(inventory.reloadProblems(config(CORE))).toEqual([]);
    inventory.replaceConfig(config(CORE));
    expect(inventory.resolved().find((d) => d.name === 'edge1')?.credential).toEqual({ version: '2c', community: 'edge-secret' });
  });

  it('names the devices listed first, then the hidden ones', async () => {
    const { inject } = await start(CORE + EDGE('edge1') + EDGE('edge3'), ['edge'], [['edge1', 'edge'], ['edge2', 'edge'], ['edge3', 'edge']]);
    const res = await inject('DELETE', '/api/v1/credentials/edge');
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('in use by edge2; API devices hidden by a config device of their name use it: edge1, edge3 (');
  });

  it('a profile only listed devices use: refused as before; one only a hidden device uses: refused; one no device uses: removed', async () => {
    const { inject } = await start(CORE + EDGE('edge1'), ['edge', 'spare', 'other'], [['edge1', 'other'], ['edge2', 'edge']]);
    const used = await inject('DELETE', '/api/v1/credentials/edge');
    expect(used.statusCode).toBe(409);
    expect(used.json().message).toContain('in use by edge2');
    expect(used.json().message).not.toContain('hidden');
    expect((await inject('DELETE', '/api/v1/credentials/spare')).statusCode).toBe(204);
    expect((await inject('DELETE', '/api/v1/credentials/other')).statusCode).toBe(409);
  });

  it('once a reload drops the config device, the device is listed and the usual refusal applies; repointed, the profile can go', async () => {
    const { inventory, inject } = await start(CORE + EDGE('edge1'), ['edge'], [['edge1', 'edge']]);
    inventory.replaceConfig(config(CORE));
    const res = await inject('DELETE', '/api/v1/credentials/edge');
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('in use by edge1');
    expect(res.json().message).not.toContain('hidden');
    inventory.updateDevice('edge1', apiDevice('edge1', 'lab'));
    expect((await inject('DELETE', '/api/v1/credentials/edge')).statusCode).toBe(204);
  });
});
