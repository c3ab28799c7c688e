import { describe, expect, it } from 'vitest';
import { compareOids, isInSubtree, normalizeOid } from '../../src/snmp/oid.ts';
import { parseHost, parseSnmpCommandLine } from '../../src/snmp/cli-options.ts';

describe('OIDs', () => {
  it.each([
    ['1.3.6.1.2', '1.3.6.1.10', -1],
    ['1.3.6.1.2.1', '1.3.6.1.2', 1],
    ['1.3.6', '1.3.6', 0],
    ['1.3.6.1.4.1.9', '1.3.6.1.4.1.10', -1],
    ['1.3', '1.3.0', -1],
    ['1.3.6.1.10', '1.3.6.1.9', 1],
    ['1.3.6.1.2.1.2.2.1.10.1', '1.3.6.1.2.1.2.2.1.1.10', 1],
    ['1.3.6.1.2.1.2.2.1.1.100', '1.3.6.1.2.1.2.2.1.1.99', 1],
    ['1.3.6.1.2.1.2.2.1.1.99', '1.3.6.1.2.1.2.2.1.1.100', -1],
    ['1.3.6.1.2.1.31.1.1.1.1.5', '1.3.6.1.2.1.31.1.1.1.1.5.0', -1],
    ['1.3.6.1.2.1.31.1.1.1.1.50', '1.3.6.1.2.1.31.1.1.1.1.5.0', 1],
    ['1.3.6.1.02', '1.3.6.1.1', 1],
    ['1.3.6.1.4294967295', '1.3.6.1.4294967294', 1],
  ])('compare %s %s', (a, b, sign) => expect(Math.sign(compareOids(a, b))).toBe(sign));
  it.each([
    ['1.3.6.1.2.1.2', '1.3.6.1.2.1.2.2.1.1', true],
    ['1.3.6.1.2.1.2', '1.3.6.1.2.1.20.1', false],
    ['1.3.6.1.2.1.2', '1.3.6.1.2.1.2', false],
  ])('isInSubtree(%s, %s) = %s', (root, oid, yes) => expect(isInSubtree(root, oid)).toBe(yes));
  it.each([
    ['.1.3.6.1', '1.3.6.1'],
    [' 1.3 ', '1.3'],
    ['1.3.6.1.4.1.9999.01', '1.3.6.1.4.1.9999.1'],
    ['1.03.006.1.00', '1.3.6.1.0'],
    ['0.39', '0.39'],
    ['2.999.1', '2.999.1'],
    ['1.3.0004294967295', '1.3.4294967295'],
  ])('normalizes %j', (a, b) => expect(normalizeOid(a)).toBe(b));
  it.each([
    ['', /not a numeric OID/],
    ['sysName.0', /not a numeric OID/],
    ['1..3', /not a numeric OID/],
    ['1.3.99999999999', /arc 99999999999 out of range/],
    ['1.3.4294967296', /out of range/],
    ['1', /one arc/],
    ['1.40.1', /second arc is 40, it must be below 40 under 1/],
    ['0.40', /below 40 under 0/],
    ['3.1', /starts with 3; the first arc is 0, 1 or 2/],
  ])('rejects %j', (a, msg) => expect(() => normalizeOid(a)).toThrow(msg));
});

describe('Net-SNMP style command line', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', 161],
    ['127.0.0.1:1161', '127.0.0.1', 1161],
    ['udp:localhost:2000', 'localhost', 2000],
    ['[::1]:1161', '::1', 1161],
    ['udp6:[::1]:1161', '::1', 1161],
    ['::1', '::1', 161],
  ])('host %s', (spec, address, port) => expect(parseHost(spec)).toEqual({ address, port }));

  it('v2c with joined options', () => {
    const c = parseSnmpCommandLine(['-v2c', '-clab', '-On', '-Cr50', '-t', '2', '-r0', '127.0.0.1:1161', '.1.3.6.1.2.1.1']);
    expect(c).toEqual({
      target: { address: '127.0.0.1', port: 1161, credential: { version: '2c', community: 'lab' }, timeoutMs: 2000, retries: 0, maxRepetitions: 50 },
      oids: ['1.3.6.1.2.1.1'],
      numeric: true,
    });
  });

  it('v3 authPriv', () => {
    const c = parseSnmpCommandLine(['-v', '3', '-u', 'ops', '-l', 'authPriv', '-a', 'sha-256', '-A', 'authpass1', '-x', 'AES-256-C', '-X', 'privpass1', '-n', 'vrf1', '127.0.0.1', '1.3.6']);
    expect(c.target.credential).toEqual({
      version: '3', user: 'ops', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'authpass1', privProtocol: 'AES-256-C', privKey: 'privpass1', context: 'vrf1',
    });
    expect(c.target.timeoutMs).toBe(1000);
    expect(c.target.retries).toBe(5);
    expect(c.target.maxRepetitions).toBe(10);
  });

  it.each([
    [['-v', '4', '127.0.0.1'], /unknown SNMP version/],
    [['-v3', '127.0.0.1'], /needs a user/],
    [['-c'], /needs a value/],
    [['127.0.0.1', 'sysName.0'], /not a numeric OID/],
    [['-a', 'SHA1', '-u', 'x', '127.0.0.1'], /unknown auth protocol/],
    [['-Oq', '127.0.0.1'], /only -On/],
    [[], /no agent/],
    [['127.0.0.1:99999'], /port out of range/],
  ])('rejects %j', (argv, msg) => expect(() => parseSnmpCommandLine(argv as string[])).toThrow(msg));
});
