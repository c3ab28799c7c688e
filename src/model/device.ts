import type { Credential } from './credentials.ts';
import type { InterfaceFilter } from './interface-filter.ts';

export interface Device {
  name: string;
  address: string;
  port: number;
  /** name of the credential profile */
  credentials: string;
  /** poll profile names */
  profiles: string[];
  intervalMs: number;
  /** per-profile interval overrides */
  profileIntervalsMs: Record<string, number>;
  tags: Record<string, string>;
  icmp: boolean;
  /** which interfaces the interfaces profile polls; absent: the poller's default (defaults.interfaces) */
  interfaces?: InterfaceFilter;
  /** the devices it is reached through (while it is down or snmp-unreachable and each of them is down, or cut off further up, its alerts are suppressed: src/alerts/suppression.ts cutOffBy); absent: none */
  parents?: string[];
}

export interface ResolvedDevice extends Device {
  credential: Credential;
}

export type DeviceState = 'up' | 'down' | 'snmp-unreachable' | 'auth-failed' | 'unknown';

/**
 * States a failing path in front of the device explains, so that its parents being down
 * suppresses (and first holds) its alerts: no answer at all (`down`), or a ping answer without
 * SNMP (`snmp-unreachable`, e.g. a router in front dropping or rate-limiting traffic mid-failure).
 * `auth-failed` is not among them: the device answered and refused our credentials, a problem of its own.
 */
export const PATH_UNREACHABLE_STATES: ReadonlySet<DeviceState> = new Set<DeviceState>(['down', 'snmp-unreachable']);

export function isPathUnreachable(state: DeviceState | undefined): boolean {
  return state !== undefined && PATH_UNREACHABLE_STATES.has(state);
}
