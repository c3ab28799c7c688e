import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NameResolver, type NameResolverOptions } from '../../src/icmp/name-resolver.ts';

/** A DNS whose answers the test gives by hand; lookups never end on their own. */
function fakeDns() {
  const calls: string[] = [];
  const open = new Map<string, { resolve: (r: { address: string }) => void; reject: (e: Error) => void }>();
  const lookup = (name: string) =>
    new Promise<{ address: string }>((resolve, reject) => {
      calls.push(name);
      open.set(name, { resolve, reject });
    });
  const settle = async (name: string, answer: string | { code: string }) => {
    await vi.advanceTimersByTimeAsync(0);
    const o = open.get(name);
    if (!o) throw new Error(`no lookup of ${name} is running (running: ${[...open.keys()].join(', ')})`);
    open.delete(name);
    if (typeof answer === 'string') o.resolve({ address: answer });
    else o.reject(Object.assign(new Error(`getaddrinfo ${answer.code} ${name}`), { code: answer.code }));
    await vi.advanceTimersByTimeAsync(0);
  };
  return { calls, lookup, settle };
}

let t = 0;
const make = (dns: ReturnType<typeof fakeDns>, opts: NameResolverOptions = {}) =>
  new NameResolver({ lookup: dns.lookup, now: () => t, maxConcurrent: 1, ...opts });
const NOT_FOUND = { cause: 'name not found (ENOTFOUND)' };

beforeEach(() => {
  vi.useFakeTimers();
  t = 0;
});
afterEach(() => vi.useRealTimers());

describe('NameResolver', () => {
  it('a lookup that answers no object or rejects with no Error is a failure, and gives its slot back', async () => {
    const odd: Record<string, () => Promise<{ address: string }>> = {
      'none.example': () => Promise.resolve(undefined as unknown as { address: string }),
      'null.example': () => Promise.reject(null),
      'ok.example': () => Promise.resolve({ address: '192.0.2.7' }),
    };
    const r = new NameResolver({ lookup: (name) => odd[name](), now: () => t, maxConcurrent: 1 });
    const answers = Promise.all(Object.keys(odd).map((name) => r.resolve(name, 2000)));
    await vi.advanceTimersByTimeAsync(0);
    expect((await answers).map((a) => ('cause' in a ? 'failed' : a.address))).toEqual(['failed', 'failed', '192.0.2.7']);
    expect(r.load).toEqual({ running: 0, queued: 0 });
  });

  it('keeps an address for positiveTtlMs, then serves it while it is looked up again', async () => {
    const dns = fakeDns();
    const r = make(dns);
    const first = r.resolve('a.example', 2000);
    await dns.settle('a.example', '192.0.2.1');
    expect(await first).toEqual({ address: '192.0.2.1' });
    t = 59_999;
    expect(await r.resolve('a.example', 2000)).toEqual({ address: '192.0.2.1' });
    expect(dns.calls).toEqual(['a.example']);
    t = 60_000;
    expect(await r.resolve('a.example', 2000)).toEqual({ address: '192.0.2.1' });
    expect(dns.calls).toEqual(['a.example', 'a.example']);
    await dns.settle('a.example', '192.0.2.2');
    expect(await r.resolve('a.example', 2000)).toEqual({ address: '192.0.2.2' });
  });

  it('serves an old address at most maxStaleMs past its TTL', async () => {
    const dns = fakeDns();
    const r = make(dns, { positiveTtlMs: 1000, maxStaleMs: 5000 });
    const first = r.resolve('a.example', 2000);
    await dns.settle('a.example', '192.0.2.1');
    await first;
    t = 5999;
    expect(await r.resolve('a.example', 2000)).toEqual({ address: '192.0.2.1' });
    t = 6000;
    const late = r.resolve('a.example', 2000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await late).toEqual({ cause: 'no answer within 2000 ms, the lookup is still running' });
  });

  it('repeats a failure for negativeTtlMs, then keeps it while the name is looked up again', async () => {
    const dns = fakeDns();
    const r = make(dns);
    const first = r.resolve('gone.example', 2000);
    await dns.settle('gone.example', { code: 'ENOTFOUND' });
    expect(await first).toEqual(NOT_FOUND);
    t = 9999;
    expect(await r.resolve('gone.example', 2000)).toEqual(NOT_FOUND);
    expect(dns.calls).toHaveLength(1);
    t = 10_000;
    expect(await r.resolve('gone.example', 2000)).toEqual(NOT_FOUND);
    expect(dns.calls).toHaveLength(2);
    await dns.settle('gone.example', '192.0.2.7');
    expect(await r.resolve('gone.example', 2000)).toEqual({ address: '192.0.2.7' });
  });

  it('looks a name up once for all callers, also after they gave up waiting', async () => {
    const dns = fakeDns();
    const r = make(dns);
    const callers = [r.resolve('slow.example', 2000), r.resolve('slow.example', 2000)];
    await vi.advanceTimersByTimeAsync(2000);
    for (const c of callers) expect(await c).toEqual({ cause: 'no answer within 2000 ms, the lookup is still running' });
    const again = r.resolve('slow.example', 2000);
    await dns.settle('slow.example', '192.0.2.3');
    expect(await again).toEqual({ address: '192.0.2.3' });
    expect(dns.calls).toEqual(['slow.example']);
  });

  it('runs at most maxConcurrent lookups and drops first lookups nobody waits for any more', async () => {
    const dns = fakeDns();
    const r = make(dns, { maxConcurrent: 2 });
    const waits = ['d1', 'd2', 'd3', 'd4'].map((n) => r.resolve(n, 2000));
    await vi.advanceTimersByTimeAsync(0);
    expect(dns.calls).toEqual(['d1', 'd2']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await waits[2]).toEqual({ cause: 'no answer within 2000 ms, waiting for a lookup slot (2 of 2 busy, 2 queued)' });
    expect(r.load).toEqual({ running: 2, queued: 0 });
    await dns.settle('d1', { code: 'EAI_AGAIN' });
    expect(dns.calls).toEqual(['d1', 'd2']);
  });

  it('refreshes names whose last lookup failed on one slot, after the names that work', async () => {
    const dns = fakeDns();
    const r = make(dns, { maxConcurrent: 2 });
    const failing = [r.resolve('x.example', 2000), r.resolve('y.example', 2000)];
    await dns.settle('x.example', { code: 'EAI_AGAIN' });
    await dns.settle('y.example', { code: 'EAI_AGAIN' });
    await Promise.all(failing);
    t = 10_000;
    // both failures are served at once; only one of their refreshes may run
    expect(await r.resolve('x.example', 2000)).toEqual({ cause: 'temporary DNS failure (EAI_AGAIN)' });
    expect(await r.resolve('y.example', 2000)).toEqual({ cause: 'temporary DNS failure (EAI_AGAIN)' });
    const fresh = r.resolve('new.example', 2000);
    await vi.advanceTimersByTimeAsync(0);
    expect(dns.calls.slice(2)).toEqual(['x.example', 'new.example']);
    await dns.settle('new.example', '192.0.2.9');
    expect(await fresh).toEqual({ address: '192.0.2.9' });
    expect(dns.calls.slice(2)).toEqual(['x.example', 'new.example']);
    await dns.settle('x.example', { code: 'EAI_AGAIN' });
    expect(dns.calls.slice(2)).toEqual(['x.example', 'new.example', 'y.example']);
  });

  it('starts a new name before the refresh of a failing one when a slot frees', async () => {
    const dns = fakeDns();
    const r = make(dns);
    const first = r.resolve('x.example', 2000);
    await dns.settle('x.example', { code: 'ENOTFOUND' });
    await first;
    const busy = r.resolve('busy.example', 2000);
    t = 10_000;
    await r.resolve('x.example', 2000);
    const fresh = r.resolve('new.example', 2000);
    await dns.settle('busy.example', '192.0.2.4');
    await busy;
    expect(dns.calls).toEqual(['x.example', 'busy.example', 'new.example']);
    await dns.settle('new.example', '192.0.2.5');
    expect(await fresh).toEqual({ address: '192.0.2.5' });
    expect(dns.calls).toEqual(['x.example', 'busy.example', 'new.example', 'x.example']);
  });

  it.each([
    ['ENOTFOUND', 'name not found (ENOTFOUND)'],
    ['EAI_AGAIN', 'temporary DNS failure (EAI_AGAIN)'],
    ['ENODATA', 'no address for the name (ENODATA)'],
    ['EAI_FAIL', 'getaddrinfo EAI_FAIL n.example'],
  ])('names the cause of a failed lookup: %s', async (code, cause) => {
    const dns = fakeDns();
    const r = make(dns);
    const p = r.resolve('n.example', 2000);
    await dns.settle('n.example', { code });
    expect(await p).toEqual({ cause });
  });

  it.each([
    [undefined, 1],
    ['1', 1],
    ['4', 1],
    ['8', 2],
    ['16', 4],
  ])('with UV_THREADPOOL_SIZE=%s runs %i lookups at once (half of what libuv gives name lookups)', (pool, expected) => {
    const saved = process.env.UV_THREADPOOL_SIZE;
    if (pool === undefined) delete process.env.UV_THREADPOOL_SIZE;
    else process.env.UV_THREADPOOL_SIZE = pool;
    try {
      expect(new NameResolver().maxConcurrent).toBe(expected);
    } finally {
      if (saved === undefined) delete process.env.UV_THREADPOOL_SIZE;
      else process.env.UV_THREADPOOL_SIZE = saved;
    }
  });
});
