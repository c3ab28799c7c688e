/** The query path on InfluxDB: InfluxQL built from a SeriesQuery, results as Series. */
import { aggregateOf, queryTags, schemaFields } from '../fields.ts';
import type { LatestPoint, Series, SeriesQuery, SeriesQueryApi, SeriesValue } from '../types.ts';
import { InfluxHttp, quoteIdent, quoteString } from './http.ts';

function from(http: InfluxHttp, measurement: string): string {
  const rp = http.conn.retentionPolicy;
  return `${quoteIdent(http.conn.database)}.${rp ? quoteIdent(rp) : ''}.${quoteIdent(measurement)}`;
}

function where(tags: Record<string, string>, extra: string[] = []): string {
  const conds = Object.entries(tags).map(([k, v]) => `${quoteIdent(k)} = ${quoteString(v)}`);
  conds.push(...extra);
  return conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
}

const ns = (ms: number): string => `${BigInt(Math.round(ms)) * 1_000_000n}`;

export function buildSeriesQuery(http: InfluxHttp, q: SeriesQuery): string {
  const fields = q.fields?.length ? q.fields : schemaFields(q.measurement);
  let select: string;
  if (q.step && q.step > 0) {
    const list = fields ?? [];
    select = list.length
      ? list.map((f) => `${aggregateOf(q.measurement, f)}(${quoteIdent(f)}) AS ${quoteIdent(f)}`).join(', ')
      : 'last(*)';
  } else {
    select = fields ? fields.map(quoteIdent).join(', ') : '*';
  }
  const time = [`time >= ${ns(q.from)}`, `time <= ${ns(q.to)}`];
  let stmt = `SELECT ${select} FROM ${from(http, q.measurement)}${where(queryTags(q), time)}`;
  stmt += q.step && q.step > 0 ? ` GROUP BY time(${Math.round(q.step)}ms), * fill(none)` : ' GROUP BY *';
  if (q.limit !== undefined) stmt += ` ORDER BY time DESC LIMIT ${Math.max(0, Math.floor(q.limit))}`;
  return stmt;
}

interface RawSeries {
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

function cleanTags(tags: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(tags ?? {}).sort()) if (tags![k] !== '') out[k] = tags![k];
  return out;
}

function toPoints(raw: RawSeries): { time: number; values: Record<string, SeriesValue> }[] {
  const points = raw.values.map((row) => {
    const values: Record<string, SeriesValue> = {};
    for (let i = 1; i < raw.columns.length; i++) {
      const v = row[i];
      if (v !== null && v !== undefined) values[raw.columns[i].replace(/^last_/, '')] = v as SeriesValue;
    }
    return { time: Number(row[0]), values };
  });
  return points.filter((p) => Object.keys(p.values).length > 0).sort((a, b) => a.time - b.time);
}

const byTags = (a: { tags: Record<string, string> }, b: { tags: Record<string, string> }): number =>
  JSON.stringify(a.tags).localeCompare(JSON.stringify(b.tags));

export class InfluxQuery implements SeriesQueryApi {
  constructor(private readonly http: InfluxHttp) {}

  async querySeries(q: SeriesQuery): Promise<Series[]> {
    const results = await this.http.query(buildSeriesQuery(this.http, q), { db: this.http.conn.database });
    const raws: RawSeries[] = results[0]?.series ?? [];
    return raws
      .map((r) => ({ tags: cleanTags(r.tags), points: toPoints(r) }))
      .filter((s) => s.points.length > 0)
      .sort(byTags);
  }

  async latest(measurement: string, device: string, tags: Record<string, string> = {}): Promise<LatestPoint[]> {
    const stmt = `SELECT * FROM ${from(this.http, measurement)}${where({ ...tags, device })} GROUP BY * ORDER BY time DESC LIMIT 1`;
    const results = await this.http.query(stmt, { db: this.http.conn.database });
    const raws: RawSeries[] = results[0]?.series ?? [];
    const out: LatestPoint[] = [];
    for (const r of raws) {
      const [p] = toPoints(r);
      if (p) out.push({ tags: cleanTags(r.tags), time: p.time, values: p.values });
    }
    return out.sort(byTags);
  }
}
