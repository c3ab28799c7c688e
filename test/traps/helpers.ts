import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SNMPTRAP = '/usr/bin/snmptrap';

/** fails (never skips) when Net-SNMP's snmptrap is missing */
export function requireSnmptrap(): void {
  if (!existsSync(SNMPTRAP)) throw new Error(`${SNMPTRAP} is missing: apt-get install -y snmp (test/ensure-peers.sh)`);
}

const persist = mkdtempSync(join(tmpdir(), 'netpulse-snmptrap-'));

/** runs snmptrap with no system config or MIBs; resolves with exit code and stderr */
export function snmptrap(args: string[], timeoutMs = 15_000): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(SNMPTRAP, ['-m', '', '-M', '/dev/null', ...args], {
      timeout: timeoutMs,
      env: { ...process.env, SNMPCONFPATH: persist, SNMP_PERSISTENT_DIR: persist, MIBS: '' },
    }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr: String(stderr) });
    });
  });
}

export async function waitFor<T>(f: () => T | undefined, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** a UDP port on loopback that was free a moment ago */
export async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = s.address().port;
  s.close();
  return p;
}
