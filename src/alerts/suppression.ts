/**
 * The one suppression decision: should this device's alert be held back now, and why.
 * Maintenance windows first (planned work), then parent dependencies (a child behind a down
 * parent is not news of its own). The AlertManager asks it when an alert opens or escalates,
 * again (`reevaluateSuppressed`) when windows end or devices change state, and when the parent
 * hold of a child's device-state alert ends (a parent failing in the same poll round).
 */
import { isPathUnreachable, type DeviceState } from '../model/device.ts';
import { activeWindowFor, type MaintenanceWindow } from './maintenance.ts';
import type { Alert, AlertSuppression } from './types.ts';

export type SuppressionDecision = Omit<AlertSuppression, 'since' | 'until'>;

export interface SuppressionContext {
  windows(): readonly MaintenanceWindow[];
  tagsOf(device: string): Record<string, string> | undefined;
  /** the device's parents (its `parents`, config file or API); empty when none */
  parentsOf(device: string): readonly string[];
  /** the poller's current state of a device; undefined when unknown to it */
  stateOf(device: string): DeviceState | undefined;
}

/**
 * - a window covering the device is active at `t` → `maintenance <name>`;
 * - the device is unreachable because of the path (`isPathUnreachable`: down or snmp-unreachable)
 *   and has parents, every one of them down → `parent <names> down` (`by`: the first);
 * - otherwise not suppressed. Alerts without a device are never suppressed.
 */
export function decideSuppression(device: string | undefined, t: number, ctx: SuppressionContext): SuppressionDecision | undefined {
  if (!device) return undefined;
  const w = activeWindowFor(ctx.windows(), device, ctx.tagsOf(device), t);
  if (w) return { kind: 'maintenance', reason: `maintenance ${w.name}`, by: w.name };
  const parents = ctx.parentsOf(device);
  if (parents.length > 0 && isPathUnreachable(ctx.stateOf(device)) && parents.every((p) => ctx.stateOf(p) === 'down')) {
    return { kind: 'parent', reason: `parent ${parents.join(', ')} down`, by: parents[0] };
  }
  return undefined;
}

/** what the AlertManager calls (options.suppressor) */
export type Suppressor = (alert: Alert, time: number) => SuppressionDecision | undefined;

export function suppressorFrom(ctx: SuppressionContext): Suppressor {
  return (alert, time) => decideSuppression(alert.device, time, ctx);
}

/** every cycle among `parents` (device → parents), each as the path of names that closes it */
export function parentCycles(parents: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) {
      cycles.push([...path.slice(at), node]);
      return;
    }
    if (done.has(node)) return;
    path.push(node);
    for (const p of parents.get(node) ?? []) visit(p, path);
    path.pop();
    done.add(node);
  };
  for (const node of parents.keys()) visit(node, []);
  return cycles;
}
