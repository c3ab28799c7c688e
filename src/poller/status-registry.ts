import { EventEmitter } from 'node:events';
import type { DeviceState } from '../model/device.ts';
import type { SnmpVersion } from '../model/credentials.ts';

/** What the API shows per device. */
export interface DeviceStatus {
  device: string;
  address: string;
  state: DeviceState;
  /** SNMP version in use for the device */
  version: SnmpVersion;
  /** ms since the epoch of the last finished poll, undefined before the first */
  lastPollAt: number | undefined;
  lastPollDurationMs: number | undefined;
  /** last error text (never contains secrets), undefined when the last poll was clean */
  lastError: string | undefined;
  /** since when the device is in `state`, ms since the epoch */
  since: number;
  /** polls skipped because the previous one overran its interval (or never started in time) */
  missedPolls: number;
  pollsDone: number;
  /** interfaces the interface filter left out at the last poll of the interfaces profile; undefined without a filter */
  interfacesFiltered: number | undefined;
}

export interface StateChange {
  device: string;
  address: string;
  from: DeviceState;
  to: DeviceState;
  version: SnmpVersion;
  error: string | undefined;
  at: number;
}

export interface PollReport {
  state: DeviceState;
  error: string | undefined;
  at: number;
  durationMs: number;
}

/**
 * In-memory device status the API reads; emits `change` (StateChange) on every state
 * transition, including the first one out of `unknown` (subscribers may ignore those).
 */
export class DeviceStatusRegistry extends EventEmitter<{ change: [StateChange] }> {
  private readonly statuses = new Map<string, DeviceStatus>();

  register(device: string, address: string, version: SnmpVersion, now = Date.now()): DeviceStatus {
    let s = this.statuses.get(device);
    if (!s) {
      s = {
        device, address, version, state: 'unknown', lastPollAt: undefined, lastPollDurationMs: undefined,
        lastError: undefined, since: now, missedPolls: 0, pollsDone: 0, interfacesFiltered: undefined,
      };
      this.statuses.set(device, s);
    } else {
      s.address = address;
      s.version = version;
      s.interfacesFiltered = undefined; // the device (and so its filter) may have changed
    }
    return s;
  }

  /** Records a finished primary poll; emits `change` when the state moved. */
  report(device: string, r: PollReport): void {
    const s = this.statuses.get(device);
    if (!s) return;
    const from = s.state;
    s.lastPollAt = r.at;
    s.lastPollDurationMs = r.durationMs;
    s.lastError = r.error;
    s.pollsDone++;
    if (from !== r.state) {
      s.state = r.state;
      s.since = r.at;
      this.emit('change', { device, address: s.address, from, to: r.state, version: s.version, error: r.error, at: r.at });
    }
  }

  /** Records an error of a secondary job (other profile interval) without changing the state. */
  noteError(device: string, error: string | undefined): void {
    const s = this.statuses.get(device);
    if (s && error) s.lastError = error;
  }

  /** Records how many interfaces a poll of the interfaces profile left out (undefined: no filter). */
  noteInterfacesFiltered(device: string, count: number | undefined): void {
    const s = this.statuses.get(device);
    if (s) s.interfacesFiltered = count;
  }

  missed(device: string): void {
    const s = this.statuses.get(device);
    if (s) s.missedPolls++;
  }

  get(device: string): DeviceStatus | undefined {
    const s = this.statuses.get(device);
    return s ? { ...s } : undefined;
  }

  list(): DeviceStatus[] {
    return [...this.statuses.values()].map((s) => ({ ...s }));
  }

  /** Devices per state and per SNMP version (the UI's counts). */
  counts(): { byState: Record<string, number>; byVersion: Record<string, number> } {
    const byState: Record<string, number> = {};
    const byVersion: Record<string, number> = {};
    for (const s of this.statuses.values()) {
      byState[s.state] = (byState[s.state] ?? 0) + 1;
      byVersion[s.version] = (byVersion[s.version] ?? 0) + 1;
    }
    return { byState, byVersion };
  }

  remove(device: string): void {
    this.statuses.delete(device);
  }
}
