/**
 * SSE events around the per-event live cap (the client's buffer budget, sseMaxBufferedBytes) over
 * real HTTP on 127.0.0.1: an event just under it is delivered live even right after another such
 * event; one over it reaches live clients as a `too-large` event with its id and URLs, the full
 * event is readable at GET /api/v1/events/{id} and replayed whole to a resuming client.
 */
import { describe, expect, it } from 'vitest';
import { sseFrame } from '../../src/api/routes/events.ts';
import type { ApiEvent } from '../../src/api/services.ts';
import { AUTH, TOKEN } from './helpers.ts';
import { useSseServer } from './sse-reader.ts';

const BUDGET = 1024 * 1024;

const trap = (n: number, value = ''): ApiEvent => ({
  type: 'trap',
  trap: { id: `t${n}`, time: n, source: '127.0.0.1:1', device: 'edge-1', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value }] },
});
/** a trap whose SSE frame (with a 16-digit id, as the server issues) is exactly `bytes` long */
function trapOfFrameBytes(n: number, bytes: number): ApiEvent {
  const base = Buffer.byteLength(sseFrame(trap(n), 1e15)!);
  return trap(n, 'x'.repeat(bytes - base));
}

const sse = useSseServer();
const start = () => sse.start({ sseMaxBufferedBytes: BUDGET });
const connected = sse.connected;

describe('SSE events near the per-event live cap', () => {
  it('checks the frame sizes this test builds', () => {
    expect(Buffer.byteLength(sseFrame(trapOfFrameBytes(1, BUDGET - 64), 1e15)!)).toBe(BUDGET - 64);
  });

  it('delivers events just under the cap live, two in one tick (the client cannot read the first before the second is written)', async () => {
    const url = await start();
    const r = await connected(url);
    sse.svc.emit(trapOfFrameBytes(1, BUDGET - 64));
    sse.svc.emit(trapOfFrameBytes(2, BUDGET - 64));
    await r.until('2 events', () => r.events.length === 2 || r.closed);
    sse.svc.emit(trap(3));
    await r.until('3 events', () => r.events.length === 3 || r.closed);
    expect(r.closed).toBe(false);
    expect(r.events.map((f) => [f.event, f.data.trap.id, f.data.trap.varbinds[0].value.length])).toEqual([
      ['trap', 't1', expect.any(Number)], ['trap', 't2', expect.any(Number)], ['trap', 't3', 0],
    ]);
    expect(r.events[0].data.trap.varbinds[0].value.length).toBeGreaterThan(BUDGET - 1024);
  });

  it('sends a live client a too-large event for one over the cap, keeps its stream, and serves the event by id', async () => {
    const url = await start();
    const r = await connected(url);
    const startId = Number(r.frames[0].id);
    sse.svc.emit(trapOfFrameBytes(1, BUDGET + 1024));
    sse.svc.emit(trap(2));
    await r.until('2 events', () => r.events.length === 2 || r.closed);
    expect(r.closed).toBe(false);
    const [big, next] = r.events;
    const id = startId + 1;
    expect(big.event).toBe('too-large');
    expect(big.id).toBe(String(id));
    expect(big.data).toEqual({
      type: 'too-large', id, event: 'trap', bytes: BUDGET + 1024, maxBytes: BUDGET,
      url: `/api/v1/events/${id}`, resource: '/api/v1/traps?device=edge-1',
    });
    expect([next.event, next.id, next.data.trap.id]).toEqual(['trap', String(id + 1), 't2']);

    const res = await fetch(`${sse.server!.url}${big.data.url}`, { headers: AUTH });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.id).toBe(id);
    expect(body.event.type).toBe('trap');
    expect(body.event.trap.id).toBe('t1');
    expect(body.event.trap.varbinds[0].value.length).toBeGreaterThan(BUDGET);
    expect((await fetch(`${sse.server!.url}${big.data.resource}`, { headers: AUTH })).status).toBe(200);

    // a client resuming from before it gets it whole (the replay is paced by the socket, not capped)
    const resumed = await connected(url, { 'last-event-id': String(startId) });
    await resumed.until('2 replayed events', () => resumed.events.length === 2);
    expect(resumed.events.map((f) => [f.event, f.data.trap.id])).toEqual([['trap', 't1'], ['trap', 't2']]);
  });

  it('GET /api/v1/events/{id}: 404 for an id not held or not issued, 400 for a malformed one, 401 without a token', async () => {
    const url = await start();
    const r = await connected(url);
    const startId = Number(r.frames[0].id);
    sse.svc.emit(trap(1));
    const get = (id: string, headers: Record<string, string> = AUTH) => fetch(`${url}/${id}`, { headers });
    const ok = await get(String(startId + 1));
    expect([ok.status, (await ok.json()).event.trap.id]).toEqual([200, 't1']);
    const future = await get(String(startId + 5));
    expect([future.status, (await future.json()).message]).toEqual([404, expect.stringMatching(/^events: event \d+ was not issued/)]);
    const old = await get('1');
    expect([old.status, (await old.json()).message]).toEqual([404, expect.stringMatching(/^events: event 1 is no longer held/)]);
    const bad = await get('abc');
    expect([bad.status, (await bad.json()).message]).toEqual([400, expect.stringMatching(/^params\.id: /)]);
    expect((await get(String(startId + 1), {})).status).toBe(401);
  });
});
