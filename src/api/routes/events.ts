import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import type { ApiEvent } from '../services.ts';
import { EventRing, type EventRingLimits, type ResumeCheck } from '../event-ring.ts';
import { errorBody, errors } from '../schemas/common.ts';
import { errorPayload } from '../errors.ts';
import { DEVICE_STATES } from '../schemas/devices.ts';
import { alertSchema, trapSchema } from './alerts.ts';

/** Events pass through these schemas like responses do: unknown fields (a trap's community) are stripped. */
export const apiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('device-state'), device: z.string(), from: z.enum(DEVICE_STATES), to: z.enum(DEVICE_STATES), time: z.number(), error: z.string().optional() }),
  z.object({ type: z.literal('alert'), change: z.enum(['opened', 'repeated', 'escalated', 'acknowledged', 'cleared']), alert: alertSchema }),
  z.object({ type: z.literal('trap'), trap: trapSchema }),
]);

/** the reconnect delay suggested to clients */
export const SSE_RETRY_MS = 3000;
const EVENT_ID = /^\d{1,16}$/;

export interface SseStats {
  clients: number;
  sent: number;
  /** `reset` messages sent: clients that asked to resume from an id the ring no longer (or never) held */
  resets: number;
}

/** One SSE frame; `data` is one line of JSON so no payload can break the framing. */
export function sseFrame(event: ApiEvent, id: number): string | undefined {
  const clean = apiEventSchema.safeParse(event);
  if (!clean.success) return undefined;
  return `id: ${id}\nevent: ${clean.data.type}\ndata: ${JSON.stringify(clean.data)}\n\n`;
}

/** the event an `sseFrame` carries (its `data` line) */
function frameEvent(frame: string): unknown {
  return JSON.parse(frame.slice(frame.indexOf('\ndata: ') + 7, frame.lastIndexOf('\n\n')));
}

/** A held event as the ring keeps it: its frame, and what live clients get instead when that is larger than their budget. */
interface HeldEvent {
  frame: string;
  tooLarge?: string;
}

/** where an event's subject can be read later: the trap list, the alert list, the device */
export function eventResource(event: ApiEvent): string {
  if (event.type === 'device-state') return `/devices/${encodeURIComponent(event.device)}`;
  const [list, device] = event.type === 'trap' ? ['/traps', event.trap.device] : ['/alerts', event.alert.device];
  return device === undefined ? list : `${list}?device=${encodeURIComponent(device)}`;
}

/**
 * Sent to a live client instead of an event whose frame (`bytes` long) is larger than the client's
 * buffer budget (`sseMaxBufferedBytes`): same id, so the client's position moves past it, and the
 * URLs to fetch it (while held) and its subject (after).
 */
function tooLargeFrame(id: number, event: ApiEvent, bytes: number, maxBytes: number, prefix: string): string {
  const data = { type: 'too-large', id, event: event.type, bytes, maxBytes, url: `${prefix}/events/${id}`, resource: `${prefix}${eventResource(event)}` };
  return `id: ${id}\nevent: too-large\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Tells a resuming client it missed events; its id moves to `lastId`, so it re-fetches its state once and then stays current. */
export function resetFrame(reason: Exclude<ResumeCheck, 'ok'>, oldestId: number, lastId: number): string {
  return `id: ${lastId}\nevent: reset\ndata: ${JSON.stringify({ type: 'reset', reason, oldestId, lastId })}\n\n`;
}

/**
 * The id a reconnecting client last saw: the `Last-Event-ID` header (EventSource sends it on every
 * reconnect, so it wins) or `?lastEventId=`. `undefined`: a fresh client; `NaN`: an id this server
 * cannot have issued (answered with a reset).
 */
export function requestedLastId(header: string | string[] | undefined, query: string | undefined): number | undefined {
  const raw = (Array.isArray(header) ? header.join(',') : header)?.trim() || query;
  if (raw === undefined || raw === '') return undefined;
  return EVENT_ID.test(raw) ? Number(raw) : NaN;
}

interface SseClient {
  pump(): void;
  close(): void;
}

export interface SseLimits {
  /** connected clients at most; one more is answered 503 with Retry-After */
  maxClients: number;
  /** unsent bytes per live client before it is dropped (it reconnects after `retry` and resumes) */
  maxBufferedBytes: number;
}

/** seconds a client refused for the client limit is told to wait */
const SSE_FULL_RETRY_S = 30;

/**
 * Server-Sent Events: device state changes, alert changes, new traps, with replay. Every event
 * gets the next id and is kept in a ring (count- and byte-bounded); a client that reconnects with
 * the last id it saw gets every held event after it, then the live stream, each event exactly
 * once. Ids start at the process start time in µs, so an id from an earlier process is lower than
 * any this one issues (unless that process averaged 1000 events per ms) and gets a reset.
 */
export const eventRoutes: FastifyPluginAsyncZod<RouteContext & { sse: SseStats; replay: EventRingLimits; limits: SseLimits }> = async (app, ctx) => {
  const ring = new EventRing<HeldEvent>(ctx.replay, Date.now() * 1000);
  const clients = new Set<SseClient>();
  const budget = ctx.limits.maxBufferedBytes;
  const unsubscribe = ctx.services.events.subscribe((ev) => {
    const id = ring.lastId + 1;
    const frame = sseFrame(ev, id);
    if (!frame) {
      app.log.warn({ type: (ev as { type?: unknown }).type }, 'api: dropped a malformed live event');
      return;
    }
    const bytes = Buffer.byteLength(frame);
    if (bytes <= budget) ring.push({ frame }, bytes);
    else {
      app.log.warn(`api: event ${id} (${ev.type}, ${bytes} bytes) is larger than the live-update budget of ${budget} bytes (sseMaxBufferedBytes); live clients get a too-large event pointing to ${app.prefix}/events/${id}`);
      ring.push({ frame, tooLarge: tooLargeFrame(id, ev, bytes, budget, app.prefix) }, bytes);
    }
    for (const client of clients) client.pump();
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    for (const client of clients) client.close();
  });

  app.get('/events/:id', {
    config: ctx.read,
    schema: {
      tags: ['system'],
      summary: 'One recent event by its id, while the replay ring holds it: how a live client fetches an event it got as `too-large`',
      params: z.strictObject({ id: z.string().regex(EVENT_ID, 'expected an event id (digits)') }),
      response: { ...errors, 200: z.object({ id: z.number(), event: apiEventSchema }) },
    },
  }, async (req, reply) => {
    const id = Number(req.params.id);
    const entry = ring.get(id);
    if (!entry) {
      const why = id > ring.lastId ? 'was not issued (yet)' : `is no longer held (held: ${ring.oldestId}..${ring.lastId})`;
      return reply.code(404).send(errorPayload(404, `events: event ${id} ${why}; read its subject from the REST list it names (traps, alerts, devices)`));
    }
    return { id, event: frameEvent(entry.value.frame) as ApiEvent };
  });

  app.get('/events', {
    config: ctx.read,
    schema: {
      tags: ['system'],
      summary: 'Live updates (text/event-stream): device-state, alert, trap events; resume with Last-Event-ID (or ?lastEventId=), `reset` when the events after it are gone',
      querystring: z.strictObject({
        lastEventId: z.string().regex(EVENT_ID, 'expected an event id (digits)').optional()
          .describe('resume after this event id, for clients that cannot send the Last-Event-ID header (the header wins)'),
      }),
      response: { ...errors, 503: errorBody, 200: { description: 'an endless event stream', content: { 'text/event-stream': { schema: z.string() } } } },
    },
  }, (req, reply) => {
    if (clients.size >= ctx.limits.maxClients) {
      void reply.code(503).header('retry-after', String(SSE_FULL_RETRY_S))
        .send(errorPayload(503, `events: ${clients.size} live-update clients connected, the most this server takes (sseMaxClients); retry in ${SSE_FULL_RETRY_S} s`));
      return;
    }
    const lastSeen = requestedLastId(req.headers['last-event-id'], req.query.lastEventId);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });

    // everything up to `pump()` below runs in one tick: no event can slip between the replay and the live stream
    let cursor = ring.lastId;
    const check = lastSeen === undefined ? undefined : ring.resumeFrom(lastSeen);
    if (check === 'ok') cursor = lastSeen!;
    if (check === undefined) res.write(`retry: ${SSE_RETRY_MS}\nid: ${cursor}\n: connected\n\n`);
    else res.write(`retry: ${SSE_RETRY_MS}\n: connected\n\n${check === 'ok' ? '' : resetFrame(check, ring.oldestId, cursor)}`);
    if (check === 'too-old' || check === 'unknown') ctx.sse.resets++;

    /** catching up: write the replay as fast as the socket drains; live: write at once, drop past maxBufferedBytes */
    let live = false;
    let waitingForDrain = false;
    const drop = (why: string) => {
      req.log.warn(`api: live-update client ${why}, closing its stream`);
      client.close();
      res.destroy();
    };
    const client: SseClient = {
      pump() {
        if (waitingForDrain || !clients.has(client)) return;
        while (cursor < ring.lastId) {
          const entry = ring.get(cursor + 1);
          if (!entry) return drop('fell behind the replay buffer');
          // a client that stops reading would otherwise buffer every event in memory; one event
          // (at most `budget` live) may take a client within its budget up to twice the budget
          if (live && res.writableLength > budget) return drop('too slow');
          cursor = entry.id;
          ctx.sse.sent++;
          const { frame, tooLarge } = entry.value;
          const drained = res.write(live && tooLarge ? tooLarge : frame);
          if (!drained && !live && cursor < ring.lastId) {
            waitingForDrain = true;
            res.once('drain', () => { waitingForDrain = false; client.pump(); });
            return;
          }
        }
        live = true;
      },
      close() {
        if (!clients.delete(client)) return;
        clearInterval(heartbeat);
        ctx.sse.clients--;
        res.end();
      },
    };
    const heartbeat = setInterval(() => {
      if (live && res.writableLength > budget) drop('stalled');
      else res.write(': keep-alive\n\n');
    }, ctx.heartbeatMs);
    clients.add(client);
    ctx.sse.clients++;
    req.raw.on('close', client.close);
    res.on('error', client.close);
    client.pump();
  });
};
