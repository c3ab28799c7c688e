import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { credentialsPort } from '../../src/main/adapters/devices.ts';
import { Inventory } from '../../src/main/inventory.ts';
import { MaintenanceWindows, maintenancePort } from '../../src/main/maintenance.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { call, TOKEN } from './helpers.ts';
import { createFakeServices } from './fake-services.ts';

/** wraps every method of a port so each call is recorded as `<port>.<method>` */
function spy<T extends object>(port: T, name: string, calls: string[]): T {
  return Object.fromEntries(Object.entries(port).map(([k, fn]) => [k, (...args: unknown[]) => { calls.push(`${name}.${k}`); return (fn as (...a: unknown[]) => unknown)(...args); }])) as T;
}

describe('single-item GETs read one item through the port, not the whole list', () => {
  let app: FastifyInstance;
  const calls: string[] = [];
  let windowId = '';

  beforeAll(async () => {
    const svc = createFakeServices(Date.now());
    windowId = (await svc.maintenance.list())[0]!.id;
    svc.maintenance = spy(svc.maintenance, 'maintenance', calls);
    svc.credentials = spy(svc.credentials, 'credentials', calls);
    app = await buildApp(svc, { tokens: [TOKEN], openReads: false, cors: false });
    await app.ready();
  });
  afterAll(async () => { await app?.close(); });

  it.each([
    ['maintenance window', () => `/api/v1/maintenance/${windowId}`, 'maintenance', 'ups-battery-swap'],
    ['credential profile', () => '/api/v1/credentials/core-v3', 'credentials', 'core-v3'],
  ])('GET one %s calls get', async (_what, url, port, name) => {
    calls.length = 0;
    const res = await call(app, { method: 'GET', url: url() });
    expect(res.status).toBe(200);
    expect(res.json.name).toBe(name);
    expect(calls).toEqual([`${port}.get`]);
  });

  it.each([
    ['maintenance window', '/api/v1/maintenance/no-such-window', 'maintenance'],
    ['credential profile', '/api/v1/credentials/no-such-profile', 'credentials'],
  ])('GET a missing %s answers 404 after one get', async (_what, url, port) => {
    calls.length = 0;
    expect((await call(app, { method: 'GET', url })).status).toBe(404);
    expect(calls).toEqual([`${port}.get`]);
  });
});

describe('the runtime adapters answer get', () => {
  const state = new StateStore(':memory:');
  afterAll(() => state.close());

  it('maintenancePort.get computes covers for the one window, and undefined for an unknown id', async () => {
    const windows = new MaintenanceWindows([{ name: 'nightly', devices: ['sw*'], tags: {}, schedule: '0 2 * * *', duration: 3_600_000 }], state);
    let deviceReads = 0;
    const port = maintenancePort(windows, () => { deviceReads++; return [{ name: 'sw1', tags: {} }, { name: 'rtr1', tags: {} }]; });
    const api = await port.create({ name: 'swap', devices: ['rtr1'], tags: {}, start: Date.now(), end: Date.now() + 60_000 }, 'test');
    deviceReads = 0;
    expect(await port.get('config.nightly')).toMatchObject({ id: 'config.nightly', covers: ['sw1'], active: expect.any(Boolean) });
    expect(await port.get(api.id)).toMatchObject({ name: 'swap', covers: ['rtr1'], active: true });
    expect(await port.get('nope')).toBeUndefined();
    expect(deviceReads).toBe(2);
  });

  it('credentialsPort.get gives the summary (no secrets) of a config or API profile, and undefined for an unknown name', async () => {
    const inventory = new Inventory({ devices: [], credentials: { lab: { version: '2c', community: 'sekret' } } }, state, () => []);
    const port = credentialsPort(inventory);
    await port.put('core', { version: '3', user: 'np', level: 'authPriv', authProtocol: 'SHA', authKey: 'authkey-1', privProtocol: 'AES', privKey: 'privkey-1' });
    expect(await port.get('lab')).toEqual({ name: 'lab', version: '2c' });
    const core = await port.get('core');
    expect(core).toMatchObject({ name: 'core', version: '3', user: 'np', level: 'authPriv' });
    expect(JSON.stringify(core)).not.toMatch(/authkey-1|privkey-1/);
    expect(await port.get('nope')).toBeUndefined();
  });

  it('get answers each item as list does (covers, active, next start; no secrets)', async () => {
    const NOW = Date.UTC(2026, 0, 15, 1, 30);
    const windows = new MaintenanceWindows([{ name: 'nightly', devices: ['sw*'], tags: {}, schedule: '0 2 * * *', duration: 3_600_000 }], state);
    const mports = maintenancePort(windows, () => [{ name: 'sw1', tags: {} }, { name: 'rtr1', tags: {} }], () => NOW);
    await mports.create({ name: 'swap2', devices: ['rtr1'], tags: {}, start: NOW - 60_000, end: NOW + 60_000 }, 'test');
    for (const w of await mports.list()) expect(await mports.get(w.id)).toEqual(w);
    const inventory = new Inventory({ devices: [], credentials: { lab2: { version: '2c', community: 'sekret' } } }, state, () => []);
    const cports = credentialsPort(inventory);
    await cports.put('core2', { version: '3', user: 'np', level: 'authPriv', authProtocol: 'SHA', authKey: 'authkey-1', privProtocol: 'AES', privKey: 'privkey-1' });
    for (const c of await cports.list()) expect(await cports.get(c.name)).toEqual(c);
  });
});
