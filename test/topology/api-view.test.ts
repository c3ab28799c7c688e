/** The API view of the graph keeps whether a link is inferred (a forwarding-table guess) or stale, and when it was last seen. */
import { describe, expect, it } from 'vitest';
import { toApiGraph } from '../../src/topology/api-view.ts';
import type { TopoLink } from '../../src/topology/graph.ts';

const link = (id: string, sources: TopoLink['sources'], inferred: boolean, stale?: boolean): TopoLink => ({
  id, a: { node: 'sw1', port: 'Gi0/1' }, b: { node: 'sw2', port: 'Gi0/2' }, sources, inferred, reportedBy: ['sw1'], firstSeen: 1, lastSeen: 3,
  ...(stale === undefined ? {} : { stale }),
});

describe('toApiGraph', () => {
  it.each([
    [['lldp'], false, undefined],
    [['fdb'], true, undefined],
    [['fdb', 'arp'], true, undefined],
    [['fdb', 'arp', 'ospf'], true, undefined],
    [['lldp'], false, true],
    [['fdb'], true, true],
    [['cdp'], false, false],
  ] as [TopoLink['sources'], boolean, boolean | undefined][])('%j, inferred %s, stale %s', (sources, inferred, stale) => {
    const g = toApiGraph({ generatedAt: 5, nodes: [{ id: 'sw1', label: 'sw1', managed: true }, { id: 'sw2', label: 'sw2', managed: true }], links: [link('l', sources, inferred, stale)], anomalies: [] });
    expect(g.links).toEqual([{ id: 'l', source: 'sw1', target: 'sw2', sourcePort: 'Gi0/1', targetPort: 'Gi0/2', protocol: sources.join(','), inferred, stale: stale ?? false, lastSeen: 3 }]);
  });
});

describe('toApiGraph reporters', () => {
  it.each<[string, TopoLink['reporters'], unknown]>([
    ['a link from a graph saved before reporters were kept', undefined, undefined],
    ['each source\'s reporter, a stale one flagged', [{ source: 'cdp', device: 'sw2', lastSeen: 1, stale: true }, { source: 'lldp', device: 'sw1', lastSeen: 3 }],
      [{ source: 'cdp', device: 'sw2', lastSeen: 1, stale: true }, { source: 'lldp', device: 'sw1', lastSeen: 3 }]],
  ])('%s', (_, reporters, want) => {
    const l = { ...link('l', ['lldp'], false), ...(reporters ? { reporters } : {}) };
    const g = toApiGraph({ generatedAt: 5, nodes: [], links: [l], anomalies: [] });
    expect(g.links[0].reporters).toStrictEqual(want);
    expect('stale' in (g.links[0].reporters?.[1] ?? {})).toBe(false);
  });
});
