// One device-name rule for the config and the API (src/model/device-name.ts), names unique ignoring case.
import { describe, expect, it } from 'vitest';
import { deviceId } from '../../src/api/schemas/common.ts';
import { parseConfig } from '../../src/config/load.ts';
import { DEVICE_NAME_RE } from '../../src/model/device-name.ts';
import { configProblems } from './config-problems.ts';

const withDevices = (...names: string[]) =>
  'credentials:\n  c1: { version: 2c, community: x }\ndevices:\n' + names.map((n, i) => `  - { name: ${JSON.stringify(n)}, address: 10.0.0.${i + 1}, credentials: c1 }\n`).join('');

const RULE = "devices[0].name: expected a device name: letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128";

describe('config device names', () => {
  it.each([
    ['core-1.ams_2', true],
    ['R1', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['rtr/1', false],
    ['rtr:1', false],
    ['маршрутизатор', false],
    ['-leading-dash', false],
    ['.hidden', false],
    ['has space', false],
    ['a,b', false],
    ['k=v', false],
    ['100%', false],
  ])('%s: accepted %s, as by the API', (name, ok) => {
    expect(DEVICE_NAME_RE.test(name)).toBe(ok);
    expect(deviceId.safeParse(name).success).toBe(ok);
    if (ok) expect(parseConfig(withDevices(name), 'n.yaml', {}).devices[0].name).toBe(name);
    else expect(configProblems(withDevices(name))).toEqual([RULE]);
  });

  it('names differing only in case are duplicates', () => {
    expect(configProblems(withDevices('r1', 'R1'))).toEqual(['devices[1].name: duplicate device name "R1" (also devices[0]; names are compared ignoring case)']);
  });
});
