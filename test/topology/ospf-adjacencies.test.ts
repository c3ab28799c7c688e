/** Which OSPF neighbour rows of one router pair are one adjacency (ospf-adjacencies.ts, pure). */
import { describe, expect, it } from 'vitest';
import { groupAdjacencies, type AdjacencyRow } from '../../src/topology/ospf-adjacencies.ts';

/**
 * `r1>10.0.0.2 10.0.0.1,r1#gi0/3`: r1 names neighbour 10.0.0.2, with these other keys;
 * `r1>10.255.0.2%3 r1#gi0/3`: over its unnumbered interface ifIndex 3 (ospfNbrAddressLessIndex)
 */
function row(s: string): AdjacencyRow {
  const [head, keys = ''] = s.split(' ');
  const [reporter, neighbour] = head.split('>');
  const [ip, addressLess] = neighbour.split('%');
  return { reporter, ip, keys: keys.split(',').filter(Boolean), ...(addressLess ? { addressLessIndex: Number(addressLess) } : {}) };
}
const show = (groups: AdjacencyRow[][]) =>
  groups.map((g) => g.map((r) => `${r.reporter}>${r.ip}${r.addressLessIndex ? `%${r.addressLessIndex}` : ''}`).join(' '));

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
    // unnumbered interfaces: every row names the neighbour's loopback, the local ifIndex tells them apart
    ['one unnumbered adjacency a side: one adjacency', ['r1>10.255.0.2%3 r1#gi0/3', 'r2>10.255.0.1%4 r2#gi0/4'], ['r1>10.255.0.2%3 r2>10.255.0.1%4']],
    ['two unnumbered interfaces, one side: two adjacencies', ['r1>10.255.0.2%5 r1#gi0/5', 'r1>10.255.0.2%3 r1#gi0/3'],
      ['r1>10.255.0.2%3', 'r1>10.255.0.2%5']],
    ['two unnumbered interfaces, both sides, nothing ties them: one adjacency a row', ['r1>10.255.0.2%3 r1#gi0/3', 'r1>10.255.0.2%5 r1#gi0/5', 'r2>10.255.0.1%4 r2#gi0/4', 'r2>10.255.0.1%6 r2#gi0/6'],
      ['r1>10.255.0.2%3', 'r1>10.255.0.2%5', 'r2>10.255.0.1%4', 'r2>10.255.0.1%6']],
    ['a row naming the far port (from LLDP) ties the two sides', ['r1>10.255.0.2%3 r1#gi0/3,r2#gi0/6', 'r1>10.255.0.2%5 r1#gi0/5', 'r2>10.255.0.1%6 r2#gi0/6', 'r2>10.255.0.1%4 r2#gi0/4'],
      ['r1>10.255.0.2%3 r2>10.255.0.1%6', 'r1>10.255.0.2%5', 'r2>10.255.0.1%4']],
    ['a numbered and an unnumbered adjacency of one pair', ['r1>10.0.0.2 10.0.0.1,r1#gi0/1', 'r1>10.255.0.2%3 r1#gi0/3', 'r2>10.0.0.1 10.0.0.2,r2#gi0/2', 'r2>10.255.0.1%4 r2#gi0/4'],
      ['r1>10.0.0.2 r2>10.0.0.1', 'r1>10.255.0.2%3', 'r2>10.255.0.1%4']],
  ])('%s', (_, rows, want) => {
    const forward = groupAdjacencies(rows.map(row));
    expect(show(forward)).toEqual(want);
    expect(show(groupAdjacencies(rows.map(row).reverse()))).toEqual(want);
  });
});
