/**
 * The topology service in the shapes the API serves (src/api/services.ts `TopologyPort`), kept
 * structural so that this folder does not import the API: `services.topology = topologyPort(service)`.
 */
import { NetpulseError } from '../errors/index.ts';
import type { DeviceState } from '../model/device.ts';
import type { TopologyGraph } from './graph.ts';
import type { TopologyService } from './service.ts';

export interface ApiTopologyGraph {
  nodes: { id: string; label: string; device?: string; address?: string; sysName?: string; kind?: string; state?: DeviceState }[];
  /**
   * `inferred`: a forwarding-table (fdb/arp) guess, not a neighbour protocol's report; always set by `toApiGraph`.
   * `stale`: kept from an earlier discovery because its reporters could not be read this time; `lastSeen` (ms) says when it was last seen.
   * `reporters`: which device reports it by which source, and when each last did; `stale` on one that could not be read this time.
   */
  links: {
    id: string; source: string; target: string; sourcePort?: string; targetPort?: string; protocol: string;
    inferred?: boolean; stale?: boolean; lastSeen?: number; reporters?: ApiLinkReporter[];
  }[];
  discoveredAt?: number;
}

export interface ApiLinkReporter {
  source: string;
  device: string;
  lastSeen: number;
  stale?: boolean;
}

export interface ApiNeighbor {
  localPort?: string;
  remoteId: string;
  remoteName?: string;
  remotePort?: string;
  remoteAddress?: string;
  protocol: string;
}

export interface ApiTopologyPort {
  graph(): Promise<ApiTopologyGraph>;
  neighbors(device: string): Promise<ApiNeighbor[] | undefined>;
  discover(): Promise<{ nodes: number; links: number; durationMs: number; errors: string[] }>;
}

/** `protocol` is the link's sources joined with `,` (e.g. `lldp,cdp`), `fdb,arp` for inferred links. */
export function toApiGraph(g: TopologyGraph | undefined, state?: (device: string) => DeviceState | undefined): ApiTopologyGraph {
  if (!g) return { nodes: [], links: [] };
  return {
    nodes: g.nodes.map((n) => ({
      id: n.id, label: n.label, device: n.device, address: n.address, sysName: n.sysName,
      kind: n.kind ?? 'unknown', state: n.device ? state?.(n.device) : undefined,
    })),
    links: g.links.map((l) => ({
      id: l.id, source: l.a.node, target: l.b.node, sourcePort: l.a.port, targetPort: l.b.port, protocol: l.sources.join(','),
      inferred: l.inferred, stale: l.stale ?? false, lastSeen: l.lastSeen,
      reporters: l.reporters?.map((r) => ({ source: r.source, device: r.device, lastSeen: r.lastSeen, ...(r.stale ? { stale: true } : {}) })),
    })),
    discoveredAt: g.generatedAt,
  };
}

export function topologyPort(service: TopologyService, opts: { state?: (device: string) => DeviceState | undefined } = {}): ApiTopologyPort {
  return {
    async graph() {
      await service.ready();
      return toApiGraph(service.graph(), opts.state);
    },
    async neighbors(device) {
      await service.ready();
      return service.neighbors(device)?.map((n) => ({
        localPort: n.localPort, remoteId: n.node, remoteName: n.label, remotePort: n.remotePort, remoteAddress: n.address, protocol: n.sources.join(','),
      }));
    },
    async discover() {
      if (service.running()) throw new NetpulseError({ scope: 'topology', target: 'discovery', reason: 'a discovery is already running', kind: 'conflict' });
      const g = await service.discover();
      const run = service.lastRun();
      return { nodes: g.nodes.length, links: g.links.length, durationMs: run?.durationMs ?? 0, errors: run?.errors ?? [] };
    },
  };
}
