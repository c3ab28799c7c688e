import type { CounterReading, UptimeReading } from './rates.ts';
import { agentRestarted } from './rates.ts';
import type { CounterMemory } from './profiles/types.ts';

interface RowReadings {
  at: number;
  counters: Record<string, CounterReading>;
  /** clock time after which no poll needs the row any more */
  expires: number;
}

/** A row not remembered again within this many intervals of the job that remembered it is dropped. */
export const STALE_AFTER_INTERVALS = 3;

interface DeviceEntry {
  uptime?: UptimeReading;
  rows: Map<string, RowReadings>;
  caps: Map<string, boolean>;
}

/** One device's readings as a poll sees them; taken when the poll starts, so a poll outliving forget() writes nowhere. */
export class DeviceCounters {
  constructor(private readonly e: DeviceEntry, private readonly clock: () => number) {}

  /** Feeds the latest sysUpTime; returns true (and drops the old readings) when the agent restarted. */
  observeUptime(reading: UptimeReading): boolean {
    const restarted = this.e.uptime !== undefined && agentRestarted(this.e.uptime, reading);
    if (restarted) {
      this.e.rows.clear();
      this.e.caps.clear();
    }
    this.e.uptime = reading;
    return restarted;
  }

  /**
   * The memory for one poll whose job runs every `intervalMs`: rows it remembers are kept for
   * STALE_AFTER_INTERVALS of that interval (interfaces gone, churning ifIndexes), whatever other jobs do.
   */
  memory(intervalMs: number): CounterMemory {
    const e = this.e;
    const now = this.clock();
    for (const [key, row] of e.rows) if (row.expires < now) e.rows.delete(key);
    const keepMs = STALE_AFTER_INTERVALS * intervalMs;
    return {
      previous: (key) => e.rows.get(key),
      remember: (key, at, counters) => { e.rows.set(key, { at, counters, expires: this.clock() + keepMs }); },
      forget: (key) => { e.rows.delete(key); },
      capability: (name) => e.caps.get(name),
      setCapability: (name, value) => { e.caps.set(name, value); },
    };
  }
}

/** Previous counter readings per device and row, for rates; forgets a device's readings when its agent restarts. */
export class CounterStore {
  private readonly devices = new Map<string, DeviceEntry>();

  /** `clock`: monotonic ms, the same clock the polls' reading times come from */
  constructor(private readonly clock: () => number = () => performance.now()) {}

  device(name: string): DeviceCounters {
    let e = this.devices.get(name);
    if (!e) {
      e = { rows: new Map(), caps: new Map() };
      this.devices.set(name, e);
    }
    return new DeviceCounters(e, this.clock);
  }

  /** Feeds the latest sysUpTime of `device`; true when its agent restarted (old readings dropped). */
  observeUptime(device: string, reading: UptimeReading): boolean {
    return this.device(device).observeUptime(reading);
  }

  /** The memory for one poll of `device` by a job running every `intervalMs` (default a minute). */
  memoryFor(device: string, intervalMs = 60_000): CounterMemory {
    return this.device(device).memory(intervalMs);
  }

  /** Drops the device's readings (removed, or now pointing at another agent). */
  forget(device: string): void {
    this.devices.delete(device);
  }
}
