import { describe, expect, it } from 'vitest';
import { parseFpingOutput } from '../../src/icmp/fping-output.ts';
import { summarize } from '../../src/icmp/stats.ts';
import { splitBatches } from '../../src/icmp/fping-checker.ts';
import { fromPingResponse } from '../../src/icmp/ping-checker.ts';

const T = ['127.0.0.1', '127.0.0.2', '::1', 'nosuch.invalid'];

describe('parseFpingOutput', () => {
  it.each([
    ['all replies', '127.0.0.1 : 0.037 0.024 0.026', '127.0.0.1', { rtts: [0.037, 0.024, 0.026] }],
    ['padded name, IPv6', '::1       : 0.044 0.038 0.036', '::1', { rtts: [0.044, 0.038, 0.036] }],
    ['partial loss', '127.0.0.2 : 1.06 - 12.3', '127.0.0.2', { rtts: [1.06, null, 12.3] }],
    ['total loss', '127.0.0.2 : - - -', '127.0.0.2', { rtts: [null, null, null] }],
    ['integer RTT (>= 100 ms)', '127.0.0.1 : 123 99.8 -', '127.0.0.1', { rtts: [123, 99.8, null] }],
    ['no probe sent', '127.0.0.1 :', '127.0.0.1', { rtts: [] }],
    ['duplicate', '127.0.0.1 : duplicate for [0], 64 bytes, 0.030 ms\n127.0.0.1 : 0.03 0.02', '127.0.0.1', { rtts: [0.03, 0.02], duplicates: 1 }],
    ['duplicate from another address', '::1 : duplicate for [2], 64 bytes, 0.030 ms [<- ::2]', '::1', { rtts: undefined, duplicates: 1 }],
    ['host unreachable', 'ICMP Host Unreachable from 127.0.0.254 for ICMP Echo sent to 127.0.0.2\n127.0.0.2 : - 0.5', '127.0.0.2', { rtts: [null, 0.5], icmpErrors: ['ICMP Host Unreachable from 127.0.0.254'] }],
    ['time exceeded', 'ICMP Time Exceeded from 127.0.0.254 for ICMP Echo sent to 127.0.0.1', '127.0.0.1', { icmpErrors: ['ICMP Time Exceeded from 127.0.0.254'] }],
    ['unreachable with code text', 'ICMP Unreachable (Communication Administratively Prohibited) from 127.0.0.254 for ICMP Echo sent to ::1', '::1', { icmpErrors: ['ICMP Unreachable (Communication Administratively Prohibited) from 127.0.0.254'] }],
    ['resolution failure', 'nosuch.invalid: Name or service not known', 'nosuch.invalid', { rtts: undefined, warnings: ['Name or service not known'] }],
    ['send error on IPv6', '::1: error while sending ping: Network is unreachable', '::1', { warnings: ['error while sending ping: Network is unreachable'] }],
  ])('%s', (_name, stderr, host, expected) => {
    const out = parseFpingOutput(stderr, T).hosts.get(host)!;
    expect(out).toMatchObject(expected);
  });

  it('keeps lines naming no target apart (fatal errors)', () => {
    const out = parseFpingOutput("fping: can't create socket (must run as root?)\n\n127.0.0.9 : 0.1", T);
    expect(out.other).toEqual(["fping: can't create socket (must run as root?)", '127.0.0.9 : 0.1']);
    expect([...out.hosts.values()].every((h) => h.rtts === undefined)).toBe(true);
  });
});

describe('summarize', () => {
  it.each([
    ['all received', [1, 2, 4], { sent: 3, received: 3, rttMinMs: 1, rttAvgMs: 2.333, rttMaxMs: 4, jitterMs: 1.5, lossPct: 0, up: true }],
    ['lost probe skipped for jitter', [1, null, 4], { sent: 3, received: 2, rttAvgMs: 2.5, jitterMs: 3, lossPct: 33.333, up: true }],
    ['single reply: no jitter', [null, 5, null], { received: 1, jitterMs: null, lossPct: 66.667, up: true }],
    ['all lost', [null, null, null], { received: 0, rttMinMs: null, rttAvgMs: null, jitterMs: null, lossPct: 100, up: false }],
  ])('%s', (_n, rtts, expected) => {
    expect(summarize('h', 'h', rtts)).toMatchObject(expected);
  });
});

describe('splitBatches', () => {
  it('splits by argument bytes and keeps order', () => {
    const hosts = Array.from({ length: 10 }, (_, i) => `127.0.0.${i + 1}`);
    const batches = splitBatches(hosts, 40);
    expect(batches.flat()).toEqual(hosts);
    for (const b of batches) expect(b.join(' ').length + 1).toBeLessThanOrEqual(40);
    expect(batches.length).toBeGreaterThan(1);
  });
});

describe('fromPingResponse (ping package fallback)', () => {
  it.each([
    ['alive', { alive: true, times: [0.05, 0.07], packetLoss: '33.333', output: '' }, { sent: 3, received: 2, up: true, jitterMs: 0.02 }],
    ['dead', { alive: false, times: [], packetLoss: '100.000', output: '' }, { sent: 3, received: 0, up: false, lossPct: 100 }],
    ['failed to run', { alive: false, times: [], packetLoss: 'unknown', output: 'ping: socket: Operation not permitted\n' }, { up: false, icmpErrors: ['ping: socket: Operation not permitted'] }],
  ])('%s', (_n, res, expected) => {
    expect(fromPingResponse('h', '127.0.0.1', 3, res)).toMatchObject(expected);
  });
});

describe('icmpSample and FakeIcmpChecker', () => {
  it('turns results into the icmp measurement of the schema (integers as bigint)', async () => {
    const { FakeIcmpChecker, icmpSample } = await import('../../src/icmp/index.ts');
    const fake = new FakeIcmpChecker({ '127.0.0.1': [0.5, null, 1.5] });
    const r = await fake.check(['127.0.0.1', '127.0.0.9'], { count: 3 });
    expect(icmpSample('edge1', r.get('127.0.0.1')!, 1000)).toEqual({
      measurement: 'icmp', tags: { device: 'edge1', address: '127.0.0.1' }, time: 1000,
      fields: { sent: 3n, received: 2n, loss_pct: 33.333, up: 1n, rtt_min_ms: 0.5, rtt_avg_ms: 1, rtt_max_ms: 1.5, jitter_ms: 1 },
    });
    expect(icmpSample('x', r.get('127.0.0.9')!, 1).fields).toEqual({ sent: 3n, received: 0n, loss_pct: 100, up: 0n });
    expect(fake.calls).toEqual([{ hosts: ['127.0.0.1', '127.0.0.9'], opts: { count: 3 } }]);
  });
});
