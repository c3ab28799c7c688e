/** Which OSPF neighbour rows of one router pair are one adjacency (ospf-adjacencies.ts, pure). */
import { describe, expect, it } from 'vitest';
import { groupAdjacencies, type AdjacencyRow } from '../../src/topology/ospf-adjacencies.ts';

/** `r1>10.0.0.2 10.0.0.1,r1#gi0/3`: r1 names neighbour 10.0.0.2, with these other keys */
function row(s: string): AdjacencyRow {
  const [head, keys = ''] = s.split(' ');
  const [reporter, ip] = head.split('>');
  return { reporter, ip, keys: keys.split(',').filter(Boolean) };
}
const show = (groups: AdjacencyRow[][]) => groups.map((g) => g.map((r) => `${r.reporter}>${r.ip}`).join(' '));

describe('groupAdjacencies', () => {
  it.each<[string, string[], string[]]>([
    ['no rows', [], []],
    ['one row', ['r1>10.0.0.2 10.0.0.1'], ['r1>10.0.0.2']],
    ['both sides of one adjacency', ['r2>10.0.0.1 10.0.0.2', 'r1>10.0.0.2 10.0.0.1'], ['r1>10.0.0.2 r2>10.0.0.1']],
    ['one row a side sharing nothing (no prefix lengths): still one adjacency', ['r1>10.0.0.2', 'r2>10.0.0.1'], ['r1>10.0.0.2 r2>10.0.0.1']],
    ['two subnets, both sides', ['r1>10.0.0.6 10.0.0.5', 'r2>10.0.0.1 10.0.0.2', 'r1>10.0.0.2 10.0.0.1', 'r2>10.0.0.5 10.0.0.6'],
      ['r1>10.0.0.2 r2>10.0.0.1', 'r1>10.0.0.6 r2>10.0.0.5']],
    ['two subnets, one side only', ['r1>10.0.0.6 10.0.0.5', 'r1>10.0.0.2 10.0.0.1'], ['r1>10.0.0.2', 'r1>10.0.0.6']],
    ['r1 knows no subnet: its rows join r2 by the address r2 owns', ['r1>10.0.0.2', 'r1>10.0.0.6', 'r2>10.0.0.1 10.0.0.2', 'r2>10.0.0.5 10.0.0.6'],
      ['r1>10.0.0.2 r2>10.0.0.1', 'r1>10.0.0.6 r2>10.0.0.5']],
    ['neither knows a subnet: rows join by the port the far side owns', ['r1>10.0.0.2 r2#gi0/4', 'r1>10.0.0.6 r2#gi0/6', 'r2>10.0.0.1 r2#gi0/4', 'r2>10.0.0.5 r2#gi0/6'],
      ['r1>10.0.0.2 r2>10.0.0.1', 'r1>10.0.0.6 r2>10.0.0.5']],
    ['two neighbour addresses on one interface (secondary subnet): one adjacency', ['r1>10.0.0.2 10.0.0.1,r1#gi0/3', 'r1>10.1.0.2 10.1.0.1,r1#gi0/3'],
      ['r1>10.0.0.2 r1>10.1.0.2']],
  ])('%s', (_, rows, want) => {
    const forward = groupAdjacencies(rows.map(row));
    expect(show(forward)).toEqual(want);
    expect(show(groupAdjacencies(rows.map(row).reverse()))).toEqual(want);
  });
});
