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
  /** the devices it is reached through (its alerts are suppressed while all of them are down); absent: none */
  parents?: string[];
}

export interface ResolvedDevice extends Device {
  credential: Credential;
}

export type DeviceState = 'up' | 'down' | 'snmp-unreachable' | 'auth-failed' | 'unknown';
