/**
 * An OSPF adjacency joined to a link of other ends (LLDP's cable on other ports, OSPF over a VLAN)
 * is the link of its own ends alone: it comes up under them when it joins a link OSPF did not
 * report last run and no link had those ends. So a link-down keyed by OSPF's ends is followed by a
 * link-up of that key when the adjacency is back, whichever link it joins. When the link that had
 * those ends goes down in the run the adjacency joins another link, nothing went down: no event.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/topology/graph.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import type { DeviceReport } from '../../src/topology/report.ts';
import { buildRuns, lldp, ospf, sw } from './fixtures.ts';

/** sw1 and sw2: LLDP cables on the port pairs given (sw1 port, sw2 port); OSPF over sw1 Gi0/3 - sw2 Gi0/4 (10.9.0.0/30) */
type Run = { lldp?: [number, number][]; ospf?: boolean };
function run(o: Run): DeviceReport[] {
  const [a, b] = [sw(1), sw(2)];
  for (const [pa, pb] of o.lldp ?? []) {
    lldp(a, pa, b, pb);
    lldp(b, pb, a, pa);
  }
  if (o.ospf) {
    ospf(a, b);
  }
  return [a, b];
}

const LLDP_ID = 'sw1#gi0/1|sw2#gi0/2';
const OSPF_ID = 'sw1#gi0/3|sw2#gi0/4';
const lldpOnly: Run = { lldp: [[1, 2]] };
const ospfOnly: Run = { ospf: true };
const both: Run = { lldp: [[1, 2]], ospf: true };
const none: Run = {};

describe('an OSPF adjacency joined to a link of other ends comes up under its own ends', () => {
  it.each<[string, Run[], string[][]]>([
    ['LLDP+OSPF, OSPF only, LLDP only, LLDP+OSPF, OSPF only: OSPF\'s ends come up when the adjacency joins the LLDP link again',
      [both, ospfOnly, lldpOnly, both, ospfOnly], [[], [`link-up ${LLDP_ID}`, `link-down ${OSPF_ID}`], [`link-up ${OSPF_ID}`], []]],
    ['OSPF only, nothing, LLDP+OSPF: the OSPF link that went down comes up beside the new LLDP link',
      [ospfOnly, none, both], [[`link-down ${OSPF_ID}`], [`link-up ${LLDP_ID}`, `link-up ${OSPF_ID}`]]],
    ['LLDP only, then OSPF configured beside it: the adjacency comes up (no alert to clear)', [lldpOnly, both], [[`link-up ${OSPF_ID}`]]],
    // unchanged: the adjacency on the link all along, LLDP going and coming on an OSPF link (but for OSPF stopping beside LLDP)
    ['LLDP+OSPF throughout: nothing', [both, both, both], [[], []]],
    ['LLDP enabled on an OSPF-only link: nothing (the OSPF link goes on with LLDP\'s ends)', [ospfOnly, both], [[]]],
    ['LLDP off, then on again: nothing', [both, ospfOnly, both], [[], []]],
    ['OSPF stops, LLDP still reports: OSPF\'s ends go down', [both, lldpOnly], [[`link-down ${OSPF_ID}`]]],
  ])('%s', (_, runs, want) => {
    expect(buildRuns(runs.map(run)).steps).toEqual(want);
  });

  it('LLDP+OSPF on Gi0/3 - Gi0/4 beside an LLDP cable on Gi0/1 - Gi0/2, LLDP stops on Gi0/3 - Gi0/4: the adjacency goes on, joined to the other link: no event', () => {
    const g1 = buildGraph(run({ lldp: [[1, 2], [3, 4]], ospf: true }), 100);
    expect(g1.links.map((l) => `${l.id} ${l.sources.join('+')}`)).toEqual([`${LLDP_ID} lldp`, `${OSPF_ID} lldp+ospf`]);
    // the adjacency joins the pair's first link no adjacency joined (OSPF over a VLAN looks the same)
    const g2 = buildGraph(run(both), 200, g1);
    expect(g2.links.map((l) => `${l.id} ${l.sources.join('+')} ${(l.ospfEnds ?? []).map((e) => `${e.a.node}:${e.a.port}-${e.b.node}:${e.b.port}`)}`))
      .toEqual([`${LLDP_ID} lldp+ospf sw1:Gi0/3-sw2:Gi0/4`]);
    expect(diffLinks(g1, g2)).toEqual([]);
  });
});
