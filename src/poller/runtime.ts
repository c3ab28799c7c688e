/** Builds a Poller from the validated config: the glue shared by `netpulse poll --once` and `netpulse start`. */
import type { NetpulseConfig } from '../config/types.ts';
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
  close(graceMs?: number): Promise<void>;
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
  return {
    poller,
    snmp,
    profileProblems: profiles.problems,
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
}
