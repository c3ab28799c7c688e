/**
 * OSPF over unnumbered interfaces: each neighbour row names the other router's loopback, and
 * ospfNbrAddressLessIndex (the local ifIndex) tells the adjacencies apart. Two such adjacencies of
 * one router pair are two links, each on its own local port, joined with LLDP's link on that port.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/topology/graph.ts';
import { emptyReport, type DeviceReport } from '../../src/topology/report.ts';
import { buildRuns, linkView, unnumberedPair, type UnnumberedPair } from './fixtures.ts';

/** unnumberedPair's routers; `reversed`: reports and rows in reverse order; `unmanaged`: sw2 is no device; `silent`: sw2 unreachable */
interface Run extends UnnumberedPair { reversed?: boolean; unmanaged?: boolean; silent?: boolean }
function run(o: Run): DeviceReport[] {
  const [a, b] = unnumberedPair(o);
  if (o.unmanaged) return [a];
  if (o.silent) return [a, { ...emptyReport(b.device, b.address), unreachable: 'snmp: agent: get: timeout' }];
  if (o.reversed) {
    for (const r of [a, b]) { r.ospf.reverse(); r.lldp.reverse(); r.addresses.reverse(); }
    return [b, a];
  }
  return [a, b];
}

const both = { first: true, second: true };
const FIRST = 'sw1#gi0/1|sw2#gi0/4';
const SECOND = 'sw1#gi0/3|sw2#gi0/2';

describe('unnumbered OSPF adjacencies in one discovery', () => {
  it.each<[string, Run, string[]]>([
    ['one adjacency: both local ports, not the loopback', { first: true }, [`${FIRST} = sw1:Gi0/1 - sw2:Gi0/4 ospf by sw1+sw2`]],
    ['two adjacencies, LLDP on both cables: two links, each LLDP and OSPF', { ...both, lldp: [1, 2] },
      [`${FIRST} = sw1:Gi0/1 - sw2:Gi0/4 lldp+ospf by sw1+sw2`, `${SECOND} = sw1:Gi0/3 - sw2:Gi0/2 lldp+ospf by sw1+sw2`]],
    ['the same, reports and rows in reverse order', { ...both, lldp: [1, 2], reversed: true },
      [`${FIRST} = sw1:Gi0/1 - sw2:Gi0/4 lldp+ospf by sw1+sw2`, `${SECOND} = sw1:Gi0/3 - sw2:Gi0/2 lldp+ospf by sw1+sw2`]],
    ['LLDP on one cable: the other adjacency is the one left on each side', { ...both, lldp: [1] },
      [`${FIRST} = sw1:Gi0/1 - sw2:Gi0/4 lldp+ospf by sw1+sw2`, `${SECOND} = sw1:Gi0/3 - sw2:Gi0/2 ospf by sw1+sw2`]],
    ['LLDP on the other cable', { ...both, lldp: [2], reversed: true },
      [`${FIRST} = sw1:Gi0/1 - sw2:Gi0/4 ospf by sw1+sw2`, `${SECOND} = sw1:Gi0/3 - sw2:Gi0/2 lldp+ospf by sw1+sw2`]],
    ['two adjacencies, no LLDP: which far port is whose is unknown, the far ports are left out', both,
      ['sw1#gi0/1|sw2# = sw1:Gi0/1 - sw2: ospf by sw1+sw2', 'sw1#gi0/3|sw2# = sw1:Gi0/3 - sw2: ospf by sw1+sw2']],
    ['the same in reverse order', { ...both, reversed: true },
      ['sw1#gi0/1|sw2# = sw1:Gi0/1 - sw2: ospf by sw1+sw2', 'sw1#gi0/3|sw2# = sw1:Gi0/3 - sw2: ospf by sw1+sw2']],
    ['sw2 alone reports them: its ports', { ...both, only: 'sw2' },
      ['sw1#|sw2#gi0/2 = sw1: - sw2:Gi0/2 ospf by sw2', 'sw1#|sw2#gi0/4 = sw1: - sw2:Gi0/4 ospf by sw2']],
    ['the neighbour is not managed: a link from each port to its router id', { ...both, unmanaged: true },
      ['ospf:10.255.0.2#|sw1#gi0/1 = ospf:10.255.0.2: - sw1:Gi0/1 ospf by sw1', 'ospf:10.255.0.2#|sw1#gi0/3 = ospf:10.255.0.2: - sw1:Gi0/3 ospf by sw1']],
  ])('%s', (_, r, want) => {
    expect(linkView(buildGraph(run(r), 100)).sort()).toEqual(want);
  });
});

describe('unnumbered adjacencies across discoveries', () => {
  const lldpBoth = { ...both, lldp: [1, 2] };
  it.each<[string, Run[], string[]]>([
    ['LLDP on: the second adjacency and its cable go down: its link only', [lldpBoth, { first: true, lldp: [1] }], [`link-down ${SECOND}`]],
    ['down and back: the same linkId both times', [lldpBoth, { first: true, lldp: [1] }, lldpBoth], [`link-down ${SECOND}`, `link-up ${SECOND}`]],
    ['no LLDP, the second goes down: its link only, the first keeps its id (now with both ports)', [both, { first: true }], ['link-down sw1#gi0/3|sw2#']],
    ['no LLDP, the second comes up', [{ first: true }, both], ['link-up sw1#gi0/3|sw2#']],
    ['order of the reports changes between runs: no events', [both, { ...both, reversed: true }, both], []],
    ['LLDP order changes between runs: no events', [lldpBoth, { ...lldpBoth, reversed: true }], []],
    ['sw2 unreachable one run, sw1 still lists it: no events', [{ first: true }, { first: true, silent: true }, { first: true }], []],
    ['the same, both adjacencies, no LLDP (far ports left out)', [both, { ...both, silent: true }, { ...both, silent: true }, both], []],
  ])('%s', (_, runs, want) => {
    const { steps } = buildRuns(runs.map(run));
    expect(steps.flatMap((s) => [...s].sort())).toEqual(want);
  });

  // sw1#gi0/3|sw2#, which shares a port with the one new link, takes it before sw1#gi0/1|sw2#
  // (older, or the lesser id) could take its pair's first one left (previous-links.ts)
  it('no LLDP, the first goes down: its link only', () => {
    const { steps } = buildRuns([run(both), run({ second: true })]);
    expect(steps.flat()).toEqual(['link-down sw1#gi0/1|sw2#']);
  });

  it('the adjacency left after the other went down keeps its id and gains its far port', () => {
    const { graph } = buildRuns([run(both), run({ first: true })]);
    expect(linkView(graph)).toEqual(['sw1#gi0/1|sw2# = sw1:Gi0/1 - sw2:Gi0/4 ospf by sw1+sw2']);
  });
});
