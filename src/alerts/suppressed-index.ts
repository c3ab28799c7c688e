import { DeviceDependents } from './dependents.ts';
import type { Alert } from './types.ts';

/**
 * The active suppressed alerts (their suppression has not ended: what reevaluateSuppressed() looks
 * at), and the held and suppressed ones filed by the devices whose states decide them (their own
 * and its ancestors): a device's change re-evaluates those only.
 */
export class SuppressedIndex {
  /** suppressed keys → their device, and when added (the order of a full run) */
  private readonly suppressed = new Map<string, { device: string | undefined; order: number }>();
  /** the last order given: holds and suppressed keys share it */
  private added = 0;
  /** filed again at each full run (parents edited) */
  private readonly dependents: DeviceDependents | undefined;
  /** held or suppressed keys not filed (read back at start-up, no device, parents not readable): re-evaluated at every device's change until a full run files them */
  readonly unfiled = new Set<string>();
  /** held or suppressed keys whose last re-evaluation failed, or a hold read back whose record is not rewritten yet: tried at every run */
  readonly retryNext = new Set<string>();

  constructor(parentsOf: ((device: string) => readonly string[]) | undefined) {
    this.dependents = parentsOf ? new DeviceDependents(parentsOf) : undefined;
  }

  /** the suppressed keys (in the order a full run goes through them) → their device */
  get byKey(): ReadonlyMap<string, { readonly device: string | undefined }> {
    return this.suppressed;
  }

  /** the place of the next hold or suppressed key in a full run */
  nextOrder(): number {
    return ++this.added;
  }

  add(alert: Alert): void {
    if (!this.suppressed.has(alert.key)) this.suppressed.set(alert.key, { device: alert.device, order: this.nextOrder() });
  }

  delete(key: string): void {
    this.suppressed.delete(key);
  }

  /** files a held or suppressed key under the devices whose states decide it; one without a device or whose parents cannot be read is re-evaluated at every change */
  file(key: string, device: string | undefined): void {
    if (!this.dependents) return;
    try {
      if (device === undefined) throw new Error('no device');
      this.dependents.add(key, device);
      this.unfiled.delete(key);
    } catch {
      // the parents are read again, and a failure logged, where they are used (suppressor, hold)
      this.unfiled.add(key);
    }
  }

  /** files every held (`held`: key, device) and suppressed key anew (a full run: parents may have been edited) */
  fileAll(held: Iterable<readonly [string, string | undefined]>): void {
    for (const [key, device] of held) this.file(key, device);
    for (const [key, { device }] of this.suppressed) this.file(key, device);
  }

  /** a key no longer active: out of the index and the retries */
  forget(key: string): void {
    this.suppressed.delete(key);
    this.dependents?.remove(key);
    this.unfiled.delete(key);
    this.retryNext.delete(key);
  }

  /**
   * The held and suppressed keys a change of `device` can affect (none for undefined: the hold
   * timer), with those not filed and those waiting for a retry; undefined without parentsOf (every
   * key then). Keys no longer held or suppressed leave the index on the way.
   */
  keysToCheck(device: string | undefined, isHeld: (key: string) => boolean): Set<string> | undefined {
    if (!this.dependents) return undefined;
    const keys = new Set<string>();
    const live = (key: string) => isHeld(key) || this.suppressed.has(key);
    if (device !== undefined) {
      const gone: string[] = [];
      for (const key of this.dependents.of(device)) {
        if (live(key)) keys.add(key);
        else gone.push(key);
      }
      for (const key of gone) this.dependents.remove(key);
    }
    for (const set of [this.unfiled, this.retryNext]) {
      for (const key of set) {
        if (live(key)) keys.add(key);
        else set.delete(key);
      }
    }
    return keys;
  }

  /** the suppressed keys among `keys`, in the order a full run goes through them */
  suppressedIn(keys: ReadonlySet<string>): string[] {
    const picked: [string, number][] = [];
    for (const key of keys) {
      const entry = this.suppressed.get(key);
      if (entry) picked.push([key, entry.order]);
    }
    return picked.sort((a, b) => a[1] - b[1]).map(([key]) => key);
  }
}
