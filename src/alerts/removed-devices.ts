import type { Alert } from './types.ts';
import type { Retried } from './retry.ts';

/** devices removed at once up to which their active alerts are looked up by device; more: one listing of all */
export const DEVICE_LOOKUPS = 16;

/** What one sweep for removed devices clears: the alerts naming one of `devices`, or (`full`) any device the inventory no longer has. */
export interface DeviceSweep {
  devices: ReadonlySet<string>;
  full: boolean;
  /** whether the alert `a` is one this sweep clears */
  of(a: Pick<Alert, 'device'>): boolean;
}

/**
 * The sweeps for removed devices that could not list the store (state.db locked or failing), owed
 * until one lists: the devices named, and whether the start-up's full sweep against the inventory
 * is owed too. Retried by the timer with the backoff of failed saves (retry.ts) and at each call.
 */
export class OwedDeviceSweeps implements Retried {
  private readonly devices = new Set<string>();
  private fullOwed = false;
  /** the inventory (given at start-up): a device it has again keeps its alerts, its owed sweep cancelled */
  private exists: ((device: string) => boolean) | undefined;
  failures?: number;
  retryAt?: number;

  get pending(): boolean {
    return this.fullOwed || this.devices.size > 0;
  }

  /** from now on a device `exists` has is never swept unless named again; and a full sweep is owed */
  useInventory(exists: (device: string) => boolean): void {
    this.exists = exists;
    this.fullOwed = true;
  }

  /** the sweep to run now: `named` (just removed) and the owed devices still gone, and the full sweep if owed */
  next(named: readonly string[]): DeviceSweep {
    const gone = (device: string) => !this.exists?.(device);
    for (const d of [...this.devices]) if (!gone(d)) this.devices.delete(d);
    const devices = new Set([...named, ...this.devices]);
    const full = this.fullOwed;
    return { devices, full, of: (a) => a.device !== undefined && (devices.has(a.device) || (full && gone(a.device))) };
  }

  /** `sweep` could not list: owed; true when it names a device not owed before (worth a log line) */
  failed(sweep: DeviceSweep): boolean {
    let added = this.failures === undefined;
    for (const d of sweep.devices) {
      if (this.devices.has(d)) continue;
      this.devices.add(d);
      added = true;
    }
    this.fullOwed ||= sweep.full;
    return added;
  }

  /** `sweep` listed: what it covered is no longer owed; returns the attempts that had failed in a row */
  done(sweep: DeviceSweep): number {
    const failures = this.failures ?? 0;
    for (const d of sweep.devices) this.devices.delete(d);
    if (sweep.full) this.fullOwed = false;
    this.failures = undefined;
    this.retryAt = undefined;
    return failures;
  }
}
