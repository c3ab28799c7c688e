/**
 * Agents addressed by a host name whose lookup never answers (a dead DNS), with node:dns/promises
 * replaced by a DNS the test answers by hand (no DNS traffic): the operation fails after the
 * process's name-lookup timeout, other agents (a REAL snmpd on loopback) are polled meanwhile,
 * and the SNMP client and its threads share ICMP's resolver (one cache, one set of slots).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NetpulseError } from '../../src/errors/index.ts';
import type { Credential } from '../../src/model/credentials.ts';
import type { SnmpTarget } from '../../src/snmp/types.ts';
import { startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';

const dns = vi.hoisted(() => {
  const calls: string[] = [];
  /** names answered at once; any other name's lookup hangs until `answer` or `giveUp` */
  const known: Record<string, string> = { 'agent.test': '127.0.0.1', 'twin.test': '127.0.0.1' };
  const hung = new Map<string, { resolve: (a: { address: string; family: number }) => void; reject: (e: Error) => void }[]>();
  return {
    calls,
    lookup(name: string): Promise<{ address: string; family: number }> {
      calls.push(name);
      if (known[name]) return Promise.resolve({ address: known[name], family: 4 });
      return new Promise((resolve, reject) => hung.set(name, [...(hung.get(name) ?? []), { resolve, reject }]));
    },
    /** the system resolver answers `name`'s hung lookup with `address` */
    answer(name: string, address: string): void {
      known[name] = address;
      for (const w of hung.get(name) ?? []) w.resolve({ address, family: 4 });
      hung.delete(name);
    },
    /** the system resolver gives up on `name` (resolv.conf timeout x attempts): its lookup slot frees */
    giveUp(name: string): void {
      for (const w of hung.get(name) ?? []) w.reject(Object.assign(new Error(`getaddrinfo EAI_AGAIN ${name}`), { code: 'EAI_AGAIN' }));
      hung.delete(name);
    },
  };
});
vi.mock('node:dns/promises', () => ({ lookup: (name: string) => dns.lookup(name) }));

const { createSnmpClient } = await import('../../src/snmp/client.ts');
const { stopSnmpThreads } = await import('../../src/snmp/threaded-client.ts');
const { resolveHosts } = await import('../../src/icmp/resolve.ts');

const cred: Credential = { version: '2c', community: 'dead-name-comm' };
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
const lookupsOf = (name: string) => dns.calls.filter((c) => c === name).length;

let agent: SnmpdHandle;
const target = (address: string, port = agent.port): SnmpTarget => ({ address, port, credential: cred, timeoutMs: 1000, retries: 0, maxRepetitions: 10 });

/** the operation's error, or 'answered' */
const failure = (p: Promise<unknown>) => p.then(() => 'answered' as const, (err: unknown) => err);
const timedOut = (name: string) => new RegExp(`^snmp: agent ${name.replace(/\./g, '\\.')}:161: get ${SYS_NAME.replace(/\./g, '\\.')}: name lookup: no answer within 2000 ms`);

beforeAll(async () => {
  agent = await startSnmpd({ versions: ['2c'], community: 'dead-name-comm', sysName: 'dead-name-agent' });
});

afterAll(async () => {
  await stopSnmpThreads();
  await agent?.stop();
});

describe.each([
  ['on the calling thread', 0],
  ['on SNMP threads (names are looked up on the main thread)', 1],
])('an agent whose name does not answer, %s', (_, threads) => {
  it('fails with the lookup timeout while an agent by address and one by a known name are polled', async () => {
    const client = createSnmpClient({ threads });
    const dead = `dead-${threads}.test`;
    try {
      // a name looked up before the dead one: its address is cached
      const byName = await client.get(target('agent.test'), [SYS_NAME]);
      expect(String(byName[0].value)).toBe('dead-name-agent');
      const deadGet = failure(client.get(target(dead, 161), [SYS_NAME]));
      const [literal, named] = await Promise.all([client.get(target('127.0.0.1'), [SYS_NAME]), client.get(target('agent.test'), [SYS_NAME])]);
      expect(String(literal[0].value)).toBe('dead-name-agent');
      expect(String(named[0].value)).toBe('dead-name-agent');
      const err = await deadGet;
      expect(err).toBeInstanceOf(NetpulseError);
      expect((err as NetpulseError).message).toMatch(timedOut(dead));
      expect((err as NetpulseError).kind).toBe('config');
      // the failure is cached: the next poll fails at once, without a second lookup while the first hangs
      const again = await failure(client.get(target(dead, 161), [SYS_NAME]));
      expect((again as Error).message).toMatch(timedOut(dead));
      expect(lookupsOf(dead)).toBe(1);
      expect(lookupsOf('agent.test')).toBe(1);
    } finally {
      dns.giveUp(dead);
      await client.close();
    }
  });
});

describe('one resolver for ICMP and SNMP', () => {
  it('a name ICMP and an SNMP thread both want is looked up once, and both get its timeout', async () => {
    const client = createSnmpClient({ threads: 1 });
    const dead = 'shared-dead.test';
    try {
      const [icmp, snmpErr] = await Promise.all([resolveHosts([dead]), failure(client.get(target(dead, 161), [SYS_NAME]))]);
      expect(icmp.get(dead)).toEqual({ error: expect.stringMatching(/^icmp: host shared-dead\.test: name did not resolve: no answer within 2000 ms/) });
      expect((snmpErr as Error).message).toMatch(timedOut(dead));
      expect(lookupsOf(dead)).toBe(1);
    } finally {
      dns.giveUp(dead);
      await client.close();
    }
  });
});

describe('an agent by name and by its address, on SNMP threads', () => {
  it('is one agent: one thread, one session (placement and limits follow the looked-up address)', async () => {
    const client = createSnmpClient({ threads: 2 });
    try {
      const literal = await client.get(target('127.0.0.1'), [SYS_NAME]);
      const named = await client.get(target('twin.test'), [SYS_NAME]);
      expect([String(literal[0].value), String(named[0].value)]).toEqual(['dead-name-agent', 'dead-name-agent']);
      // placed by name, the name went to the other thread: a second session (and v3 engine) for one agent
      expect(client.stats().sessions).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe.each([['on the calling thread', 0], ['on SNMP threads', 1]])('a client closed while an agent\'s name is looked up, %s', (_, threads) => {
  it('fails that operation as closed once the name answers (nothing is sent, no thread opens a client again)', async () => {
    const client = createSnmpClient({ threads });
    const late = `late-${threads}.test`;
    const get = failure(client.get(target(late), [SYS_NAME]));
    await vi.waitFor(() => expect(lookupsOf(late)).toBe(1), { timeout: 10_000 });
    await client.close();
    dns.answer(late, '127.0.0.1');
    const err = await get;
    expect(err).toBeInstanceOf(NetpulseError);
    expect((err as NetpulseError).message).toMatch(/^snmp: agent late-\d\.test:\d+: get [\d.]+: the SNMP client is closed/);
    expect((err as NetpulseError).kind).toBe('config');
  });
});
