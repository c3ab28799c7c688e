/** Builds the typed NetpulseConfig from the validated tree (references are checked in references.ts). */
import type { ResolvedDevice } from '../model/index.ts';
import type { RawConfig } from './schema.ts';
import { apiWarnings } from './sections/api.ts';
import type { NetpulseConfig, UserPollProfile } from './types.ts';

export function resolveConfig(raw: RawConfig, file: string): NetpulseConfig {
  const profiles: Record<string, UserPollProfile> = {};
  for (const [name, p] of Object.entries(raw.profiles)) {
    const out: UserPollProfile = { name, measurement: p.measurement, scalars: p.scalars, tables: p.tables };
    if (p.interval !== undefined) out.intervalMs = p.interval;
    profiles[name] = out;
  }

  const devices: ResolvedDevice[] = raw.devices.map((d) => {
    const intervalMs = d.interval ?? raw.defaults.interval;
    const names: string[] = [];
    const profileIntervalsMs: Record<string, number> = {};
    for (const ref of d.profiles ?? raw.defaults.profiles) {
      const name = typeof ref === 'string' ? ref : ref.name;
      names.push(name);
      const own = typeof ref === 'string' ? profiles[name]?.intervalMs : ref.interval;
      if (own !== undefined && own !== intervalMs) profileIntervalsMs[name] = own;
    }
    const device: ResolvedDevice = {
      name: d.name,
      address: d.address,
      port: d.port,
      credentials: d.credentials,
      credential: raw.credentials[d.credentials],
      profiles: names,
      intervalMs,
      profileIntervalsMs,
      tags: d.tags,
      icmp: d.icmp ?? raw.defaults.icmp.enabled,
    };
    if (d.interfaces) device.interfaces = d.interfaces;
    if (d.parents?.length) device.parents = [...d.parents];
    return device;
  });

  const { icmp } = raw.defaults;
  const config: NetpulseConfig = {
    file,
    credentials: raw.credentials,
    devices,
    profiles,
    defaults: {
      intervalMs: raw.defaults.interval,
      timeoutMs: raw.defaults.timeout,
      retries: raw.defaults.retries,
      maxRepetitions: raw.defaults.maxRepetitions,
      concurrency: raw.defaults.concurrency,
      snmpThreads: raw.defaults.snmpThreads,
      profiles: raw.defaults.profiles,
      icmp: { enabled: icmp.enabled, count: icmp.count, intervalMs: icmp.interval, timeoutMs: icmp.timeout, sendIntervalMs: icmp.sendInterval },
    },
    dataDir: raw.dataDir,
    mibDirs: raw.mibDirs,
    mibWarmup: raw.mibWarmup,
    mibUpload: raw.mibUpload,
    storage: raw.storage,
    alerts: raw.alerts,
    notifications: raw.notifications,
    api: raw.api,
    maintenance: raw.maintenance,
    warnings: apiWarnings(raw.api),
  };
  if (raw.defaults.interfaces) config.defaults.interfaces = raw.defaults.interfaces;
  if (raw.traps) config.traps = raw.traps;
  if (raw.topology) config.topology = raw.topology;
  return config;
}
