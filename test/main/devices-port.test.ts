/** DevicesPort.list() over the real Inventory, status registry and tracker: one snapshot until something changes. */
import { afterEach, describe, expect, it } from 'vitest';
import { devicesPort } from '../../src/main/adapters/devices.ts';
import { Inventory } from '../../src/main/inventory.ts';
import { StatusTracker } from '../../src/main/status-tracker.ts';
import { DeviceStatusRegistry } from '../../src/poller/status-registry.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import type { Credential, Device } from '../../src/model/index.ts';

const v2c: Credential = { version: '2c', community: 'pub-secret' };
const device = (name: string, address: string): Device => ({
  name, address, port: 161, credentials: 'lab', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: { site: 'hq' }, icmp: true,
});

let state: StateStore | undefined;
afterEach(() => state?.close());

function setup() {
  state = new StateStore(':memory:');
  const inventory = new Inventory({ devices: [{ ...device('cfg1', '127.0.0.1'), credential: v2c }], credentials: { lab: v2c } }, state, () => ['system']);
  const registry = new DeviceStatusRegistry();
  const tracker = new StatusTracker();
  registry.register('cfg1', '127.0.0.1', '2c', 1000);
  return { inventory, registry, tracker, port: devicesPort(inventory, registry, tracker) };
}

describe('devicesPort list snapshots', () => {
  it('hands out the same array while nothing changed', async () => {
    const { inventory, port } = setup();
    inventory.createDevice(device('api1', '127.0.0.2'));
    const a = await port.list();
    expect(a.map((d) => d.name)).toEqual(['cfg1', 'api1']);
    expect(await port.list()).toBe(a);
    expect(JSON.stringify(a)).not.toContain('pub-secret');
  });

  it('gives a new snapshot after a poll, a state change, a tracked error and a device or profile change, keeping unchanged views', async () => {
    const { inventory, registry, tracker, port } = setup();
    inventory.createDevice(device('api1', '127.0.0.2'));
    let before = await port.list();
    const next = async () => {
      const after = await port.list();
      expect(after).not.toBe(before);
      return (before = after);
    };

    const unchanged = before[1];
    registry.report('cfg1', { state: 'up', error: undefined, at: 2000, durationMs: 5 });
    let after = await next();
    expect(after[0].status).toMatchObject({ state: 'up', lastPollAt: 2000, pollsDone: 1 });
    expect(after[1]).toBe(unchanged);

    registry.report('cfg1', { state: 'up', error: undefined, at: 3000, durationMs: 5 });
    expect((await next())[0].status.lastPollAt).toBe(3000);

    tracker.write([{ measurement: 'device_status', tags: { device: 'cfg1' }, fields: { state: 'down', error: 'icmp: 127.0.0.1: no reply' }, time: 4000 }]);
    expect((await next())[0].status.recentErrors).toEqual([{ time: 4000, message: 'icmp: 127.0.0.1: no reply' }]);

    inventory.updateDevice('api1', { ...device('api1', '127.0.0.2'), tags: { site: 'lab' } });
    after = await next();
    expect(after[1].tags).toEqual({ site: 'lab' });

    inventory.putCredential('v3', { version: '3', user: 'ops', level: 'noAuthNoPriv' });
    inventory.updateDevice('api1', { ...device('api1', '127.0.0.2'), credentials: 'v3' });
    expect((await next())[1].snmp).toEqual({ name: 'v3', version: '3', user: 'ops', level: 'noAuthNoPriv', authProtocol: undefined, privProtocol: undefined, context: undefined });

    inventory.removeDevice('api1');
    expect((await next()).map((d) => d.name)).toEqual(['cfg1']);
  });

  it('says where each device comes from: the config file or the API', async () => {
    const { port } = setup();
    expect((await port.create({ ...device('api1', '127.0.0.2') })).origin).toBe('api');
    expect((await port.list()).map((d) => [d.name, d.origin])).toEqual([['cfg1', 'config'], ['api1', 'api']]);
    expect((await port.get('cfg1'))?.origin).toBe('config');
    expect((await port.get('api1'))?.origin).toBe('api');
    expect((await port.update('api1', { ...device('api1', '127.0.0.3') })).origin).toBe('api');
  });
});
