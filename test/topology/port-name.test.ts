import { describe, expect, it } from 'vitest';
import { canonicalPort } from '../../src/topology/port-name.ts';
import { parseCdpDeviceId } from '../../src/topology/cdp-id.ts';
import { linkId } from '../../src/topology/link-id.ts';

describe('canonicalPort', () => {
  it.each([
    ['Gi0/2', 'gi0/2'],
    ['GigabitEthernet0/2', 'gi0/2'],
    ['GigabitEthernet 1/0/48', 'gi1/0/48'],
    ['GE1/0/1', 'gi1/0/1'],
    ['TenGigabitEthernet1/1/1', 'te1/1/1'],
    ['Te1/1/1', 'te1/1/1'],
    ['XGigabitEthernet0/0/1', 'te0/0/1'],
    ['FastEthernet0/1', 'fa0/1'],
    ['HundredGigE0/0/0/1', 'hu0/0/0/1'],
    ['Ethernet1/1', 'eth1/1'],
    ['Et1', 'eth1'],
    ['Port-channel10', 'po10'],
    ['Gi1/0/48.100', 'gi1/0/48.100'],
    ['ge-0/0/1', 'ge-0/0/1'],
    ['eth0', 'eth0'],
    ['Port 1', 'port 1'],
    ['02:00:00:07:00:01', '02:00:00:07:00:01'],
    ['514', '514'],
  ])('%s -> %s', (name, want) => {
    expect(canonicalPort(name)).toBe(want);
  });

  it('gives one link id for the short and long forms of a port', () => {
    expect(linkId({ node: 'sw1', port: 'Gi0/1' }, { node: 'sw2', port: 'GigabitEthernet0/2' }))
      .toBe(linkId({ node: 'sw2', port: 'Gi0/2' }, { node: 'sw1', port: 'gi0/1' }));
  });
});

describe('parseCdpDeviceId', () => {
  it.each([
    ['n7k-core1(JAF1234ABCD)', { name: 'n7k-core1', serial: 'JAF1234ABCD' }],
    ['sw2.lab', { name: 'sw2.lab' }],
    ['SEP001122334455', { name: 'SEP001122334455' }],
    ['', {}],
    ['  ', {}],
  ])('%j', (id, want) => {
    expect(parseCdpDeviceId(id)).toEqual(want);
  });
});
