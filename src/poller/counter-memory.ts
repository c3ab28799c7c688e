import type { CounterReading, UptimeReading } from './rates.ts';
import { agentRestarted } from './rates.ts';
import type { CounterMemory } from './profiles/types.ts';

interface RowReadings {
  at: number;
  counters: Record<string, CounterReading>;
}

/** Previous counter readings per device and row, for rates; forgets a device's readings when its agent restarts. */
export class CounterStore {
  private readonly devices = new Map<string, { uptime?: UptimeReading; rows: Map<string, RowReadings>; caps: Map<string, boolean> }>();

  private entry(device: string) {
    let e = this.devices.get(device);
    if (!e) {
      e = { rows: new Map(), caps: new Map() };
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

  memoryFor(device: string): CounterMemory {
    const e = this.entry(device);
    return {
      previous: (key) => e.rows.get(key),
      remember: (key, at, counters) => { e.rows.set(key, { at, counters }); },
      capability: (name) => e.caps.get(name),
      setCapability: (name, value) => { e.caps.set(name, value); },
    };
  }

  forget(device: string): void {
    this.devices.delete(device);
  }
}
