/** Builds a Poller from the validated config: the glue shared by `netpulse poll --once` and `netpulse start`. */
import type { NetpulseConfig } from '../config/types.ts';
import type { SampleSink } from '../model/sample.ts';
import { createSnmpClient, type NetpulseSnmpClient } from '../snmp/client.ts';
import { createIcmpChecker } from '../icmp/engine.ts';
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
    maxConcurrency: d.concurrency,
    maxSessions: Math.max(4096, config.devices.length + 64),
  });
  const anyIcmp = config.devices.some((dev) => dev.icmp);
  const icmp = anyIcmp ? await createIcmpChecker() : undefined;
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
