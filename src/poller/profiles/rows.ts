import type { ProfileTable } from '../../model/profile.ts';
import type { TableRow } from '../../snmp/types.ts';
import type { NamedRow } from './types.ts';

/** Gives each row's varbinds by column name instead of column OID. */
export function namedRows(table: ProfileTable, rows: TableRow[] | undefined): NamedRow[] {
  if (!rows) return [];
  return rows.map((row) => {
    const cols: NamedRow['cols'] = {};
    for (const c of table.columns) cols[c.name] = row.values.get(c.oid);
    return { index: row.index, cols };
  });
}

/** Joins rows of several tables sharing an index (ifTable + ifXTable). */
export function joinByIndex(...tables: NamedRow[][]): NamedRow[] {
  const byIndex = new Map<string, NamedRow>();
  for (const rows of tables) {
    for (const r of rows) {
      const have = byIndex.get(r.index);
      if (!have) {
        byIndex.set(r.index, { index: r.index, cols: { ...r.cols } });
        continue;
      }
      for (const k in r.cols) if (r.cols[k] !== undefined) have.cols[k] = r.cols[k];
    }
  }
  return [...byIndex.values()];
}

/** Tags with empty values dropped (InfluxDB rejects empty tag values). */
export function cleanTags(tags: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}
