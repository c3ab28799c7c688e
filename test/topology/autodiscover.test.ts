/**
 * Auto-discovery against real agents on loopback: a sweep of 127.0.0.0/29 (fping, then SNMP
 * with every profile, v3 first) finds the snmpd agents on 127.0.0.2/.3/.5 with the version and
 * profile that answered; a crawl from one lab device follows LLDP/CDP management addresses
 * through the whole lab (each device on its own 127.1.0.x).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIcmpChecker } from '../../src/icmp/index.ts';
import { parseConfig } from '../../src/config/index.ts';
import { startLab, type Lab } from '../../src/lab/index.ts';
import { createSnmpClient } from '../../src/snmp/index.ts';
import { crawl, orderProfiles, probeProfiles, sweep, sweepAddresses, type ProbeProfile } from '../../src/topology/autodiscover.ts';
import { collectDevice } from '../../src/topology/collect.ts';
import type { Credential } from '../../src/model/credentials.ts';
import { freeUdpPort, startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';

const client = createSnmpClient({ maxConcurrency: 64 });
const agents: SnmpdHandle[] = [];
let lab: Lab | undefined;

afterAll(async () => {
  await client.close();
  await Promise.all(agents.map((a) => a.stop()));
  await lab?.stop();
});

describe('sweepAddresses', () => {
  it.each([
    [['127.0.0.0/29'], 6, '127.0.0.1', '127.0.0.6'],
    [['127.0.0.8/31'], 2, '127.0.0.8', '127.0.0.9'],
    [['127.0.0.9/32'], 1, '127.0.0.9', '127.0.0.9'],
    [['127.0.0.0/30', '127.0.0.0/29'], 6, '127.0.0.1', '127.0.0.6'],
    [['127.5.0.0/16'], 65534, '127.5.0.1', '127.5.255.254'],
  ])('%j gives %i hosts', (subnets, n, first, last) => {
    const addresses = sweepAddresses(subnets);
    const hosts = [...addresses];
    expect(addresses.count).toBe(n);
    expect(hosts).toHaveLength(n);
    expect(hosts[0]).toBe(first);
    expect(hosts.at(-1)).toBe(last);
  });

  it.each([
    [['127.0.0.0/8'], 'more than a /16; set allowLarge'],
    [['127.0.0.0/33'], 'is not an IPv4 address or CIDR block'],
    [['::1/128'], 'is not an IPv4 address or CIDR block'],
    [['lab'], '"lab" is not an IPv4 address'],
  ])('refuses %j', (subnets, message) => {
    expect(() => sweepAddresses(subnets)).toThrow(message);
  });

  it('sweeps a block larger than a /16 only with allowLarge', () => {
    expect(sweepAddresses(['127.0.0.0/15'], true).count).toBe(131070);
  });
});

describe('probe order', () => {
  it('tries v3 first, then v2c, then v1, in config order within a version', () => {
    const p = (name: string, version: '1' | '2c' | '3'): ProbeProfile => ({ name, credential: version === '3' ? { version, user: name, level: 'noAuthNoPriv' } : { version, community: name } });
    expect(orderProfiles([p('a', '1'), p('b', '2c'), p('c', '3'), p('d', '2c'), p('e', '3')]).map((x) => x.name)).toEqual(['c', 'e', 'b', 'd', 'a']);
    expect(() => probeProfiles({ x: { version: '2c', community: 'x' } }, ['x', 'nope'])).toThrow('unknown credential profile "nope"');
  });
});

describe('sweep of 127.0.0.0/29 against real snmpd agents', () => {
  let port = 0;
  const v3user = { name: 'np-disc', authProtocol: 'SHA-256' as const, authKey: 'disc-auth-key', privProtocol: 'AES' as const, privKey: 'disc-priv-key' };
  const v3cred: Credential = { version: '3', user: 'np-disc', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'disc-auth-key', privProtocol: 'AES', privKey: 'disc-priv-key' };
  const profiles: ProbeProfile[] = [
    { name: 'c1', credential: { version: '1', community: 'disc-c1' } },
    { name: 'c2', credential: { version: '2c', community: 'disc-c2' } },
    { name: 'wrong-user', credential: { version: '3', user: 'np-nobody', level: 'authNoPriv', authProtocol: 'SHA', authKey: 'nobody-auth-key' } },
    { name: 'u3', credential: v3cred },
  ];

  beforeAll(async () => {
    port = await freeUdpPort();
    agents.push(
      await startSnmpd({ address: '127.0.0.2', port, versions: ['3'], users: [v3user], sysName: 'disc-v3.lab', sysObjectID: '.1.3.6.1.4.1.9.1.2494' }),
      await startSnmpd({ address: '127.0.0.3', port, versions: ['2c'], community: 'disc-c2', sysName: 'disc-v2c' }),
      await startSnmpd({ address: '127.0.0.5', port, versions: ['1'], community: 'disc-c1', sysName: 'disc-v1' }),
      await startSnmpd({ address: '127.0.0.6', port, versions: ['2c'], community: 'not-configured', sysName: 'disc-unknown' }),
    );
  });

  it('finds each agent with the version and profile that answered, and says why the others failed', async () => {
    const icmp = await createIcmpChecker();
    expect(icmp.engine, 'fping is needed for sweeps (apt-get install fping)').toBe('fping');
    const r = await sweep({ client, icmp, subnets: ['127.0.0.0/29'], profiles, port, timeoutMs: 700, retries: 1 });
    expect(r.swept).toBe(6);
    expect(r.alive).toBe(6); // all of 127/8 is the loopback interface
    expect(r.found.map((f) => [f.address, f.version, f.credentials, f.name, f.via])).toEqual([
      ['127.0.0.2', '3', 'u3', 'disc-v3', 'sweep'],
      ['127.0.0.3', '2c', 'c2', 'disc-v2c', 'sweep'],
      ['127.0.0.5', '1', 'c1', 'disc-v1', 'sweep'],
    ]);
    expect(r.found[0]).toMatchObject({ sysName: 'disc-v3.lab', sysObjectID: '1.3.6.1.4.1.9.1.2494', port });
    expect(r.failed.map((f) => f.address)).toEqual(['127.0.0.1', '127.0.0.4', '127.0.0.6']);
    const six = r.failed.find((f) => f.address === '127.0.0.6')!.reason;
    expect(six).toContain('v3 "wrong-user"');
    expect(six).toContain('v2c "c2": timeout');
    expect(six).not.toMatch(/disc-c|nobody-auth|disc-auth|disc-priv/); // no secrets in reasons
  });

  it('leaves known addresses out, probes without ICMP when no checker is given, and names clashes apart', async () => {
    const r = await sweep({ client, subnets: ['127.0.0.0/29'], profiles, port, timeoutMs: 700, retries: 1, known: ['127.0.0.2', '127.0.0.3'], knownNames: ['DISC-V1'] });
    expect(r.found.map((f) => [f.address, f.name])).toEqual([['127.0.0.5', 'disc-v1-127.0.0.5']]);
  });
});

describe('crawl through the lab (each device on its own 127.1.0.x)', () => {
  let config: ReturnType<typeof parseConfig>;
  let profiles: ProbeProfile[];
  let labPort = 0;

  beforeAll(async () => {
    labPort = await freeUdpPort();
    lab = await startLab({ devices: 10, topology: 'ring', seed: 3, addressPerDevice: true, basePort: labPort });
    config = parseConfig(lab.config);
    profiles = probeProfiles(config.credentials);
  });

  const seedReport = async () => {
    const d = config.devices[0];
    return collectDevice(client, d.name, { address: d.address, port: d.port, credential: d.credential, timeoutMs: 2000, retries: 1, maxRepetitions: 25 });
  };

  it('follows neighbours\' management addresses to every other device, with the profile that answers', async () => {
    const seed = await seedReport();
    const r = await crawl({ client, subnets: ['127.1.0.0/24'], maxDevices: 50, profiles, reports: [seed], port: labPort, timeoutMs: 500, retries: 1 });
    expect(r.failed).toEqual([]);
    expect(r.capped).toBe(false);
    const got = r.found.map((f) => [f.name, f.address, f.version]).sort();
    const want = lab!.devices.slice(1).map((d) => [d.name, d.address, d.version]).sort();
    expect(got).toEqual(want);
    const firstV3 = profiles.find((p) => p.credential.version === '3')!.name;
    for (const f of r.found) {
      expect(f.credentials).toBe(f.version === '3' ? firstV3 : f.version === '2c' ? 'lab-v2c' : 'lab-v1');
      expect(f.port).toBe(labPort);
    }
    // the link /30s the lab numbers in 127.200.0.0/16 are outside the subnets: never followed
    expect(r.reports).toHaveLength(9);
  });

  it('stops at maxDevices and does not follow addresses outside the subnets', async () => {
    const seed = await seedReport();
    const capped = await crawl({ client, subnets: ['127.1.0.0/24'], maxDevices: 2, profiles, reports: [seed], port: labPort, timeoutMs: 400, retries: 1 });
    expect(capped.found).toHaveLength(2);
    expect(capped.capped).toBe(true);
    const none = await crawl({ client, subnets: ['127.9.0.0/24'], maxDevices: 50, profiles, reports: [seed], port: labPort, timeoutMs: 400, retries: 0 });
    expect(none.found).toEqual([]);
    expect(none.outOfScope.length).toBeGreaterThan(0);
    expect(none.outOfScope.every((a) => a.startsWith('127.1.0.'))).toBe(true);
  });
});
