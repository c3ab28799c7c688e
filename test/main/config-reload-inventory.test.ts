/** Inventory.replaceConfig: the devices a config reload names as added, changed and removed, and API devices it hides or brings back. */
import { afterEach, describe, expect, it } from 'vitest';
import { Inventory, type InventoryChange } from '../../src/main/inventory.ts';
import type { Credential, Device, ResolvedDevice } from '../../src/model/index.ts';
import { StateStore } from '../../src/storage/state/store.ts';

const lab: Credential = { version: '2c', community: 'pub-secret' };
const other: Credential = { version: '2c', community: 'other-secret' };
const device = (name: string, extra: Partial<Device> = {}): Device => ({
  name, address: '10.0.0.1', port: 161, credentials: 'lab', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: true, ...extra,
});
type Cfg = { devices: ResolvedDevice[]; credentials: Record<string, Credential> };
const cfg = (devices: Device[], credentials: Record<string, Credential> = { lab }): Cfg =>
  ({ devices: devices.map((d) => ({ ...d, credential: credentials[d.credentials] })), credentials });

let state: StateStore | undefined;
afterEach(() => state?.close());

function setup(start: Cfg, apiDevices: Device[] = []) {
  state = new StateStore(':memory:');
  state.credentials.put('lab', lab);
  for (const d of apiDevices) state.devices.create(d);
  const log: string[] = [];
  const inventory = new Inventory(start, state, () => ['system'], (l) => log.push(l));
  const changes: InventoryChange[] = [];
  inventory.onChange((c) => changes.push(c));
  return { inventory, log, changes };
}

describe('Inventory.replaceConfig', () => {
  it.each<[string, Cfg, Cfg, Device[], { added: string[]; changed: string[]; removed: string[] }]>([
    ['the same file again', cfg([device('a')]), cfg([device('a')]), [], { added: [], changed: [], removed: [] }],
    ['a device added, one removed', cfg([device('a')]), cfg([device('b')]), [], { added: ['b'], changed: [], removed: ['a'] }],
    ['a device\'s address changed', cfg([device('a')]), cfg([device('a', { address: '10.0.0.2' })]), [], { added: [], changed: ['a'], removed: [] }],
    ['a credential profile\'s secret changed: its config and API users', cfg([device('a'), device('b', { credentials: 'o' })], { lab, o: other }),
      cfg([device('a'), device('b', { credentials: 'o' })], { lab: other, o: other }), [device('api1')], { added: [], changed: ['a', 'api1'], removed: [] }],
  ])('%s', (_, start, next, apiDevices, expected) => {
    const { inventory, changes } = setup(start, apiDevices);
    const r = inventory.replaceConfig(next);
    expect(r).toEqual({ ...expected, shadowed: [] });
    expect(changes).toEqual([{ devices: [...expected.added, ...expected.changed, ...expected.removed] }]);
    expect(inventory.resolved().map((d) => [d.name, d.address, d.credential])).toEqual(
      [...next.devices.map((d) => [d.name, d.address, d.credential]), ...apiDevices.map((d) => [d.name, d.address, next.credentials.lab])]);
  });

  it('an unchanged device keeps its resolved object (the poller goes by identity)', () => {
    const { inventory } = setup(cfg([device('a'), device('b')]));
    const [a] = inventory.resolved();
    inventory.replaceConfig(cfg([device('a'), device('b', { address: '10.0.0.3' })]));
    expect(inventory.resolved()[0]).toBe(a);
  });

  it('warns at start-up of an API device hidden by a config device of its name', () => {
    const { inventory, log } = setup(cfg([device('dup')]), [device('dup', { address: '10.9.9.9' })]);
    expect(log).toEqual([
      expect.stringMatching(/^inventory: warning: device dup of the config file hides the API-created device of that name/),
      // setup() stores an API profile `lab` too, hidden by the config's
      'inventory: warning: credential profile lab of the config file hides the API-created profile of that name; rename or remove one of them',
    ]);
    expect(inventory.device('dup')?.address).toBe('10.0.0.1');
  });
});
