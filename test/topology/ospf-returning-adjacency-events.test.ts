/**
 * An OSPF adjacency that went down and comes back clears its link-down: the link-up carries the
 * linkId the link-down had, whatever the adjacency joins when it is back.
 * - Unnumbered adjacencies the routers could not tie went down as `sw1#gi0/3|sw2#` (far port left
 *   out): back on the same port to the same router, that key comes up, whatever the far port is
 *   now known as (LLDP's link on that port).
 * - An adjacency back beside LLDP on a link that carried another adjacency last run comes up
 *   under its own ends.
 * - An adjacency a link carried (ospfEnds) that is gone while the link stays goes down under its
 *   own ends, unless it goes on elsewhere or one of its routers could not be read (unknown, kept).
 */
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../src/storage/state/store.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import { buildGraph } from '../../src/topology/graph.ts';
import { emptyReport, type DeviceReport } from '../../src/topology/report.ts';
import { stateTopologyStore } from '../../src/topology/store.ts';
import { buildRuns, linkEvents, lldp, ospf, sw, unnumberedPair, type UnnumberedPair } from './fixtures.ts';

const sorted = (steps: string[][]) => steps.map((s) => [...s].sort());

const SECOND = 'sw1#gi0/3|sw2#gi0/2';
const both = { first: true, second: true };

describe('an unnumbered adjacency that went down with its far port left out', () => {
  it.each<[string, UnnumberedPair[], string[][]]>([
    ['back on the same port, joined to LLDP\'s link there: its far-port-less key comes up',
      [both, { first: true }, { ...both, lldp: [2] }],
      [['link-down sw1#gi0/3|sw2#'], ['link-up sw1#gi0/3|sw2#', `link-up ${SECOND}`]]],
    ['back with LLDP on both cables', [both, { first: true }, { ...both, lldp: [1, 2] }],
      [['link-down sw1#gi0/3|sw2#'], ['link-up sw1#gi0/3|sw2#', `link-up ${SECOND}`]]],
    ['sw2 alone reports them: keyed by its port, cleared the same way',
      [{ ...both, only: 'sw2' }, { first: true, only: 'sw2' }, { ...both, only: 'sw2', lldp: [2] }],
      [['link-down sw1#|sw2#gi0/2'], [`link-up ${SECOND}`, 'link-up sw1#|sw2#gi0/2']]],
    // the other adjacency joins LLDP's link on its cable (the pair's first free link) and continues it: no event
    ['LLDP on its cable without it clears nothing; the adjacency back later does',
      [both, { first: true }, { first: true, lldp: [2] }, { first: true, lldp: [2] }, { ...both, lldp: [2] }],
      [['link-down sw1#gi0/3|sw2#'], [], [], ['link-up sw1#gi0/3|sw2#']]],
    ['back, down again with its port known, back: each link-down has its link-up',
      [both, { first: true }, { ...both, lldp: [2] }, { first: true }, { ...both, lldp: [2] }],
      [['link-down sw1#gi0/3|sw2#'], ['link-up sw1#gi0/3|sw2#', `link-up ${SECOND}`], [`link-down ${SECOND}`], [`link-up ${SECOND}`]]],
    // unchanged: a key that never lost its far port
    ['went down with both ports known: its own key only', [{ ...both, lldp: [1, 2] }, { first: true, lldp: [1] }, { ...both, lldp: [1, 2] }],
      [[`link-down ${SECOND}`], [`link-up ${SECOND}`]]],
    ['back with its far port still unknown: that key, once', [both, { first: true }, both],
      [['link-down sw1#gi0/3|sw2#'], ['link-up sw1#gi0/3|sw2#']]],
    // sw1's row alone joins LLDP's link on the other cable (ospfEnds sw1 Gi0/1 - sw2, far port left out)
    ['carried with its far port left out, gone, back with it known: down and up under the port-less key',
      [{ first: true, only: 'sw1', lldp: [2] }, { lldp: [2] }, { first: true, lldp: [2] }],
      [['link-down sw1#gi0/1|sw2#'], ['link-up sw1#gi0/1|sw2#', 'link-up sw1#gi0/1|sw2#gi0/4']]],
  ])('%s', (_, runs, want) => {
    expect(sorted(buildRuns(runs.map(unnumberedPair)).steps)).toEqual(want);
  });

  it('its node keeps it while it is gone, through a save and a load (a restart), and drops it when it is back', async () => {
    const gone = buildRuns([both, { first: true }].map(unnumberedPair)).graph;
    expect(gone.nodes.map((n) => [n.id, n.ospfGone])).toEqual([['sw1', [{ port: 'Gi0/3', remote: 'sw2' }]], ['sw2', undefined]]);
    const state = new StateStore(':memory:');
    try {
      stateTopologyStore(state).save(gone);
      const loaded = (await stateTopologyStore(state).load())!;
      const back = buildGraph(unnumberedPair({ ...both, lldp: [2] }), 300, loaded);
      expect(linkEvents(loaded, back).sort()).toEqual(['link-up sw1#gi0/3|sw2#', `link-up ${SECOND}`]);
      const up = diffLinks(loaded, back).find((e) => e.linkId === 'sw1#gi0/3|sw2#');
      expect(up).toMatchObject({ device: 'sw1', port: 'Gi0/3', remoteDevice: 'sw2', remotePort: undefined, sources: ['ospf'], link: { id: SECOND } });
      expect(back.nodes.map((n) => n.ospfGone)).toEqual([undefined, undefined]);
    } finally {
      state.close();
    }
  });
});

/**
 * sw1 - sw2: an LLDP cable Gi0/1 - Gi0/2 (`lldp`), and adjacencies `vlan` over 10.9.0.0/30
 * (fixtures' ospf(): sw1 Gi0/3 - sw2 Gi0/4, interfaces no LLDP link has, OSPF over VLAN
 * interfaces: it joins the LLDP link) and `b` over 10.9.1.0/30 (sw1 Gi0/7 - sw2 Gi0/8, taken
 * after `vlan`: its own link while `vlan` is on the LLDP link); `cable`: LLDP on `vlan`'s ports too
 * (the adjacency joins that link, its own ends); `unread`: the router (1 sw1, 2 sw2) whose
 * ospfNbrTable failed (no rows), `unreachable`: the one that did not answer
 */
interface Numbered { lldp?: boolean; vlan?: boolean; b?: boolean; cable?: boolean; unread?: number; unreachable?: number }
function numbered(o: Numbered): DeviceReport[] {
  const [x, y] = [sw(1, 8), sw(2, 8)];
  if (o.lldp) {
    lldp(x, 1, y, 2);
    lldp(y, 2, x, 1);
  }
  if (o.cable) {
    lldp(x, 3, y, 4);
    lldp(y, 4, x, 3);
  }
  if (o.vlan) ospf(x, y);
  if (o.b) {
    x.addresses.push({ ip: '10.9.1.1', ifIndex: 7, prefixLength: 30 });
    y.addresses.push({ ip: '10.9.1.2', ifIndex: 8, prefixLength: 30 });
    x.ospf.push({ ip: '10.9.1.2', routerId: '2.2.2.2', state: 8 });
    y.ospf.push({ ip: '10.9.1.1', routerId: '1.1.1.1', state: 8 });
  }
  const reports = [x, y];
  if (o.unread) {
    const r = reports[o.unread - 1];
    Object.assign(r, { ospf: [], failedTables: ['ospfNbrTable'], problems: ['ospfNbrTable: timeout'] });
  }
  if (o.unreachable) {
    const r = reports[o.unreachable - 1];
    reports[o.unreachable - 1] = { ...emptyReport(r.device, r.address), unreachable: 'snmp: agent: get: timeout' };
  }
  return reports;
}

const B = 'sw1#gi0/7|sw2#gi0/8';

describe('an adjacency back on a link that carried another adjacency last run', () => {
  it.each<[string, Numbered[], string[][]]>([
    ['the VLAN adjacency leaves the LLDP link as the other comes back to it: its own ends come up, the VLAN one\'s go down',
      [{ lldp: true, vlan: true, b: true }, { lldp: true, vlan: true }, { lldp: true, b: true }],
      [[`link-down ${B}`], ['link-down sw1#gi0/3|sw2#gi0/4', `link-up ${B}`]]],
    ['then the VLAN adjacency back on the LLDP link: its ends come up; the other goes on as a link of its ends: no event',
      [{ lldp: true, vlan: true, b: true }, { lldp: true, vlan: true }, { lldp: true, b: true }, { lldp: true, vlan: true, b: true }],
      [[`link-down ${B}`], ['link-down sw1#gi0/3|sw2#gi0/4', `link-up ${B}`], ['link-up sw1#gi0/3|sw2#gi0/4']]],
    // unchanged
    ['back as its own link while the VLAN adjacency stays on the LLDP link', [{ lldp: true, vlan: true, b: true }, { lldp: true, vlan: true }, { lldp: true, vlan: true, b: true }],
      [[`link-down ${B}`], [`link-up ${B}`]]],
    ['both adjacencies stay while LLDP comes and goes: nothing', [{ lldp: true, vlan: true, b: true }, { vlan: true, b: true }, { lldp: true, vlan: true, b: true }],
      [[], []]],
  ])('%s', (_, runs, want) => {
    expect(sorted(buildRuns(runs.map(numbered)).steps)).toEqual(want);
  });
});

const VLAN = 'sw1#gi0/3|sw2#gi0/4';
const LLDP = 'sw1#gi0/1|sw2#gi0/2';
const withVlan: Numbered = { lldp: true, vlan: true };
const lldpOnly: Numbered = { lldp: true };

describe('an adjacency a link carried (ospfEnds) gone while the link stays', () => {
  it.each<[string, Numbered[], string[][]]>([
    ['gone, LLDP still sees the cable: its own ends go down, once', [withVlan, lldpOnly, lldpOnly], [[`link-down ${VLAN}`], []]],
    ['gone, then back: its link-up clears the link-down', [withVlan, lldpOnly, withVlan], [[`link-down ${VLAN}`], [`link-up ${VLAN}`]]],
    ['the other adjacency takes its place on the LLDP link: it goes down, the other comes up',
      [withVlan, { lldp: true, b: true }], [[`link-down ${VLAN}`, `link-up ${B}`]]],
    ['LLDP on its own ports in the same run: it goes on as the link of its own ends, nothing', [withVlan, { ...withVlan, cable: true }], [[]]],
    ['the adjacency carried moves to a link of its own as another takes the LLDP link: only the other comes up',
      [{ lldp: true, b: true }, { lldp: true, vlan: true, b: true }], [[`link-up ${VLAN}`]]],
    ['sw2 could not read OSPF and sw1 does not list it: unknown, nothing; gone when both read', [withVlan, { lldp: true, unread: 2 }, lldpOnly],
      [[], [`link-down ${VLAN}`]]],
    ['sw2 could not read OSPF two runs: kept through both; gone when both read', [withVlan, { lldp: true, unread: 2 }, { lldp: true, unread: 2 }, lldpOnly],
      [[], [], [`link-down ${VLAN}`]]],
    ['sw1 could not read OSPF, then it is back: nothing', [withVlan, { lldp: true, unread: 1 }, withVlan], [[], []]],
    ['sw2 unreachable (its LLDP kept): unknown, nothing; gone when it answers again', [withVlan, { lldp: true, unreachable: 2 }, lldpOnly],
      [[], [`link-down ${VLAN}`]]],
    ['sw2 unreachable, then back with the adjacency: nothing', [withVlan, { lldp: true, unreachable: 2 }, withVlan], [[], []]],
    // a link of its own ends last run whose id the LLDP link carrying the other goes on with (previous-links.ts)
    ['its own link last run, gone as the other joins a new LLDP link that keeps its id: it goes down, the other comes up',
      [{ vlan: true }, { lldp: true, b: true }], [[`link-down ${VLAN}`, `link-up ${B}`]]],
    // unchanged: OSPF over the VLAN stays while LLDP goes (the link goes on through OSPF with its ends)
    ['LLDP stops, the adjacency stays: nothing', [withVlan, { vlan: true }], [[]]],
  ])('%s', (_, runs, want) => {
    expect(sorted(buildRuns(runs.map(numbered)).steps)).toEqual(sorted(want));
  });

  it('sw2 gone from the managed devices: no link-down of the adjacency\'s ends (its LLDP link goes down, sw1\'s neighbours come up unmanaged)', () => {
    const { steps } = buildRuns([numbered(withVlan), numbered(withVlan).slice(0, 1)]);
    expect(sorted(steps)).toEqual(sorted([[`link-down ${LLDP}`, 'link-up lldp:02:00:00:02:00:00#gi0/2|sw1#gi0/1', 'link-up ospf:2.2.2.2#|sw1#gi0/3']]));
  });

  it('sw2 unreachable while sw1 still lists the adjacency: it goes on to sw2 (no ospf:2.2.2.2), no events', () => {
    const { steps } = buildRuns([withVlan, { ...withVlan, unreachable: 2 }, withVlan].map(numbered));
    expect(steps).toEqual([[], []]);
  });

  it('unseen while sw2 could not read OSPF: kept on the LLDP link, stale, and dropped when it is back', () => {
    const { graph } = buildRuns([withVlan, { lldp: true, unread: 2 }].map(numbered));
    expect(graph.links.map((l) => [l.id, l.ospfEnds])).toEqual([[LLDP, [{
      a: { node: 'sw1', port: 'Gi0/3', ifIndex: 3 }, b: { node: 'sw2', port: 'Gi0/4', ifIndex: 4 }, stale: true,
    }]]]);
    const back = buildGraph(numbered(withVlan), 300, graph);
    expect(back.links.map((l) => [l.id, l.ospfEnds?.map((e) => e.stale ?? false)])).toEqual([[LLDP, [false]]]);
  });

  it('its link-down names its own ends, by OSPF, with the link that carried it', () => {
    const before = buildGraph(numbered(withVlan), 100);
    const down = diffLinks(before, buildGraph(numbered(lldpOnly), 200, before));
    expect(down).toEqual([expect.objectContaining({
      type: 'link-down', device: 'sw1', port: 'Gi0/3', remoteDevice: 'sw2', remotePort: 'Gi0/4', sources: ['ospf'], inferred: false, linkId: VLAN, time: 200,
      link: expect.objectContaining({ id: LLDP }),
    })]);
  });
});

/** numbered() plus a neighbour 9.9.9.9 no device is, over sw1 Gi0/5 (10.9.2.0/30) */
function withStranger(o: Numbered): DeviceReport[] {
  const reports = numbered(o);
  reports[0].addresses.push({ ip: '10.9.2.1', ifIndex: 5, prefixLength: 30 });
  reports[0].ospf.push({ ip: '10.9.2.2', routerId: '9.9.9.9', state: 8 });
  return reports;
}

describe('sw2 unreachable while sw1 still lists the adjacency (its router id known from the last run)', () => {
  const gone: Numbered = { ...withVlan, unreachable: 2 };
  const ospfOnly: Numbered = { vlan: true };
  it.each<[string, Numbered[], string[][]]>([
    ['one run: nothing', [withVlan, gone], [[]]],
    ['back the next run: nothing', [withVlan, gone, withVlan], [[], []]],
    ['two runs, then back: nothing', [withVlan, gone, gone, withVlan], [[], [], []]],
    ['an OSPF-only link: nothing', [ospfOnly, { ...ospfOnly, unreachable: 2 }, ospfOnly], [[], []]],
    ['an OSPF-only link, two runs: nothing', [ospfOnly, { ...ospfOnly, unreachable: 2 }, { ...ospfOnly, unreachable: 2 }, ospfOnly], [[], [], []]],
  ])('%s', (_, runs, want) => {
    const { graph, steps } = buildRuns(runs.map(numbered));
    expect(steps).toEqual(want);
    expect(graph.nodes.map((n) => n.id)).toEqual(['sw1', 'sw2']);
  });

  it('the adjacency is kept on its link, seen by sw1 only: sw2\'s report stale, no ospf: node', () => {
    const { graph } = buildRuns([{ vlan: true }, { vlan: true, unreachable: 2 }].map(numbered));
    expect(graph.nodes.map((n) => n.id)).toEqual(['sw1', 'sw2']);
    expect(graph.links.map((l) => [l.id, l.reportedBy, l.reporters?.map((r) => `${r.source}/${r.device}${r.stale ? '~' : ''}`)]))
      .toEqual([[VLAN, ['sw1'], ['ospf/sw1', 'ospf/sw2~']]]);
  });

  it('a router id no device had: ospf:<router-id> as before, sw2\'s adjacency quiet', () => {
    const { graph, steps } = buildRuns([withVlan, gone, withVlan].map(withStranger));
    expect(steps).toEqual([[], []]);
    expect(graph.nodes.map((n) => n.id)).toEqual(['ospf:9.9.9.9', 'sw1', 'sw2']);
    const first = buildRuns([withVlan, gone].map(numbered)).graph;
    expect(linkEvents(first, buildGraph(withStranger(gone), 300, first))).toEqual(['link-up ospf:9.9.9.9#|sw1#gi0/5']);
  });

  it('sw2\'s router id survives a save and a load (a restart)', async () => {
    const first = buildGraph(numbered(withVlan), 100);
    expect(first.nodes.map((n) => n.ospfRouterId)).toEqual(['1.1.1.1', '2.2.2.2']);
    const state = new StateStore(':memory:');
    try {
      stateTopologyStore(state).save(first);
      const loaded = (await stateTopologyStore(state).load())!;
      const next = buildGraph(numbered(gone), 200, loaded);
      expect(linkEvents(loaded, next)).toEqual([]);
      expect(next.nodes.map((n) => n.id)).toEqual(['sw1', 'sw2']);
    } finally {
      state.close();
    }
  });

  it('a router id two unread devices carried last run names neither: ospf:2.2.2.2, no link to sw3', () => {
    const first = buildGraph(numbered(withVlan), 100);
    const sw2 = first.nodes.find((n) => n.id === 'sw2')!;
    const previous = { ...first, nodes: [...first.nodes, { ...sw2, id: 'sw3', device: 'sw3', label: 'sw3' }] };
    const next = buildGraph([...numbered(gone), { ...emptyReport('sw3', '10.0.0.3'), unreachable: 'snmp: agent: get: timeout' }], 200, previous);
    expect(next.nodes.map((n) => n.id)).toEqual(['ospf:2.2.2.2', 'sw1', 'sw2', 'sw3']);
    expect(next.links.filter((l) => l.a.node === 'sw3' || l.b.node === 'sw3')).toEqual([]);
  });

  it('with no last run to know it by: ospf:2.2.2.2 as before', () => {
    expect(buildGraph(numbered(gone), 100).nodes.map((n) => n.id)).toEqual(['ospf:2.2.2.2', 'sw1', 'sw2']);
  });
});
