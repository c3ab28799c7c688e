/** `alerts`: the alert lifecycle's own settings (src/alerts/README.md). */
import { z } from 'zod';
import { DEFAULT_MAX_ACTIVE_ALERTS } from '../../alerts/manager.ts';

export const alertsSchema = z
  .strictObject({
    /** active alerts at most; beyond it new alerts are counted, not opened, and one meta-alert says so */
    maxActive: z.number().int().min(1, { error: 'expected a positive integer (at least 1)' }).default(DEFAULT_MAX_ACTIVE_ALERTS),
  })
  .prefault({});

export type AlertsConfig = z.output<typeof alertsSchema>;
