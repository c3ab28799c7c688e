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
  new NameResolver({ lookup: dns.lookup, now: () => t, maxConcurrent: 1, lookupTimeoutMs: 60_000, ...opts });
const NOT_FOUND = { cause: 'name not found (ENOTFOUND)' };
const TIMED_OUT = { cause: 'no answer within 1000 ms (lookup timed out; the system resolver is still trying)' };

/** what `p` has settled to once pending callbacks ran, without moving the clock: 'still waiting' if nothing */
async function answeredNow<T>(p: Promise<T>): Promise<T | 'still waiting'> {
  let value: T | 'still waiting' = 'still waiting';
  void p.then((v) => (value = v));
  await vi.advanceTimersByTimeAsync(0);
  return value;
}

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
    expect(r.load).toEqual({ running: 0, timedOut: 0, queued: 0 });
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
    expect(await waits[2]).toEqual({ cause: 'no answer within 2000 ms, waiting for a lookup slot (2 of 2 busy, 2 queued)', busy: true });
    expect(r.load).toEqual({ running: 2, timedOut: 0, queued: 0 });
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

  it('a lookup past lookupTimeoutMs fails its callers, and later ones at once; it is not repeated while it runs, its late answer is kept', async () => {
    const dns = fakeDns();
    const r = make(dns, { lookupTimeoutMs: 1000 });
    const first = r.resolve('dead.example', 5000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await answeredNow(first)).toEqual(TIMED_OUT);
    // getaddrinfo cannot be cancelled: the lookup keeps its slot
    expect(r.load).toEqual({ running: 1, timedOut: 1, queued: 0 });
    expect(await answeredNow(r.resolve('dead.example', 5000))).toEqual(TIMED_OUT);
    t = 10_000;
    expect(await answeredNow(r.resolve('dead.example', 5000))).toEqual(TIMED_OUT);
    expect(dns.calls).toEqual(['dead.example']);
    await dns.settle('dead.example', '192.0.2.8');
    expect(r.load).toEqual({ running: 0, timedOut: 0, queued: 0 });
    expect(await answeredNow(r.resolve('dead.example', 5000))).toEqual({ address: '192.0.2.8' });
  });

  it('an address is still served, within maxStaleMs, while its refresh hangs past lookupTimeoutMs', async () => {
    const dns = fakeDns();
    const r = make(dns, { lookupTimeoutMs: 1000, positiveTtlMs: 1000, maxStaleMs: 5000 });
    const first = r.resolve('a.example', 2000);
    await dns.settle('a.example', '192.0.2.1');
    await first;
    t = 1000;
    expect(await answeredNow(r.resolve('a.example', 2000))).toEqual({ address: '192.0.2.1' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.load).toEqual({ running: 1, timedOut: 1, queued: 0 });
    t = 5999;
    expect(await answeredNow(r.resolve('a.example', 2000))).toEqual({ address: '192.0.2.1' });
    t = 6000;
    expect(await answeredNow(r.resolve('a.example', 2000))).toEqual(TIMED_OUT);
  });

  it('a timed-out lookup holds its slot only: new names take the others, refreshes of failing names wait for it', async () => {
    const dns = fakeDns();
    const r = make(dns, { maxConcurrent: 2, lookupTimeoutMs: 1000 });
    const x = r.resolve('x.example', 2000);
    await dns.settle('x.example', { code: 'ENOTFOUND' });
    expect(await x).toEqual(NOT_FOUND);
    const dead = r.resolve('dead.example', 5000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await answeredNow(dead)).toEqual(TIMED_OUT);
    t = 10_000;
    // x's refresh would be a second dead name on the last free slot
    expect(await answeredNow(r.resolve('x.example', 2000))).toEqual(NOT_FOUND);
    expect(dns.calls).toEqual(['x.example', 'dead.example']);
    for (const name of ['new1.example', 'new2.example']) {
      const fresh = r.resolve(name, 2000);
      await dns.settle(name, '192.0.2.10');
      expect(await answeredNow(fresh)).toEqual({ address: '192.0.2.10' });
    }
    expect(r.load).toEqual({ running: 1, timedOut: 1, queued: 1 });
    await dns.settle('dead.example', { code: 'EAI_AGAIN' });
    expect(dns.calls).toEqual(['x.example', 'dead.example', 'new1.example', 'new2.example', 'x.example']);
    expect(await answeredNow(r.resolve('dead.example', 2000))).toEqual({ cause: 'temporary DNS failure (EAI_AGAIN)' });
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
    ['8', 3],
    ['16', 7],
  ])('with UV_THREADPOOL_SIZE=%s runs %i lookups at once (all but one of what libuv gives name lookups, at least 1)', (pool, expected) => {
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
