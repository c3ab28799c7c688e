/**
 * Topology output (buildGraph's nodes and links, the store's loaded links) is in UTF-16 code-unit
 * order (order.ts compareStrings), as every other sort in src/topology: not localeCompare's, which
 * puts `b` before `B`, `a_1` before `a-1` and `Z9` last, and may differ from one ICU to the next.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/storage/state/store.ts';
import { buildGraph } from '../../src/topology/graph.ts';
import { stateTopologyStore } from '../../src/topology/store.ts';
import { lldp, sw } from './fixtures.ts';

const NAMES = ['b', 'B', 'a-1', 'a1', 'a_1', 'Z9', 'sw10', 'sw-2', '10', '9'];
const codeUnitOrder = (ids: string[]) => [...ids].sort();

/** the devices NAMES, each linked by LLDP (both ends) to the next */
function chain() {
  const reports = NAMES.map((name, i) => Object.assign(sw(i + 1), { device: name, sysName: `${name}.lab` }));
  for (let i = 0; i + 1 < reports.length; i++) {
    lldp(reports[i], 1, reports[i + 1], 2);
    lldp(reports[i + 1], 2, reports[i], 1);
  }
  return buildGraph(reports, 1000);
}

let state: StateStore | undefined;
afterEach(() => state?.close());

describe('topology output order', () => {
  it('the names are ones localeCompare orders otherwise', () => {
    expect(codeUnitOrder(NAMES)).not.toEqual([...NAMES].sort((x, y) => x.localeCompare(y)));
  });

  it('buildGraph gives nodes and links in code-unit order of their ids', () => {
    const g = chain();
    expect(g.nodes.map((n) => n.id)).toEqual(codeUnitOrder(NAMES));
    expect(g.links).toHaveLength(NAMES.length - 1);
    const ids = g.links.map((l) => l.id);
    expect(ids).toEqual(codeUnitOrder(ids));
  });

  it('the store loads links in code-unit order of their ids', async () => {
    const g = chain();
    state = new StateStore(':memory:');
    stateTopologyStore(state).save(g);
    const loaded = (await stateTopologyStore(state).load())!;
    const ids = loaded.links.map((l) => l.id);
    expect(ids).toEqual(g.links.map((l) => l.id));
    expect(ids).toEqual(codeUnitOrder(ids));
    expect(loaded.nodes.map((n) => n.id)).toEqual(codeUnitOrder(NAMES));
  });
});
