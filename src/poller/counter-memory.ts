import type { CounterReading, UptimeReading } from './rates.ts';
import { agentRestarted } from './rates.ts';
import type { CounterMemory } from './profiles/types.ts';

interface RowReadings {
  at: number;
  counters: Record<string, CounterReading>;
  /** the poll (memoryFor call) that last remembered this row */
  poll: number;
}

/** Rows not remembered for this many polls (interfaces that went away, churning ifIndexes) are dropped. */
const STALE_AFTER_POLLS = 3;

/** Previous counter readings per device and row, for rates; forgets a device's readings when its agent restarts. */
export class CounterStore {
  private readonly devices = new Map<string, { uptime?: UptimeReading; rows: Map<string, RowReadings>; caps: Map<string, boolean>; poll: number }>();

  private entry(device: string) {
    let e = this.devices.get(device);
    if (!e) {
      e = { rows: new Map(), caps: new Map(), poll: 0 };
      this.devices.set(device, e);
    }
    return e;
  }

  /** Feeds the latest sysUpTime; returns true (and drops the old readings) when the agent restarted. */
  observeUptime(device: string, reading: UptimeReading): boolean {
    const e = this.entry(device);
    const restarted = e.uptime !== undefined && agentRestarted(e.uptime, reading);
    if (restarted) {
      e.rows.clear();
      e.caps.clear();
    }
    e.uptime = reading;
    return restarted;
  }

  /** The memory for one poll of `device`; call once per poll (it ages out rows no poll remembers). */
  memoryFor(device: string): CounterMemory {
    const e = this.entry(device);
    const poll = ++e.poll;
    for (const [key, row] of e.rows) if (poll - row.poll > STALE_AFTER_POLLS) e.rows.delete(key);
    return {
      previous: (key) => e.rows.get(key),
      remember: (key, at, counters) => { e.rows.set(key, { at, counters, poll }); },
      forget: (key) => { e.rows.delete(key); },
      capability: (name) => e.caps.get(name),
      setCapability: (name, value) => { e.caps.set(name, value); },
    };
  }

  forget(device: string): void {
    this.devices.delete(device);
  }
}
