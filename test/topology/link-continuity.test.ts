/**
 * A link keeps its id while any source still reports it: OSPF, which joins the link a router
 * pair already has, carries the id when LLDP drops out or comes in with other ends. Earlier links
 * that collapse into one keep every reporter they had, unread ones included.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, type LinkSource, type TopoLink, type TopologyGraph } from '../../src/topology/graph.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { stateTopologyStore } from '../../src/topology/store.ts';
import type { DeviceReport } from '../../src/topology/report.ts';
import type { LinkReporter } from '../../src/topology/reporters.ts';
import { buildRuns, linkEvents, lldp, ospf, sw } from './fixtures.ts';

const show = (x: LinkReporter) => `${x.source}/${x.device}@${x.lastSeen}${x.stale ? '~' : ''}`;
const view = (g: TopologyGraph) => g.links.map((l) => ({
  id: l.id, ends: `${l.a.node}:${l.a.port ?? ''} - ${l.b.node}:${l.b.port ?? ''}`, stale: l.stale ?? false, firstSeen: l.firstSeen, reporters: (l.reporters ?? []).map(show),
}));

/** sw1 Gi0/1 - sw2 Gi0/2 by LLDP (both ways); OSPF over the routed interfaces Gi0/3 - Gi0/4 */
type Run = { lldp1?: boolean; lldp2?: boolean; ospf?: boolean; lldpPorts?: [number, number] };
function run(o: Run): DeviceReport[] {
  const [a, b] = [sw(1), sw(2)];
  const [pa, pb] = o.lldpPorts ?? [1, 2];
  if (o.lldp1) lldp(a, pa, b, pb);
  if (o.lldp2) lldp(b, pb, a, pa);
  if (o.ospf) {
    ospf(a, b);
  }
  return [a, b];
}

const both: Run = { lldp1: true, lldp2: true, ospf: true };
const LLDP_ID = 'sw1#gi0/1|sw2#gi0/2';
const OSPF_ID = 'sw1#gi0/3|sw2#gi0/4';

describe('a link seen by several sources keeps its id while one still reports it', () => {
  it.each<[string, Run[], { id: string; ends: string; events: string[] }]>([
    ['LLDP disabled on both sides, OSPF still up: the LLDP link keeps its id', [both, { ospf: true }], { id: LLDP_ID, ends: 'sw1:Gi0/3 - sw2:Gi0/4', events: [] }],
    ['LLDP disabled on one side only: still reported by LLDP, same ends', [both, { lldp1: true, ospf: true }], { id: LLDP_ID, ends: 'sw1:Gi0/1 - sw2:Gi0/2', events: [] }],
    ['LLDP enabled on an OSPF-only link: the OSPF link keeps its id, with the LLDP ends', [{ ospf: true }, both], { id: OSPF_ID, ends: 'sw1:Gi0/1 - sw2:Gi0/2', events: [] }],
    ['LLDP off, then on again: one id throughout', [both, { ospf: true }, both], { id: LLDP_ID, ends: 'sw1:Gi0/1 - sw2:Gi0/2', events: [] }],
    ['OSPF-only, LLDP on, LLDP off: one id throughout', [{ ospf: true }, both, { ospf: true }], { id: OSPF_ID, ends: 'sw1:Gi0/3 - sw2:Gi0/4', events: [] }],
    // the link goes on; the adjacency it carried (OSPF's own ends) goes down (ospf-returning-adjacency-events)
    ['OSPF stops, LLDP still reports: the link unchanged', [both, { lldp1: true, lldp2: true }], { id: LLDP_ID, ends: 'sw1:Gi0/1 - sw2:Gi0/2', events: [`link-down ${OSPF_ID}`] }],
    // LLDP pins both ports: a cable moved to other ports without OSPF is another link
    ['LLDP only, cable moved to Gi0/3 - Gi0/4: a new link', [{ lldp1: true, lldp2: true }, { lldp1: true, lldp2: true, lldpPorts: [3, 4] }],
      { id: 'sw1#gi0/3|sw2#gi0/4', ends: 'sw1:Gi0/3 - sw2:Gi0/4', events: ['link-up sw1#gi0/3|sw2#gi0/4', `link-down ${LLDP_ID}`] }],
  ])('%s', (_, runs, want) => {
    const { graph: g, steps } = buildRuns(runs.map(run));
    const all = steps.flat();
    expect(g.links.map((l) => ({ id: l.id, ends: `${l.a.node}:${l.a.port} - ${l.b.node}:${l.b.port}` }))).toEqual([{ id: want.id, ends: want.ends }]);
    expect(all).toEqual(want.events);
    if (want.events.length === 0) expect(g.links[0].firstSeen).toBe(100);
  });

  it('the id carried by OSPF is not taken again by a new link on the ends it had', () => {
    const g1 = buildGraph(run({ ospf: true }), 100); // OSPF_ID
    const g2 = buildGraph(run(both), 200, g1); // LLDP ends, OSPF_ID kept
    // a second cable, Gi0/3 - Gi0/4 by LLDP (those ports were routed before), beside the first
    const r = run(both);
    lldp(r[0], 3, r[1], 4); lldp(r[1], 4, r[0], 3);
    const g3 = buildGraph(r, 300, g2);
    const ids = g3.links.map((l) => l.id);
    expect(new Set(ids).size).toBe(2);
    expect(g3.links.find((l) => l.a.port === 'Gi0/1')!.id).toBe(OSPF_ID);
  });
});

describe('a link dropped under other ends than its id\'s', () => {
  const step = (x: TopologyGraph, y: TopologyGraph) => diffLinks(x, y).map((e) => `${e.type} ${e.linkId} ${e.sources.join('+')}`);
  const lldpOnly: Run = { lldp1: true, lldp2: true };

  it('LLDP+OSPF, OSPF only, then LLDP only: the OSPF link goes down, the LLDP link is a new one that comes up', () => {
    const g1 = buildGraph(run(both), 100);
    const g2 = buildGraph(run({ ospf: true }), 200, g1); // OSPF's ends, LLDP_ID kept
    const g3 = buildGraph(run(lldpOnly), 300, g2); // OSPF gone: nothing continues the link; LLDP's ends give LLDP_ID again
    const g4 = buildGraph(run(lldpOnly), 400, g3);
    expect([step(g1, g2), step(g2, g3), step(g3, g4)]).toEqual([[], [`link-up ${LLDP_ID} lldp`, `link-down ${OSPF_ID} ospf`], []]);
    expect(view(g3).map(({ id, ends, firstSeen }) => ({ id, ends, firstSeen }))).toEqual([{ id: `${LLDP_ID}~2`, ends: 'sw1:Gi0/1 - sw2:Gi0/2', firstSeen: 300 }]);
    expect(g4.links.map((l) => [l.id, l.firstSeen])).toEqual([[`${LLDP_ID}~2`, 300]]);
  });

  it('the same through the StateStore: the new link is saved and loaded under its own id', async () => {
    const state = new StateStore(':memory:');
    try {
      const store = stateTopologyStore(state);
      const g1 = buildGraph(run(both), 100);
      store.save(g1);
      const g2 = buildGraph(run({ ospf: true }), 200, (await store.load())!);
      store.save(g2);
      const loaded2 = (await store.load())!;
      const g3 = buildGraph(run(lldpOnly), 300, loaded2);
      expect(step(loaded2, g3)).toEqual([`link-up ${LLDP_ID} lldp`, `link-down ${OSPF_ID} ospf`]);
      store.save(g3);
      const loaded3 = (await store.load())!;
      expect(loaded3.links.map((l) => [l.id, l.firstSeen])).toEqual([[`${LLDP_ID}~2`, 300]]);
      expect(step(loaded3, buildGraph(run(lldpOnly), 400, loaded3))).toEqual([]);
    } finally {
      state.close();
    }
  });
});

describe('a continued link in the StateStore', () => {
  it('keeps its id and firstSeen through a save and a load (its row, keyed by the ends, is new)', async () => {
    const state = new StateStore(':memory:');
    try {
      const g1 = buildGraph(run(both), 100);
      const g2 = buildGraph(run({ ospf: true }), 200, g1); // OSPF's ends now, LLDP_ID kept
      stateTopologyStore(state).save(g1);
      stateTopologyStore(state).save(g2);
      const loaded = (await stateTopologyStore(state).load())!;
      expect(loaded.links.map((l) => [l.id, l.a.port, l.b.port, l.firstSeen, l.lastSeen])).toEqual([[LLDP_ID, 'Gi0/3', 'Gi0/4', 100, 200]]);
      const g3 = buildGraph(run(both), 300, loaded);
      expect(g3.links.map((l) => [l.id, l.firstSeen])).toEqual([[LLDP_ID, 100]]);
      expect(linkEvents(loaded, g3)).toEqual([]);
    } finally {
      state.close();
    }
  });
});

describe('a link another writer stored', () => {
  it('loads with the id buildGraph gives its ends, which it then keeps', async () => {
    const state = new StateStore(':memory:');
    try {
      state.topology.upsertNode({ id: 'sw1' }, 'config', 100);
      state.topology.upsertNode({ id: 'sw2' }, 'config', 100);
      state.topology.upsertLink({ a: 'sw2', aPort: 'Gi0/2', b: 'sw1', bPort: 'GigabitEthernet0/1' }, 'lldp', 100);
      const loaded = (await stateTopologyStore(state).load())!;
      expect(loaded.links.map((l) => l.id)).toEqual([LLDP_ID]);
      expect(buildGraph(run(both), 200, loaded).links.map((l) => l.id)).toEqual([LLDP_ID]);
    } finally {
      state.close();
    }
  });
});

describe('earlier links that collapse into one keep the reporters of each', () => {
  /** two links of a graph saved when ports were compared by their raw names: one link now */
  const saved = (order: 'short-first' | 'long-first'): TopologyGraph => {
    const link = (id: string, pa: string, pb: string, reporters: LinkReporter[]): TopoLink => ({
      id, a: { node: 'sw1', port: pa }, b: { node: 'sw2', port: pb }, sources: [...new Set(reporters.map((x) => x.source))] as LinkSource[],
      inferred: false, reportedBy: [...new Set(reporters.map((x) => x.device))], reporters, firstSeen: 50, lastSeen: 100,
    });
    const short = link('sw1#Gi0/1|sw2#Gi0/2', 'Gi0/1', 'Gi0/2', [{ source: 'lldp', device: 'sw1', lastSeen: 100 }]);
    const long = link('sw1#GigabitEthernet0/1|sw2#GigabitEthernet0/2', 'GigabitEthernet0/1', 'GigabitEthernet0/2', [{ source: 'cdp', device: 'sw2', lastSeen: 90 }]);
    return { generatedAt: 100, nodes: [sw1Node, sw2Node], links: order === 'short-first' ? [short, long] : [long, short], anomalies: [] };
  };
  const sw1Node = { id: 'sw1', label: 'sw1.lab', managed: true, device: 'sw1' };
  const sw2Node = { id: 'sw2', label: 'sw2.lab', managed: true, device: 'sw2' };
  /** sw2 did not answer this run; sw1 reports the link by LLDP, or could not read its LLDP table */
  const now = (sw1Reads: boolean) => {
    const [a, b] = [sw(1), sw(2)];
    if (sw1Reads) lldp(a, 1, b, 2);
    else a.failedTables = ['lldpRemTable'];
    return [a, { ...b, interfaces: [], unreachable: 'snmp: agent 127.0.1.2: get: timeout' }];
  };

  it.each<[string, 'short-first' | 'long-first', boolean, { stale: boolean; reporters: string[] }]>([
    ['sw1 reports it, sw2 unreadable (short first)', 'short-first', true, { stale: false, reporters: ['cdp/sw2@90~', 'lldp/sw1@300'] }],
    ['sw1 reports it, sw2 unreadable (long first)', 'long-first', true, { stale: false, reporters: ['cdp/sw2@90~', 'lldp/sw1@300'] }],
    ['nobody can read (short first): stale with both', 'short-first', false, { stale: true, reporters: ['cdp/sw2@90~', 'lldp/sw1@100~'] }],
    ['nobody can read (long first): stale with both', 'long-first', false, { stale: true, reporters: ['cdp/sw2@90~', 'lldp/sw1@100~'] }],
  ])('%s', (_, order, sw1Reads, want) => {
    const before = saved(order);
    const g = buildGraph(now(sw1Reads), 300, before);
    expect(view(g).map(({ stale, reporters, firstSeen }) => ({ stale, reporters, firstSeen }))).toEqual([{ ...want, firstSeen: 50 }]);
    expect(linkEvents(before, g)).toEqual([]);
  });

  it('a link OSPF carries keeps the OSPF report of a router that could not read its neighbours', () => {
    const g1 = buildGraph(run(both), 100);
    const r = run({ ospf: true });
    r[1].ospf = [];
    r[1].failedTables = ['ospfNbrTable'];
    const g2 = buildGraph(r, 200, g1);
    expect(view(g2)).toEqual([{ id: LLDP_ID, ends: 'sw1:Gi0/3 - sw2:Gi0/4', stale: false, firstSeen: 100, reporters: ['ospf/sw1@200', 'ospf/sw2@100~'] }]);
    expect(linkEvents(g1, g2)).toEqual([]);
  });
});
