/**
 * GET /api/v1/alerts/count: what GET /alerts would list without a limit, by severity, counted in
 * the state store without reading alerts, over a real AlertManager and its SQLite store wired as
 * src/main/runtime.ts does (alertsPort). Active states only: cleared alerts are refused (400).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { SEVERITIES, type AlertEvent, type Severity } from '../../src/alerts/types.ts';
import { buildApp } from '../../src/api/app.ts';
import { alertsPort } from '../../src/main/adapters/alerts.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { createFakeServices } from './fake-services.ts';
import { call, TOKEN } from './helpers.ts';

const T0 = Date.parse('2026-12-04T20:00:00Z');
const raise = (key: string, device: string, severity: Severity, n: number): AlertEvent => ({
  action: 'raise', key, source: 'threshold', rule: 'rtt', device, severity, message: `${key} on ${device}`, time: T0 + n,
});

let app: FastifyInstance;
let state: StateStore;

beforeAll(async () => {
  state = new StateStore(':memory:');
  const manager = new AlertManager(alertStoreFrom(state), { logger: { warn: () => {}, info: () => {} }, now: () => T0 });
  const inMaintenance = new Set(['ups1', 'ups2']);
  manager.setSuppressor((a) => (a.device && inMaintenance.has(a.device) ? { kind: 'maintenance', reason: 'maintenance batteries', by: 'batteries' } : undefined));
  const events = [
    raise('r1', 'core1', 'critical', 1), raise('r2', 'core1', 'major', 2), raise('r3', 'sw2', 'major', 3), raise('r4', 'sw2', 'minor', 4),
    raise('r5', 'ups1', 'warning', 5), raise('r6', 'ups1', 'major', 6), raise('r7', 'ups2', 'info', 7),
    raise('c1', 'core1', 'critical', 8), raise('c2', 'sw2', 'major', 9),
  ];
  const ids = new Map(events.map((ev) => [ev.key, manager.raise(ev)!.alert.id]));
  manager.acknowledge(ids.get('r4')!, 'alice', T0 + 10);
  manager.acknowledge(ids.get('r6')!, 'alice', T0 + 10);
  manager.clearKey('c1', 'auto', T0 + 11);
  manager.clearKey('c2', 'auto', T0 + 11);
  // ups2's window ends: r7 is released (its suppression carries `until`), no longer held back
  inMaintenance.delete('ups2');
  manager.reevaluateSuppressed(T0 + 12);
  await manager.whenIdle();

  const svc = createFakeServices();
  svc.alerts = alertsPort(manager, state);
  app = await buildApp(svc, { tokens: [TOKEN], openReads: false, cors: false, ui: false });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  state?.close();
});

const zeros = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

describe('GET /api/v1/alerts/count', () => {
  // active: r1-r7 (r4, r6 acknowledged; r5, r6 suppressed now; r7 released); c1, c2 cleared
  it.each([
    ['state=active', 7, { critical: 1, major: 3, minor: 1, warning: 1, info: 1 }],
    ['state=open', 5, { critical: 1, major: 2, warning: 1, info: 1 }],
    ['state=acknowledged', 2, { major: 1, minor: 1 }],
    ['state=open&suppressed=false', 4, { critical: 1, major: 2, info: 1 }],
    ['state=active&suppressed=true', 2, { major: 1, warning: 1 }],
    ['state=acknowledged&suppressed=true', 1, { major: 1 }],
    ['state=active&severity=major', 3, { major: 3 }],
    ['state=open&severity=critical', 1, { critical: 1 }],
    ['state=active&device=core1', 2, { critical: 1, major: 1 }],
    ['state=active&device=sw2&severity=minor', 1, { minor: 1 }],
    ['state=open&device=ups1&suppressed=true', 1, { warning: 1 }],
    ['state=active&device=ups2&suppressed=false', 1, { info: 1 }],
    ['state=active&device=nowhere', 0, {}],
  ] as const)('%s: %i, by severity, as many as the list gives', async (query, count, bySeverity) => {
    const r = await call(app, { method: 'GET', url: `/api/v1/alerts/count?${query}` });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ count, bySeverity: { ...zeros, ...bySeverity } });
    const list = await call(app, { method: 'GET', url: `/api/v1/alerts?${query}&limit=5000` });
    expect(list.json.items).toHaveLength(count);
  });

  it.each([
    ['state=cleared', 'query.state'],
    ['', 'query.state'],
    ['state=active&limit=10', 'limit'],
    ['state=open&severity=bad', 'query.severity'],
    ['state=open&suppressed=yes', 'query.suppressed'],
  ])('refuses %j naming %s', async (query, named) => {
    const r = await call(app, { method: 'GET', url: `/api/v1/alerts/count?${query}` });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain(named);
  });

  it('says why cleared alerts are not counted', async () => {
    const r = await call(app, { method: 'GET', url: '/api/v1/alerts/count?state=cleared' });
    expect(r.json.message).toContain('cleared alerts are not counted');
  });

  it('is not taken for an alert id, and needs a token like the list', async () => {
    expect((await call(app, { method: 'POST', url: '/api/v1/alerts/count/ack' })).status).toBe(404);
    expect((await call(app, { method: 'GET', url: '/api/v1/alerts/count?state=open', auth: false })).status).toBe(401);
  });

  it('is documented in the OpenAPI description with the list\'s filters and no limit', async () => {
    const doc = (await call(app, { method: 'GET', url: '/docs/json', auth: false })).json;
    const params = (doc?.paths?.['/api/v1/alerts/count']?.get?.parameters ?? []).map((p: any) => p.name).sort();
    expect(params).toEqual(['device', 'severity', 'state', 'suppressed']);
  });
});
