/** Identity of a link end and of a link: node plus the canonical port name, ends in sorted order. */
import { canonicalPort } from './port-name.ts';

export interface EndRef {
  node: string;
  port?: string;
}

export function endKey(e: EndRef): string {
  return `${e.node}#${e.port === undefined ? '' : canonicalPort(e.port)}`;
}

export function linkId(a: EndRef, b: EndRef): string {
  const ka = endKey(a), kb = endKey(b);
  return ka <= kb ? `${ka}|${kb}` : `${kb}|${ka}`;
}

/** the unordered pair of nodes a link joins, whatever its ports */
export function pairKey(x: string, y: string): string {
  return x <= y ? `${x}\u0000${y}` : `${y}\u0000${x}`;
}

/**
 * Unmanaged LLDP neighbours were once keyed by sysName (`lldp:server7`), now by chassis ID:
 * an earlier graph's node id -> the id the same box has now, so the change raises no events.
 */
export function renamedNodes(before: { id: string; managed: boolean; chassisId?: string }[], now: (id: string) => boolean): Map<string, string> {
  const renames = new Map<string, string>();
  for (const n of before) {
    if (n.managed || !n.chassisId || !n.id.startsWith('lldp:')) continue;
    const id = `lldp:${n.chassisId.toLowerCase()}`;
    if (id !== n.id && now(id) && !now(n.id)) renames.set(n.id, id);
  }
  return renames;
}

export function renamedEnd<E extends EndRef>(e: E, renames: Map<string, string>): E {
  const node = renames.get(e.node);
  return node ? { ...e, node } : e;
}
