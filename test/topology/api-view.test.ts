/** The API view of the graph keeps whether a link is inferred (a forwarding-table guess). */
import { describe, expect, it } from 'vitest';
import { toApiGraph } from '../../src/topology/api-view.ts';
import type { TopoLink } from '../../src/topology/graph.ts';

const link = (id: string, sources: TopoLink['sources'], inferred: boolean): TopoLink => ({
  id, a: { node: 'sw1', port: 'Gi0/1' }, b: { node: 'sw2', port: 'Gi0/2' }, sources, inferred, reportedBy: ['sw1'], firstSeen: 1, lastSeen: 1,
});

describe('toApiGraph', () => {
  it.each([
    [['lldp'], false],
    [['fdb'], true],
    [['fdb', 'arp'], true],
    [['fdb', 'arp', 'ospf'], true],
  ] as [TopoLink['sources'], boolean][])('%j, inferred %s', (sources, inferred) => {
    const g = toApiGraph({ generatedAt: 5, nodes: [{ id: 'sw1', label: 'sw1', managed: true }, { id: 'sw2', label: 'sw2', managed: true }], links: [link('l', sources, inferred)], anomalies: [] });
    expect(g.links).toEqual([{ id: 'l', source: 'sw1', target: 'sw2', sourcePort: 'Gi0/1', targetPort: 'Gi0/2', protocol: sources.join(','), inferred }]);
  });
});
