/**
 * Creates racing with one name: the name check and the write run as one step per name, so of
 * concurrent creates exactly one succeeds and the others get the answer a sequential duplicate
 * gets. The real ports over a SQLite state store, as `main` wires them, and the same ports with
 * each call answered a turn of the event loop later (as a store doing I/O would): only then do
 * other requests run between a route's check and its write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { AlertManager } from '../../src/alerts/manager.ts';
import { credentialsPort, devicesPort } from '../../src/main/adapters/devices.ts';
import { rulesPort } from '../../src/main/adapters/rules.ts';
import { Inventory } from '../../src/main/inventory.ts';
import { MaintenanceWindows, maintenancePort } from '../../src/main/maintenance.ts';
import { RulesEngine } from '../../src/main/rules.ts';
import { StatusTracker } from '../../src/main/status-tracker.ts';
import { DeviceStatusRegistry } from '../../src/poller/index.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { call, TOKEN } from './helpers.ts';
import { createFakeServices } from './fake-services.ts';

/** the port with each call answered after a turn of the event loop */
function yielding<T extends object>(port: T): T {
  return Object.fromEntries(Object.entries(port).map(([key, method]) => [key, async (...args: unknown[]) => {
    await new Promise(setImmediate);
    return (method as (...a: unknown[]) => unknown)(...args);
  }])) as T;
}

const NOW = Date.now();
const rule = (name: string) => ({ name, severity: 'major', condition: { type: 'trap', trapOid: '1.3.6.1.4.1.9.1' } });
const window = (name: string) => ({ name, devices: ['core-*'], start: new Date(NOW).toISOString(), end: new Date(NOW + 3_600_000).toISOString() });
const device = (name: string) => ({ name, address: '192.0.2.77', credentials: 'lab', profiles: ['system'] });
const statuses = (answers: { status: number }[]) => answers.map((a) => a.status).sort();
const oneOf = (n: number, ok: number, refused: number) => [ok, ...Array<number>(n - 1).fill(refused)].sort();

describe.each([
  { ports: 'as wired', wrap: <T extends object>(port: T) => port },
  { ports: 'answering a turn later', wrap: yielding },
])('real ports $ports', ({ wrap }) => {
  let app: FastifyInstance;
  const state = new StateStore(':memory:');
  const apiRules = () => state.rules.list<{ name: string }>().map((r) => r.doc.name);
  const apiWindows = () => state.maintenance.list().map((w) => w.name);

  beforeAll(async () => {
    const svc = createFakeServices(NOW);
    const engine = new RulesEngine({ state, alerts: new AlertManager(alertStoreFrom(state)), configTrapRules: [], defaultRules: false, pollIntervalMs: 60_000, tagsOf: () => ({}), log: () => {} });
    const inventory = new Inventory({ devices: [], credentials: { lab: { version: '2c', community: 'sekret' } } }, state, () => ['system']);
    svc.rules = wrap(rulesPort(engine, state));
    svc.maintenance = wrap(maintenancePort(new MaintenanceWindows([], state), () => []));
    svc.devices = wrap(devicesPort(inventory, new DeviceStatusRegistry(), new StatusTracker()));
    svc.credentials = wrap(credentialsPort(inventory));
    app = await buildApp(svc, { tokens: [TOKEN], openReads: false, cors: false, rateLimit: { max: 10_000, timeWindowMs: 60_000 } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    state.close();
  });

  describe.each([
    { kind: 'rules', url: '/api/v1/rules', body: rule, names: apiRules },
    { kind: 'maintenance windows', url: '/api/v1/maintenance', body: window, names: apiWindows },
  ])('POSTs of $kind', ({ url, body, names }) => {
    it.each([2, 10])('%i at once with one name (in two letter cases): one 201, the others the sequential 409', async (n) => {
      const name = `Race ${n}`;
      const answers = await Promise.all(Array.from({ length: n }, (_, i) => call(app, { method: 'POST', url, payload: body(i % 2 ? name.toUpperCase() : name) })));
      expect(statuses(answers)).toEqual(oneOf(n, 201, 409));
      expect(names().filter((x) => x.toLowerCase() === name.toLowerCase())).toHaveLength(1);

      const created = answers.find((a) => a.status === 201)!.json;
      const again = await call(app, { method: 'POST', url, payload: body(name) });
      expect(again.status).toBe(409);
      expect(again.json.message).toContain(`${created.id} is named "${created.name}"; names must differ in more than letter case`);
      for (const a of answers.filter((x) => x.status === 409)) expect(a.json).toEqual(again.json);
    });

    it('3 at once with different names: three 201', async () => {
      const answers = await Promise.all(['one', 'two', 'three'].map((name) => call(app, { method: 'POST', url, payload: body(`distinct ${name}`) })));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    });
  });

  it('PUTs of two rules and a POST giving each one new name: one succeeds, the others 409', async () => {
    const ids: string[] = [];
    for (const name of ['rename a', 'rename b']) ids.push((await call(app, { method: 'POST', url: '/api/v1/rules', payload: rule(name) })).json.id);
    const answers = await Promise.all([
      ...ids.map((id) => call(app, { method: 'PUT', url: `/api/v1/rules/${id}`, payload: rule('renamed') })),
      call(app, { method: 'POST', url: '/api/v1/rules', payload: rule('RENAMED') }),
    ]);
    expect(answers.filter((a) => a.status !== 409).map((a) => a.status)).toHaveLength(1);
    expect(apiRules().filter((x) => x.toLowerCase() === 'renamed')).toHaveLength(1);
  });

  // devices and credential profiles: the store checks and writes one name in one step (devices),
  // the PUT runs under the per-name If-None-Match lock (profiles); pinned here
  it.each([2, 10])('%i POSTs of a device with one name: one 201, the others 409', async (n) => {
    const answers = await Promise.all(Array.from({ length: n }, () => call(app, { method: 'POST', url: '/api/v1/devices', payload: device(`race-dev-${n}`) })));
    expect(statuses(answers)).toEqual(oneOf(n, 201, 409));
  });

  it.each([2, 10])('%i create-only PUTs of a credential profile with one name: one 200, the others 412', async (n) => {
    const answers = await Promise.all(Array.from({ length: n }, () => call(app, {
      method: 'PUT', url: `/api/v1/credentials/race-${n}`, headers: { 'if-none-match': '*' }, payload: { version: '2c', community: 'sekret-2' },
    })));
    expect(statuses(answers)).toEqual(oneOf(n, 200, 412));
  });
});
