/** `notifications`: channels by name plus severity/rule routes, validated by src/alerts/notify. */
import { z } from 'zod';
import { unknownKeyMessage } from '../issues.ts';
import { ChannelSchema, RouteSchema, ThrottleSchema, UiUrlSchema } from '../../alerts/notify/schema.ts';

/** the keys a channel of this `type` takes (for "did you mean"), `name` aside: the channel's key is its name */
function channelKeys(type: unknown): string[] {
  const option = ChannelSchema.options.find((o) => o.shape.type.safeParse(type).success);
  return option ? Object.keys(option.shape).filter((k) => k !== 'name') : [];
}

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
      const at = ['channels', name];
      if ('name' in body) ctx.issues.push({ code: 'custom', path: [...at, 'name'], input: undefined, message: 'unknown key; a channel is named by its key under channels' });
      const r = ChannelSchema.safeParse({ ...body, name });
      if (r.success) {
        channels.push(r.data);
        continue;
      }
      const allowed = channelKeys(body.type);
      for (const i of r.error.issues) {
        const path = [...at, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
        if (i.code === 'unrecognized_keys') for (const key of i.keys) ctx.issues.push({ code: 'custom', path: [...path, key], input: undefined, message: unknownKeyMessage(key, allowed) });
        else ctx.issues.push({ code: 'custom', path, input: undefined, message: i.message });
      }
    }
    raw.routes.forEach((route, i) =>
      route.channels.forEach((c, j) => {
        if (!(c in raw.channels)) ctx.issues.push({ code: 'custom', path: ['routes', i, 'channels', j], input: undefined, message: `unknown channel "${c}"` });
      }),
    );
    return { channels, routes: raw.routes, throttle: raw.throttle, uiUrl: raw.uiUrl };
  });

export type NotificationsConfig = z.output<typeof notificationsSchema>;
