/**
 * Sweep and crawl without agents (a fake SnmpClient and ICMP checker): the sweep's size limit is on
 * its total, large sweeps go in batches and never hold every address; the crawl names what it
 * finds as the config allows, skips network and broadcast addresses as the sweep does, and names
 * where each device was seen from after the renaming.
 */
import { describe, expect, it } from 'vitest';
import { NetpulseError } from '../../src/errors/index.ts';
import { DEVICE_NAME_RE } from '../../src/model/device-name.ts';
import { FakeIcmpChecker } from '../../src/icmp/fake.ts';
import type { SnmpClient, TableRow, Varbind } from '../../src/snmp/types.ts';
import { hostCount, hostsOf, isHostOf, parseCidr } from '../../src/topology/cidr.ts';
import { crawl, deviceNameFor, sweep, SWEEP_BATCH, sweepAddresses, SYS_NAME, SYS_OBJECT_ID, type ProbeProfile } from '../../src/topology/autodiscover.ts';
import { OID } from '../../src/topology/oids.ts';
import { emptyReport } from '../../src/topology/report.ts';

const profiles: ProbeProfile[] = [{ name: 'ro', credential: { version: '2c', community: 'public' } }];

interface FakeAgent {
  sysName: string;
  chassisId?: string;
  /** CDP neighbours' addresses */
  cdp?: string[];
}

/** answers only for the agents given; every other address times out */
function fakeClient(agents: Record<string, FakeAgent>): SnmpClient & { asked: string[] } {
  const asked: string[] = [];
  const agentAt = (address: string) => {
    const a = agents[address];
    if (!a) throw new NetpulseError({ scope: 'snmp', target: `agent ${address}:161`, reason: 'timeout', kind: 'timeout' });
    return a;
  };
  const octets = (oid: string, s: string): Varbind => ({ oid, type: 'OctetString', value: Buffer.from(s, 'utf8') });
  return {
    asked,
    async get(target, oids) {
      asked.push(target.address);
      const a = agentAt(target.address);
      return oids.flatMap((oid): Varbind[] => {
        if (oid === SYS_NAME) return [octets(oid, a.sysName)];
        if (oid === SYS_OBJECT_ID) return [{ oid, type: 'OID', value: '1.3.6.1.4.1.8072.3.2.10' }];
        if (oid === OID.lldpLocChassisIdSubtype && a.chassisId) return [{ oid, type: 'Integer', value: 7 }];
        if (oid === OID.lldpLocChassisId && a.chassisId) return [octets(oid, a.chassisId)];
        return [{ oid, type: 'NoSuchObject', value: null }];
      });
    },
    async walk() { return []; },
    async table(target, columns) {
      const a = agentAt(target.address);
      if (!columns.includes(OID.cdpCacheDeviceId)) return [];
      return (a.cdp ?? []).map((address, i): TableRow => ({
        index: `${i + 1}.1`,
        values: new Map([
          [OID.cdpCacheDeviceId, octets(OID.cdpCacheDeviceId, `peer-${address}`)],
          [OID.cdpCacheAddressType, { oid: OID.cdpCacheAddressType, type: 'Integer', value: 1 }],
          [OID.cdpCacheAddress, { oid: OID.cdpCacheAddress, type: 'OctetString', value: Buffer.from(address.split('.').map(Number)) }],
        ]),
      }));
    },
    async close() {},
  };
}

describe('sweep size', () => {
  it.each([
    [['10.0.0.0/16'], 65534],
    [['10.0.0.0/17', '10.0.128.0/17'], 65532],
    [['10.0.0.0/16', '10.0.0.0/17', '10.0.5.7'], 65534],
  ])('%j is swept without allowLarge: %i addresses', (subnets, count) => {
    expect(sweepAddresses(subnets).count).toBe(count);
  });

  it.each([
    [Array.from({ length: 16 }, (_, i) => `10.${i}.0.0/16`), '1048544 addresses in all is more than a /16'],
    [['10.0.0.0/16', '10.1.0.0/30'], '65536 addresses in all is more than a /16'],
    [['10.0.0.0/12'], '1048574 addresses is more than a /16'],
  ])('%j is refused without allowLarge', (subnets, message) => {
    expect(() => sweepAddresses(subnets)).toThrow(message);
  });

  it('counts a /0 with allowLarge and hands its addresses out one at a time', () => {
    const all = sweepAddresses(['0.0.0.0/0'], true);
    expect(all.count).toBe(2 ** 32 - 2);
    const it = all[Symbol.iterator]();
    expect([it.next().value, it.next().value]).toEqual(['0.0.0.1', '0.0.0.2']);
    const hosts = hostsOf(parseCidr('0.0.0.0/0'));
    expect([hosts.next().value, hosts.next().value]).toEqual(['0.0.0.1', '0.0.0.2']);
  });

  it.each([
    ['10.0.0.0/24', '10.0.0.0', false],
    ['10.0.0.0/24', '10.0.0.1', true],
    ['10.0.0.0/24', '10.0.0.255', false],
    ['10.0.0.0/24', '10.0.1.1', false],
    ['10.0.0.0/31', '10.0.0.0', true],
    ['10.0.0.5/32', '10.0.0.5', true],
    ['0.0.0.0/0', '255.255.255.255', false],
  ])('%s: %s is a host address: %s', (block, ip, expected) => {
    expect(isHostOf(parseCidr(block), ip)).toBe(expected);
  });

  it('pings a large sweep in batches and probes what answers', async () => {
    const icmp = new FakeIcmpChecker({ '10.1.2.3': [1], '10.3.255.254': [1] });
    const client = fakeClient({ '10.1.2.3': { sysName: 'edge1.example.net' } });
    const r = await sweep({ client, icmp, subnets: ['10.0.0.0/14'], allowLarge: true, profiles });
    expect(icmp.calls.map((c) => c.hosts.length)).toEqual([SWEEP_BATCH, SWEEP_BATCH, SWEEP_BATCH, hostCount(parseCidr('10.0.0.0/14')) - 3 * SWEEP_BATCH]);
    expect(icmp.calls[0].hosts[0]).toBe('10.0.0.1');
    expect(client.asked).toEqual(['10.1.2.3', '10.3.255.254']);
    expect(r).toMatchObject({ swept: 262142, alive: 2, found: [{ name: 'edge1', address: '10.1.2.3' }], failed: [{ address: '10.3.255.254' }] });
  });
});

describe('crawl', () => {
  const LONG = 'a'.repeat(140);
  it.each([
    ['sw1.example.net', '10.0.0.9', 'sw1'],
    ['Core Switch 1', '10.0.0.9', 'core-switch-1'],
    ['Core Switch 1.example.net', '10.0.0.9', 'core-switch-1'],
    ['a,b=c', '10.0.0.9', 'a-b-c'],
    ['  =x= ', '10.0.0.9', 'x'],
    [' = ', '10.0.0.9', '10.0.0.9'],
    [undefined, '10.0.0.9', '10.0.0.9'],
    ['Zürich-core1', '10.0.0.9', 'zurich-core1'],
    ['rtr/1:ge0', '10.0.0.9', 'rtr-1-ge0'],
    ['a - b', '10.0.0.9', 'a-b'],
    ['-edge_1-', '10.0.0.9', 'edge_1'],
    ['_tmp', '10.0.0.9', 'tmp'],
    ['100%', '10.0.0.9', '100'],
    ['маршрутизатор', '10.0.0.9', '10.0.0.9'],
    ['@@@', '::1', '0--1'],
    [undefined, '2001:db8::', '2001-db8--0'],
    [undefined, 'fe80::1%eth0', 'fe80--1-eth0'],
    [LONG, '10.0.0.9', 'a'.repeat(128)],
    [`${'b'.repeat(127)} x`, '10.0.0.9', 'b'.repeat(127)],
  ])('sysName %j at %s gives the device name %j, one the config accepts', (sysName, address, name) => {
    expect(deviceNameFor(sysName, address)).toBe(name);
    expect(name).toMatch(DEVICE_NAME_RE);
  });

  it('a renamed device (name taken) stays within the rule: cut to make room for its address', async () => {
    const seed = emptyReport('core', '10.9.0.1');
    seed.cdp.push({ localIfIndex: 1, deviceId: 'c', address: '10.0.0.10' });
    const client = fakeClient({ '10.0.0.10': { sysName: LONG, chassisId: 'c10' } });
    const r = await crawl({ client, subnets: ['10.0.0.0/24'], maxDevices: 10, profiles, reports: [seed], knownNames: ['a'.repeat(128)] });
    expect(r.found.map((f) => f.name)).toEqual([`${'a'.repeat(118)}-10.0.0.10`]);
    expect(r.found[0].name).toMatch(DEVICE_NAME_RE);
  });

  it('skips network and broadcast addresses and names each seenFrom as renamed', async () => {
    const seed = emptyReport('core', '10.9.0.1');
    seed.cdp.push(
      { localIfIndex: 1, deviceId: 'a', address: '10.0.0.0' },
      { localIfIndex: 2, deviceId: 'b', address: '10.0.0.255' },
      { localIfIndex: 3, deviceId: 'c', address: '10.0.0.10' },
    );
    const client = fakeClient({
      '10.0.0.0': { sysName: 'network-address' },
      '10.0.0.255': { sysName: 'broadcast-address' },
      // named like the managed device: renamed `switch-10.0.0.10`
      '10.0.0.10': { sysName: 'Switch', chassisId: 'c10', cdp: ['10.0.0.11'] },
      '10.0.0.11': { sysName: 'Access Switch 7', chassisId: 'c11' },
    });
    const r = await crawl({ client, subnets: ['10.0.0.0/24'], maxDevices: 10, profiles, reports: [seed], knownNames: ['switch'] });
    expect(client.asked).not.toContain('10.0.0.0');
    expect(client.asked).not.toContain('10.0.0.255');
    expect(r.found.map((f) => [f.name, f.address, f.seenFrom])).toEqual([
      ['switch-10.0.0.10', '10.0.0.10', 'core'],
      ['access-switch-7', '10.0.0.11', 'switch-10.0.0.10'],
    ]);
    expect(r.reports.map((x) => x.device)).toEqual(['switch-10.0.0.10', 'access-switch-7']);
  });
});
