/** Inventory.removeHiddenDevice: the API-created device a config device of its name hides leaves the store for good. */
import { afterEach, describe, expect, it } from 'vitest';
import { Inventory, type InventoryChange } from '../../src/main/inventory.ts';
import type { Credential, Device, ResolvedDevice } from '../../src/model/index.ts';
import { StateStore } from '../../src/storage/state/store.ts';

const lab: Credential = { version: '2c', community: 'pub-secret' };
const device = (name: string, address = '10.0.0.1'): Device => ({
  name, address, port: 161, credentials: 'lab', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: true,
});
const cfg = (devices: Device[]) => ({ devices: devices.map((d): ResolvedDevice => ({ ...d, credential: lab })), credentials: { lab } });

let state: StateStore | undefined;
afterEach(() => state?.close());

describe('Inventory.removeHiddenDevice', () => {
  it('removes the hidden copy from the store: no warning at the next start, nothing back when the config device leaves', () => {
    state = new StateStore(':memory:');
    state.devices.create(device('edge1', '10.0.0.9'));
    const log: string[] = [];
    const inventory = new Inventory(cfg([device('edge1')]), state, () => ['system'], (l) => log.push(l));
    expect(log.join('\n')).toContain('device edge1 of the config file hides the API-created device');
    const changes: InventoryChange[] = [];
    inventory.onChange((c) => changes.push(c));

    expect(inventory.removeHiddenDevice('edge1')).toBe(true);
    expect(state.devices.list()).toEqual([]);
    expect(inventory.shadows('edge1')).toBe(false);
    expect(inventory.hiddenDevice('edge1')).toBeUndefined();
    expect(inventory.origin('edge1')).toBe('config');
    expect(inventory.device('edge1')).toMatchObject({ address: '10.0.0.1' });
    expect(changes).toEqual([{ devices: [] }]); // nothing polled changed
    expect(inventory.removeHiddenDevice('edge1')).toBe(false);

    const again: string[] = [];
    const restarted = new Inventory(cfg([device('edge1')]), state, () => ['system'], (l) => again.push(l));
    expect(again).toEqual([]);
    expect(restarted.replaceConfig(cfg([]))).toEqual({ added: [], changed: [], removed: ['edge1'], shadowed: [] });
    expect(restarted.device('edge1')).toBeUndefined();
  });

  it('is false for a config device hiding nothing and for a listed API device, which it leaves alone', () => {
    state = new StateStore(':memory:');
    const inventory = new Inventory(cfg([device('core1')]), state, () => ['system']);
    state.credentials.put('lab', lab);
    inventory.createDevice(device('api1'));
    expect(inventory.removeHiddenDevice('core1')).toBe(false);
    expect(inventory.removeHiddenDevice('api1')).toBe(false);
    expect(state.devices.list().map((d) => d.name)).toEqual(['api1']);
  });
});
