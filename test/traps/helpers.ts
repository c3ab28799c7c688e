import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecurityLevel, V3Credential } from '../../src/model/credentials.ts';
import { deriveUserKeys, encodeV3 } from '../../src/snmp/wire/index.ts';

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

export async function waitFor<T>(f: () => T | undefined, timeoutMs = 20_000, what = 'condition'): Promise<T> {
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

/** a v3 TrapV2 (sysUpTime.0, snmpTrapOID.0 `oid`) from `engineId` with its clock; keyed unless noAuthNoPriv */
export function v3Trap(cred: V3Credential | { user: string; level: SecurityLevel }, engineId: Buffer, boots: number, time: number, oid: string): Buffer {
  return encodeV3({
    msgId: 1, reportable: false, level: cred.level, engineId, engineBoots: boots, engineTime: time, userName: cred.user,
    keys: cred.level === 'noAuthNoPriv' ? undefined : deriveUserKeys(cred as V3Credential, engineId),
    scopedPdu: {
      contextEngineId: engineId, contextName: Buffer.alloc(0),
      pdu: { type: 'TrapV2', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [
        { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 1 },
        { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: oid },
      ] },
    },
  });
}
