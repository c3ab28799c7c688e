/** Inventory: a change updates the indexes of the changed device only; the store is read once, at construction. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Inventory, type InventoryChange } from '../../src/main/inventory.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import type { Credential, Device } from '../../src/model/index.ts';

const v2c: Credential = { version: '2c', community: 'pub-secret' };
const device = (name: string, extra: Partial<Device> = {}): Device => ({
  name, address: '10.0.0.1', port: 161, credentials: 'lab', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: true, ...extra,
});

let state: StateStore | undefined;
afterEach(() => state?.close());

function setup() {
  state = new StateStore(':memory:');
  state.devices.create(device('stored1', { address: '10.0.0.9' }));
  const inventory = new Inventory({ devices: [{ ...device('cfg1', { address: '10.0.0.8' }), credential: v2c }], credentials: { lab: v2c } }, state, () => ['system']);
  return { inventory, store: state };
}

describe('Inventory: incremental updates', () => {
  it('creating, replacing and removing devices reads no list from the store', () => {
    const { inventory, store } = setup();
    const list = vi.spyOn(store.devices, 'list');
    const credentials = vi.spyOn(store.credentials, 'list');
    const credential = vi.spyOn(store.credentials, 'get');
    for (let i = 0; i < 20; i++) {
      inventory.createDevice(device(`d${i}`, { address: `10.1.0.${i}`, parents: i ? [`d${i - 1}`] : undefined }));
      inventory.resolved();
    }
    inventory.updateDevice('d19', device('d19', { address: '10.1.0.99', parents: ['d3'] }));
    inventory.removeDevice('d19');
    inventory.resolved();
    expect(list).not.toHaveBeenCalled();
    expect(credentials).not.toHaveBeenCalled();
    expect(credential).not.toHaveBeenCalled();
    expect(inventory.devices().map(({ device: d }) => d.name)).toEqual(['cfg1', 'd0', 'd1', 'd10', 'd11', 'd12', 'd13', 'd14', 'd15', 'd16', 'd17', 'd18', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'stored1']);
  });

  it('an unchanged device keeps its resolved object; the listener is told which device changed', () => {
    const { inventory } = setup();
    const changes: InventoryChange[] = [];
    inventory.onChange((c) => changes.push(c));
    const before = inventory.resolved();
    inventory.createDevice(device('api1'));
    const after = inventory.resolved();
    expect(after.find((d) => d.name === 'stored1')).toBe(before.find((d) => d.name === 'stored1'));
    expect(after.find((d) => d.name === 'api1')).toMatchObject({ name: 'api1', credential: v2c });
    inventory.putCredential('other', { version: '1', community: 'x-secret' });
    inventory.updateDevice('api1', device('api1', { credentials: 'other' }));
    expect(inventory.resolved().find((d) => d.name === 'api1')?.credential).toEqual({ version: '1', community: 'x-secret' });
    expect(changes).toEqual([{ devices: ['api1'] }, { devices: [] }, { devices: ['api1'] }]);
  });

  it('keeps the address index right through shared addresses, replacements and removals', () => {
    const { inventory } = setup();
    expect(inventory.deviceAt('10.0.0.9')).toBe('stored1');
    inventory.createDevice(device('a', { address: '10.0.0.9' }));
    expect(inventory.deviceAt('10.0.0.9')).toBeUndefined(); // shared: the trap keeps its source address
    inventory.updateDevice('a', device('a', { address: '10.0.0.7' }));
    expect([inventory.deviceAt('10.0.0.9'), inventory.deviceAt('10.0.0.7')]).toEqual(['stored1', 'a']);
    inventory.removeDevice('a');
    expect(inventory.deviceAt('10.0.0.7')).toBeUndefined();
    expect(inventory.tags('a')).toBeUndefined();
  });

  it('finds a parent cycle through the index', () => {
    const { inventory } = setup();
    inventory.createDevice(device('a'));
    inventory.createDevice(device('b', { parents: ['a'] }));
    inventory.createDevice(device('c', { parents: ['b'] }));
    expect(() => inventory.updateDevice('a', device('a', { parents: ['c'] }))).toThrow('parents: parent cycle a -> c -> b -> a');
    expect(() => inventory.createDevice(device('e', { parents: ['nope'] }))).toThrow('parents[0]: unknown device "nope"');
  });
});
