/**
 * GET /api/v1/alerts shows a held alert's hold while it is held, and the ended record after: the
 * real AlertManager on a state database behind the runtime's alerts port (src/main/adapters/alerts.ts),
 * the rest of the services faked. The hold is ended by hand (endHolds) at the limit, not by its timer.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { suppressorFrom } from '../../src/alerts/suppression.ts';
import { buildApp } from '../../src/api/app.ts';
import { alertsPort } from '../../src/main/adapters/alerts.ts';
import type { DeviceState } from '../../src/model/device.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { deviceStateChanges } from '../alerts/device-changes.ts';
import { TOKEN, call } from '../api/helpers.ts';
import { createFakeServices } from '../api/fake-services.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');
const HOLD = 30_000;
const iso = (ms: number) => new Date(ms).toISOString();

let app: FastifyInstance | undefined;
let state: StateStore | undefined;
let manager: AlertManager | undefined;
afterEach(async () => {
  manager?.close();
  await app?.close();
  state?.close();
});

async function setup() {
  state = new StateStore(':memory:');
  const states: Record<string, DeviceState> = { core: 'up' };
  const ctx = { windows: () => [], tagsOf: () => undefined, parentsOf: (d: string) => (d === 'access' ? ['core'] : []), stateOf: (d: string) => states[d] };
  manager = new AlertManager(alertStoreFrom(state), {
    suppressor: suppressorFrom(ctx), parentHold: { ms: HOLD, parentsOf: ctx.parentsOf, stateOf: ctx.stateOf }, now: () => T0,
  });
  app = await buildApp({ ...createFakeServices(), alerts: alertsPort(manager, state) }, { tokens: [TOKEN], openReads: false, cors: false, ui: false });
  await app.ready();
  const alerts = async (query = '') => {
    const r = await call(app!, { method: 'GET', url: `/api/v1/alerts?state=active${query}` });
    expect(r.status).toBe(200);
    return r.json.items as { device: string; suppressed?: Record<string, unknown> }[];
  };
  return { m: manager, change: deviceStateChanges(manager, states), alerts };
}

describe('GET /api/v1/alerts and a parent hold', () => {
  it('while held: the hold (since, parent and its state, limit), listed as held back; after: the ended record', async () => {
    const { m, change, alerts } = await setup();
    change('access', 'down', T0);
    expect(await alerts()).toEqual([expect.objectContaining({
      device: 'access',
      suppressed: {
        kind: 'parent', by: 'core', since: T0, holdUntil: T0 + HOLD,
        reason: `held since ${iso(T0)} for parent core (up); notified at ${iso(T0 + HOLD)} at the latest unless core is found down`,
      },
    })]);
    expect((await alerts('&suppressed=true')).map((a) => a.device)).toEqual(['access']);
    expect(await alerts('&suppressed=false')).toEqual([]);

    m.endHolds(T0 + HOLD);
    expect(await alerts()).toEqual([expect.objectContaining({
      device: 'access',
      suppressed: { kind: 'parent', by: 'core', since: T0, until: T0 + HOLD, reason: 'held 30 s for parent core; core up' },
    })]);
    expect(await alerts('&suppressed=true')).toEqual([]);
    expect((await alerts('&suppressed=false')).map((a) => a.device)).toEqual(['access']);
  });

  it('documents holdUntil in the OpenAPI schema of the alerts', async () => {
    await setup();
    const spec = (await call(app!, { method: 'GET', url: '/docs/json', auth: false })).json;
    const alert = spec.paths['/api/v1/alerts'].get.responses['200'].content['application/json'].schema.properties.items.items;
    expect(alert.properties.suppressed.properties.holdUntil).toMatchObject({ type: 'number' });
  });
});
