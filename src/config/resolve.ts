/** Cross-reference checks (names, credentials, profiles) and the typed NetpulseConfig. */
import { BUILTIN_PROFILES, SCHEMA, type ResolvedDevice } from '../model/index.ts';
import { closest } from './issues.ts';
import type { RawConfig } from './schema.ts';
import type { NetpulseConfig, UserPollProfile } from './types.ts';

export function resolveConfig(raw: RawConfig, file: string, problems: string[]): NetpulseConfig {
  const credNames = Object.keys(raw.credentials);
  const userProfiles = Object.keys(raw.profiles);
  const knownProfiles = [...BUILTIN_PROFILES, ...userProfiles];
  const builtinMeasurements = Object.keys(SCHEMA);
  const hint = (name: string, names: readonly string[]) => {
    const near = closest(name, names);
    return near ? `; did you mean "${near}"?` : '';
  };

  const profiles: Record<string, UserPollProfile> = {};
  for (const [name, p] of Object.entries(raw.profiles)) {
    const at = `profiles.${name}`;
    if ((BUILTIN_PROFILES as readonly string[]).includes(name)) problems.push(`${at}: shadows the built-in profile "${name}"; choose another name`);
    const measurements = [p.measurement, ...p.tables.map((t) => t.measurement ?? p.measurement)];
    for (const m of new Set(measurements)) {
      if (builtinMeasurements.includes(m)) problems.push(`${at}: measurement "${m}" is a built-in measurement; choose another name`);
    }
    const out: UserPollProfile = { name, measurement: p.measurement, scalars: p.scalars, tables: p.tables };
    if (p.interval !== undefined) out.intervalMs = p.interval;
    profiles[name] = out;
  }

  raw.defaults.profiles.forEach((p, i) => {
    if (!knownProfiles.includes(p)) problems.push(`defaults.profiles[${i}]: unknown poll profile "${p}"${hint(p, knownProfiles)}`);
  });

  const firstByName = new Map<string, number>();
  const devices: ResolvedDevice[] = [];
  raw.devices.forEach((d, i) => {
    const at = `devices[${i}]`;
    const seen = firstByName.get(d.name);
    if (seen !== undefined) problems.push(`${at}.name: duplicate device name "${d.name}" (also devices[${seen}])`);
    else firstByName.set(d.name, i);
    const credential = raw.credentials[d.credentials];
    if (!credential) problems.push(`${at}.credentials: unknown credential profile "${d.credentials}"${hint(d.credentials, credNames)}`);

    const intervalMs = d.interval ?? raw.defaults.interval;
    const names: string[] = [];
    const profileIntervalsMs: Record<string, number> = {};
    (d.profiles ?? raw.defaults.profiles).forEach((ref, j) => {
      const name = typeof ref === 'string' ? ref : ref.name;
      if (d.profiles && !knownProfiles.includes(name)) problems.push(`${at}.profiles[${j}]: unknown poll profile "${name}"${hint(name, knownProfiles)}`);
      if (names.includes(name)) problems.push(`${at}.profiles[${j}]: profile "${name}" is listed twice`);
      names.push(name);
      const own = typeof ref === 'string' ? profiles[name]?.intervalMs : ref.interval;
      if (own !== undefined && own !== intervalMs) profileIntervalsMs[name] = own;
    });
    devices.push({
      name: d.name,
      address: d.address,
      port: d.port,
      credentials: d.credentials,
      credential: credential!,
      profiles: names,
      intervalMs,
      profileIntervalsMs,
      tags: d.tags,
      icmp: d.icmp ?? raw.defaults.icmp.enabled,
    });
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
      profiles: raw.defaults.profiles,
      icmp: { enabled: icmp.enabled, count: icmp.count, intervalMs: icmp.interval, timeoutMs: icmp.timeout, sendIntervalMs: icmp.sendInterval },
    },
    dataDir: raw.dataDir,
    mibDirs: raw.mibDirs,
    storage: raw.storage,
    notifications: raw.notifications,
    api: raw.api,
  };
  if (raw.traps) config.traps = raw.traps;
  if (raw.topology) config.topology = raw.topology;
  return config;
}
