/**
 * Cost of continuations (previous-links.ts), counted, not timed: lookups of this run's links stay
 * linear in the links, for distinct router pairs and for thousands of parallel adjacencies of one
 * router to one unmanaged OSPF router, all moved to other interfaces.
 */
import { describe, expect, it } from 'vitest';
import type { TopoLink } from '../../src/topology/graph.ts';
import { linkId } from '../../src/topology/link-id.ts';
import { continuations } from '../../src/topology/previous-links.ts';

class CountingMap<K, V> extends Map<K, V> {
  gets = 0;
  override get(k: K): V | undefined {
    this.gets++;
    return super.get(k);
  }
}

function ospfLink(a: string, port: string, b: string, bPort?: string): TopoLink {
  const x = { node: a, port }, y = bPort ? { node: b, port: bPort } : { node: b };
  return { id: linkId(x, y), a: x, b: y, sources: ['ospf'], inferred: false, reportedBy: [a], reporters: [{ source: 'ospf', device: a, lastSeen: 1 }], firstSeen: 1, lastSeen: 1 };
}

describe('continuations at scale', () => {
  it.each<[string, (i: number, moved: boolean) => TopoLink]>([
    ['distinct pairs', (i, moved) => ospfLink(`r${i}`, moved ? 'Gi0/3' : 'Gi0/1', `s${i}`, moved ? 'Gi0/4' : 'Gi0/2')],
    ['one pair, parallel adjacencies', (i, moved) => ospfLink('r1', `${moved ? 'Vlan' : 'Gi0/'}${i}`, 'ospf:9.9.9.9')],
  ])('%s: one lookup per link, each continued once', (_, make) => {
    const n = 4000;
    const current = new CountingMap(Array.from({ length: n }, (_, i) => make(i, true)).map((l) => [l.id, l] as const));
    const groups = continuations(current, Array.from({ length: n }, (_, i) => make(i, false)));
    expect([...groups.values()].every((olds) => olds.length === 1)).toBe(true);
    expect(groups.size).toBe(n);
    expect(current.gets).toBeLessThanOrEqual(2 * n);
  });
});

describe('continuations by the same box at scale', () => {
  /** sw1 Gi0/1 to an unmanaged LLDP neighbour (a virtual machine on a host behind that port) */
  function vmLink(vm: string): TopoLink {
    const x = { node: 'sw1', port: 'Gi0/1' }, y = { node: `lldp:${vm}`, port: 'eth0' };
    return { id: linkId(x, y), a: x, b: y, sources: ['lldp'], inferred: false, reportedBy: ['sw1'], reporters: [{ source: 'lldp', device: 'sw1', lastSeen: 1 }], firstSeen: 1, lastSeen: 1 };
  }

  it('neighbours replaced by others of their protocol on one port are not compared with each other', () => {
    const n = 2000;
    const current = new Map(Array.from({ length: n }, (_, i) => vmLink(`new${i}`)).map((l) => [l.id, l] as const));
    let compared = 0;
    const neighbours = { managed: (id: string) => id === 'sw1', sameBox: () => { compared++; return false; } };
    const groups = continuations(current, Array.from({ length: n }, (_, i) => vmLink(`old${i}`)), neighbours);
    expect(groups.size).toBe(n);
    expect([...groups].every(([key, olds]) => olds.length === 1 && olds[0].id === key)).toBe(true);
    expect(compared).toBe(0);
  });
});
