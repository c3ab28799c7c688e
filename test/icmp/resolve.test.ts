/**
 * resolveHosts through the process-wide resolver, with node:dns/promises replaced by a DNS
 * whose answers the test gives by hand. Each test uses its own names: the cache is shared.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const dns = vi.hoisted(() => {
  const calls: string[] = [];
  const open = new Map<string, { resolve: (r: { address: string; family: number }) => void; reject: (e: Error) => void }[]>();
  return {
    calls,
    open,
    lookup(name: string) {
      calls.push(name);
      return new Promise((resolve, reject) => open.set(name, [...(open.get(name) ?? []), { resolve, reject }]));
    },
  };
});
vi.mock('node:dns/promises', () => ({ lookup: (name: string) => dns.lookup(name) }));

const { resolveHosts } = await import('../../src/icmp/resolve.ts');

async function settle(name: string, answer: string | { code: string }) {
  await vi.advanceTimersByTimeAsync(0);
  for (const o of dns.open.get(name) ?? []) {
    if (typeof answer === 'string') o.resolve({ address: answer, family: 4 });
    else o.reject(Object.assign(new Error(`getaddrinfo ${answer.code} ${name}`), { code: answer.code }));
  }
  dns.open.delete(name);
  await vi.advanceTimersByTimeAsync(0);
}

const lookupsOf = (name: string) => dns.calls.filter((c) => c === name).length;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('resolveHosts', () => {
  it('passes IP literals through and refuses names that could be fping options', async () => {
    const r = await resolveHosts(['127.0.0.1', '[::1]', '--help']);
    expect(Object.fromEntries(r)).toEqual({
      '127.0.0.1': { address: '127.0.0.1' },
      '[::1]': { address: '::1' },
      '--help': { error: 'icmp: host "--help": invalid host name or address' },
    });
    expect(dns.calls).toEqual([]);
  });

  it('looks a name up once for the batches that follow', async () => {
    const first = resolveHosts(['cached.example']);
    await settle('cached.example', '192.0.2.1');
    expect((await first).get('cached.example')).toEqual({ address: '192.0.2.1' });
    const second = resolveHosts(['cached.example']);
    await vi.advanceTimersByTimeAsync(0);
    expect(lookupsOf('cached.example')).toBe(1);
    expect((await second).get('cached.example')).toEqual({ address: '192.0.2.1' });
  });

  it('says that the name did not resolve, and remembers it briefly', async () => {
    const first = resolveHosts(['nosuch.example']);
    await settle('nosuch.example', { code: 'ENOTFOUND' });
    const error = 'icmp: host nosuch.example: name did not resolve: name not found (ENOTFOUND)';
    expect((await first).get('nosuch.example')).toEqual({ error });
    expect((await resolveHosts(['nosuch.example'])).get('nosuch.example')).toEqual({ error });
    expect(lookupsOf('nosuch.example')).toBe(1);
  });

  it('does not start a second lookup of a name still being resolved; its timeout is answered at once meanwhile', async () => {
    const first = resolveHosts(['slow.example']);
    await vi.advanceTimersByTimeAsync(2000);
    const error = 'icmp: host slow.example: name did not resolve: no answer within 2000 ms (lookup timed out; the system resolver is still trying)';
    expect((await first).get('slow.example')).toEqual({ error });
    expect((await resolveHosts(['slow.example'])).get('slow.example')).toEqual({ error });
    await settle('slow.example', '192.0.2.2');
    expect((await resolveHosts(['slow.example'])).get('slow.example')).toEqual({ address: '192.0.2.2' });
    expect(lookupsOf('slow.example')).toBe(1);
  });

  it('leaves one of libuv\'s name-lookup threads to the lookups that do not go through it', async () => {
    const dead = ['dead1.example', 'dead2.example', 'dead3.example', 'dead4.example'];
    const before = dns.calls.length;
    const batch = resolveHosts(dead);
    await vi.advanceTimersByTimeAsync(0);
    // libuv gives name lookups (pool + 1) / 2 threads, 2 by default; the resolver (ICMP and SNMP) takes all but one
    expect(dns.calls.length - before).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    const r = await batch;
    expect(r.get('dead1.example')).toEqual({
      error: 'icmp: host dead1.example: name did not resolve: no answer within 2000 ms (lookup timed out; the system resolver is still trying)',
    });
    expect((r.get('dead4.example') as { error: string }).error).toMatch(
      /^icmp: host dead4\.example: name did not resolve: no answer within 2000 ms, waiting for a lookup slot \(1 of 1 busy, 1 of them timed out, \d queued\)$/,
    );
    await settle('dead1.example', { code: 'EAI_AGAIN' });
  });
});
