/**
 * Whether an existing table can hold what the code writes into it: checked before a file written
 * without a schema version is adopted (series-schema.ts), so one with a table of the same name but
 * other columns is refused while it is unchanged instead of failing at every write.
 */
import type Database from 'better-sqlite3';

export interface TableShape {
  columns: { name: string; type: string; notnull: boolean; hasDefault: boolean; pk: number }[];
  /** the column sets of its unique keys: primary key, UNIQUE constraints and indexes (not partial ones) */
  uniqueKeys: string[][];
  withoutRowid: boolean;
}

export interface TableNeeds {
  columns: readonly string[];
  /** the columns of the unique key the code's upserts name in ON CONFLICT */
  key: readonly string[];
  /** the column SQLite numbers itself (a rowid table's INTEGER PRIMARY KEY), read back with RETURNING */
  rowid?: string;
}

/** what keeps the code from using the table; [] when nothing */
export function shapeProblems(needs: TableNeeds, shape: TableShape): string[] {
  const problems: string[] = [];
  const names = new Set(shape.columns.map((c) => c.name));
  const missing = needs.columns.filter((c) => !names.has(c));
  if (missing.length) problems.push(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const key = [...needs.key].sort().join(',');
  if (!shape.uniqueKeys.some((k) => [...k].sort().join(',') === key)) problems.push(`no unique key on (${needs.key.join(', ')})`);
  if (needs.rowid !== undefined && names.has(needs.rowid)) {
    const pk = shape.columns.filter((c) => c.pk > 0);
    if (shape.withoutRowid || pk.length !== 1 || pk[0].name !== needs.rowid || pk[0].type.toUpperCase() !== 'INTEGER') {
      problems.push(`${needs.rowid} is not its INTEGER PRIMARY KEY`);
    }
  }
  for (const c of shape.columns) {
    const required = c.notnull || (shape.withoutRowid && c.pk > 0);
    if (required && !c.hasDefault && !needs.columns.includes(c.name)) problems.push(`column ${c.name} is NOT NULL without a default (netpulse does not write it)`);
  }
  return problems;
}

/** the table's shape from PRAGMA table_info, index_list and table_list; undefined when there is no such table */
export function readTableShape(db: Database.Database, table: string): TableShape | undefined {
  const info = db.prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)').all(table) as
    { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
  if (info.length === 0) return undefined;
  const columns = info.map((c) => ({ name: c.name, type: c.type, notnull: c.notnull === 1, hasDefault: c.dflt_value !== null, pk: c.pk }));
  const uniqueKeys: string[][] = [];
  const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  if (pk.length) uniqueKeys.push(pk);
  const indexes = db.prepare('SELECT name FROM pragma_index_list(?) WHERE "unique" = 1 AND partial = 0').pluck().all(table) as string[];
  for (const index of indexes) {
    const cols = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index) as (string | null)[];
    // an expression in the index has no column name: no ON CONFLICT of plain columns matches it
    if (cols.every((c) => c !== null)) uniqueKeys.push(cols as string[]);
  }
  const withoutRowid = db.prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?").pluck().get(table) === 1;
  return { columns, uniqueKeys, withoutRowid };
}
