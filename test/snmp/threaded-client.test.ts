/**
 * The SNMP client spread over SNMP threads (threaded-client.ts) against REAL snmpd agents:
 * the same varbinds, rows and errors as the single-thread client, agents spread over threads,
 * and a thread that dies fails its operations, not the process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetpulseError } from '../../src/errors/index.ts';
import type { Credential } from '../../src/model/credentials.ts';
import { createSnmpClient, type NetpulseSnmpClient } from '../../src/snmp/client.ts';
import { SnmpWalkError } from '../../src/snmp/errors.ts';
import { autoSnmpThreads, stopSnmpThreads } from '../../src/snmp/threaded-client.ts';
import type { SnmpTarget, Varbind } from '../../src/snmp/types.ts';
import { freeUdpPort, startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';

const v3: Credential = { version: '3', user: 'ops', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'auth-pass-t', privProtocol: 'AES-256', privKey: 'priv-pass-t' };
const v2: Credential = { version: '2c', community: 'thr-community' };

let agents: SnmpdHandle[] = [];
let threaded: NetpulseSnmpClient;
let single: NetpulseSnmpClient;

const target = (agent: { port: number }, credential: Credential, extra: Partial<SnmpTarget> = {}): SnmpTarget => ({
  address: '127.0.0.1', port: agent.port, credential, timeoutMs: 1000, retries: 1, maxRepetitions: 25, ...extra,
});
/** what does not change between two reads of this busy machine's agent */
const stable = (vbs: Varbind[]) => vbs.map((v) => (v.type === 'TimeTicks' || v.type.startsWith('Counter') ? { oid: v.oid, type: v.type } : v));

beforeAll(async () => {
  agents = await Promise.all([0, 1, 2, 3].map((i) => startSnmpd({
    versions: ['2c', '3'], community: 'thr-community', sysName: `thr-${i}`,
    users: [{ name: 'ops', authProtocol: 'SHA-256', authKey: 'auth-pass-t', privProtocol: 'AES-256', privKey: 'priv-pass-t' }],
  })));
  threaded = createSnmpClient({ threads: 2, maxConcurrency: 8, maxSockets: 1 });
  single = createSnmpClient({ maxConcurrency: 8 });
});

afterAll(async () => {
  await threaded?.close();
  await single?.close();
  await stopSnmpThreads();
  await Promise.all(agents.map((a) => a.stop()));
});

describe.each([['v2c', v2], ['v3 authPriv SHA-256/AES-256', v3]])('%s: the same answers as the single-thread client', (_, cred) => {
  it('get, with a missing object and a Counter64', async () => {
    const oids = ['1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.1.99.0', '1.3.6.1.2.1.31.1.1.1.6.1'];
    const [a, b] = [await threaded.get(target(agents[0], cred), oids), await single.get(target(agents[0], cred), oids)];
    expect(a[0]).toEqual({ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: Buffer.from('thr-0') });
    expect(Buffer.isBuffer(a[0].value)).toBe(true);
    expect(a[1].type).toBe('NoSuchObject');
    expect(a[2].type).toBe('Counter64');
    expect(typeof a[2].value).toBe('bigint');
    expect(stable(a)).toEqual(stable(b));
  });

  it('a walk of the system and interfaces groups', async () => {
    for (const root of ['1.3.6.1.2.1.1', '1.3.6.1.2.1.2']) {
      const [a, b] = [await threaded.walk(target(agents[1], cred), root), await single.walk(target(agents[1], cred), root)];
      expect(a.length).toBeGreaterThan(5);
      expect(stable(a)).toEqual(stable(b));
    }
  });

  it('table() rows of ifTable and ifXTable columns', async () => {
    const cols = ['1.3.6.1.2.1.2.2.1.2', '1.3.6.1.2.1.2.2.1.3', '1.3.6.1.2.1.31.1.1.1.1', '1.3.6.1.2.1.31.1.1.1.6'];
    const [a, b] = [await threaded.table(target(agents[2], cred), cols), await single.table(target(agents[2], cred), cols)];
    expect(a.length).toBeGreaterThan(0);
    expect(a.map((r) => [r.index, [...r.values.keys()]])).toEqual(b.map((r) => [r.index, [...r.values.keys()]]));
    expect(a[0].values.get('1.3.6.1.2.1.2.2.1.2')?.value).toEqual(b[0].values.get('1.3.6.1.2.1.2.2.1.2')?.value);
  });
});

describe('errors keep their class, kind and text', () => {
  const same = async (t: SnmpTarget, op: (c: NetpulseSnmpClient) => Promise<unknown>) => {
    const [a, b] = await Promise.all([op(threaded).then(() => undefined, (e) => e), op(single).then(() => undefined, (e) => e)]);
    expect(a).toBeInstanceOf(NetpulseError);
    expect([a.constructor, a.kind, a.message]).toEqual([b.constructor, b.kind, b.message]);
    return a as NetpulseError;
  };

  it('a wrong v3 auth password is an auth failure', async () => {
    const t = target(agents[0], { ...v3, authKey: 'wrong-pass-t' });
    const e = await same(t, (c) => c.get(t, ['1.3.6.1.2.1.1.5.0']));
    expect(e.kind).toBe('auth');
  });

  it('a wrong community is a timeout', async () => {
    const t = target(agents[0], { version: '2c', community: 'wrong' }, { timeoutMs: 200, retries: 0 });
    expect((await same(t, (c) => c.get(t, ['1.3.6.1.2.1.1.5.0']))).kind).toBe('timeout');
  });

  it('a bad OID is the caller\'s error', async () => {
    const t = target(agents[0], v2);
    expect((await same(t, (c) => c.walk(t, '1.3.x'))).kind).toBe('config');
  });

  it('a walk cap keeps what was read', async () => {
    const t = target(agents[3], v3);
    const e = await same(t, (c) => c.walk(t, '1.3.6.1.2.1', { maxVarbinds: 30 }));
    expect(e).toBeInstanceOf(SnmpWalkError);
    expect((e as SnmpWalkError).partial).toHaveLength(30);
    expect((e as SnmpWalkError).partial[0].oid).toBe('1.3.6.1.2.1.1.1.0');
  });
});

it('agents are spread over the threads, each thread with its own sockets', async () => {
  const c = createSnmpClient({ threads: 2, maxSockets: 1 });
  try {
    const names = await Promise.all(agents.map((a) => c.get(target(a, v3), ['1.3.6.1.2.1.1.5.0'])));
    expect(names.map((n) => String(n[0].value))).toEqual(['thr-0', 'thr-1', 'thr-2', 'thr-3']);
    expect(c.stats()).toMatchObject({ sockets: 2, sessions: 4, active: 0, queued: 0 });
  } finally {
    await c.close();
  }
});

it('operations on a closed client are refused', async () => {
  const c = createSnmpClient({ threads: 2 });
  await c.get(target(agents[0], v2), ['1.3.6.1.2.1.1.5.0']);
  await c.close();
  await c.close();
  await expect(c.get(target(agents[0], v2), ['1.3.6.1.2.1.1.5.0'])).rejects.toThrow(/the SNMP client is closed/);
});

it('a thread that stops fails its operations in flight; the next operation gets a new thread', async () => {
  const silent = await freeUdpPort();
  const c = createSnmpClient({ threads: 1 });
  try {
    await c.get(target(agents[0], v2), ['1.3.6.1.2.1.1.5.0']);
    const inFlight = c.walk({ ...target({ port: silent }, v2), timeoutMs: 30_000, retries: 0 }, '1.3.6.1'); // fails by the stop, never by its timeout
    const failed = expect(inFlight).rejects.toThrow(new RegExp(`snmp: agent 127\\.0\\.0\\.1:${silent}: walk 1\\.3\\.6\\.1: the SNMP thread stopped`));
    await new Promise((r) => setTimeout(r, 50));
    await stopSnmpThreads();
    await failed;
    const [vb] = await c.get(target(agents[0], v2), ['1.3.6.1.2.1.1.5.0']);
    expect(String(vb.value)).toBe('thr-0');
  } finally {
    await c.close();
  }
});

describe('snmpThreads: auto', () => {
  it.each([[1, 0], [2, 2], [3, 3], [4, 4], [8, 4], [64, 4]])('%i cores: %i SNMP threads', (cores, threads) => {
    expect(autoSnmpThreads(cores)).toBe(threads);
  });
});
