import type { Credential, PollProfile, ResolvedDevice } from '../model/index.ts';
import type { InterfaceFilter } from '../model/interface-filter.ts';
import type { AlertsConfig } from './sections/alerts.ts';
import type { ApiConfig } from './sections/api.ts';
import type { MaintenanceConfig } from './sections/maintenance.ts';
import type { MibUploadConfig } from './sections/mib-upload.ts';
import type { NotificationsConfig } from './sections/notifications.ts';
import type { StorageConfig } from './sections/storage.ts';
import type { TopologyConfig } from './sections/topology.ts';
import type { TrapsConfig } from './sections/traps.ts';

export interface IcmpDefaults {
  enabled: boolean;
  count: number;
  /** between two probes to one host (fping -p) */
  intervalMs: number;
  timeoutMs: number;
  /** between any two probes sent (fping -i) */
  sendIntervalMs: number;
}

export interface PollDefaults {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  maxRepetitions: number;
  /** polls in flight across all devices */
  concurrency: number;
  /** SNMP threads (0: none, the main thread does it all); 'auto' or absent: one per core, at most 4 */
  snmpThreads?: number | 'auto';
  profiles: string[];
  icmp: IcmpDefaults;
  /** which interfaces the interfaces profile polls on devices without their own; absent: all */
  interfaces?: InterfaceFilter;
}

/** A poll profile from the config file; OIDs are numeric or `MODULE::name` (the OID dictionary resolves them). */
export interface UserPollProfile extends PollProfile {
  intervalMs?: number;
}

/**
 * The validated configuration. Durations are milliseconds (named `...Ms` here; inside the
 * sections they keep the file's key names, e.g. storage.influx.flushInterval, but hold ms).
 */
export interface NetpulseConfig {
  /** the file it came from, '' when parsed from text */
  file: string;
  credentials: Record<string, Credential>;
  devices: ResolvedDevice[];
  profiles: Record<string, UserPollProfile>;
  defaults: PollDefaults;
  dataDir: string;
  mibDirs: string[];
  /** the dictionary's browse and search indexes are built at start-up, not on first use */
  mibWarmup: boolean;
  /** limits of the MIB upload parser (POST /api/v1/mibs) */
  mibUpload: MibUploadConfig;
  storage: StorageConfig;
  /** absent: no trap receiver */
  traps?: TrapsConfig;
  alerts: AlertsConfig;
  notifications: NotificationsConfig;
  api: ApiConfig;
  /** absent: no scheduled discovery */
  topology?: TopologyConfig;
  /** maintenance windows from the file (the API adds its own) */
  maintenance: MaintenanceConfig;
  /** settings accepted but probably not meant, one line each (`api.cors: ...`); start-up logs them */
  warnings: string[];
}
