/** Builds a Poller from the validated config: the glue shared by `netpulse poll --once` and `netpulse start`. */
import type { NetpulseConfig, UserPollProfile } from '../config/types.ts';
import type { SampleSink } from '../model/sample.ts';
import { createSnmpClient, type NetpulseSnmpClient } from '../snmp/client.ts';
import { autoSnmpThreads } from '../snmp/threaded-client.ts';
import { createIcmpChecker } from '../icmp/engine.ts';
import type { IcmpCheckOptions, IcmpChecker, IcmpResult } from '../icmp/types.ts';
import { Poller } from './poller.ts';
import { buildProfileRegistry, type OidResolver } from './profiles/index.ts';

export interface PollerRuntime {
  poller: Poller;
  snmp: NetpulseSnmpClient;
  /** problems with user profiles (e.g. unresolvable OID names); those profiles are left out */
  profileProblems: string[];
  /**
   * Swaps the user profiles (config reload; built-ins stay): added, changed and removed by name,
   * the problems of the new ones (left out, as at start-up) and the devices whose next poll
   * uses a new definition.
   */
  setProfiles(profiles: Record<string, UserPollProfile>): ProfilesChange;
  close(graceMs?: number): Promise<void>;
}

export interface ProfilesChange {
  added: string[];
  changed: string[];
  removed: string[];
  problems: string[];
  devices: string[];
}

/** user profiles by name: added, changed (any setting, `interval` included) and removed */
export function diffProfiles(running: Record<string, UserPollProfile>, next: Record<string, UserPollProfile>): Pick<ProfilesChange, 'added' | 'changed' | 'removed'> {
  const names = Object.keys(next);
  return {
    added: names.filter((n) => !(n in running)),
    changed: names.filter((n) => n in running && JSON.stringify(running[n]) !== JSON.stringify(next[n])),
    removed: Object.keys(running).filter((n) => !(n in next)),
  };
}

export async function createPollerRuntime(
  config: NetpulseConfig,
  sink: SampleSink,
  opts: { log?: (line: string) => void; resolveOid?: OidResolver } = {},
): Promise<PollerRuntime> {
  const d = config.defaults;
  const snmp = createSnmpClient({
    threads: d.snmpThreads === undefined || d.snmpThreads === 'auto' ? autoSnmpThreads() : d.snmpThreads,
    maxConcurrency: d.concurrency,
    maxSessions: Math.max(4096, config.devices.length + 64),
  });
  // devices with icmp on can be added later through the API: the engine is detected on first use
  const icmp = new LazyIcmpChecker();
  if (d.icmp.enabled || config.devices.some((dev) => dev.icmp)) await icmp.ready();
  const profiles = buildProfileRegistry(config.profiles, opts.resolveOid);
  const poller = new Poller({
    snmp,
    icmp,
    icmpOptions: { count: d.icmp.count, periodMs: d.icmp.intervalMs, timeoutMs: d.icmp.timeoutMs, sendIntervalMs: d.icmp.sendIntervalMs },
    sink,
    profiles,
    snmpSettings: { timeoutMs: d.timeoutMs, retries: d.retries, maxRepetitions: d.maxRepetitions },
    concurrency: d.concurrency,
    walkLimits: { maxVarbinds: 100_000, maxDurationMs: Math.max(10_000, Math.min(d.intervalMs, 120_000)) },
    interfaceFilter: d.interfaces,
    log: opts.log,
  });
  let running = config.profiles;
  // a profile left out for an OID name the dictionary lacked is tried again at the next reload (a MIB may have come since)
  let problems = profiles.problems.length;
  return {
    poller,
    snmp,
    profileProblems: profiles.problems,
    setProfiles(next) {
      const diff = diffProfiles(running, next);
      running = next;
      if (!diff.added.length && !diff.changed.length && !diff.removed.length && problems === 0) return { ...diff, problems: [], devices: [] };
      const registry = buildProfileRegistry(next, opts.resolveOid);
      problems = registry.problems.length;
      return { ...diff, problems: registry.problems, devices: poller.setProfiles(registry) };
    },
    async close(graceMs = 5000) {
      await poller.stop(graceMs);
      await snmp.close();
    },
  };
}

/** Detects the ICMP engine (fping, ping or none) on the first check, then delegates to it. */
class LazyIcmpChecker implements IcmpChecker {
  private checker: IcmpChecker | undefined;
  private pending: Promise<IcmpChecker> | undefined;

  get engine(): IcmpChecker['engine'] {
    return this.checker?.engine ?? 'none';
  }

  ready(): Promise<IcmpChecker> {
    this.pending ??= createIcmpChecker().then((c) => (this.checker = c));
    return this.pending;
  }

  async check(hosts: string[], opts?: IcmpCheckOptions): Promise<Map<string, IcmpResult>> {
    return (await this.ready()).check(hosts, opts);
  }

  async close(): Promise<void> {
    // a check may be waiting for the detection: its children are ended too
    if (this.pending) await (await this.pending).close?.();
  }
}
