// What a node keeps of port-less adjacencies that went down (ospfGone) is bounded: an agent that
// renames its ports every run must not grow the saved graph without end.
import { describe, expect, it } from 'vitest';
import type { TopoLink, TopoNode } from '../../src/topology/graph.ts';
import { adjacencyLinks, keepGoneAdjacencies, MAX_GONE_PER_NODE } from '../../src/topology/ospf-gone.ts';

const router = (id: string, ospfGone?: TopoNode['ospfGone']): TopoNode => ({ id, label: id, managed: true, device: id, ...(ospfGone ? { ospfGone } : {}) });
const port = (i: number) => `gi0/${String(i).padStart(4, '0')}`;
/** a port-less OSPF link from sw1's `p` to sw2 that went down this run */
const droppedLink = (p: string): TopoLink => ({
  id: `sw1#${p}|sw2#`, a: { node: 'sw1', port: p }, b: { node: 'sw2' }, sources: ['ospf'], reportedBy: ['sw1'],
  reporters: [{ device: 'sw1', source: 'ospf' }], inferred: false, firstSeen: 0, lastSeen: 0,
} as TopoLink);

describe('ospfGone is bounded', () => {
  it(`keeps at most ${MAX_GONE_PER_NODE} per node, this run's before last run's`, () => {
    const old = Array.from({ length: MAX_GONE_PER_NODE + 40 }, (_, i) => ({ port: port(i), remote: 'sw2' }));
    const nodes = new Map([['sw1', router('sw1')], ['sw2', router('sw2')]]);
    keepGoneAdjacencies(nodes, adjacencyLinks([]), [router('sw1', old), router('sw2')], [droppedLink('gi9/1')]);
    const kept = nodes.get('sw1')!.ospfGone!;
    expect(kept).toHaveLength(MAX_GONE_PER_NODE);
    expect(kept.map((g) => g.port)).toContain('gi9/1');
    // last run's went first
    expect(kept.map((g) => g.port)).not.toContain(port(0));
  });

  it('under the bound, every one is kept', () => {
    const old = Array.from({ length: 10 }, (_, i) => ({ port: port(i), remote: 'sw2' }));
    const nodes = new Map([['sw1', router('sw1')], ['sw2', router('sw2')]]);
    keepGoneAdjacencies(nodes, adjacencyLinks([]), [router('sw1', old), router('sw2')], []);
    expect(nodes.get('sw1')!.ospfGone).toHaveLength(10);
  });
});
