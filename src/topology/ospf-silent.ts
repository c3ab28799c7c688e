/**
 * OSPF neighbours that are managed routers which could not be read this run (pure): sw1 still
 * lists sw2 while sw2 does not answer, and sw2's router id and addresses are then unknown. A row
 * naming a router id the last run's node of such a device carried (`ospfRouterId`) is sw2's: it
 * continues the last run's adjacency on that port to sw2 (its far end), not `ospf:<router-id>`.
 */
import type { LinkEnd, TopologyGraph, TopoNode } from './graph.ts';
import { adjacencyLinks } from './ospf-gone.ts';

export interface SilentRouters {
  /** the managed device, unread this run, whose router id this was last run (the only one) */
  device(routerId: string): string | undefined;
  /** the far end of the last run's adjacency on `near` to `remote`, when `remote` is unread this run */
  farEnd(near: LinkEnd, remote: string): LinkEnd | undefined;
}

export function silentRouters(previous: TopologyGraph | undefined, unread: (device: string) => boolean): SilentRouters {
  // a router id two such devices carried (a duplicate, or a neighbour's wrong row) names neither: null
  const byRouterId = new Map<string, string | null>();
  for (const n of previous?.nodes ?? []) {
    if (n.managed && n.ospfRouterId && unread(n.id)) byRouterId.set(n.ospfRouterId, byRouterId.has(n.ospfRouterId) ? null : n.id);
  }
  const adjacency = adjacencyLinks(previous?.links ?? []);
  return {
    device: (routerId) => byRouterId.get(routerId) ?? undefined,
    farEnd(near, remote) {
      const found = unread(remote) ? adjacency(near, remote) : undefined;
      return found && { ...found.far };
    },
  };
}

/** the router id a node keeps: this run's, else (its OSPF unread) the last run's */
export function keptRouterId(read: string | undefined, unread: boolean, before: TopoNode | undefined): Pick<TopoNode, 'ospfRouterId'> {
  const id = read ?? (unread ? before?.ospfRouterId : undefined);
  return id ? { ospfRouterId: id } : {};
}
