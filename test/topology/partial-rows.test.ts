import { describe, expect, it } from 'vitest';
import { rowsBeforeCut } from '../../src/topology/partial-rows.ts';
import type { Varbind } from '../../src/snmp/types.ts';

const cols = ['1.3.6.1.9.1', '1.3.6.1.9.2', '1.3.6.1.9.3'];
/** `c.r`: column c (1-based), row r */
const vbs = (cells: string[]): Varbind[] => cells.map((cell) => {
  const [c, r] = cell.split('.').map(Number);
  return { oid: `${cols[c - 1]}.${r}`, type: 'Integer', value: r };
});

describe('rowsBeforeCut', () => {
  const two = cols.slice(0, 2);
  it.each([
    ['both columns to row 3', ['1.1', '2.1', '1.2', '2.2', '1.3', '2.3'], ['1', '2', '3']],
    ['cut inside row 3 (side by side)', ['1.1', '2.1', '1.2', '2.2', '1.3'], ['1', '2']],
    ['column by column (v1): the second reached row 1', ['1.1', '1.2', '1.3', '2.1'], ['1']],
    ['a column that returned nothing', ['1.1', '1.2'], []],
    ['nothing', [], []],
    ['rows ordered by arcs, not text', ['1.9', '2.9', '1.10', '2.10'], ['9', '10']],
  ])('%s', (_, cells, want) => {
    expect(rowsBeforeCut(two, vbs(cells)).map((r) => r.index)).toEqual(want);
  });

  // columns 1..3; `ended` the columns (1-based) that had left their subtree before the cut
  it.each<[string, string[], number[], string[]]>([
    ['a sparse column that ended after row 1 limits nothing', ['1.1', '2.1', '3.1', '1.2', '3.2', '1.3', '3.3', '1.4'], [2], ['1', '2', '3']],
    ['the same cut, the sparse column not ended: it limits', ['1.1', '2.1', '3.1', '1.2', '3.2', '1.3', '3.3', '1.4'], [], ['1']],
    ['an optional column that ended with nothing', ['1.1', '3.1', '1.2', '3.2', '1.3'], [2], ['1', '2']],
    ['a column cut before it returned anything', ['1.1', '3.1', '1.2', '3.2'], [], []],
    ['two ended columns, the one still walked sets the frontier', ['1.1', '2.1', '3.1', '2.2', '3.2', '3.3'], [1, 2], ['1', '2', '3']],
    ['every column ended (a cut after the last answer): all rows', ['1.1', '2.1', '1.5', '3.1'], [1, 2, 3], ['1', '5']],
    ['a column by column walk (v1): finished columns limit nothing', ['1.1', '1.2', '1.3', '2.1', '2.3', '3.1', '3.2'], [1, 2], ['1', '2']],
    ['ended names a column not walked: ignored', ['1.1', '2.1', '3.1', '1.2', '3.2'], [9], ['1']],
  ])('%s', (_, cells, ended, want) => {
    expect(rowsBeforeCut(cols, vbs(cells), ended.map((c) => `1.3.6.1.9.${c}`)).map((r) => r.index)).toEqual(want);
  });
});
