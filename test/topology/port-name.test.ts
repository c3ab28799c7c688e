import { describe, expect, it } from 'vitest';
import { canonicalPort, interfaceName, portsAgree } from '../../src/topology/port-name.ts';
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

describe('interfaceName: a port name that can be told from another (a box\'s own port, seen by LLDP and CDP)', () => {
  it.each<[string | undefined, string | undefined]>([
    ['GigabitEthernet1/0/48', 'gi1/0/48'],
    ['Gi1/0/48', 'gi1/0/48'],
    ['ge-0/0/1', 'ge-0/0/1'],
    ['xe-0/0/0.0', 'xe-0/0/0.0'],
    ['enp3s0f1', 'enp3s0f1'],
    ['swp12', 'swp12'],
    ['Port 1', 'port1'],
    ['1/1/3', '1/1/3'],
    ['A1', 'a1'],
    ['ae1-0.100', 'ae1-0.100'],
    ['po-1/2', 'po-1/2'],
    // not a name: what another protocol may give as another string for the same port
    ['02:00:00:07:00:01', undefined],
    ['a1:b2:c3:d4:e5:f6', undefined],
    ['hex:0a0b', undefined],
    ['514', undefined],
    ['uplink to sw1', undefined],
    // a '/', '.' or ':' before the first digit
    ['a/1', undefined],
    ['mgmt.1', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j -> %j', (port, want) => {
    expect(interfaceName(port)).toBe(want);
  });

  it.each<[string | undefined, string | undefined, boolean]>([
    ['Gi1/0/48', 'GigabitEthernet1/0/48', true],
    ['Gi1/0/47', 'GigabitEthernet1/0/48', false],
    ['ge-0/0/1', 'ge-0/0/2', false],
    ['02:00:00:07:00:01', 'GigabitEthernet1/0/48', true],
    ['48', 'GigabitEthernet1/0/47', true],
    ['uplink to sw1', 'Gi1/0/1', true],
    [undefined, 'Gi1/0/1', true],
  ])('portsAgree(%j, %j) = %j', (x, y, want) => {
    expect(portsAgree(x, y)).toBe(want);
    expect(portsAgree(y, x)).toBe(want);
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
