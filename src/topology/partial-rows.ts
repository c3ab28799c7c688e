/**
 * The rows of a table walk that stopped part way (walk cap, time cap, loop) that are surely
 * complete: columns are walked side by side, so a row is complete when every column still
 * being walked got past it. A column that had ended (`ended`: it left its subtree) has no more
 * rows to give and limits nothing, so a sparse optional column does not hide later rows. A
 * column cut before it returned anything leaves no row certain.
 */
import { compareOids } from '../snmp/oid.ts';
import type { TableRow, Varbind } from '../snmp/types.ts';

export function rowsBeforeCut(columns: string[], partial: Varbind[], ended: readonly string[] = []): TableRow[] {
  const rows = new Map<string, TableRow>();
  const last = new Map<string, string>(); // column -> highest row index it reached
  for (const vb of partial) {
    const col = columns.find((c) => vb.oid.startsWith(`${c}.`));
    if (!col) continue;
    const index = vb.oid.slice(col.length + 1);
    const row = rows.get(index) ?? { index, values: new Map() };
    row.values.set(col, vb);
    rows.set(index, row);
    const seen = last.get(col);
    if (seen === undefined || compareOids(index, seen) > 0) last.set(col, index);
  }
  const done = new Set(ended);
  const cut = columns.filter((c) => !done.has(c));
  if (cut.some((c) => !last.has(c))) return [];
  const frontier = cut.map((c) => last.get(c)!).reduce<string | undefined>((m, i) => (m === undefined || compareOids(i, m) < 0 ? i : m), undefined);
  return [...rows.values()]
    .filter((r) => frontier === undefined || compareOids(r.index, frontier) <= 0)
    .sort((a, b) => compareOids(a.index, b.index));
}
