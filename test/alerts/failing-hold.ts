/** A manager with parent holds (access-1, access-2 under core-1) over a store whose saves of KEY1 fail on demand. */
import { AlertManager } from '../../src/alerts/manager.ts';
import type { AlertStore } from '../../src/alerts/store.ts';
import { suppressorFrom } from '../../src/alerts/suppression.ts';
import type { DeviceState } from '../../src/model/device.ts';
import { failingStore } from './failing-store.ts';

export const T0 = Date.parse('2026-12-06T22:00:00Z');
export const HOLD = 30_000;
export const PARENTS: Record<string, string[]> = { 'access-1': ['core-1'], 'access-2': ['core-1'] };
export const KEY1 = 'device-state:access-1:down';

/** the manager over `inner` (saves of KEY1 fail while `fail.failing`), and the devices' states it reads (core-1 up) */
export function failingHoldManager(inner: AlertStore, logger: { warn: (w: string) => void; info: (i: string) => void } = { warn: () => {}, info: () => {} }) {
  const states: Record<string, DeviceState> = { 'core-1': 'up' };
  const ctx = { windows: () => [], tagsOf: () => undefined, parentsOf: (d: string) => PARENTS[d] ?? [], stateOf: (d: string) => states[d] };
  const fail = failingStore(inner, [KEY1]);
  const m = new AlertManager(fail.store, {
    suppressor: suppressorFrom(ctx),
    parentHold: { ms: HOLD, parentsOf: ctx.parentsOf, stateOf: ctx.stateOf },
    logger,
  });
  return { m, fail, states };
}
