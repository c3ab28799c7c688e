/**
 * SSE replay over real HTTP on 127.0.0.1 (app.inject does not stream): ids, Last-Event-ID and
 * ?lastEventId= resume, reset when the missed events are gone, the retry hint and heartbeats.
 */
import { describe, expect, it } from 'vitest';
import { AUTH, TOKEN } from './helpers.ts';
import { sseClients as sseClientCount, useSseServer, type Frame } from './sse-reader.ts';

const trap = (n: number, bytes = 0) => ({
  type: 'trap' as const,
  trap: { id: `t${n}`, time: n, source: '127.0.0.1:1', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: bytes ? [{ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: 'x'.repeat(bytes) }] : [] },
});
const trapNumbers = (frames: Frame[]) => frames.map((f) => f.data.trap.time);

const sse = useSseServer();
const start = sse.start;
const open = sse.open;
const connected = sse.connected;
const sseClients = () => sseClientCount(sse.server!);

describe('SSE replay', () => {
  it('gives every event an increasing id and a fresh client its position, with the retry hint', async () => {
    const url = await start();
    const a = await connected(url);
    expect(a.status).toBe(200);
    expect(a.frames[0].retry).toBe('3000');
    const start0 = Number(a.frames[0].id);
    expect(Number.isSafeInteger(start0)).toBe(true);
    for (let n = 1; n <= 3; n++) sse.svc.emit(trap(n));
    await a.until('3 events', () => a.events.length === 3);
    expect(a.events.map((f) => Number(f.id))).toEqual([start0 + 1, start0 + 2, start0 + 3]);
    expect(a.events.map((f) => f.event)).toEqual(['trap', 'trap', 'trap']);
  });

  it.each([
    ['the Last-Event-ID header', (id: string) => ['', { 'last-event-id': id }] as const],
    ['?lastEventId=', (id: string) => [`?lastEventId=${id}`, {}] as const],
    ['the header over a stale ?lastEventId=', (id: string) => [`?lastEventId=${Number(id) - 2}`, { 'last-event-id': id }] as const],
  ])('replays exactly the missed events after a disconnect, via %s, then goes live', async (_how, resume) => {
    const url = await start();
    const a = await connected(url);
    for (let n = 1; n <= 3; n++) sse.svc.emit(trap(n));
    await a.until('3 events', () => a.events.length === 3);
    a.close();
    await a.until('the client to close', () => a.closed);
    await expect.poll(sseClients, { timeout: 10_000 }).toBe(0);
    for (let n = 4; n <= 6; n++) sse.svc.emit(trap(n));

    const [query, headers] = resume(a.lastId!);
    const b = await connected(url + query, headers);
    await b.until('3 replayed events', () => b.events.length === 3);
    sse.svc.emit(trap(7));
    await b.until('the live event', () => b.events.length === 4);
    expect(trapNumbers(b.events)).toEqual([4, 5, 6, 7]);
    expect(b.events.map((f) => Number(f.id))).toEqual([1, 2, 3, 4].map((k) => Number(a.lastId) + k));
    expect(b.events.some((f) => f.event === 'reset')).toBe(false);
  });

  it('resumes a client that saw no event at all from the position it was given on connect', async () => {
    const url = await start();
    sse.svc.emit(trap(1));
    const a = await connected(url);
    a.close();
    sse.svc.emit(trap(2));
    sse.svc.emit(trap(3));
    const b = await connected(url, { 'last-event-id': a.lastId! });
    await b.until('2 replayed events', () => b.events.length === 2);
    expect(trapNumbers(b.events)).toEqual([2, 3]);
  });

  it('has no gap and no duplicate when events keep coming while the client reconnects', async () => {
    const url = await start();
    const a = await connected(url);
    let n = 0;
    const burst = setInterval(() => { for (let k = 0; k < 20; k++) sse.svc.emit(trap(++n)); }, 1);
    try {
      await a.until('some events', () => a.events.length >= 50);
      a.close();
      const seen = trapNumbers(a.events);
      await new Promise((r) => setTimeout(r, 30));
      const b = await connected(url, { 'last-event-id': a.lastId! });
      await b.until('more live events', () => b.events.length >= 200);
      clearInterval(burst);
      const last = n;
      await b.until('the last event', () => b.events.at(-1)!.data.trap.time === last);
      const all = [...seen, ...trapNumbers(b.events)];
      expect(all).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      const ids = [...a.events, ...b.events].map((f) => Number(f.id));
      expect(ids.every((id, i) => i === 0 || id === ids[i - 1] + 1)).toBe(true);
    } finally {
      clearInterval(burst);
    }
  });

  it('sends one reset when the missed events are no longer held, then the live stream from there', async () => {
    const url = await start({ sseReplay: { maxEvents: 5, maxBytes: 1024 * 1024 } });
    const a = await connected(url);
    sse.svc.emit(trap(1));
    await a.until('1 event', () => a.events.length === 1);
    a.close();
    for (let n = 2; n <= 11; n++) sse.svc.emit(trap(n));

    const b = await connected(url, { 'last-event-id': a.lastId! });
    await b.until('the reset', () => b.events.length === 1);
    const [reset] = b.events;
    expect(reset.event).toBe('reset');
    expect(reset.data).toEqual({ type: 'reset', reason: 'too-old', oldestId: Number(a.lastId) + 6, lastId: Number(a.lastId) + 10 });
    expect(reset.id).toBe(String(Number(a.lastId) + 10));
    sse.svc.emit(trap(12));
    await b.until('the live event', () => b.events.length === 2);
    expect(b.events[1].event).toBe('trap');
    expect(b.events[1].data.trap.time).toBe(12);
    expect(Number(b.events[1].id)).toBe(Number(reset.id) + 1);
    const metrics = await (await fetch(`${sse.server!.url}/metrics`, { headers: AUTH })).text();
    expect(metrics).toMatch(/^netpulse_api_sse_resets_total 1$/m);

    // resuming from the reset's id is current again: no second reset
    b.close();
    const c = await connected(url, { 'last-event-id': b.lastId! });
    sse.svc.emit(trap(13));
    await c.until('the live event', () => c.events.length === 1);
    expect(c.events[0].data.trap.time).toBe(13);
  });

  it.each([
    ['an id from an earlier process', { 'last-event-id': '12' }, ''],
    ['an id from the future', { 'last-event-id': '9999999999999999' }, ''],
    ['a header that is no id', { 'last-event-id': 'abc' }, ''],
    ['a query id from an earlier process', {}, '?lastEventId=7'],
  ])('answers %s with a reset', async (_what, headers, query) => {
    const url = await start();
    sse.svc.emit(trap(1));
    const b = await connected(url + query, headers);
    await b.until('the reset', () => b.events.length === 1);
    expect(b.events[0].event).toBe('reset');
    expect(b.events[0].data.reason).toBe('unknown');
  });

  it('refuses a ?lastEventId= that is no id with a 400 naming the field', async () => {
    const url = await start();
    const res = await fetch(`${url}?lastEventId=abc`, { headers: AUTH });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('query.lastEventId');
  });

  it('replays more than the 1 MiB live limit to a reading client at the pace it reads', async () => {
    const url = await start({ sseReplay: { maxEvents: 10_000, maxBytes: 8 * 1024 * 1024 } });
    const a = await connected(url);
    a.close();
    for (let n = 1; n <= 600; n++) sse.svc.emit(trap(n, 4096));
    const b = await connected(url, { 'last-event-id': a.lastId! });
    await b.until('600 replayed events', () => b.events.length === 600, 20_000);
    sse.svc.emit(trap(601));
    await b.until('the live event', () => b.events.length === 601);
    expect(trapNumbers(b.events)).toEqual(Array.from({ length: 601 }, (_, i) => i + 1));
    expect(b.closed).toBe(false);
  });

  it('keeps idle streams open with comment heartbeats', async () => {
    const url = await start({ heartbeatMs: 30 });
    const a = await connected(url);
    await a.until('2 heartbeats', () => a.frames.filter((f) => f.comments.includes('keep-alive')).length >= 2);
    expect(a.events).toEqual([]);
  });
});
