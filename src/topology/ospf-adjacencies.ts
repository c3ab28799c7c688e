/**
 * Which OSPF neighbour rows of one router pair are one adjacency (pure). Each router reports the
 * adjacency from its side: A names B's interface address and, through its subnet, its own; B the
 * reverse. Rows sharing an address or a port (node and interface) are one adjacency; parallel
 * links on other subnets are others. When each router names the other by at most one address,
 * the pair has one adjacency, whatever its rows can tell (prefix lengths missing on both sides).
 * A row over an unnumbered interface names the other router's loopback, the same address for all
 * of them: it is told apart by its local ifIndex (`addressLessIndex`) instead, and shares only its
 * keys (its port) with the rows of the other side.
 */
import { compareStrings, pushTo } from './order.ts';

export interface AdjacencyRow {
  reporter: string;
  /** the neighbour's interface address, as the reporter's ospfNbrTable gives it */
  ip: string;
  /** the other addresses and the port end keys (link-id.ts endKey) the row names */
  keys: string[];
  /** ospfNbrAddressLessIndex: the reporter's unnumbered interface (ifIndex) the adjacency is on */
  addressLessIndex?: number;
}

/** what tells a reporter's adjacencies apart: the neighbour address, or the unnumbered interface */
const adjacencyKey = (r: AdjacencyRow): string => (r.addressLessIndex ? `${r.reporter}\u0000${r.addressLessIndex}` : r.ip);

/** the pair's adjacencies, each its rows in (reporter, ip) order, ordered by their first row: the same whatever the order of `rows` */
export function groupAdjacencies<R extends AdjacencyRow>(rows: R[]): R[][] {
  const sorted = [...rows].sort((x, y) => compareStrings(x.reporter, y.reporter) || compareStrings(x.ip, y.ip) || (x.addressLessIndex ?? 0) - (y.addressLessIndex ?? 0));
  const adjacencies = new Map<string, Set<string>>();
  for (const r of sorted) adjacencies.set(r.reporter, (adjacencies.get(r.reporter) ?? new Set<string>()).add(adjacencyKey(r)));
  if ([...adjacencies.values()].every((s) => s.size <= 1)) return sorted.length ? [sorted] : [];
  const parent = new Map<string, string>();
  const root = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    for (let x = k; x !== r;) { const next = parent.get(x)!; parent.set(x, r); x = next; }
    return r;
  };
  for (const row of sorted) {
    const own = adjacencyKey(row);
    const keys = [own, ...row.keys];
    for (const k of keys) if (!parent.has(k)) parent.set(k, k);
    for (const k of keys) parent.set(root(k), root(own));
  }
  const groups = new Map<string, R[]>();
  for (const row of sorted) {
    pushTo(groups, root(adjacencyKey(row)), row);
  }
  return [...groups.values()];
}
