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

export type SuppressionDecision = Omit<AlertSuppression, 'since' | 'until' | 'holdUntil'>;

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
 *   and its path is cut (`cutOffBy`) → `parent <names> down` when its parents are all down, else
 *   `parent <names> unreachable behind <down ancestors> down` (`by`: the first down device);
 * - otherwise not suppressed. Alerts without a device are never suppressed.
 */
export function decideSuppression(device: string | undefined, t: number, ctx: SuppressionContext): SuppressionDecision | undefined {
  if (!device) return undefined;
  const w = activeWindowFor(ctx.windows(), device, ctx.tagsOf(device), t);
  if (w) return { kind: 'maintenance', reason: `maintenance ${w.name}`, by: w.name };
  if (!isPathUnreachable(ctx.stateOf(device))) return undefined;
  const downs = cutOffBy(device, ctx);
  if (!downs) return undefined;
  const parents = ctx.parentsOf(device);
  const reason = parents.every((p) => ctx.stateOf(p) === 'down')
    ? `parent ${parents.join(', ')} down`
    : `parent ${parents.join(', ')} unreachable behind ${downs.join(', ')} down`;
  return { kind: 'parent', reason, by: downs[0]! };
}

/**
 * The down devices that cut `device` off, or undefined when it may still be reachable. Rule: a
 * device is cut off when it has parents and each one blocks; a parent blocks when it is `down`,
 * or `snmp-unreachable` and itself cut off (it answers ping, so it forwards, unless its own path
 * is cut: its answer is then stale); any other parent state (up, auth-failed, unknown, not known
 * to the poller) means a way in. A loop (a → b → a, a config error) or a snmp-unreachable device
 * without parents is a way in too: unexplained failures are notified rather than hidden.
 * Iterative, each device expanded once: no overflow or hang on deep or looping configs.
 */
export function cutOffBy(device: string, ctx: Pick<SuppressionContext, 'parentsOf' | 'stateOf'>): string[] | undefined {
  const downs: string[] = [];
  const seen = new Set<string>([device]);
  /** the devices whose parents are being looked at (a loop returns to one of them) */
  const onPath = new Set<string>();
  const stack: { node: string; parents: readonly string[]; next: number }[] = [];
  const enter = (node: string): boolean => {
    const parents = ctx.parentsOf(node);
    if (parents.length === 0) return false;
    onPath.add(node);
    stack.push({ node, parents, next: 0 });
    return true;
  };
  if (!enter(device)) return undefined;
  while (stack.length > 0) {
    const top = stack.at(-1)!;
    if (top.next === top.parents.length) {
      onPath.delete(top.node);
      stack.pop();
      continue;
    }
    const p = top.parents[top.next++]!;
    if (onPath.has(p)) return undefined;
    if (seen.has(p)) continue; // reached before by another branch, and it blocked
    seen.add(p);
    const state = ctx.stateOf(p);
    if (state === 'down') downs.push(p);
    else if (state !== 'snmp-unreachable' || !enter(p)) return undefined;
  }
  return downs;
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
