import { SCHEMA, type FieldKind } from '../model/index.ts';
import type { SeriesQuery } from './types.ts';

/** The schema kind of a field, or undefined for a field the schema does not know. */
export function fieldKind(measurement: string, field: string): FieldKind | undefined {
  const m = (SCHEMA as Record<string, { fields: Record<string, FieldKind> }>)[measurement];
  return m?.fields[field];
}

export function schemaFields(measurement: string): string[] | undefined {
  const m = (SCHEMA as Record<string, { fields: Record<string, FieldKind> }>)[measurement];
  return m ? Object.keys(m.fields) : undefined;
}

/** With a step, floats are averaged and every other kind keeps the bucket's last value. */
export function aggregateOf(measurement: string, field: string): 'mean' | 'last' {
  return fieldKind(measurement, field) === 'f' ? 'mean' : 'last';
}

/** The tag filters of a query, `device` folded in. */
export function queryTags(q: SeriesQuery): Record<string, string> {
  const tags = { ...(q.tags ?? {}) };
  if (q.device !== undefined) tags.device = q.device;
  return tags;
}
