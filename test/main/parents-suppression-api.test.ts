/**
 * Parents of devices created or changed through the API are honoured by the parent hold and by
 * suppression exactly like `parents:` from the config file: both read the device's own `parents`
 * through Inventory.parentsOf, wired as src/main/runtime.ts does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { suppressorFrom } from '../../src/alerts/suppression.ts';
import { parseConfig } from '../../src/config/load.ts';
import { devicesPort } from '../../src/main/adapters/devices.ts';
import { Inventory } from '../../src/main/inventory.ts';
import { StatusTracker } from '../../src/main/status-tracker.ts';
import type { Device, DeviceState } from '../../src/model/index.ts';
import { DeviceStatusRegistry } from '../../src/poller/status-registry.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { deviceStateChanges } from '../alerts/device-changes.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');
const HOLD = 30_000;

const CONFIG = `credentials:
  lab: { version: 2c, community: pub-secret }
devices:
  - { name: core1, address: 127.0.0.1, port: 16101, credentials: lab, profiles: [system] }
  - { name: cfg-acc, address: 127.0.0.1, port: 16102, credentials: lab, profiles: [system], parents: [core1] }
`;

const apiDevice = (name: string, extra: Partial<Device> = {}): Device => ({
  name, address: '127.0.0.1', port: 16110, credentials: 'lab', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: false, ...extra,
});

let state: StateStore | undefined;
afterEach(() => state?.close());

function setup() {
  state = new StateStore(':memory:');
  const inventory = new Inventory(parseConfig(CONFIG, 'parents.yaml', {}), state, () => ['system']);
  const port = devicesPort(inventory, new DeviceStatusRegistry(), new StatusTracker());
  const states: Record<string, DeviceState> = {};
  const m = new AlertManager(alertStoreFrom(state), {
    parentHold: { ms: HOLD, parentsOf: (d) => inventory.parentsOf(d) },
    logger: { warn: () => {}, info: () => {} },
    now: () => T0,
  });
  m.setSuppressor(suppressorFrom({ windows: () => [], tagsOf: (d) => inventory.tags(d), parentsOf: (d) => inventory.parentsOf(d), stateOf: (d) => states[d] }));
  const change = deviceStateChanges(m, states);
  const suppressed = () => state!.alerts.list({ state: 'active', suppressed: true }).map((a) => [a.device, a.suppressed!.kind, a.suppressed!.reason]).sort();
  return { inventory, port, m, change, suppressed, store: state };
}

describe('parents of API devices in alert suppression', () => {
  it('holds and suppresses an API child behind its down parent exactly like a config child', async () => {
    const { inventory, port, m, change, suppressed } = setup();
    await port.create(apiDevice('api-acc', { parents: ['core1'] }));
    expect(inventory.parentsOf('cfg-acc')).toEqual(['core1']);
    expect(inventory.parentsOf('api-acc')).toEqual(['core1']);

    // both children fail before their parent's poll concludes: both wait the parent hold
    change('cfg-acc', 'down', T0);
    change('api-acc', 'down', T0);
    expect(m.heldCount).toBe(2);
    change('core1', 'down', T0 + 1000);
    expect(m.heldCount).toBe(0);
    expect(suppressed()).toEqual([['api-acc', 'parent', 'parent core1 down'], ['cfg-acc', 'parent', 'parent core1 down']]);

    // the parent back while both are still down: both wait the recovery grace and are released alike when it ends
    change('core1', 'up', T0 + 60_000);
    expect(m.recoveringCount).toBe(2);
    m.endHolds(T0 + 60_000 + HOLD);
    expect(suppressed()).toEqual([]);
    expect(m.stats).toMatchObject({ suppressedParent: 2, released: 2 });
  });

  it('follows a change of the API device\'s parents made through the API', async () => {
    const { port, m, change, suppressed } = setup();
    await port.create(apiDevice('api-dist'));
    await port.create(apiDevice('api-acc'));
    change('api-dist', 'down', T0);
    // no parents yet: not held, not suppressed
    change('api-acc', 'down', T0);
    expect(m.heldCount).toBe(0);
    expect(suppressed()).toEqual([]);
    change('api-acc', 'up', T0 + 1000);

    await port.update('api-acc', apiDevice('api-acc', { parents: ['api-dist'] }));
    change('api-acc', 'down', T0 + 2000);
    expect(m.heldCount).toBe(0); // its parent is known down already: suppressed at once
    expect(suppressed()).toEqual([['api-acc', 'parent', 'parent api-dist down']]);

    await port.update('api-acc', apiDevice('api-acc'));
    m.reevaluateSuppressed(T0 + 3000);
    expect(suppressed()).toEqual([]);
  });
});
