// Config problems never print a value that may be a secret: a string given in the wrong field (or through ${NAME}) is told by its shape.
import { describe, expect, it } from 'vitest';
import { shapeOf } from '../../src/config/issues.ts';
import { configProblems } from './config-problems.ts';

const SECRET = 's3cret+Value';
const ENV = { SECRET };
const DEVICE = 'credentials:\n  c1: { version: 2c, community: x }\ndevices:\n  - { name: r1, address: 10.0.0.1, credentials: c1 }\n';
const V3 = (protocols: string) => `credentials:\n  c3: { version: 3, user: u, level: authPriv, authKey: authkey-1, privKey: privkey-1, ${protocols} }\n`;

describe('config messages and secrets', () => {
  it.each([
    ['a duration', 'defaults: { timeout: "${SECRET}" }', 'defaults.timeout: expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a string of 12 characters'],
    ['an address', DEVICE.replace('10.0.0.1', '"${SECRET}"'), 'devices[0].address: expected an IPv4 address, IPv6 address or host name, got a string of 12 characters'],
    ['a listen address', 'api: { listen: "${SECRET}" }', 'api.listen: expected host:port or [ipv6]:port like "127.0.0.1:8080" or "[::1]:1162", got a string of 12 characters'],
    ['a CIDR block', 'traps: { allowFrom: ["${SECRET}"] }', 'traps.allowFrom[0]: expected an address or CIDR block like 127.0.0.0/8, got a string of 12 characters'],
    ['an OID', 'profiles: { p: { measurement: m, scalars: [{ name: a, oid: "${SECRET}" }] } }', 'profiles.p.scalars[0].oid: expected a numeric OID like 1.3.6.1.2.1.1.3.0 or a MIB name like IF-MIB::ifHCInOctets, got a string of 12 characters'],
    ['an identifier', 'profiles: { p: { measurement: "${SECRET}" } }', 'profiles.p.measurement: expected a name of letters, digits and _ (not starting with a digit), got a string of 12 characters'],
    ['a cron expression', 'topology: { schedule: "${SECRET}" }', 'topology.schedule: expected a cron expression like "0 3 * * *", got a string of 12 characters'],
    ['an IPv4 block', 'topology: { subnets: ["${SECRET}"] }', 'topology.subnets[0]: expected an address or CIDR block like 127.0.0.0/8, got a string of 12 characters'],
    ['a priv protocol swapped with its key', V3('authProtocol: SHA, privProtocol: "${SECRET}"'), 'credentials.c3.privProtocol: unknown priv protocol (got a string of 12 characters); expected one of DES, AES, AES-128, AES-256, AES-256-C'],
    ['an auth protocol swapped with its key', V3('authProtocol: "${SECRET}", privProtocol: AES'), 'credentials.c3.authProtocol: unknown auth protocol (got a string of 12 characters); expected one of MD5, SHA, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512'],
  ])('%s given a secret says its shape only', (_what, yaml, problem) => {
    const problems = configProblems(yaml, ENV);
    expect(problems).toContain(problem);
    for (const p of problems) expect(p).not.toContain(SECRET);
  });

  it.each([
    ['', 'an empty string'],
    ['x', 'a string of 1 character'],
    ['twelve chars', 'a string of 12 characters'],
    [3, 'a number'],
    [true, 'true/false'],
    [null, 'null'],
    [undefined, 'nothing'],
    [[1], 'a list'],
    [{ a: 1 }, 'a mapping'],
  ])('shapeOf(%j) is %s', (value, shape) => {
    expect(shapeOf(value)).toBe(shape);
  });
});
