/**
 * Which devices to check now when a device with parents turns down or snmp-unreachable, so its
 * held alert's hold ends knowing whether its path is cut (src/alerts/suppression.ts `cutOffBy`).
 */
import type { DeviceState } from '../model/device.ts';

export interface ParentCheckDeps {
  parentsOf(device: string): readonly string[];
  /** the poller's current state; undefined when it does not know the device */
  stateOf(device: string): DeviceState | undefined;
  /** asks for a check of the device now (Poller.expedite: refused while one is queued or going) */
  expedite(device: string): unknown;
}

/**
 * Asks for a check of each parent of `device` not known `down`, and, the way `cutOffBy` follows
 * the chain, of the parents of each ancestor that is `snmp-unreachable` now (it answers ping, so
 * whether it forwards depends on its own parents). A `down` ancestor blocks whatever lies above it:
 * nothing past it is asked. A parent that only later turns out snmp-unreachable (or down) is a state
 * change of its own, which calls this again for it. Breadth first (direct parents queue first),
 * each device once per call: loops end, parents unknown to the poller are asked (the poller says
 * `unknown`) but not walked past. Returns the devices asked, in order.
 */
export function checkParentChain(device: string, deps: ParentCheckDeps): string[] {
  const asked: string[] = [];
  const seen = new Set<string>([device]);
  const queue: string[] = [device];
  for (let i = 0; i < queue.length; i++) {
    for (const p of deps.parentsOf(queue[i]!)) {
      if (seen.has(p)) continue;
      seen.add(p);
      const state = deps.stateOf(p);
      if (state === 'down') continue;
      deps.expedite(p);
      asked.push(p);
      if (state === 'snmp-unreachable') queue.push(p);
    }
  }
  return asked;
}
