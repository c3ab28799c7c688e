import { describe, expect, it } from 'vitest';
import { rowsBeforeCut } from '../../src/topology/partial-rows.ts';
import type { Varbind } from '../../src/snmp/types.ts';

const cols = ['1.3.6.1.9.1', '1.3.6.1.9.2'];
/** `c.r`: column c (1-based), row r */
const vbs = (cells: string[]): Varbind[] => cells.map((cell) => {
  const [c, r] = cell.split('.').map(Number);
  return { oid: `${cols[c - 1]}.${r}`, type: 'Integer', value: r };
});

describe('rowsBeforeCut', () => {
  it.each([
    ['both columns to row 3', ['1.1', '2.1', '1.2', '2.2', '1.3', '2.3'], ['1', '2', '3']],
    ['cut inside row 3 (side by side)', ['1.1', '2.1', '1.2', '2.2', '1.3'], ['1', '2']],
    ['column by column (v1): the second reached row 1', ['1.1', '1.2', '1.3', '2.1'], ['1']],
    ['a column that returned nothing', ['1.1', '1.2'], []],
    ['nothing', [], []],
    ['rows ordered by arcs, not text', ['1.9', '2.9', '1.10', '2.10'], ['9', '10']],
  ])('%s', (_, cells, want) => {
    expect(rowsBeforeCut(cols, vbs(cells)).map((r) => r.index)).toEqual(want);
  });
});
