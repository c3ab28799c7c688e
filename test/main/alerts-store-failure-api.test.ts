/**
 * Acknowledging or clearing an alert by hand while the state store cannot save: 503 with
 * Retry-After (the client may try again), the alert unchanged, the store's error in the server
 * log and not in the answer. The real AlertManager behind the runtime's alerts port.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { buildApp } from '../../src/api/app.ts';
import { alertsPort } from '../../src/main/adapters/alerts.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { failingStore } from '../alerts/failing-store.ts';
import { TOKEN, call } from '../api/helpers.ts';
import { createFakeServices } from '../api/fake-services.ts';

let app: FastifyInstance | undefined;
let state: StateStore | undefined;
afterEach(async () => {
  await app?.close();
  state?.close();
});

describe('POST /api/v1/alerts/{id}/ack|clear with a store that cannot save', () => {
  it.each(['ack', 'clear'])('%s: 503 with Retry-After, nothing changed, the cause logged but not answered', async (action) => {
    state = new StateStore(':memory:');
    const fail = failingStore(alertStoreFrom(state), ['k']);
    const manager = new AlertManager(fail.store);
    const logged: string[] = [];
    const stream = { write: (line: string) => void logged.push(line) };
    app = await buildApp({ ...createFakeServices(), alerts: alertsPort(manager, state) }, { tokens: [TOKEN], openReads: false, cors: false, ui: false, logger: { level: 'error', stream } });
    const a = manager.raise({ action: 'raise', key: 'k', source: 'threshold', rule: 'r', device: 'sw-1', severity: 'major', message: 'm', time: Date.now() })!.alert;
    fail.failing = true;
    const r = await call(app, { method: 'POST', url: `/api/v1/alerts/${a.id}/${action}`, payload: { by: 'alice' } });
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
    expect(r.json.message).toBe(`alerts: alert ${a.id}: ${action === 'ack' ? 'acknowledge' : 'clear'}: the state store could not save it; nothing changed, try again`);
    expect(JSON.stringify(r.json)).not.toContain('SQLITE_FULL');
    expect(logged.join('\n')).toContain('SQLITE_FULL: database or disk is full');
    expect(state.alerts.byId(a.id)).toMatchObject({ state: 'open' });
    fail.failing = false;
    const ok = await call(app, { method: 'POST', url: `/api/v1/alerts/${a.id}/${action}`, payload: { by: 'alice' } });
    expect(ok.status).toBe(200);
    expect(ok.json.state).toBe(action === 'ack' ? 'acknowledged' : 'cleared');
  });
});
