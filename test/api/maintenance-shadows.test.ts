/**
 * A config maintenance window named like an API-created one hides it (neither listed nor applied,
 * warned): as with devices, the config window carries `shadows: "api"`; the hidden API window is
 * still read by its id, marked `shadowedBy: "config"`, and can be deleted (If-Match from that read).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { MaintenanceWindowSpec } from '../../src/alerts/maintenance-schema.ts';
import { buildApp } from '../../src/api/app.ts';
import { MaintenanceWindows, maintenancePort } from '../../src/main/maintenance.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { createFakeServices } from './fake-services.ts';
import { AUTH, TOKEN } from './helpers.ts';

const spec = (name: string, devices: string[]): MaintenanceWindowSpec => ({ name, devices, tags: {}, schedule: '0 2 * * *', duration: 3_600_000 });
const devices = () => [{ name: 'sw1', tags: {} }, { name: 'sw2', tags: {} }];

let state: StateStore | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); state?.close(); app = undefined; });

/** an API window "nightly" (sw1) and "weekly" in the store, then netpulse started with `config` windows */
async function start(config: MaintenanceWindowSpec[]) {
  state = new StateStore(':memory:');
  const api = new MaintenanceWindows([], state);
  const nightly = api.create(spec('nightly', ['sw1']), 'ops').id;
  const weekly = api.create(spec('weekly', ['sw2']), 'ops').id;
  const windows = new MaintenanceWindows(config, state);
  const svc = createFakeServices(Date.now());
  svc.maintenance = maintenancePort(windows, devices);
  app = await buildApp(svc, { tokens: [TOKEN], openReads: false, cors: false });
  await app.ready();
  const inject = (method: 'GET' | 'DELETE', url: string, headers: Record<string, string> = {}) => app!.inject({ method, url, headers: { ...AUTH, ...headers } });
  return { windows, nightly, weekly, inject };
}

describe('GET /maintenance/{id} of an API window a config window of its name hides', () => {
  it('finds it, marked shadowedBy: "config"; the config window and the list carry shadows: "api"; the list leaves it out', async () => {
    const { nightly, weekly, inject } = await start([spec('nightly', ['sw2'])]);
    const hidden = await inject('GET', `/api/v1/maintenance/${nightly}`);
    expect(hidden.statusCode).toBe(200);
    expect(hidden.json()).toMatchObject({ id: nightly, name: 'nightly', origin: 'api', devices: ['sw1'], covers: ['sw1'], shadowedBy: 'config' });
    expect(hidden.json()).not.toHaveProperty('shadows');
    expect(hidden.headers.etag).toMatch(/^"/);
    const config = (await inject('GET', '/api/v1/maintenance/config.nightly')).json();
    expect(config).toMatchObject({ id: 'config.nightly', origin: 'config', shadows: 'api' });
    expect(config).not.toHaveProperty('shadowedBy');
    const other = (await inject('GET', `/api/v1/maintenance/${weekly}`)).json();
    expect([other.shadows, other.shadowedBy]).toEqual([undefined, undefined]);
    const list = (await inject('GET', '/api/v1/maintenance')).json().items.map((w: any) => [w.id, w.shadows, w.shadowedBy]);
    expect(list).toEqual([['config.nightly', 'api', undefined], [weekly, undefined, undefined]]);
  });

  it('can be deleted with If-Match from that read; the config window then hides nothing', async () => {
    const { nightly, inject } = await start([spec('nightly', ['sw2'])]);
    const etag = (await inject('GET', `/api/v1/maintenance/${nightly}`)).headers.etag as string;
    expect((await inject('DELETE', `/api/v1/maintenance/${nightly}`, { 'if-match': etag })).statusCode).toBe(204);
    expect((await inject('GET', `/api/v1/maintenance/${nightly}`)).statusCode).toBe(404);
    expect((await inject('GET', '/api/v1/maintenance/config.nightly')).json()).not.toHaveProperty('shadows');
  });

  it('keeps its ETag when a reload brings it back: the flag is not part of the window as defined', async () => {
    const { windows, nightly, inject } = await start([spec('nightly', ['sw2'])]);
    const etag = (await inject('GET', `/api/v1/maintenance/${nightly}`)).headers.etag as string;
    windows.setConfigWindows([]);
    expect((await inject('GET', `/api/v1/maintenance/${nightly}`)).headers.etag).toBe(etag);
    expect((await inject('DELETE', `/api/v1/maintenance/${nightly}`, { 'if-match': etag })).statusCode).toBe(204);
  });

  it('once a reload drops the config window: back in the list, without a flag', async () => {
    const { windows, nightly, inject } = await start([spec('nightly', ['sw2'])]);
    windows.setConfigWindows([]);
    const back = (await inject('GET', `/api/v1/maintenance/${nightly}`)).json();
    expect(back).toMatchObject({ id: nightly, origin: 'api' });
    expect([back.shadows, back.shadowedBy]).toEqual([undefined, undefined]);
    expect((await inject('GET', '/api/v1/maintenance')).json().items.map((w: any) => w.id)).toContain(nightly);
  });

  it('is documented in the OpenAPI description', async () => {
    const { inject } = await start([]);
    const doc = JSON.stringify((await inject('GET', '/docs/json')).json());
    expect(doc).toContain('hides an API-created window of the same name');
    expect(doc).toContain('a config window of the same name hides');
  });
});
