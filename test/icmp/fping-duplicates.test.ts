/**
 * The real fping, run by FpingChecker through netns-fping.sh: in a private network namespace,
 * echo-responder.py answers 127.0.0.1 and ::1 twice per probe and 127.0.0.9 with ICMP Host
 * Unreachable. One fping child must report RTTs, duplicates and ICMP errors together.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FpingChecker } from '../../src/icmp/fping-checker.ts';

const wrapper = fileURLToPath(new URL('./netns-fping.sh', import.meta.url));

function netnsUnavailable(): string | undefined {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'needs root (unshare -n) and python3';
  }
}

const unavailable: string | undefined = netnsUnavailable();

describe('FpingChecker with a loopback that doubles replies', () => {
  it(`counts duplicates and keeps ICMP errors in the same batch`, async () => {
    // a missing tool is a failure that says what to install, never a skip
    if (unavailable) throw new Error(`this test ${unavailable} (bash test/ensure-peers.sh installs python3, iproute2, procps)`);
    const r = await new FpingChecker({ path: wrapper }).check(['127.0.0.1', '::1', '127.0.0.9'], { count: 3, periodMs: 20, timeoutMs: 5000 });
    for (const host of ['127.0.0.1', '::1']) {
      const x = r.get(host)!;
      expect(x.error, host).toBeUndefined();
      expect(x, host).toMatchObject({ sent: 3, received: 3, up: true, icmpErrors: [] });
      // the duplicate of the last probe may arrive after fping has exited
      expect(x.duplicates, host).toBeGreaterThanOrEqual(2);
      expect(x.duplicates, host).toBeLessThanOrEqual(3);
    }
    const dead = r.get('127.0.0.9')!;
    expect(dead).toMatchObject({ sent: 3, received: 0, up: false, duplicates: 0 });
    expect(dead.icmpErrors).toEqual(Array(3).fill('ICMP Host Unreachable from 127.0.0.254'));
  });
});
