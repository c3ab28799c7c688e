/** `notifications`: channels by name; their content is validated by the alerts/notify engine. */
import { z } from 'zod';

export const notificationsSchema = z
  .strictObject({
    channels: z.record(z.string(), z.looseObject({})).default({}),
  })
  .prefault({});

export type NotificationsConfig = z.output<typeof notificationsSchema>;
