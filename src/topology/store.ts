/**
 * Where the last graph is kept between runs: a small load/save interface, an in-memory one, and
 * an adapter to the storage engineer's StateStore topology repository (src/storage/state/topology.ts),
 * typed structurally so that this folder knows nothing of SQLite.
 */
import type { LinkSource, TopoLink, TopologyGraph, TopoNode } from './graph.ts';
import { linkId } from './link-id.ts';
import { compareStrings } from './order.ts';

export interface TopologyStore {
  load(): TopologyGraph | undefined | Promise<TopologyGraph | undefined>;
  save(g: TopologyGraph): void | Promise<void>;
}

export function memoryTopologyStore(initial?: TopologyGraph): TopologyStore & { saved: number } {
  let g = initial && structuredClone(initial);
  const store = {
    saved: 0,
    load: () => g && structuredClone(g),
    save: (next: TopologyGraph) => {
      g = structuredClone(next);
      store.saved++;
    },
  };
  return store;
}

/** The parts of StateStore (`state.topology` + `state.transaction`) the adapter uses. */
export interface TopologyStateLike {
  topology: {
    upsertNode(node: { id: string; [attr: string]: unknown }, source: string, now?: number): unknown;
    upsertLink(link: { a: string; aPort?: string; b: string; bPort?: string; [attr: string]: unknown }, source: string, now?: number): unknown;
    nodes(): { id: string; attrs: Record<string, unknown>; firstSeen: number; lastSeen: number }[];
    links(): { id: string; a: string; aPort?: string; b: string; bPort?: string; attrs: Record<string, unknown>; sources: string[]; firstSeen: number; lastSeen: number }[];
    removeStale(before: number): unknown;
  };
  transaction?<T>(fn: () => T): T;
}

/** rows saved before lastSeen and firstSeen were kept in the document lack them */
type StoredLinkDoc = Omit<TopoLink, 'firstSeen' | 'lastSeen'> & { firstSeen?: number; lastSeen?: number };

/**
 * Saves a graph as the repository's nodes and links (replacing what the last save left: links not
 * in the graph are removed) and loads it back. A link's firstSeen is the earlier of the
 * repository's (its row is keyed by the ends) and its document's (a link keeps its id and
 * firstSeen when its ends change, previous-links.ts); its lastSeen is kept in its document, as
 * the row's last_seen is the time of the save (links kept from unreachable devices keep their
 * old lastSeen across a restart).
 */
export function stateTopologyStore(state: TopologyStateLike): TopologyStore {
  const repo = state.topology;
  const tx = <T>(fn: () => T): T => (state.transaction ? state.transaction(fn) : fn());
  return {
    save(g) {
      tx(() => {
        for (const n of g.nodes) {
          const { id, ...attrs } = n;
          repo.upsertNode({ id, ...attrs }, n.managed ? 'config' : (id.split(':')[0] || 'lldp'), g.generatedAt);
        }
        for (const l of g.links) {
          for (const source of l.sources) {
            repo.upsertLink({ a: l.a.node, aPort: l.a.port, b: l.b.node, bPort: l.b.port, link: l }, source, g.generatedAt);
          }
        }
        repo.removeStale(g.generatedAt);
      });
    },
    load() {
      const stored = repo.links();
      const nodes = repo.nodes();
      if (nodes.length === 0 && stored.length === 0) return undefined;
      let generatedAt = 0;
      const outNodes: TopoNode[] = nodes.map((n) => {
        generatedAt = Math.max(generatedAt, n.lastSeen);
        const a = n.attrs as Partial<TopoNode>;
        return { ...a, id: n.id, label: typeof a.label === 'string' ? a.label : n.id, managed: a.managed === true };
      });
      const links: TopoLink[] = stored.map((s) => {
        generatedAt = Math.max(generatedAt, s.lastSeen);
        const doc = s.attrs.link as StoredLinkDoc | undefined;
        if (doc && typeof doc.id === 'string' && doc.a && doc.b) {
          const firstSeen = typeof doc.firstSeen === 'number' ? Math.min(doc.firstSeen, s.firstSeen) : s.firstSeen;
          return { ...doc, firstSeen, lastSeen: typeof doc.lastSeen === 'number' ? doc.lastSeen : s.lastSeen };
        }
        // a link another writer stored: rebuild what the row says (our id, as buildGraph keeps it)
        const a = { node: s.a, port: s.aPort }, b = { node: s.b, port: s.bPort };
        return {
          id: linkId(a, b), a, b, sources: s.sources as LinkSource[],
          inferred: false, reportedBy: [], firstSeen: s.firstSeen, lastSeen: s.lastSeen,
        };
      });
      return { generatedAt, nodes: outNodes, links: links.sort((x, y) => compareStrings(x.id, y.id)), anomalies: [] };
    },
  };
}
