import type Database from 'better-sqlite3';

/** A node of the discovered topology: a managed device or a neighbour seen through one. */
export interface TopologyNodeInput {
  id: string;
  [attr: string]: unknown;
}

/** A link between two node ports; stored once whichever end reported it. */
export interface TopologyLinkInput {
  a: string;
  aPort?: string;
  b: string;
  bPort?: string;
  [attr: string]: unknown;
}

export interface StoredTopologyNode {
  id: string;
  attrs: Record<string, unknown>;
  /** how it was learned, e.g. lldp, cdp, arp, config */
  sources: string[];
  firstSeen: number;
  lastSeen: number;
}

export interface StoredTopologyLink {
  id: string;
  a: string;
  aPort?: string;
  b: string;
  bPort?: string;
  attrs: Record<string, unknown>;
  sources: string[];
  firstSeen: number;
  lastSeen: number;
}

/** The same physical link seen from either end gets the same id. */
export function linkId(l: { a: string; aPort?: string; b: string; bPort?: string }): string {
  const x = `${l.a}\u0000${l.aPort ?? ''}`;
  const y = `${l.b}\u0000${l.bPort ?? ''}`;
  return x <= y ? `${x}\u0001${y}` : `${y}\u0001${x}`;
}

const merge = (a: string[], b: string): string[] => (a.includes(b) ? a : [...a, b].sort());

export class TopologyRepository {
  constructor(private readonly db: Database.Database) {}

  upsertNode(node: TopologyNodeInput, source: string, now = Date.now()): StoredTopologyNode {
    const { id, ...attrs } = node;
    const tx = this.db.transaction(() => {
      const old = this.db.prepare('SELECT sources, first_seen FROM topology_nodes WHERE id = ?').get(id) as { sources: string; first_seen: number } | undefined;
      const sources = merge(old ? JSON.parse(old.sources) : [], source);
      this.db.prepare(`INSERT INTO topology_nodes (id, doc, sources, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, sources = excluded.sources, last_seen = excluded.last_seen`)
        .run(id, JSON.stringify(attrs), JSON.stringify(sources), now, now);
      return { id, attrs, sources, firstSeen: old?.first_seen ?? now, lastSeen: now };
    });
    return tx();
  }

  upsertLink(link: TopologyLinkInput, source: string, now = Date.now()): StoredTopologyLink {
    const { a, aPort, b, bPort, ...attrs } = link;
    const id = linkId(link);
    // store the ends in canonical order so both directions read the same
    const swap = `${a}\u0000${aPort ?? ''}` > `${b}\u0000${bPort ?? ''}`;
    const [na, npa, nb, npb] = swap ? [b, bPort, a, aPort] : [a, aPort, b, bPort];
    const tx = this.db.transaction(() => {
      const old = this.db.prepare('SELECT sources, first_seen FROM topology_links WHERE id = ?').get(id) as { sources: string; first_seen: number } | undefined;
      const sources = merge(old ? JSON.parse(old.sources) : [], source);
      this.db.prepare(`INSERT INTO topology_links (id, a_node, a_port, b_node, b_port, doc, sources, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, sources = excluded.sources, last_seen = excluded.last_seen`)
        .run(id, na, npa ?? null, nb, npb ?? null, JSON.stringify(attrs), JSON.stringify(sources), now, now);
      const out: StoredTopologyLink = { id, a: na, b: nb, attrs, sources, firstSeen: old?.first_seen ?? now, lastSeen: now };
      if (npa !== undefined) out.aPort = npa;
      if (npb !== undefined) out.bPort = npb;
      return out;
    });
    return tx();
  }

  nodes(): StoredTopologyNode[] {
    return (this.db.prepare('SELECT * FROM topology_nodes ORDER BY id').all() as { id: string; doc: string; sources: string; first_seen: number; last_seen: number }[])
      .map((r) => ({ id: r.id, attrs: JSON.parse(r.doc), sources: JSON.parse(r.sources), firstSeen: r.first_seen, lastSeen: r.last_seen }));
  }

  links(): StoredTopologyLink[] {
    type Row = { id: string; a_node: string; a_port: string | null; b_node: string; b_port: string | null; doc: string; sources: string; first_seen: number; last_seen: number };
    return (this.db.prepare('SELECT * FROM topology_links ORDER BY id').all() as Row[]).map((r) => {
      const l: StoredTopologyLink = { id: r.id, a: r.a_node, b: r.b_node, attrs: JSON.parse(r.doc), sources: JSON.parse(r.sources), firstSeen: r.first_seen, lastSeen: r.last_seen };
      if (r.a_port !== null) l.aPort = r.a_port;
      if (r.b_port !== null) l.bPort = r.b_port;
      return l;
    });
  }

  /** removes nodes and links not seen since `before` (and links of removed nodes) */
  removeStale(before: number): { nodes: number; links: number } {
    return this.db.transaction(() => {
      const links = this.db.prepare('DELETE FROM topology_links WHERE last_seen < ?').run(before).changes;
      const nodes = this.db.prepare('DELETE FROM topology_nodes WHERE last_seen < ?').run(before).changes;
      const orphans = this.db.prepare('DELETE FROM topology_links WHERE a_node NOT IN (SELECT id FROM topology_nodes) OR b_node NOT IN (SELECT id FROM topology_nodes)').run().changes;
      return { nodes, links: links + orphans };
    })();
  }
}
