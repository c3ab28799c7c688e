import { describe, expect, it } from 'vitest';
import { bearerToken, tokenMatcher } from '../../src/api/auth.ts';
import { renderMetrics } from '../../src/api/metrics-text.ts';
import { parseListen } from '../../src/api/server.ts';
import { isAddressOrHost } from '../../src/api/schemas/common.ts';
import { parseTime } from '../../src/api/time.ts';
import { snmpVersionStats } from '../../src/api/stats.ts';
import { toDot, toGraphml } from '../../src/api/topology-format.ts';
import type { DeviceView, CredentialSummary } from '../../src/api/services.ts';
import type { DeviceState } from '../../src/model/index.ts';

const NOW = Date.UTC(2026, 0, 1);

describe('parseTime', () => {
  it.each([
    ['now', NOW], ['-1h', NOW - 3_600_000], ['-15m', NOW - 900_000], ['-7d', NOW - 7 * 86_400_000], ['-500ms', NOW - 500],
    ['1767225600000', 1767225600000], ['2026-01-01T00:00:00Z', NOW], ['2026-01-01', NOW],
    ['yesterday', undefined], ['-1', undefined], ['-1x', undefined], ['', undefined], ['2026-13-45', undefined], ['-h', undefined],
  ])('%s → %s', (input, want) => expect(parseTime(input, NOW)).toBe(want));
});

describe('isAddressOrHost', () => {
  it.each([
    ['127.0.0.1', true], ['::1', true], ['fe80::1', true], ['localhost', true], ['sw1.lab.example', true], ['a-b', true],
    ['not an address!', false], ['-lead', false], ['a..b', false], ['', false], ['x'.repeat(64), false], ['127.0.0.1:161', false],
  ])('%s → %s', (input, want) => expect(isAddressOrHost(input)).toBe(want));
});

describe('bearerToken and tokenMatcher', () => {
  it.each([
    ['Bearer abc', 'abc'], ['bearer abc', 'abc'], ['Bearer  abc ', 'abc'], ['Basic abc', undefined], ['Bearer', undefined], ['Bearer a b', undefined], [undefined, undefined],
  ])('%s → %s', (header, want) => expect(bearerToken(header)).toBe(want));

  it.each([
    ['tok-a', true], ['tok-b', true], ['tok-', false], ['tok-aa', false], ['', false],
  ])('%s matches: %s', (candidate, want) => expect(tokenMatcher(['tok-a', 'tok-b', ''])(candidate)).toBe(want));
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }], ['[::1]:9000', { host: '::1', port: 9000 }],
    [':8080', { host: '127.0.0.1', port: 8080 }], ['8080', { host: '127.0.0.1', port: 8080 }], ['localhost:0', { host: 'localhost', port: 0 }],
  ])('%s', (input, want) => expect(parseListen(input)).toEqual(want));
  it.each(['127.0.0.1:99999', 'host:port', '::1:80', ''])('rejects %s', (input) => expect(() => parseListen(input)).toThrow(/api.listen/));
});

describe('renderMetrics', () => {
  it('renders families with escaped labels and skips invalid names', () => {
    const text = renderMetrics([
      { name: 'np_up', help: 'up\nnext', type: 'gauge', samples: [{ value: 1 }, { labels: { device: 'a"b\\c\nd' }, value: NaN }] },
      { name: 'bad name', help: 'x', type: 'counter', samples: [{ value: 1 }] },
      { name: 'np_total', help: 'total', type: 'counter', samples: [{ labels: { 'bad-label': 'x', reason: 'timeout' }, value: Infinity }] },
    ]);
    expect(text).toBe([
      '# HELP np_up up\\nnext', '# TYPE np_up gauge', 'np_up 1', 'np_up{device="a\\"b\\\\c\\nd"} NaN',
      '# HELP np_total total', '# TYPE np_total counter', 'np_total{reason="timeout"} +Inf', '',
    ].join('\n'));
  });
});

const dev = (name: string, state: DeviceState, snmp?: Partial<CredentialSummary>): DeviceView => ({
  name, address: '127.0.0.1', port: 161, credentials: 'c', profiles: [], intervalMs: 60000, profileIntervalsMs: {}, tags: {}, icmp: false, origin: 'api',
  snmp: snmp && ({ name: 'c', version: '2c', ...snmp } as CredentialSummary),
  status: { state, missedPolls: 0, consecutiveFailures: 0, recentErrors: [] },
});

describe('snmpVersionStats', () => {
  it.each([
    ['empty', [], { total: 0, v1: 0, v2c: 0, v3: 0 }],
    ['one of each', [dev('a', 'up', { version: '1' }), dev('b', 'down', { version: '2c' }), dev('c', 'up', { version: '3', level: 'noAuthNoPriv' })], { total: 3, v1: 1, v2c: 1, v3: 1 }],
    ['missing profile', [dev('a', 'up')], { total: 1, v1: 0, v2c: 0, v3: 0 }],
  ])('%s', (_n, devices, counts) => {
    const s = snmpVersionStats(devices);
    expect({ total: s.total.count, v1: s.v1.count, v2c: s.v2c.count, v3: s.v3.count }).toEqual(counts);
  });

  it('splits v3 by level and protocols, and each by state', () => {
    const s = snmpVersionStats([
      dev('a', 'up', { version: '3', level: 'authPriv', authProtocol: 'SHA-256', privProtocol: 'AES' }),
      dev('b', 'auth-failed', { version: '3', level: 'authPriv', authProtocol: 'SHA-256', privProtocol: 'AES-256' }),
      dev('c', 'unknown', { version: '3', level: 'authNoPriv', authProtocol: 'MD5' }),
      dev('d', 'snmp-unreachable', { version: '3', level: 'noAuthNoPriv' }),
    ]);
    expect(s.v3).toMatchObject({ count: 4, ok: 1, failing: 2, unknown: 1 });
    expect(s.v3.byLevel).toEqual({
      authPriv: { count: 2, ok: 1, failing: 1, unknown: 0 }, authNoPriv: { count: 1, ok: 0, failing: 0, unknown: 1 }, noAuthNoPriv: { count: 1, ok: 0, failing: 1, unknown: 0 },
    });
    expect(s.v3.byAuthProtocol).toEqual({ 'SHA-256': { count: 2, ok: 1, failing: 1, unknown: 0 }, MD5: { count: 1, ok: 0, failing: 0, unknown: 1 } });
    expect(s.v3.byPrivProtocol).toEqual({ AES: { count: 1, ok: 1, failing: 0, unknown: 0 }, 'AES-256': { count: 1, ok: 0, failing: 1, unknown: 0 } });
  });
});

describe('topology formats', () => {
  const g = {
    nodes: [{ id: 'a"1', label: 'A <1>', state: 'up' as const }, { id: 'b', label: 'B\u0001&' }],
    links: [{ id: 'l', source: 'a"1', target: 'b', sourcePort: 'Gi0/1', protocol: 'lldp' }],
  };
  it('writes DOT with quoted ids', () => {
    expect(toDot(g)).toBe('graph netpulse {\n  node [shape=box];\n  "a\\"1" [label="A <1>", state="up"];\n  "b" [label="B\u0001&"];\n  "a\\"1" -- "b" [label="Gi0/1", protocol="lldp"];\n}\n');
  });
  it('writes GraphML with escaped text and no control characters', () => {
    const x = toGraphml(g);
    expect(x).toContain('<node id="a&quot;1">');
    expect(x).toContain('<data key="label">A &lt;1&gt;</data>');
    expect(x).toContain('<data key="label">B&amp;</data>');
    expect(x).toContain('<edge id="l" source="a&quot;1" target="b">');
  });
});
