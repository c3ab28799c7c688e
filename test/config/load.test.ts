import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { configProblems } from './config-problems.ts';

const ISSUE_YAML = `credentials:
  edge-v1: { version: 1, community: pub1 }
  edge-v2: { version: 2c, community: pub2 }
  core-v3: { version: 3, user: netops, level: authPriv, authProtocol: SHA-256,
             authKey: "\${CORE_AUTH}", privProtocol: AES-256, privKey: "\${CORE_PRIV}" }
devices:
  - { name: edge1, address: 127.0.0.1, port: 16101, credentials: edge-v1 }
  - { name: edge2, address: 127.0.0.1, port: 16102, credentials: edge-v2 }
  - { name: core1, address: 127.0.0.1, port: 16103, credentials: core-v3,
      profiles: [system, interfaces], interval: 30s }
`;
const ENV = { CORE_AUTH: 'core-auth-secret', CORE_PRIV: 'core-priv-secret' };

const problems = (yaml: string, env: Record<string, string> = ENV): string[] => configProblems(yaml, env);

describe('the issue\'s configuration', () => {
  it('is accepted as written, with typed devices and intervals in ms', () => {
    const c = parseConfig(ISSUE_YAML, 'issue.yaml', ENV);
    expect(c.devices).toEqual([
      { name: 'edge1', address: '127.0.0.1', port: 16101, credentials: 'edge-v1', credential: { version: '1', community: 'pub1' }, profiles: ['system', 'interfaces'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: true },
      { name: 'edge2', address: '127.0.0.1', port: 16102, credentials: 'edge-v2', credential: { version: '2c', community: 'pub2' }, profiles: ['system', 'interfaces'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: true },
      {
        name: 'core1', address: '127.0.0.1', port: 16103, credentials: 'core-v3',
        credential: { version: '3', user: 'netops', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'core-auth-secret', privProtocol: 'AES-256', privKey: 'core-priv-secret' },
        profiles: ['system', 'interfaces'], intervalMs: 30_000, profileIntervalsMs: {}, tags: {}, icmp: true,
      },
    ]);
    expect(c.defaults).toEqual({
      intervalMs: 60_000, timeoutMs: 2000, retries: 1, maxRepetitions: 25, concurrency: 256, snmpThreads: 'auto', profiles: ['system', 'interfaces'],
      icmp: { enabled: true, count: 3, intervalMs: 20, timeoutMs: 500, sendIntervalMs: 1 },
    });
    expect(c.dataDir).toBe('./data');
    expect(c.mibDirs).toEqual(['mibs']);
    expect(c.api.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.traps).toBeUndefined();
    expect(c.alerts).toEqual({ maxActive: 50_000, parentHoldMs: 30_000, keepClearedMs: 90 * 86_400_000 });
  });

  it('takes alerts.maxActive and alerts.parentHold when given (parentHold 0 disables the hold)', () => {
    expect(parseConfig('alerts: { maxActive: 200 }', '', {}).alerts).toEqual({ maxActive: 200, parentHoldMs: 30_000, keepClearedMs: 90 * 86_400_000 });
    expect(parseConfig('alerts: { parentHold: 45s }', '', {}).alerts.parentHoldMs).toBe(45_000);
    expect(parseConfig('alerts: { parentHold: 0 }', '', {}).alerts.parentHoldMs).toBe(0);
  });

  it('maps version and protocol aliases to the canonical names', () => {
    const c = parseConfig(`credentials:
  a: { version: "1", community: x }
  b: { version: 2, community: x }
  c: { version: "3", user: u, level: authPriv, authProtocol: sha-1, authKey: 12345678, privProtocol: AES-128, privKey: "12345678" }
  d: { version: 3, user: u, level: authNoPriv, authProtocol: SHA-512, authKey: abcdefgh }
  e: { version: 3, user: u, level: noAuthNoPriv, context: ctx1 }
  f: { version: 3, user: u, level: authPriv, authProtocol: md5, authKey: abcdefgh, privProtocol: aes-256-c, privKey: abcdefgh }
`.replace('authKey: 12345678', 'authKey: "12345678"'), '', {});
    expect(c.credentials).toEqual({
      a: { version: '1', community: 'x' },
      b: { version: '2c', community: 'x' },
      c: { version: '3', user: 'u', level: 'authPriv', authProtocol: 'SHA', authKey: '12345678', privProtocol: 'AES', privKey: '12345678' },
      d: { version: '3', user: 'u', level: 'authNoPriv', authProtocol: 'SHA-512', authKey: 'abcdefgh' },
      e: { version: '3', user: 'u', level: 'noAuthNoPriv', context: 'ctx1' },
      f: { version: '3', user: 'u', level: 'authPriv', authProtocol: 'MD5', authKey: 'abcdefgh', privProtocol: 'AES-256-C', privKey: 'abcdefgh' },
    });
  });

  it('resolves profiles, per-profile intervals, tags and icmp', () => {
    const c = parseConfig(`credentials: { c: { version: 2c, community: x } }
profiles:
  temp: { measurement: temp, scalars: [{ name: t, oid: .1.3.6.1.4.1.9.9.13.1.3.1.3.1 }], interval: 2m }
defaults: { profiles: [system], interval: 5m, icmp: { enabled: off } }
devices:
  - { name: a, address: "::1", credentials: c }
  - { name: b, address: localhost, credentials: c, profiles: [system, { name: interfaces, interval: 30s }, temp], tags: { floor: 3, site: lab }, icmp: on }
`, '', {});
    expect(c.devices[0]).toMatchObject({ address: '::1', port: 161, profiles: ['system'], intervalMs: 300_000, icmp: false });
    expect(c.devices[1]).toMatchObject({ profiles: ['system', 'interfaces', 'temp'], profileIntervalsMs: { interfaces: 30_000, temp: 120_000 }, tags: { floor: '3', site: 'lab' }, icmp: true });
    expect(c.profiles.temp).toEqual({ name: 'temp', measurement: 'temp', scalars: [{ name: 't', oid: '1.3.6.1.4.1.9.9.13.1.3.1.3.1' }], tables: [], intervalMs: 120_000 });
  });
});

const DEV = (extra: string) => `credentials: { c: { version: 2c, community: x } }\ndevices:\n  - { name: a, address: 127.0.0.1, credentials: c${extra} }\n`;
const V3 = (fields: string) => `credentials:\n  core-v3: { version: 3, user: netops, ${fields} }\n`;

describe('bad configurations name the field and what was expected', () => {
  it.each([
    ['unknown credential profile', ISSUE_YAML.replace('credentials: core-v3,', 'credentials: core-v9,').replace('core-v3: {', 'zz-v3: {'),
      ['devices[2].credentials: unknown credential profile "core-v9"']],
    ['AES-192', ISSUE_YAML.replace('AES-256', 'AES-192'),
      ['credentials.core-v3.privProtocol: AES-192 is not supported (net-snmp has no AES-192); use AES, AES-256 or AES-256-C']],
    ['unknown priv protocol', V3('level: authPriv, authProtocol: SHA, authKey: abcdefgh, privProtocol: BLOWFISH, privKey: abcdefgh'),
      ['credentials.core-v3.privProtocol: unknown priv protocol (got a string of 8 characters); expected one of DES, AES, AES-128, AES-256, AES-256-C']],
    ['unknown auth protocol', V3('level: authNoPriv, authProtocol: SHA-3, authKey: abcdefgh'),
      ['credentials.core-v3.authProtocol: unknown auth protocol (got a string of 5 characters); expected one of MD5, SHA, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512']],
    ['level needs keys', V3('level: authPriv, authProtocol: SHA'),
      ['credentials.core-v3.authKey: required by level authPriv', 'credentials.core-v3.privProtocol: required by level authPriv', 'credentials.core-v3.privKey: required by level authPriv']],
    ['short key', V3('level: authNoPriv, authProtocol: SHA, authKey: abc'),
      ['credentials.core-v3.authKey: must be at least 8 characters (Net-SNMP refuses shorter pass phrases)']],
    ['a short key beside a key that is a number: both told at once', V3('level: authPriv, authProtocol: SHA, authKey: shrtpw1, privProtocol: AES, privKey: 12345678'),
      ['credentials.core-v3.authKey: must be at least 8 characters (Net-SNMP refuses shorter pass phrases)',
        'credentials.core-v3.privKey: expected a string, got a number (quote it: YAML reads it as a number)']],
    ['a bad level beside a short key: the level told (what the keys need depends on it)', V3('level: authpriv, authProtocol: SHA, authKey: abc'),
      ['credentials.core-v3.level: expected one of noAuthNoPriv, authNoPriv, authPriv']],
    ['key the level does not use', V3('level: noAuthNoPriv, authKey: abcdefgh'),
      ['credentials.core-v3.authKey: not used by level noAuthNoPriv; use level authNoPriv or authPriv for authentication, or remove it']],
    ['bad level', V3('level: authpriv'), ['credentials.core-v3.level: expected one of noAuthNoPriv, authNoPriv, authPriv']],
    ['bad version', 'credentials: { a: { version: 4, community: x } }', ['credentials.a.version: expected 1, 2c or 3']],
    ['missing version', 'credentials: { a: { community: x } }', ['credentials.a.version: required (expected 1, 2c or 3)']],
    ['v3 key on a community profile', 'credentials: { a: { version: 2c, community: x, user: u } }', ['credentials.a.user: unknown key; expected one of version, community']],
    ['numeric community', 'credentials: { a: { version: 2c, community: 12345 } }', ['credentials.a.community: expected a string, got a number (quote it: YAML reads it as a number)']],
    ['unknown top-level key (typo)', 'device: []', ['device: unknown key; did you mean "devices"?']],
    ['unknown device key (typo)', DEV(', adress: x'), ['devices[0].adress: unknown key; did you mean "address"?']],
    ['unknown nested key', 'defaults: { icmp: { cuont: 3 } }', ['defaults.icmp.cuont: unknown key; did you mean "count"?']],
    ['missing address', 'credentials: { c: { version: 1, community: x } }\ndevices: [{ name: a, credentials: c }]', ['devices[0].address: required (expected string)']],
    ['bad address', DEV('').replace('127.0.0.1', '"not an address"'), ['devices[0].address: expected an IPv4 address, IPv6 address or host name, got a string of 14 characters']],
    ['bad port', DEV(', port: 70000'), ['devices[0].port: expected a port number (1-65535)']],
    ['bad interval', DEV(', interval: 30x'), ['devices[0].interval: expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a string of 3 characters']],
    ['duplicate device name', DEV('') + '  - { name: a, address: 127.0.0.2, credentials: c }\n', ['devices[1].name: duplicate device name "a" (also devices[0]; names are compared ignoring case)']],
    ['unknown profile', DEV(', profiles: [system, intrfaces]'), ['devices[0].profiles[1]: unknown poll profile "intrfaces"; did you mean "interfaces"?']],
    ['unknown default profile', 'defaults: { profiles: [sytem] }', ['defaults.profiles[0]: unknown poll profile "sytem"; did you mean "system"?']],
    ['profile shadows a built-in', 'profiles: { system: { measurement: x } }', ['profiles.system: shadows the built-in profile "system"; choose another name']],
    ['bad OID', 'profiles: { p: { measurement: m, scalars: [{ name: a, oid: ifHCInOctets }] } }',
      ['profiles.p.scalars[0].oid: expected a numeric OID like 1.3.6.1.2.1.1.3.0 or a MIB name like IF-MIB::ifHCInOctets, got a string of 12 characters']],
    ['bad column kind', 'profiles: { p: { measurement: m, tables: [{ name: t, columns: [{ name: a, oid: 1.3.6.1, as: value }] }] } }',
      ['profiles.p.tables[0].columns[0].as: expected one of tag, field']],
    ['bad listen', 'api: { listen: "localhost" }', ['api.listen: expected host:port or [ipv6]:port like "127.0.0.1:8080" or "[::1]:1162", got a string of 9 characters']],
    ['snmpThreads negative', 'defaults: { snmpThreads: -1 }', [expect.stringMatching(/^defaults\.snmpThreads: /)]],
    ['snmpThreads too many', 'defaults: { snmpThreads: 17 }', [expect.stringMatching(/^defaults\.snmpThreads: /)]],
    ['snmpThreads a word', 'defaults: { snmpThreads: many }', ['defaults.snmpThreads: expected auto, or a whole number of threads from 0 to 16 (0: all on the main thread)']],
    ['bad cron', 'topology: { schedule: "every day" }', ['topology.schedule: expected a cron expression like "0 3 * * *", got a string of 9 characters']],
    ['alerts.maxActive zero', 'alerts: { maxActive: 0 }', ['alerts.maxActive: expected a positive integer (at least 1)']],
    ['alerts.maxActive fractional', 'alerts: { maxActive: 2.5 }', ['alerts.maxActive: expected an integer, got a number']],
    ['alerts.maxActive not a number', 'alerts: { maxActive: lots }', ['alerts.maxActive: expected a number, got a string']],
    ['alerts.parentHold not a duration', 'alerts: { parentHold: soon }', ['alerts.parentHold: expected a duration like 500ms, 30s, 5m, 1h, got a string of 4 characters']],
    ['alerts.parentHold too long', 'alerts: { parentHold: 1h }', ['alerts.parentHold: expected at most 10m (it delays every real outage notification of devices with parents)']],
    ['bad influx url', 'storage: { influx: { url: "127.0.0.1:8086", database: n } }', ['storage.influx.url: expected an http(s) URL like http://127.0.0.1:8086']],
    ['YAML syntax error with line and column', 'devices:\n  - { name: a, address: 127.0.0.1\ncredentials: {}\n', expect.arrayContaining([expect.stringMatching(/^line 3, column \d+: /)])],
    ['duplicate YAML key', 'dataDir: a\ndataDir: b\n', [expect.stringMatching(/^line 2, column 1: Map keys must be unique/)]],
    ['top level not a mapping', '- a\n- b\n', ['(top level): expected a mapping of sections (credentials, devices, ...)']],
  ])('%s', (_name, yaml, expected) => {
    expect(problems(yaml)).toEqual(expected);
  });

  it('reports every problem at once, one line each', () => {
    const p = problems(DEV(', port: 0, interval: soon') + 'defaults: { retries: -1 }\n');
    expect(p).toHaveLength(3);
    expect(p.map((l) => l.slice(0, l.indexOf(':')))).toEqual(expect.arrayContaining(['devices[0].port', 'devices[0].interval', 'defaults.retries']));
  });
});

describe('environment substitution', () => {
  it('replaces ${NAME} anywhere in a string, keeps $${NAME} literal', () => {
    const c = parseConfig('credentials: { c: { version: 2c, community: "pre-${A}-${B}-$${A}" } }', '', { A: 'x', B: 'y' });
    expect(c.credentials.c).toEqual({ version: '2c', community: 'pre-x-y-${A}' });
  });

  it('names the field and the variable when one is missing, without follow-on noise', () => {
    expect(problems(ISSUE_YAML, { CORE_AUTH: 'core-auth-secret' })).toEqual(['credentials.core-v3.privKey: environment variable CORE_PRIV is not set']);
  });

  it('rejects malformed references', () => {
    expect(problems('dataDir: "${1BAD}"')).toEqual(['dataDir: "${1BAD}" is not a valid environment variable reference (use ${NAME} with letters, digits, _)']);
  });
});

describe('secrets never appear in error messages', () => {
  const SECRETS = ['s3cr3t-community', 'auth-s3cr3t-key', 'priv-s3cr3t-key', 'shrt', '98765432'];
  it.each([
    ['bad sibling field', 'credentials: { c: { version: 2c, community: s3cr3t-community, extra: 1 } }'],
    ['too short keys', V3('level: authPriv, authProtocol: SHA, authKey: shrt, privProtocol: AES, privKey: shrt')],
    ['unsupported protocol next to keys', V3('level: authPriv, authProtocol: SHA, authKey: auth-s3cr3t-key, privProtocol: AES-192, privKey: priv-s3cr3t-key')],
    ['secret of the wrong type', 'credentials: { c: { version: 2c, community: 98765432 } }'],
    ['secret under the wrong level', V3('level: noAuthNoPriv, authProtocol: SHA, authKey: auth-s3cr3t-key')],
    ['secret from the environment', 'credentials: { c: { version: 2c, community: "${COMM}", bogus: 1 } }\ndevices: [{ name: a, address: "${COMM}", credentials: c }]'],
    ['YAML error next to a secret', 'credentials: { c: { version: 2c, community: s3cr3t-community }\nx: [auth-s3cr3t-key\n'],
  ])('%s', (_name, yaml) => {
    const p = problems(yaml, { COMM: 's3cr3t-community' });
    expect(p.length).toBeGreaterThan(0);
    for (const line of p) for (const s of SECRETS) expect(line).not.toContain(s);
  });
});

describe('defaults.snmpThreads', () => {
  it.each([['auto', 'auto'], ['0', 0], ['3', 3], ['16', 16]])('accepts %s', (text, value) => {
    expect(parseConfig(`defaults: { snmpThreads: ${text} }`, '').defaults.snmpThreads).toBe(value);
  });
});
