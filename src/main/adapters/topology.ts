/** TopologyPort (API) over the TopologyService. */
import type { Neighbor, TopologyPort } from '../../api/services.ts';
import { NetpulseError } from '../../errors/index.ts';
import type { DeviceState } from '../../model/device.ts';
import type { TopologyService } from '../../topology/index.ts';

export function topologyPort(service: TopologyService, stateOf: (device: string) => DeviceState | undefined): TopologyPort {
  let running = false;
  return {
    async graph() {
      const g = service.graph();
      if (!g) return { nodes: [], links: [] };
      return {
        discoveredAt: g.generatedAt,
        nodes: g.nodes.map((n) => ({
          id: n.id, label: n.label, device: n.device, address: n.address, sysName: n.sysName,
          kind: n.managed ? 'device' : 'neighbor', state: n.device ? stateOf(n.device) : undefined,
        })),
        links: g.links.map((l) => ({
          id: l.id, source: l.a.node, target: l.b.node, sourcePort: l.a.port, targetPort: l.b.port,
          protocol: l.sources.join('+') + (l.inferred ? ' (inferred)' : ''),
        })),
      };
    },
    async neighbors(device) {
      const g = service.graph();
      const list = service.neighbors(device);
      if (!list) return g ? undefined : [];
      const byId = new Map(g!.nodes.map((n) => [n.id, n]));
      return list.map((n): Neighbor => ({
        localPort: n.localPort, remoteId: n.node, remoteName: byId.get(n.node)?.label, remotePort: n.remotePort,
        remoteAddress: byId.get(n.node)?.address, protocol: n.sources.join('+'),
      }));
    },
    async discover() {
      if (running) throw new NetpulseError({ scope: 'topology', target: 'discovery', reason: 'a discovery is already running', kind: 'conflict' });
      running = true;
      const started = Date.now();
      try {
        const g = await service.discover();
        return {
          nodes: g.nodes.length, links: g.links.length, durationMs: Date.now() - started,
          errors: g.anomalies.filter((a) => a.kind === 'unreachable' || a.kind === 'table-error').map((a) => a.message),
        };
      } finally {
        running = false;
      }
    },
  };
}
