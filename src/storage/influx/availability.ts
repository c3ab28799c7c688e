/**
 * Availability on InfluxDB: one InfluxQL query for the device_status states, grouped by
 * device (the series of each SNMP version merged in time order), folded as the chunks arrive,
 * so memory holds one summary per device, never the samples.
 */
import { newFold, readFrom, sampleState, type AvailabilityFold, type AvailabilityQuery, type DeviceAvailability } from '../availability.ts';
import { tooManyPoints, tooManySeries, type QueryLimits } from '../query-limits.ts';
import { InfluxHttp, quoteIdent, quoteString } from './http.ts';

const CHUNK_ROWS = 10_000;
const MEASUREMENT = 'device_status';

const ns = (ms: number): string => `${BigInt(Math.round(ms)) * 1_000_000n}`;

export function buildAvailabilityQuery(http: InfluxHttp, q: AvailabilityQuery): string {
  const rp = http.conn.retentionPolicy;
  const measurement = `${quoteIdent(http.conn.database)}.${rp ? quoteIdent(rp) : ''}.${quoteIdent(MEASUREMENT)}`;
  const conds = [`time >= ${ns(readFrom(q))}`, `time < ${ns(q.to)}`];
  if (q.device !== undefined) conds.unshift(`"device" = ${quoteString(q.device)}`);
  else if (q.devices !== undefined) conds.unshift(`(${[...new Set(q.devices)].map((d) => `"device" = ${quoteString(d)}`).join(' OR ')})`);
  return `SELECT "state", "state_code" FROM ${measurement} WHERE ${conds.join(' AND ')} GROUP BY "device"`;
}

interface RawChunk {
  tags?: { device?: string };
  columns: string[];
  values?: unknown[][];
}

/** Caps (query-limits.ts): at most maxQuerySeries devices, at most maxQueryPoints samples per device. */
export async function influxAvailability(http: InfluxHttp, limits: QueryLimits, q: AvailabilityQuery): Promise<DeviceAvailability[]> {
  const target = `influxdb ${http.url}`;
  const folds = new Map<string, { fold: AvailabilityFold; points: number }>();
  if (q.devices !== undefined && new Set(q.devices).size > limits.maxQuerySeries) throw tooManySeries(target, MEASUREMENT, limits.maxQuerySeries);
  if (q.to > q.from && (q.device !== undefined || q.devices === undefined || q.devices.length > 0)) {
    const narrow = 'narrow from..to or filter by device or tag';
    await http.queryChunks(buildAvailabilityQuery(http, q), { db: http.conn.database, chunkSize: CHUNK_ROWS, what: MEASUREMENT, narrow }, (results) => {
      for (const chunk of (results[0]?.series ?? []) as RawChunk[]) {
        const device = chunk.tags?.device ?? '';
        if (device === '') continue;
        let entry = folds.get(device);
        if (!entry) {
          if (folds.size >= limits.maxQuerySeries) throw tooManySeries(target, MEASUREMENT, limits.maxQuerySeries);
          entry = { fold: newFold(q, device), points: 0 };
          folds.set(device, entry);
        }
        const at = { time: chunk.columns.indexOf('time'), state: chunk.columns.indexOf('state'), code: chunk.columns.indexOf('state_code') };
        for (const row of chunk.values ?? []) {
          if (++entry.points > limits.maxQueryPoints) throw tooManyPoints(target, `${MEASUREMENT} of ${device}`, limits.maxQueryPoints);
          entry.fold.add(Number(row[at.time]), sampleState(row[at.state], row[at.code]));
        }
      }
    });
  }
  if (q.device !== undefined && !folds.has(q.device)) folds.set(q.device, { fold: newFold(q, q.device), points: 0 });
  return [...folds.values()].map((e) => e.fold.finish()).sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
}
