import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FpingChecker } from '../../src/icmp/fping-checker.ts';
import { detectIcmpEngine } from '../../src/icmp/engine.ts';

describe('FpingChecker against the real fping on loopback', () => {
  it('fping is installed (peer)', async () => {
    expect(existsSync('/usr/bin/fping'), 'fping missing: apt-get install fping (or run test/ensure-peers.sh)').toBe(true);
    const info = await detectIcmpEngine();
    expect(info.engine).toBe('fping');
    expect(info.version).toMatch(/^\d+\.\d+/);
  });

  it('checks 127.0.0.1, 127.0.0.2 and ::1 in one batch', async () => {
    const r = await new FpingChecker().check(['127.0.0.1', '127.0.0.2', '::1'], { count: 3, periodMs: 20, timeoutMs: 5000 });
    for (const host of ['127.0.0.1', '127.0.0.2', '::1']) {
      const x = r.get(host)!;
      expect(x.error).toBeUndefined();
      expect(x).toMatchObject({ host, address: host, sent: 3, received: 3, lossPct: 0, up: true });
      expect(x.rtts).toHaveLength(3);
      expect(x.rttMinMs!).toBeGreaterThan(0);
      expect(x.rttMinMs!).toBeLessThanOrEqual(x.rttAvgMs!);
      expect(x.rttAvgMs!).toBeLessThanOrEqual(x.rttMaxMs!);
      expect(x.jitterMs!).toBeGreaterThanOrEqual(0);
    }
  });

  it('gives a bad name its own error without failing the batch, and fans out duplicates', async () => {
    const r = await new FpingChecker().check(['nosuch.invalid', '127.0.0.1', 'localhost', '127.0.0.1', '--help'], { count: 2 });
    expect(r.size).toBe(4);
    expect(r.get('nosuch.invalid')).toMatchObject({ up: false, sent: 0 });
    expect(r.get('nosuch.invalid')!.error).toMatch(/^icmp: host nosuch\.invalid: name did not resolve: /);
    expect(r.get('--help')!.error).toMatch(/invalid host name/);
    expect(r.get('127.0.0.1')).toMatchObject({ up: true, sent: 2 });
    expect(r.get('localhost')).toMatchObject({ up: true, address: '127.0.0.1' });
  });

  it('splits a large list into several fping children', async () => {
    const hosts = Array.from({ length: 300 }, (_, i) => `127.0.${1 + (i >> 8)}.${(i & 255) || 1}`);
    const unique = [...new Set(hosts)];
    // two probes and a long timeout: one late reply on a loaded CI machine must not fail the split
    const r = await new FpingChecker({ maxArgBytes: 1024 }).check(unique, { count: 2, sendIntervalMs: 0, timeoutMs: 2000 });
    expect([...r.values()].filter((x) => x.up)).toHaveLength(unique.length);
  });

  it('reports a missing fping binary per host, not as a rejection', async () => {
    const r = await new FpingChecker({ path: '/nonexistent/fping' }).check(['127.0.0.1']);
    expect(r.get('127.0.0.1')!.error).toMatch(/^icmp: host 127\.0\.0\.1: fping: \/nonexistent\/fping not found/);
  });
});
