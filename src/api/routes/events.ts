import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../context.ts';
import type { ApiEvent } from '../services.ts';
import { errors } from '../schemas/common.ts';
import { DEVICE_STATES } from '../schemas/devices.ts';
import { alertSchema, trapSchema } from './alerts.ts';

/** Events pass through these schemas like responses do: unknown fields (a trap's community) are stripped. */
export const apiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('device-state'), device: z.string(), from: z.enum(DEVICE_STATES), to: z.enum(DEVICE_STATES), time: z.number(), error: z.string().optional() }),
  z.object({ type: z.literal('alert'), change: z.enum(['opened', 'repeated', 'escalated', 'acknowledged', 'cleared']), alert: alertSchema }),
  z.object({ type: z.literal('trap'), trap: trapSchema }),
]);

/** unsent bytes per SSE client before it is dropped (it reconnects after `retry`) */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface SseStats {
  clients: number;
  sent: number;
}

/** One SSE frame; `data` is one line of JSON so no payload can break the framing. */
export function sseFrame(event: ApiEvent, id: number): string | undefined {
  const clean = apiEventSchema.safeParse(event);
  if (!clean.success) return undefined;
  return `id: ${id}\nevent: ${clean.data.type}\ndata: ${JSON.stringify(clean.data)}\n\n`;
}

/** Server-Sent Events: device state changes, alert changes, new traps. */
export const eventRoutes: FastifyPluginAsyncZod<RouteContext & { sse: SseStats }> = async (app, ctx) => {
  const open = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const close of open) close();
  });

  app.get('/events', {
    config: ctx.read,
    schema: {
      tags: ['system'], summary: 'Live updates (text/event-stream): device-state, alert, trap events',
      querystring: z.strictObject({}),
      response: { ...errors, 200: { description: 'an endless event stream', content: { 'text/event-stream': { schema: z.string() } } } },
    },
  }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let id = 0;
    res.write(`retry: 3000\n: connected\n\n`);
    const unsubscribe = ctx.services.events.subscribe((ev) => {
      const frame = sseFrame(ev, id + 1);
      if (!frame) {
        req.log.warn({ type: (ev as { type?: unknown }).type }, 'api: dropped a malformed live event');
        return;
      }
      // a client that stops reading would otherwise buffer every event in memory
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        req.log.warn('api: live-update client too slow, closing its stream');
        close();
        res.destroy();
        return;
      }
      id++;
      ctx.sse.sent++;
      res.write(frame);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), ctx.heartbeatMs);
    ctx.sse.clients++;
    const close = () => {
      if (!open.delete(close)) return;
      clearInterval(heartbeat);
      unsubscribe();
      ctx.sse.clients--;
      res.end();
    };
    open.add(close);
    req.raw.on('close', close);
    res.on('error', close);
  });
};
