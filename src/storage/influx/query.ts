/** The query path on InfluxDB: InfluxQL built from a SeriesQuery, results as Series. */
import { aggregateOf, queryTags, schemaFields } from '../fields.ts';
import { QUERY_LIMITS, tooManyPoints, tooManySeries, type QueryLimits } from '../query-limits.ts';
import type { LatestPoint, Series, SeriesQuery, SeriesQueryApi, SeriesValue } from '../types.ts';
import type { AvailabilityQuery, DeviceAvailability } from '../availability.ts';
import { influxAvailability } from './availability.ts';
import { InfluxHttp, quoteIdent, quoteString } from './http.ts';

/** rows of one series per line of InfluxDB's chunked answer (its own default) */
const CHUNK_ROWS = 10_000;

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

/** appends a chunk's rows to its series, lined up with the series' columns should the chunk's differ */
function append(into: RawSeries, chunk: RawSeries): void {
  const same = chunk.columns.length === into.columns.length && chunk.columns.every((c, i) => c === into.columns[i]);
  if (same) {
    for (const row of chunk.values) into.values.push(row);
    return;
  }
  const at = chunk.columns.map((c) => {
    const i = into.columns.indexOf(c);
    return i === -1 ? into.columns.push(c) - 1 : i;
  });
  for (const row of chunk.values) {
    const aligned: unknown[] = [];
    row.forEach((v, i) => (aligned[at[i]] = v));
    into.values.push(aligned);
  }
}

export class InfluxQuery implements SeriesQueryApi {
  private readonly limits: QueryLimits;

  constructor(private readonly http: InfluxHttp, limits: Partial<QueryLimits> = {}) {
    this.limits = {
      maxQuerySeries: limits.maxQuerySeries ?? QUERY_LIMITS.maxQuerySeries,
      maxQueryPoints: limits.maxQueryPoints ?? QUERY_LIMITS.maxQueryPoints,
    };
  }

  /**
   * Streams the chunked answer, joining each series' chunks. Past maxQuerySeries series or
   * maxQueryPoints rows it stops reading (the connection is closed) and throws, as the SQLite store does.
   */
  private async select(stmt: string, measurement: string): Promise<RawSeries[]> {
    const target = `influxdb ${this.http.url}`;
    const { maxQuerySeries, maxQueryPoints } = this.limits;
    const series = new Map<string, RawSeries>();
    let points = 0;
    const narrow = 'set a step or a limit, or narrow from..to';
    await this.http.queryChunks(stmt, { db: this.http.conn.database, chunkSize: CHUNK_ROWS, what: measurement, narrow }, (results) => {
      for (const chunk of (results[0]?.series ?? []) as RawSeries[]) {
        const key = JSON.stringify(chunk.tags ?? {});
        let s = series.get(key);
        if (!s) {
          if (series.size >= maxQuerySeries) throw tooManySeries(target, measurement, maxQuerySeries);
          s = { tags: chunk.tags, columns: [...chunk.columns], values: [] };
          series.set(key, s);
        }
        points += chunk.values?.length ?? 0;
        if (points > maxQueryPoints) throw tooManyPoints(target, measurement, maxQueryPoints);
        append(s, { ...chunk, values: chunk.values ?? [] });
      }
    });
    return [...series.values()];
  }

  async querySeries(q: SeriesQuery): Promise<Series[]> {
    const raws = await this.select(buildSeriesQuery(this.http, q), q.measurement);
    return raws
      .map((r) => ({ tags: cleanTags(r.tags), points: toPoints(r) }))
      .filter((s) => s.points.length > 0)
      .sort(byTags);
  }

  availability(q: AvailabilityQuery): Promise<DeviceAvailability[]> {
    return influxAvailability(this.http, this.limits, q);
  }

  async latest(measurement: string, device: string, tags: Record<string, string> = {}): Promise<LatestPoint[]> {
    const stmt = `SELECT * FROM ${from(this.http, measurement)}${where({ ...tags, device })} GROUP BY * ORDER BY time DESC LIMIT 1`;
    const raws = await this.select(stmt, measurement);
    const out: LatestPoint[] = [];
    for (const r of raws) {
      const [p] = toPoints(r);
      if (p) out.push({ tags: cleanTags(r.tags), time: p.time, values: p.values });
    }
    return out.sort(byTags);
  }
}
