/**
 * The StateStore adapter: a link kept from an unreachable device keeps its old lastSeen across a
 * save and a load (a restart); first-seen times are the repository's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/storage/state/store.ts';
import type { TopoLink, TopologyGraph } from '../../src/topology/graph.ts';
import { stateTopologyStore } from '../../src/topology/store.ts';

const link = (id: string, firstSeen: number, lastSeen: number): TopoLink => ({
  id, a: { node: 'sw1', port: `Gi0/${id}` }, b: { node: 'sw2', port: 'Gi0/9' }, sources: ['lldp'], inferred: false, reportedBy: ['sw1'], firstSeen, lastSeen,
});
const graph = (generatedAt: number, links: TopoLink[]): TopologyGraph => ({
  generatedAt, links, anomalies: [],
  nodes: [{ id: 'sw1', label: 'sw1', managed: true, device: 'sw1' }, { id: 'sw2', label: 'sw2', managed: true, device: 'sw2' }],
});

let state: StateStore | undefined;
afterEach(() => state?.close());

describe('stateTopologyStore', () => {
  it('keeps a kept link\'s old lastSeen through save and load', async () => {
    state = new StateStore(':memory:');
    const store = stateTopologyStore(state);
    store.save(graph(1_000, [link('1', 1_000, 1_000), link('2', 1_000, 1_000)]));
    // sw2 went quiet: link 2 is kept from the last run with its old lastSeen, link 1 was seen again
    store.save(graph(2_000, [link('1', 1_000, 2_000), link('2', 1_000, 1_000)]));
    const loaded = (await stateTopologyStore(state).load())!;
    expect(loaded.generatedAt).toBe(2_000);
    expect(loaded.links.map((l) => [l.id, l.firstSeen, l.lastSeen])).toEqual([['1', 1_000, 2_000], ['2', 1_000, 1_000]]);
  });
});
