/** eventResource: where a `too-large` event's subject stays readable once the replay ring drops it. */
import { describe, expect, it } from 'vitest';
import { eventResource } from '../../src/api/routes/events.ts';
import type { ApiEvent } from '../../src/api/services.ts';

const trap = (device?: string) => ({ type: 'trap', trap: { id: 't1', time: 1, source: '127.0.0.1:1', device, version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: [] } }) as ApiEvent;
const alert = (device?: string) => ({ type: 'alert', change: 'opened', alert: { id: 'a1', device } }) as unknown as ApiEvent;

describe('eventResource', () => {
  it.each<[string, ApiEvent, string]>([
    ['device-state', { type: 'device-state', device: 'core-1', from: 'up', to: 'down', time: 1 }, '/devices/core-1'],
    ['device-state, name to encode', { type: 'device-state', device: 'a b/c', from: 'up', to: 'down', time: 1 }, '/devices/a%20b%2Fc'],
    ['trap from a known device', trap('edge-1'), '/traps?device=edge-1'],
    ['trap from an unknown source', trap(), '/traps'],
    ['alert on a device', alert('dist&sw=1'), '/alerts?device=dist%26sw%3D1'],
    ['alert without a device', alert(), '/alerts'],
  ])('%s', (_, event, want) => {
    expect(eventResource(event)).toBe(want);
  });
});
