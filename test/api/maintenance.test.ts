import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { MaintenanceWindows, maintenancePort } from '../../src/main/maintenance.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { call, TOKEN } from './helpers.ts';
import { createFakeServices } from './fake-services.ts';

let app: FastifyInstance;
const state = new StateStore(':memory:');
const NOW = Date.now();

beforeAll(async () => {
  const svc = createFakeServices(NOW);
  // the real window store, with one window from the config file
  const windows = new MaintenanceWindows([{ name: 'sunday-patch', devices: ['dist-*'], tags: {}, schedule: '0 2 * * 0', duration: 7_200_000, timezone: 'Europe/Berlin' }], state);
  const known: { name: string; tags: Record<string, string> }[] = [{ name: 'dist-sw1', tags: { site: 'hq' } }, { name: 'core-rtr1', tags: { site: 'hq', role: 'router' } }];
  svc.maintenance = maintenancePort(windows, () => known);
  app = await buildApp(svc, { tokens: [TOKEN], openReads: false, cors: false });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  state.close();
});

const iso = (ms: number) => new Date(ms).toISOString();

describe('maintenance windows API', () => {
  it('lists config windows with their next start and covered devices', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/maintenance' });
    expect(r.status).toBe(200);
    expect(r.json.items).toHaveLength(1);
    expect(r.json.items[0]).toMatchObject({ id: 'config.sunday-patch', origin: 'config', schedule: '0 2 * * 0', durationMs: 7_200_000, timezone: 'Europe/Berlin', covers: ['dist-sw1'] });
    const w = r.json.items[0];
    expect(w.active ? w.activeUntil : w.nextStart).toBeGreaterThan(NOW - 1000);
  });

  it('creates a one-off window (active now, covering by tag), lists it and deletes it', async () => {
    const body = { name: 'core-upgrade', tags: { role: 'router' }, start: iso(NOW - 60_000), end: iso(NOW + 3_600_000), comment: 'CHG-1234' };
    const c = await call(app, { method: 'POST', url: '/api/v1/maintenance', payload: body });
    expect(c.status).toBe(201);
    expect(c.json).toMatchObject({ name: 'core-upgrade', origin: 'api', active: true, activeUntil: Date.parse(body.end), covers: ['core-rtr1'], comment: 'CHG-1234', createdBy: 'api' });
    expect(state.maintenance.get(c.json.id)).toMatchObject({ name: 'core-upgrade' });
    expect((await call(app, { method: 'POST', url: '/api/v1/maintenance', payload: body })).status).toBe(409);
    expect((await call(app, { method: 'GET', url: '/api/v1/maintenance' })).json.items.map((w: any) => w.name)).toEqual(['sunday-patch', 'core-upgrade']);
    expect((await call(app, { method: 'DELETE', url: `/api/v1/maintenance/${c.json.id}` })).status).toBe(204);
    expect((await call(app, { method: 'DELETE', url: `/api/v1/maintenance/${c.json.id}` })).status).toBe(404);
    expect((await call(app, { method: 'GET', url: '/api/v1/maintenance' })).json.items).toHaveLength(1);
  });

  it('creates a recurring window', async () => {
    const c = await call(app, { method: 'POST', url: '/api/v1/maintenance', payload: { name: 'nightly', devices: ['core-*'], schedule: '30 1 * * *', duration: '45m' } });
    expect(c.status).toBe(201);
    expect(c.json).toMatchObject({ schedule: '30 1 * * *', durationMs: 45 * 60_000, covers: ['core-rtr1'] });
  });

  it.each([
    [{ name: 'x', devices: ['a'], start: '2026-12-07T02:00:00Z', end: '2026-12-06T22:00:00Z' }, 'body.end', 'must be after start'],
    [{ name: 'x', devices: ['a'], start: 'tomorrow', end: '2026-12-06T22:00:00Z' }, 'body.start', 'expected an ISO 8601 time'],
    [{ name: 'x', start: '2026-12-06T22:00:00Z', end: '2026-12-07T02:00:00Z' }, 'body.devices', 'must cover something'],
    [{ name: 'x', devices: ['a'], schedule: 'every sunday', duration: '1h' }, 'body.schedule', 'expected a cron expression'],
    [{ name: 'x', devices: ['a'], schedule: '0 2 * * 0', duration: '1h', timezone: 'Nowhere/Land' }, 'body.timezone', 'unknown time zone'],
    [{ name: 'x', devices: ['a'], schedule: '0 2 * * 0', duration: '30s' }, 'body.duration', 'expected a duration like 500ms, 30s, 5m, 1h (at least 1m), got a shorter one'],
    [{ name: 'x', devices: ['a'], schedule: '0 2 * * 0', duration: '367d' }, 'body.duration', 'expected at most 366d'],
    [{ devices: ['a'], start: '2026-12-06T22:00:00Z', end: '2026-12-07T02:00:00Z' }, 'body.name', 'required'],
    [{ name: 'x', devices: ['a'], start: '2026-12-06T22:00:00Z', end: '2026-12-07T02:00:00Z', every: 1 }, 'body.every', 'unknown field'],
  ])('refuses %j with a 400 naming %s', async (payload, path, message) => {
    const r = await call(app, { method: 'POST', url: '/api/v1/maintenance', payload });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain(path);
    expect(r.json.problems).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('keeps config windows read-only and writes behind the token', async () => {
    const del = await call(app, { method: 'DELETE', url: '/api/v1/maintenance/config.sunday-patch' });
    expect(del.status).toBe(409);
    expect(del.json.message).toContain('config file');
    const body = { name: 'y', devices: ['a'], start: iso(NOW), end: iso(NOW + 60_000) };
    expect((await call(app, { method: 'POST', url: '/api/v1/maintenance', payload: body, auth: false })).status).toBe(401);
    expect((await call(app, { method: 'GET', url: '/api/v1/maintenance', auth: false })).status).toBe(401);
  });
});

describe('alerts API: suppression', () => {
  it('carries suppressed and filters on it', async () => {
    const all = (await call(app, { method: 'GET', url: '/api/v1/alerts?state=active' })).json.items;
    expect(all.find((a: any) => a.id === 'a4').suppressed).toMatchObject({ kind: 'maintenance', reason: 'maintenance ups-battery-swap', by: 'ups-battery-swap' });
    expect((await call(app, { method: 'GET', url: '/api/v1/alerts?suppressed=true' })).json.items.map((a: any) => a.id)).toEqual(['a4']);
    expect((await call(app, { method: 'GET', url: '/api/v1/alerts?suppressed=false' })).json.items.map((a: any) => a.id)).not.toContain('a4');
    expect((await call(app, { method: 'GET', url: '/api/v1/alerts?suppressed=maybe' })).json.message).toContain('query.suppressed');
  });
});
