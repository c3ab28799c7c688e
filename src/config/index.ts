export { parseConfig, loadConfig, loadConfigOrExit, configPath, formatConfigError } from './load.ts';
export type { NetpulseConfig, PollDefaults, IcmpDefaults, UserPollProfile } from './types.ts';
export { normalizeAuthProtocol, normalizePrivProtocol } from './credential-support.ts';
export type { StorageConfig } from './sections/storage.ts';
export type { TrapsConfig } from './sections/traps.ts';
export type { NotificationsConfig } from './sections/notifications.ts';
export type { ApiConfig } from './sections/api.ts';
export type { TopologyConfig } from './sections/topology.ts';
