/** A TopologyService wired from the netpulse config: devices, SNMP defaults, crawl/sweep, schedule. */
import type { NetpulseConfig } from '../config/index.ts';
import type { IcmpChecker } from '../icmp/types.ts';
import type { ResolvedDevice } from '../model/device.ts';
import type { SnmpClient } from '../snmp/types.ts';
import { probeProfiles } from './autodiscover.ts';
import { createTopologyService, type AutodiscoverOptions, type TopologyService, type TopologyServiceOptions } from './service.ts';
import type { TopologyStore } from './store.ts';

export interface FromConfigOptions {
  client: SnmpClient;
  /** the devices to discover; default the config's (pass the live list when the API adds devices) */
  devices?: () => ResolvedDevice[];
  store?: TopologyStore;
  /** for sweeps with topology.sweep.icmp (createIcmpChecker()) */
  icmp?: IcmpChecker;
  /** start the cron schedule from topology.schedule; default true */
  schedule?: boolean;
  onGraph?: TopologyServiceOptions['onGraph'];
}

export function topologyServiceFromConfig(config: NetpulseConfig, o: FromConfigOptions): TopologyService {
  const d = config.defaults;
  const t = config.topology;
  let autodiscover: AutodiscoverOptions | undefined;
  const crawlOn = t?.crawl?.enabled && t.crawl.subnets.length > 0;
  if (t && (crawlOn || t.subnets?.length)) {
    autodiscover = {
      profiles: probeProfiles(config.credentials, t.probe.credentials),
      probe: { port: t.probe.port, timeoutMs: t.probe.timeout, retries: t.probe.retries, maxRepetitions: d.maxRepetitions },
      crawl: crawlOn ? { subnets: t.crawl!.subnets, maxDevices: t.crawl!.maxDevices } : undefined,
      sweep: t.subnets?.length ? { subnets: t.subnets, allowLarge: t.sweep.allowLarge, icmp: t.sweep.icmp ? o.icmp : undefined } : undefined,
    };
  }
  const service = createTopologyService({
    client: o.client,
    devices: o.devices ?? (() => config.devices),
    target: (dev) => ({ address: dev.address, port: dev.port, credential: dev.credential, timeoutMs: d.timeoutMs, retries: d.retries, maxRepetitions: d.maxRepetitions }),
    store: o.store,
    onGraph: o.onGraph,
    autodiscover,
  });
  if (t?.schedule && o.schedule !== false) service.schedule(t.schedule);
  return service;
}
