export { collectDevice, type CollectOptions } from './collect.ts';
export { buildGraph, type TopologyGraph, type TopoNode, type TopoLink, type LinkEnd, type LinkSource, type Anomaly } from './graph.ts';
export { toDot, toGraphml } from './export.ts';
export { diffLinks, type LinkEvent } from './diff.ts';
export {
  createTopologyService, type TopologyService, type TopologyServiceOptions, type DiscoveryRun, type NeighborView, type AutodiscoverOptions, type AutodiscoverResult,
} from './service.ts';
export { memoryTopologyStore, stateTopologyStore, type TopologyStore, type TopologyStateLike } from './store.ts';
export {
  crawl, sweep, sweepAddresses, probeAgent, probeProfiles, orderProfiles,
  type FoundDevice, type ProbeProfile, type ProbeOptions, type ProbeFailure, type CrawlResult, type SweepResult,
} from './autodiscover.ts';
export type { DeviceReport } from './report.ts';
export { topologyPort, toApiGraph, type ApiTopologyPort, type ApiTopologyGraph, type ApiNeighbor } from './api-view.ts';
export { topologyServiceFromConfig, type FromConfigOptions } from './from-config.ts';
