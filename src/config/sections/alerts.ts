/** `alerts`: the alert lifecycle's own settings (src/alerts/README.md). */
import { z } from 'zod';
import { DEFAULT_MAX_ACTIVE_ALERTS } from '../../alerts/manager.ts';
import { duration, keepFor } from '../primitives.ts';

/**
 * How long a device-state alert of a device with parents waits before it is notified, so a
 * parent failing in the same poll round is known to be down by then (src/alerts/README.md).
 * The parent is polled at once when a child goes down, and that poll concludes "down" after the
 * SNMP timeout × (retries + 1) plus the ICMP check: about 5 s with the default 2 s × 2 tries;
 * 30 s covers that several times over (slower timeouts, a busy scheduler) while staying half of
 * the default 60 s poll interval, i.e. well below the detection delay a poll interval already has.
 */
export const DEFAULT_PARENT_HOLD_MS = 30_000;
const MAX_PARENT_HOLD_MS = 600_000;
/** cleared alerts are kept this long (by clear time), then pruned nightly (src/storage/state/retention.ts) */
export const DEFAULT_KEEP_CLEARED_MS = 90 * 86_400_000;

export const alertsSchema = z
  .strictObject({
    /** active alerts at most; beyond it new alerts are counted, not opened, and one meta-alert says so */
    maxActive: z.number().int().min(1, { error: 'expected a positive integer (at least 1)' }).default(DEFAULT_MAX_ACTIVE_ALERTS),
    /** device-state alerts of devices with parents wait this long for their parents' state; 0 disables */
    parentHold: duration({ min: 0 })
      .refine((ms) => ms <= MAX_PARENT_HOLD_MS, { error: 'expected at most 10m (it delays every real outage notification of devices with parents)' })
      .default(DEFAULT_PARENT_HOLD_MS),
    /** cleared alerts older than this (by clear time) are deleted by the nightly state-retention job; false: kept forever */
    keepCleared: keepFor(3_600_000).default(DEFAULT_KEEP_CLEARED_MS),
  })
  .transform(({ parentHold, keepCleared, ...rest }) => ({ ...rest, parentHoldMs: parentHold, keepClearedMs: keepCleared }))
  .prefault({});

export type AlertsConfig = z.output<typeof alertsSchema>;
