/**
 * The SNMP client against REAL snmpd agents (test/peers/snmpd.ts): one v1-only, one
 * v2c-only, one v3 authPriv (SHA-256/AES-256, plus AES-256-C and DES users), one v3
 * authNoPriv SHA-512. Full walks are compared with Net-SNMP's snmpbulkwalk.
 */
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../src/model/credentials.ts';
import { createSnmpClient, type NetpulseSnmpClient } from '../../src/snmp/client.ts';
import { formatValue } from '../../src/snmp/format.ts';
import type { SnmpTarget } from '../../src/snmp/types.ts';
import { freeUdpPort, startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';

const run = promisify(execFile);
const BULKWALK = '/usr/bin/snmpbulkwalk';
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
/** tables that change with every process and socket on this shared machine */
/** gauges of this busy host that can move and move back between three walks: compared by type only */
// values that move between walks, type kept (nsCacheStatus: a table cache goes active/expired with its timeout)
const FLUCTUATING = ['1.3.6.1.4.1.8072.1.5.3.1.3.', '1.3.6.1.2.1.25.1.', '1.3.6.1.2.1.25.2.', '1.3.6.1.2.1.25.3.3.', '1.3.6.1.4.1.2021.4.', '1.3.6.1.4.1.2021.9.', '1.3.6.1.4.1.2021.10.', '1.3.6.1.4.1.2021.11.', '1.3.6.1.4.1.2021.13.15.'];
const typeOf = (v: string | undefined) => v?.split(':')[0];
const VOLATILE = ['.1.3.6.1.2.1.25.4', '.1.3.6.1.2.1.25.5', '.1.3.6.1.2.1.6.13', '.1.3.6.1.2.1.6.19', '.1.3.6.1.2.1.7.5', '.1.3.6.1.2.1.7.7'];

const u256: Credential = { version: '3', user: 'ops256', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'auth-pass-256', privProtocol: 'AES-256', privKey: 'priv-pass-256' };
const u256c: Credential = { version: '3', user: 'ops256c', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'auth-pass-256c', privProtocol: 'AES-256-C', privKey: 'priv-pass-256c' };
const udes: Credential = { version: '3', user: 'opsdes', level: 'authPriv', authProtocol: 'SHA', authKey: 'auth-pass-des', privProtocol: 'DES', privKey: 'priv-pass-des' };
const u512: Credential = { version: '3', user: 'ops512', level: 'authNoPriv', authProtocol: 'SHA-512', authKey: 'auth-pass-512' };

let v1: SnmpdHandle, v2: SnmpdHandle, v3priv: SnmpdHandle, v3auth: SnmpdHandle;
let client: NetpulseSnmpClient;

const target = (agent: { port: number }, credential: Credential, extra: Partial<SnmpTarget> = {}): SnmpTarget => ({
  address: '127.0.0.1', port: agent.port, credential, timeoutMs: 400, retries: 1, maxRepetitions: 25, ...extra,
});

beforeAll(async () => {
  expect(existsSync(BULKWALK), `${BULKWALK} missing: apt-get install -y snmp`).toBe(true);
  const started = await Promise.allSettled([
    startSnmpd({ versions: ['1'], community: 'v1-community', sysName: 'v1-sw' }),
    startSnmpd({ versions: ['2c'], community: 'v2-community', sysName: 'v2-sw', viewExcludes: VOLATILE }),
    startSnmpd({
      versions: ['3'], sysName: 'v3-sw',
      users: [
        { name: 'ops256', authProtocol: 'SHA-256', authKey: 'auth-pass-256', privProtocol: 'AES-256', privKey: 'priv-pass-256' },
        { name: 'ops256c', authProtocol: 'SHA-256', authKey: 'auth-pass-256c', privProtocol: 'AES-256-C', privKey: 'priv-pass-256c' },
        { name: 'opsdes', authProtocol: 'SHA', authKey: 'auth-pass-des', privProtocol: 'DES', privKey: 'priv-pass-des' },
      ],
    }),
    startSnmpd({ versions: ['3'], sysName: 'v3-auth-sw', users: [{ name: 'ops512', authProtocol: 'SHA-512', authKey: 'auth-pass-512' }] }),
  ]);
  const failed = started.find((s) => s.status === 'rejected');
  for (const s of started) if (s.status === 'fulfilled' && failed) await s.value.stop();
  if (failed) throw (failed as PromiseRejectedResult).reason;
  [v1, v2, v3priv, v3auth] = started.map((s) => (s as PromiseFulfilledResult<SnmpdHandle>).value);
  client = createSnmpClient({ maxConcurrency: 32, maxSockets: 4 });
});

afterAll(async () => {
  await client?.close();
  await Promise.all([v1, v2, v3priv, v3auth].filter(Boolean).map((a) => a.stop()));
});

const text = (v: unknown) => (Buffer.isBuffer(v) ? v.toString() : v);

describe('each agent is read with its version', () => {
  it.each([
    ['v1', () => target(v1, { version: '1', community: 'v1-community' }), 'v1-sw'],
    ['v2c', () => target(v2, { version: '2c', community: 'v2-community' }), 'v2-sw'],
    ['v3 authPriv SHA-256/AES-256', () => target(v3priv, u256), 'v3-sw'],
    ['v3 authPriv SHA-256/AES-256-C (Reeder)', () => target(v3priv, u256c), 'v3-sw'],
    ['v3 authNoPriv SHA-512', () => target(v3auth, u512), 'v3-auth-sw'],
  ])('%s', async (_, t, name) => {
    const [vb, missing] = await client.get(t(), [SYS_NAME, '1.3.6.1.2.1.1.99.0']);
    expect(vb.type).toBe('OctetString');
    expect(text(vb.value)).toBe(name);
    expect(missing.type).toBe('NoSuchObject');
    const walked = await client.walk(t(), '1.3.6.1.2.1.1');
    expect(walked.find((v) => v.oid === SYS_NAME)?.value).toEqual(Buffer.from(name));
  });
});

describe('failures are classified', () => {
  it.each([
    ['wrong community', () => target(v2, { version: '2c', community: 'bad-community-x' }), 'timeout', /timeout after 1 retry/],
    ['v2c to the v1-only agent', () => target(v1, { version: '2c', community: 'v1-community' }), 'timeout', /timeout/],
    ['v1 to the v2c-only agent', () => target(v2, { version: '1', community: 'v2-community' }), 'timeout', /timeout/],
    ['wrong v3 auth password', () => target(v3priv, { ...u256, authKey: 'not-the-password' }), 'auth', /wrong digest/],
    ['wrong v3 priv password', () => target(v3priv, { ...u256, privKey: 'not-the-password' }), 'auth', /wrong priv password/],
    ['wrong v3 priv protocol', () => target(v3priv, { ...u256, privProtocol: 'AES' }), 'auth', /wrong priv password or priv protocol/],
    ['unknown v3 user', () => target(v3priv, { ...u256, user: 'nobody' }), 'auth', /unknown user name/],
    ['authPriv for an authNoPriv-only user', () => target(v3auth, { ...u512, level: 'authPriv', privProtocol: 'AES', privKey: 'priv-pass-x' }), 'auth', /unsupported security level/],
    ['AES-192', () => target(v3priv, { ...u256, privProtocol: 'AES-192' as never }), 'config', /AES-192.*not supported/],
  ])('%s', async (_, t, kind, msg) => {
    const err = await client.get(t(), [SYS_NAME]).catch((e) => e);
    expect(err).toMatchObject({ name: 'NetpulseError', scope: 'snmp', kind });
    expect(err.message).toMatch(/^snmp: agent 127\.0\.0\.1:\d+: get 1\.3\.6\.1\.2\.1\.1\.5\.0: /);
    expect(err.message).toMatch(msg);
    for (const secret of ['not-the-password', 'auth-pass-256', 'priv-pass-256', 'auth-pass-512', 'priv-pass-x', 'bad-community-x', 'v1-community', 'v2-community']) {
      expect(err.message).not.toContain(secret);
    }
  });

  it('a closed port is a timeout', async () => {
    const port = await freeUdpPort();
    const err = await client.walk(target({ port }, { version: '2c', community: 'public' }, { retries: 0 }), '1.3.6.1.2.1.2').catch((e) => e);
    expect(err).toMatchObject({ kind: 'timeout', target: `agent 127.0.0.1:${port}`, action: 'walk 1.3.6.1.2.1.2' });
  });

  it('a malformed response becomes that device\'s protocol error, not a crash', async () => {
    const liar = dgram.createSocket('udp4');
    await new Promise<void>((r) => liar.bind(0, '127.0.0.1', () => r()));
    liar.on('message', (_m, rinfo) => liar.send(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x09, 0xff]), rinfo.port, rinfo.address));
    try {
      const err = await client.get(target(liar.address(), { version: '2c', community: 'public' }, { retries: 0 }), [SYS_NAME]).catch((e) => e);
      expect(err).toMatchObject({ kind: 'protocol' });
      expect(err.message).toMatch(/malformed response/);
    } finally {
      liar.close();
    }
  });
});

/** `.OID = TYPE: value` blocks from snmpbulkwalk -On (values may span lines). */
function parseNetSnmp(out: string): Map<string, string> {
  const map = new Map<string, string>();
  let last: string | undefined;
  for (const line of out.split('\n')) {
    const m = /^\.([\d.]+) = (.*)$/.exec(line);
    // snmpbulkwalk also prints the endOfMibView that ends the walk, under the last OID
    if (m?.[2].startsWith('No more variables left')) continue;
    if (m) {
      last = m[1];
      map.set(last, m[2]);
    } else if (last !== undefined && line !== '') map.set(last, map.get(last) + '\n' + line);
  }
  return map;
}

async function netSnmpWalk(agent: SnmpdHandle, community: string, root: string): Promise<Map<string, string>> {
  const { stdout } = await run(BULKWALK, ['-v2c', '-c', community, '-On', '-Oe', '-m', '', '-Cr25', '-t', '2', '-r', '1', `127.0.0.1:${agent.port}`, root], {
    env: { ...process.env, MIBS: '', MIBDIRS: '/nonexistent' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseNetSnmp(stdout);
}

describe('a whole-agent walk matches snmpbulkwalk', () => {
  it('same OIDs and values, ignoring only what the agent changed between the two Net-SNMP walks', async () => {
    const before = await netSnmpWalk(v2, 'v2-community', '.1.3.6.1');
    const ours = await client.walk(target(v2, { version: '2c', community: 'v2-community' }, { timeoutMs: 2000 }), '1.3.6.1');
    const after = await netSnmpWalk(v2, 'v2-community', '.1.3.6.1');
    expect(ours.length).toBeGreaterThan(500);
    const mine = new Map(ours.map((vb) => [vb.oid, formatValue(vb)]));
    const problems: string[] = [];
    for (const oid of new Set([...before.keys(), ...after.keys(), ...mine.keys()])) {
      const a = before.get(oid), b = after.get(oid), m = mine.get(oid);
      const stable = a !== undefined && a === b;
      const fluctuating = FLUCTUATING.some((p) => oid.startsWith(p));
      if (stable && fluctuating && typeOf(m) !== typeOf(a)) problems.push(`${oid}: snmpbulkwalk type "${a}", netpulse "${m}"`);
      if (stable && !fluctuating && m !== a) problems.push(`${oid}: snmpbulkwalk "${a}", netpulse "${m}"`);
      if (a === undefined && b === undefined && m !== undefined) problems.push(`${oid}: only netpulse has it`);
      if (a !== undefined && b !== undefined && m === undefined) problems.push(`${oid}: netpulse lacks it`);
    }
    expect(problems).toEqual([]);
  });

  it('the v1 agent walks with GETNEXT to the end of its MIB', async () => {
    const vbs = await client.walk(target(v1, { version: '1', community: 'v1-community' }, { timeoutMs: 2000 }), '1.3.6.1.2.1.1');
    expect(vbs.length).toBeGreaterThan(5);
    // past the last object: v1 answers noSuchName, which ends the walk
    expect(await client.walk(target(v1, { version: '1', community: 'v1-community' }), '1.3.6.1.6.3.99.99')).toEqual([]);
  });

  it('table() groups ifTable columns by ifIndex on every version', async () => {
    const cols = ['1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.2', '1.3.6.1.2.1.2.2.1.10'];
    for (const t of [target(v1, { version: '1', community: 'v1-community' }), target(v2, { version: '2c', community: 'v2-community' }), target(v3priv, u256)]) {
      const rows = await client.table(t, cols);
      expect(rows.length).toBeGreaterThan(0);
      const lo = rows.find((r) => text(r.values.get(cols[1])?.value) === 'lo');
      expect(lo?.values.get(cols[0])?.value).toBe(Number(lo?.index));
      expect(lo?.values.get(cols[2])?.type).toBe('Counter32');
    }
  });
});

describe('scale: sockets stay bounded', () => {
  it('1,000 concurrent targets use at most maxSockets UDP sockets', async () => {
    const many = createSnmpClient({ maxConcurrency: 1000, maxSockets: 4 });
    try {
      const agents = [v2, v2, v3priv, v3auth];
      const creds: Credential[] = [{ version: '2c', community: 'v2-community' }, { version: '2c', community: 'v2-community' }, u256, u512];
      const closedPorts = await Promise.all(Array.from({ length: 10 }, () => freeUdpPort()));
      // 1,000 distinct targets: 990 silent ones (closed ports on 127.0.0.x) and the live agents
      const jobs = Array.from({ length: 1000 }, (_, i) => {
        if (i % 100 < 4) return many.get(target(agents[i % 4], creds[i % 4], { timeoutMs: 2000 }), [SYS_NAME]).then(() => 'ok');
        const t = target({ port: closedPorts[i % 10] }, { version: '2c', community: 'public' }, { address: `127.0.${(i >> 8) & 255}.${(i & 255) || 1}`, timeoutMs: 300, retries: 0 });
        return many.get(t, [SYS_NAME]).then(() => 'ok', (e) => e.kind);
      });
      let peak = 0;
      const timer = setInterval(() => (peak = Math.max(peak, many.stats().sockets)), 5);
      const results = await Promise.all(jobs);
      clearInterval(timer);
      expect(results.filter((r) => r === 'ok')).toHaveLength(40);
      expect(results.filter((r) => r === 'timeout')).toHaveLength(960);
      expect(Math.max(peak, many.stats().sockets)).toBeLessThanOrEqual(4);
    } finally {
      await many.close();
    }
  });
});

describe('netpulse CLI against real agents', () => {
  const cli = (args: string[]) =>
    run(process.execPath, ['--openssl-legacy-provider', 'bin/netpulse', ...args], { cwd: new URL('../..', import.meta.url).pathname }).then(
      (r) => ({ code: 0, ...r }),
      (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );

  it('bulkwalk prints exactly what snmpbulkwalk -On prints', async () => {
    const ours = await cli(['bulkwalk', '-v2c', '-c', 'v2-community', '-On', '-Cr25', `127.0.0.1:${v2.port}`, '.1.3.6.1.2.1.1']);
    const theirs = await netSnmpWalk(v2, 'v2-community', '.1.3.6.1.2.1.1');
    const expected = [...theirs].map(([oid, v]) => `.${oid} = ${v}`).join('\n') + '\n';
    const drop = (s: string) => s.replace(/^\.1\.3\.6\.1\.2\.1\.1\.3\.0 = .*\n/m, '');
    expect(ours.code).toBe(0);
    expect(drop(ours.stdout)).toBe(drop(expected));
  });

  it('get with v3 DES (Debian snmpd supports it; node needs --openssl-legacy-provider)', async () => {
    const r = await cli(['get', '-v3', '-u', 'opsdes', '-l', 'authPriv', '-a', 'SHA', '-A', 'auth-pass-des', '-x', 'DES', '-X', 'priv-pass-des', `127.0.0.1:${v3priv.port}`, '.1.3.6.1.2.1.1.5.0']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('.1.3.6.1.2.1.1.5.0 = STRING: "v3-sw"\n');
  });

  it('walk with v1 and a missing instance; errors go to stderr with a non-zero status', async () => {
    const ok = await cli(['walk', '-v1', '-c', 'v1-community', `127.0.0.1:${v1.port}`, '.1.3.6.1.2.1.1.5.0']);
    expect(ok.stdout).toBe('.1.3.6.1.2.1.1.5.0 = STRING: "v1-sw"\n');
    const bad = await cli(['get', '-v2c', '-c', 'wrong', '-t', '0.3', '-r', '0', `127.0.0.1:${v2.port}`, '.1.3.6.1.2.1.1.5.0']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^netpulse get: snmp: agent 127\.0\.0\.1:\d+: get 1\.3\.6\.1\.2\.1\.1\.5\.0: timeout after 0 retries\n$/);
    const usage = await cli(['get', '-v', '9', '127.0.0.1']);
    expect(usage.code).toBe(2);
  });
});
