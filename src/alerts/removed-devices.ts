import { OwedSweeps, namedUpTo, type RemovalSweep } from './owed-sweeps.ts';
import { DEVICE_REMOVED } from './threshold.ts';

/** devices removed at once up to which their active alerts are looked up by device; more: one listing of all */
const DEVICE_LOOKUPS = 16;

/** What one sweep for removed devices clears: the alerts naming one of `devices`, or (`full`) any device the inventory no longer has. */
export interface DeviceSweep extends RemovalSweep {
  devices: ReadonlySet<string>;
  full: boolean;
}

function deviceSweep(devices: ReadonlySet<string>, full: boolean, gone: (device: string) => boolean): DeviceSweep {
  const names = [...devices];
  const named = names.length ? ` (${namedUpTo(names)})` : '';
  return {
    devices, full,
    empty: !devices.size && !full,
    of: (a) => a.device !== undefined && (devices.has(a.device) || (full && gone(a.device))),
    list: (store, active) => !full && devices.size <= DEVICE_LOOKUPS
      ? names.flatMap((device) => store.list({ state: 'active', device }))
      : active(),
    by: DEVICE_REMOVED,
    what: 'devices removed',
    listing: `${full ? 'devices no longer in the inventory' : 'devices removed'}${named}`,
  };
}

/**
 * The sweeps for removed devices that could not list the store, owed until one lists (OwedSweeps):
 * the devices named, and whether the start-up's full sweep against the inventory is owed too.
 */
export class OwedDeviceSweeps extends OwedSweeps<DeviceSweep> {
  private readonly devices = new Set<string>();
  private fullOwed = false;
  /** the inventory (given at start-up): a device it has again keeps its alerts, its owed sweep cancelled */
  private exists: ((device: string) => boolean) | undefined;

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
    return deviceSweep(new Set([...named, ...this.devices]), this.fullOwed, gone);
  }

  owed(): DeviceSweep {
    return this.next([]);
  }

  protected keep(sweep: DeviceSweep): boolean {
    let added = false;
    for (const d of sweep.devices) {
      if (this.devices.has(d)) continue;
      this.devices.add(d);
      added = true;
    }
    this.fullOwed ||= sweep.full;
    return added;
  }

  protected forget(): void {
    this.devices.clear();
    this.fullOwed = false;
  }

  protected settle(sweep: DeviceSweep): void {
    for (const d of sweep.devices) this.devices.delete(d);
    if (sweep.full) this.fullOwed = false;
  }
}
