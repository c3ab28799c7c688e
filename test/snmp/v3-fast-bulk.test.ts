/**
 * The v3 GETBULK fast path (src/snmp/fast-bulk-v3.ts) against a REAL snmpd: after net-snmp's
 * discovery and first request, walks and tables go over the wire codec for every auth/priv
 * combination, and print exactly what snmpbulkwalk prints. MD5/DES runs through the CLI
 * (node needs --openssl-legacy-provider for net-snmp's DES; bin/netpulse passes it).
 * Reports (notInTimeWindow, unknown user, wrong digest) are in v3-reports.test.ts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V3Credential } from '../../src/model/credentials.ts';
import { createSnmpClient, type NetpulseSnmpClient } from '../../src/snmp/client.ts';
import { formatVarbind } from '../../src/snmp/format.ts';
import type { SnmpTarget } from '../../src/snmp/types.ts';
import { startSnmpd, type SnmpdHandle, type SnmpdUser } from '../peers/snmpd.ts';

const run = promisify(execFile);
const SYSTEM = '1.3.6.1.2.1.1';
const SYS_UPTIME_LINE = /^\.1\.3\.6\.1\.2\.1\.1\.3\.0 = .*\n/m;

const USERS: Array<SnmpdUser & { name: string; label: string; level: V3Credential['level'] }> = [
  { label: 'authPriv SHA-256/AES', name: 'f256', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'fast-auth-256', privProtocol: 'AES', privKey: 'fast-priv-256' },
  { label: 'authPriv SHA-512/AES-256', name: 'f512', level: 'authPriv', authProtocol: 'SHA-512', authKey: 'fast-auth-512', privProtocol: 'AES-256', privKey: 'fast-priv-512' },
  { label: 'authPriv SHA/AES-256-C', name: 'fshac', level: 'authPriv', authProtocol: 'SHA', authKey: 'fast-auth-shac', privProtocol: 'AES-256-C', privKey: 'fast-priv-shac' },
  { label: 'authNoPriv SHA-256', name: 'fnp', level: 'authNoPriv', authProtocol: 'SHA-256', authKey: 'fast-auth-np' },
  { label: 'authPriv MD5/DES', name: 'fdes', level: 'authPriv', authProtocol: 'MD5', authKey: 'fast-auth-des', privProtocol: 'DES', privKey: 'fast-priv-des' },
];

const credOf = (u: (typeof USERS)[number]): V3Credential => ({
  version: '3', user: u.name, level: u.level, authProtocol: u.authProtocol, authKey: u.authKey,
  privProtocol: u.privProtocol as V3Credential['privProtocol'], privKey: u.privKey,
});

/** snmpbulkwalk's command-line flags for a user */
const netSnmpFlags = (u: (typeof USERS)[number]) => [
  '-v3', '-u', u.name, '-l', u.level, '-a', u.authProtocol!, '-A', u.authKey!,
  ...(u.privProtocol ? ['-x', u.privProtocol, '-X', u.privKey!] : []),
];

let agent: SnmpdHandle;
let client: NetpulseSnmpClient;

beforeAll(async () => {
  agent = await startSnmpd({ versions: ['3'], sysName: 'v3-fast', users: USERS.map(({ label: _l, ...u }) => u) });
  client = createSnmpClient({ maxConcurrency: 8 });
});

afterAll(async () => {
  await client?.close();
  await agent?.stop();
});

const target = (u: (typeof USERS)[number], extra: Partial<SnmpTarget> = {}): SnmpTarget => ({
  address: '127.0.0.1', port: agent.port, credential: credOf(u), timeoutMs: 2000, retries: 1, maxRepetitions: 3, ...extra,
});

async function netSnmpWalk(flags: string[], root: string, reps: number): Promise<string> {
  const { stdout } = await run('/usr/bin/snmpbulkwalk', [...flags, '-On', '-m', '', `-Cr${reps}`, '-t', '2', '-r', '1', `127.0.0.1:${agent.port}`, `.${root}`], {
    env: { ...process.env, MIBS: '', MIBDIRS: '/nonexistent' },
  });
  return stdout.replace(SYS_UPTIME_LINE, '');
}

describe('v3 walks and tables go over the wire codec after discovery', () => {
  it.each(USERS.filter((u) => u.privProtocol !== 'DES').map((u) => [u.label, u] as const))('%s: walk prints what snmpbulkwalk prints', async (_label, u) => {
    const before = client.stats().wireBulkRequests;
    const ours = await client.walk(target(u), SYSTEM);
    const wire = client.stats().wireBulkRequests - before;
    // the first GETBULK of the session is net-snmp's (discovery, time sync); the rest are ours
    expect(wire).toBeGreaterThanOrEqual(Math.ceil(ours.length / 3) - 1);
    const printed = ours.map((vb) => formatVarbind(vb) + '\n').join('').replace(SYS_UPTIME_LINE, '');
    expect(printed).toBe(await netSnmpWalk(netSnmpFlags(u), SYSTEM, 3));
    // a cached session walks on the wire codec from its first request
    const again = await client.walk(target(u), SYSTEM);
    expect(client.stats().wireBulkRequests - before - wire).toBe(Math.ceil((again.length + 1) / 3));
  });

  it('table() over v3 authPriv groups ifTable columns by ifIndex', async () => {
    const cols = ['1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.2', '1.3.6.1.2.1.2.2.1.10'];
    const rows = await client.table(target(USERS[1]), cols);
    const lo = rows.find((r) => String(r.values.get(cols[1])?.value) === 'lo');
    expect(lo?.values.get(cols[0])?.value).toBe(Number(lo?.index));
    expect(lo?.values.get(cols[2])?.type).toBe('Counter32');
  });

  it('a whole-agent walk over v3 returns the same OIDs as snmpbulkwalk (allowing for the busy host)', async () => {
    const u = USERS[0];
    const ours = await client.walk(target(u, { maxRepetitions: 25 }), '1.3.6.1.2.1.2');
    const theirs = (await netSnmpWalk(netSnmpFlags(u), '1.3.6.1.2.1.2', 25)).split('\n').filter((l) => l.startsWith('.'));
    expect(ours.length).toBeGreaterThan(20);
    expect(ours.map((vb) => `.${vb.oid}`)).toEqual(theirs.map((l) => l.split(' = ')[0]));
  });

  it('MD5/DES through the CLI prints what snmpbulkwalk prints', async () => {
    const u = USERS.find((x) => x.privProtocol === 'DES')!;
    const r = await run(process.execPath, ['--openssl-legacy-provider', 'bin/netpulse', 'bulkwalk', ...netSnmpFlags(u), '-On', '-Cr3', `127.0.0.1:${agent.port}`, `.${SYSTEM}`], {
      cwd: new URL('../..', import.meta.url).pathname,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.replace(SYS_UPTIME_LINE, '')).toBe(await netSnmpWalk(netSnmpFlags(u), SYSTEM, 3));
  });
});
