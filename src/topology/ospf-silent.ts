/**
 * OSPF neighbours that are managed routers which could not be read this run (pure): sw1 still
 * lists sw2 while sw2 does not answer, and sw2's router id and addresses are then unknown. A row
 * naming a router id the last run's node of such a device carried (`ospfRouterId`) is sw2's: it
 * continues the last run's adjacency on that port to sw2 (its far end), not `ospf:<router-id>`.
 */
import type { LinkEnd, TopologyGraph, TopoNode } from './graph.ts';
import { endKey } from './link-id.ts';
import { adjacencyLinks } from './ospf-gone.ts';

export interface SilentRouters {
  /** the managed device, unread this run, whose router id this was last run */
  device(routerId: string): string | undefined;
  /** the far end of the last run's adjacency on `near` to `remote`, when `remote` is unread this run */
  farEnd(near: LinkEnd, remote: string): LinkEnd | undefined;
}

export function silentRouters(previous: TopologyGraph | undefined, unread: (device: string) => boolean): SilentRouters {
  const byRouterId = new Map<string, string>();
  for (const n of previous?.nodes ?? []) if (n.managed && n.ospfRouterId && unread(n.id)) byRouterId.set(n.ospfRouterId, n.id);
  const adjacency = adjacencyLinks(previous?.links ?? []);
  return {
    device: (routerId) => byRouterId.get(routerId),
    farEnd(near, remote) {
      const l = unread(remote) ? adjacency(near, remote) : undefined;
      if (!l) return undefined;
      const key = endKey(near);
      const carried = l.ospfEnds?.filter((e) => !e.stale) ?? [];
      for (const { a, b } of carried.length ? carried : [l]) {
        if (endKey(a) === key && b.node === remote) return { ...b };
        if (endKey(b) === key && a.node === remote) return { ...a };
      }
      return undefined;
    },
  };
}

/** the router id a node keeps: this run's, else (its OSPF unread) the last run's */
export function keptRouterId(read: string | undefined, unread: boolean, before: TopoNode | undefined): Pick<TopoNode, 'ospfRouterId'> {
  const id = read ?? (unread ? before?.ospfRouterId : undefined);
  return id ? { ospfRouterId: id } : {};
}
