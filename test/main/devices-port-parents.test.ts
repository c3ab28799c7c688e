/** The real devices port and Inventory: parents and interface filters of API devices, the filtered-interface count in the status. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { devicesPort } from '../../src/main/adapters/devices.ts';
import { Inventory } from '../../src/main/inventory.ts';
import { StatusTracker } from '../../src/main/status-tracker.ts';
import { DeviceStatusRegistry } from '../../src/poller/status-registry.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import type { Credential, Device } from '../../src/model/index.ts';

const v2c: Credential = { version: '2c', community: 'pub-secret' };
const device = (name: string, extra: Partial<Device> = {}): Device => ({
  name, address: '127.0.0.1', port: 161, credentials: 'lab', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: true, ...extra,
});

let state: StateStore | undefined;
afterEach(() => state?.close());

function setup() {
  state = new StateStore(':memory:');
  const config = { devices: [device('cfg1'), device('cfg2', { parents: ['cfg1'] })].map((d) => ({ ...d, credential: v2c })), credentials: { lab: v2c } };
  const inventory = new Inventory(config, state, () => ['system', 'interfaces']);
  const registry = new DeviceStatusRegistry();
  registry.register('cfg1', '127.0.0.1', '2c', 1000);
  return { inventory, registry, port: devicesPort(inventory, registry, new StatusTracker()) };
}

function setupWithStore() {
  const s = setup();
  return { ...s, store: state! };
}

const invalid = (message: string) => expect.objectContaining({ kind: 'invalid', message: expect.stringContaining(message) });

describe('devices port: parents', () => {
  it('parents and tags come from the index rebuilt on each change, not from a store read per call', async () => {
    const { inventory, port, store } = setupWithStore();
    await port.create(device('api1', { parents: ['cfg1'], tags: { site: 'ams' } }));
    const get = vi.spyOn(store.devices, 'get');
    expect(inventory.parentsOf('api1')).toEqual(['cfg1']);
    expect(inventory.tags('api1')).toEqual({ site: 'ams' });
    expect(inventory.parentsOf('nope')).toEqual([]);
    expect(inventory.tags('nope')).toBeUndefined();
    expect(get).not.toHaveBeenCalled();
    get.mockRestore();
    await port.update('api1', device('api1', { parents: ['cfg2'], tags: { site: 'fra' } }));
    expect(inventory.parentsOf('api1')).toEqual(['cfg2']);
    expect(inventory.tags('api1')).toEqual({ site: 'fra' });
    await port.remove('api1');
    expect(inventory.parentsOf('api1')).toEqual([]);
    expect(inventory.tags('api1')).toBeUndefined();
  });

  it('config parents are the device\'s; API devices may name any device as parent', async () => {
    const { inventory, port } = setup();
    expect(inventory.parentsOf('cfg2')).toEqual(['cfg1']);
    expect((await port.get('cfg2'))?.parents).toEqual(['cfg1']);
    expect((await port.get('cfg1'))?.parents).toBeUndefined();
    const v = await port.create(device('api1', { parents: ['cfg2'] }));
    expect(v.parents).toEqual(['cfg2']);
    expect(inventory.parentsOf('api1')).toEqual(['cfg2']);
    await port.create(device('api2', { parents: ['api1', 'cfg1'] }));
    expect(inventory.parentsOf('api2')).toEqual(['api1', 'cfg1']);
  });

  it('refuses unknown parents, the device itself and cycles, naming the field', async () => {
    const { port } = setup();
    await expect(port.create(device('api1', { parents: ['nope'] }))).rejects.toEqual(invalid('device api1: parents[0]: unknown device "nope"'));
    await expect(port.create(device('api1', { parents: ['cfg1', 'api1'] }))).rejects.toEqual(invalid('parents[1]: device "api1" cannot be its own parent'));
    await port.create(device('api1', { parents: ['cfg2'] }));
    await port.create(device('api2', { parents: ['api1'] }));
    await expect(port.update('api1', device('api1', { parents: ['api2'] }))).rejects.toEqual(invalid('parents: parent cycle api1 -> api2 -> api1'));
    await expect(port.update('api1', device('api1', { parents: ['cfg2', 'api2'] }))).rejects.toEqual(invalid('parents: parent cycle api1 -> api2 -> api1'));
    expect((await port.update('api1', device('api1', { parents: ['cfg1'] }))).parents).toEqual(['cfg1']);
  });

  it('refuses to remove a device that is still a parent', async () => {
    const { port } = setup();
    await port.create(device('api1'));
    await port.create(device('api2', { parents: ['api1'] }));
    await expect(port.remove('api1')).rejects.toEqual(expect.objectContaining({ kind: 'conflict', message: expect.stringContaining('is a parent of api2') }));
    expect(await port.remove('api2')).toBe(true);
    expect(await port.remove('api1')).toBe(true);
  });
});

describe('devices port: interface filters', () => {
  it('normalises the filter as the config does and keeps it across restarts', async () => {
    const { port, inventory } = setup();
    const v = await port.create({ ...device('api1'), interfaces: { exclude: { ifType: ['softwareLoopback', 6], ifName: ['Null*'], adminDown: true } } });
    expect(v.interfaces).toEqual({ include: { ifType: [], ifName: [], ifDescr: [], ifAlias: [] }, exclude: { ifType: [24, 6], ifName: ['Null*'], ifDescr: [], ifAlias: [], adminDown: true } });
    const again = new Inventory({ devices: [], credentials: { lab: v2c } }, state!, () => ['system']);
    expect(again.device('api1')?.interfaces).toEqual(v.interfaces);
    expect(inventory.resolved().find((d) => d.name === 'api1')?.interfaces).toEqual(v.interfaces);
  });

  it('refuses a bad filter naming the field', async () => {
    const { port } = setup();
    await expect(port.create({ ...device('api1'), interfaces: { include: { ifType: ['softwareLoopbak'] } } }))
      .rejects.toEqual(invalid('interfaces.include.ifType[0]: unknown IANAifType "softwareLoopbak"; did you mean "softwareLoopback"?'));
    await expect(port.create({ ...device('api1'), interfaces: { exclude: { ifAlias: ['ok', '/[/'] } } })).rejects.toEqual(invalid('interfaces.exclude.ifAlias[1]: '));
    expect(await port.get('api1')).toBeUndefined();
  });
});

describe('device status: interfaces filtered', () => {
  it('shows the last count the poller noted, cleared when the device changes', async () => {
    const { registry, port } = setup();
    expect((await port.get('cfg1'))?.status.interfacesFiltered).toBeUndefined();
    registry.noteInterfacesFiltered('cfg1', 4);
    expect((await port.get('cfg1'))?.status.interfacesFiltered).toBe(4);
    expect((await port.list()).find((d) => d.name === 'cfg1')?.status.interfacesFiltered).toBe(4);
    registry.register('cfg1', '127.0.0.1', '2c');
    expect((await port.get('cfg1'))?.status.interfacesFiltered).toBeUndefined();
  });
});
