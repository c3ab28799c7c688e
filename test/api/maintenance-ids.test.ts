import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { MaintenanceWindows, maintenancePort } from '../../src/main/maintenance.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { call, TOKEN } from './helpers.ts';
import { createFakeServices } from './fake-services.ts';

let app: FastifyInstance;
const state = new StateStore(':memory:');

beforeAll(async () => {
  const svc = createFakeServices(Date.now());
  const windows = new MaintenanceWindows([{ name: 'nightly patch', devices: ['dist-*'], tags: {}, schedule: '0 2 * * *', duration: 3_600_000 }], state);
  svc.maintenance = maintenancePort(windows, () => []);
  app = await buildApp(svc, { tokens: [TOKEN], openReads: false, cors: false });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  state.close();
});

it('deleting a config window whose name has a space answers 409 (read-only), not 400', async () => {
  const del = await call(app, { method: 'DELETE', url: `/api/v1/maintenance/${encodeURIComponent('config.nightly patch')}` });
  expect(del.status).toBe(409);
  expect(del.json.message).toContain('config file');
  expect((await call(app, { method: 'DELETE', url: '/api/v1/maintenance/%01' })).status).toBe(400);
});
