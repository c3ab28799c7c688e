/** `notifications`: channels by name plus severity/rule routes, validated by src/alerts/notify. */
import { z } from 'zod';
import { ChannelSchema, RouteSchema, ThrottleSchema, UiUrlSchema } from '../../alerts/notify/schema.ts';

export const notificationsSchema = z
  .strictObject({
    channels: z.record(z.string(), z.looseObject({})).default({}),
    routes: z.array(RouteSchema).default([]),
    throttle: ThrottleSchema.prefault({}),
    uiUrl: UiUrlSchema,
  })
  .prefault({})
  .transform((raw, ctx) => {
    const channels: z.output<typeof ChannelSchema>[] = [];
    for (const [name, body] of Object.entries(raw.channels)) {
      const r = ChannelSchema.safeParse({ ...body, name });
      if (r.success) channels.push(r.data);
      else for (const i of r.error.issues) ctx.issues.push({ code: 'custom', path: ['channels', name, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], input: undefined, message: i.message });
    }
    raw.routes.forEach((route, i) =>
      route.channels.forEach((c, j) => {
        if (!(c in raw.channels)) ctx.issues.push({ code: 'custom', path: ['routes', i, 'channels', j], input: undefined, message: `unknown channel "${c}"` });
      }),
    );
    return { channels, routes: raw.routes, throttle: raw.throttle, uiUrl: raw.uiUrl };
  });

export type NotificationsConfig = z.output<typeof notificationsSchema>;
