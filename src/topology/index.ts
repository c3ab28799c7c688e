export { collectDevice } from './collect.ts';
export { buildGraph, type TopologyGraph, type TopoNode, type TopoLink, type LinkEnd, type LinkSource, type Anomaly } from './graph.ts';
export { toDot, toGraphml } from './export.ts';
export { diffLinks, type LinkEvent } from './diff.ts';
export { createTopologyService, type TopologyService } from './service.ts';
export type { DeviceReport } from './report.ts';
