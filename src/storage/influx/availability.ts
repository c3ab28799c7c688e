/**
 * Availability on InfluxDB: the device_status states of the devices asked for, every series merged
 * in time order (no GROUP BY; the device is a column), read in pages of PAGE_ROWS rows and folded
 * as they arrive, so memory holds one chunk (one page from a server that ignores `chunked`) and
 * one summary per device, never the samples.
 *
 * A page continues where the last one ended: `time >= <its last time> … OFFSET <rows at that time
 * already read>` (a small offset, only past the ties), so no page rescans the range before it.
 * Ties (one instant in several series of a device) come in the server's order, as with GROUP BY
 * "device"; InfluxDB does not specify it (1.6 gives series-key order, but not always for points
 * still in its write cache), so a tie of different states may be decided differently than on SQLite.
 * InfluxQL cannot fold in the server: it has no LAG or window over rows, its selectors under
 * GROUP BY time() answer the bucket's start, not the sample's time, and 1.x refuses OR between time
 * ranges, so the samples of the state changes alone cannot be asked for; every sample crosses the
 * wire once.
 */
import { NetpulseError } from '../../errors/index.ts';
import { newFold, readFrom, sampleState, type AvailabilityFold, type AvailabilityQuery, type DeviceAvailability } from '../availability.ts';
import { tooManyPoints, tooManySeries, type QueryLimits } from '../query-limits.ts';
import { InfluxHttp, quoteIdent, quoteString } from './http.ts';

/** rows per query (about 5 MB of JSON: one answer line from a server that ignores `chunked`) */
export const PAGE_ROWS = 100_000;
/** rows per chunk of a chunked answer */
const CHUNK_ROWS = 10_000;
const MEASUREMENT = 'device_status';

const ns = (ms: number): string => `${BigInt(Math.round(ms)) * 1_000_000n}`;

/** where a page starts: its first time and how many rows at that time earlier pages read */
export interface PageStart {
  time: number;
  offset: number;
}

export function buildAvailabilityQuery(http: InfluxHttp, q: AvailabilityQuery, page: PageStart = { time: readFrom(q), offset: 0 }, pageRows = PAGE_ROWS): string {
  const rp = http.conn.retentionPolicy;
  const measurement = `${quoteIdent(http.conn.database)}.${rp ? quoteIdent(rp) : ''}.${quoteIdent(MEASUREMENT)}`;
  const conds = [`time >= ${ns(page.time)}`, `time < ${ns(q.to)}`];
  if (q.device !== undefined) conds.unshift(`"device" = ${quoteString(q.device)}`);
  else if (q.devices !== undefined) conds.unshift(`(${[...new Set(q.devices)].map((d) => `"device" = ${quoteString(d)}`).join(' OR ')})`);
  return `SELECT "device", "state", "state_code" FROM ${measurement} WHERE ${conds.join(' AND ')} LIMIT ${pageRows}${page.offset > 0 ? ` OFFSET ${page.offset}` : ''}`;
}

interface RawChunk {
  tags?: { device?: string };
  columns: string[];
  values?: unknown[][];
}

/** Caps (query-limits.ts): at most maxQuerySeries devices, at most maxQueryPoints samples per device. */
export async function influxAvailability(http: InfluxHttp, limits: QueryLimits, q: AvailabilityQuery, pageRows = PAGE_ROWS): Promise<DeviceAvailability[]> {
  const target = `influxdb ${http.url}`;
  const folds = new Map<string, { fold: AvailabilityFold; points: number }>();
  if (q.devices !== undefined && new Set(q.devices).size > limits.maxQuerySeries) throw tooManySeries(target, MEASUREMENT, limits.maxQuerySeries);
  if (q.to > q.from && (q.device !== undefined || q.devices === undefined || q.devices.length > 0)) {
    const narrow = 'narrow from..to or filter by device or tag';
    let page: PageStart = { time: readFrom(q), offset: 0 };
    for (;;) {
      const query = buildAvailabilityQuery(http, q, page, pageRows);
      let rows = 0;
      let last = page.time;
      let atLast = page.offset;
      await http.queryChunks(query, { db: http.conn.database, chunkSize: Math.min(pageRows, CHUNK_ROWS), what: MEASUREMENT, narrow }, (results) => {
        for (const chunk of (results[0]?.series ?? []) as RawChunk[]) {
          const at = { time: chunk.columns.indexOf('time'), device: chunk.columns.indexOf('device'), state: chunk.columns.indexOf('state'), code: chunk.columns.indexOf('state_code') };
          for (const row of chunk.values ?? []) {
            const time = Number(row[at.time]);
            if (!(time >= last)) {
              throw new NetpulseError({ scope: 'storage', target, action: `query ${query}`, kind: 'bad-response', reason: `${MEASUREMENT}: a row at ${row[at.time]} after one at ${last}: not in time order` });
            }
            atLast = time === last ? atLast + 1 : 1;
            last = time;
            rows++;
            const device = at.device >= 0 ? row[at.device] : chunk.tags?.device;
            if (typeof device !== 'string' || device === '') continue;
            let entry = folds.get(device);
            if (!entry) {
              if (folds.size >= limits.maxQuerySeries) throw tooManySeries(target, MEASUREMENT, limits.maxQuerySeries);
              entry = { fold: newFold(q, device), points: 0 };
              folds.set(device, entry);
            }
            if (++entry.points > limits.maxQueryPoints) throw tooManyPoints(target, `${MEASUREMENT} of ${device}`, limits.maxQueryPoints);
            entry.fold.add(time, sampleState(row[at.state], row[at.code]));
          }
        }
      });
      if (rows < pageRows) break;
      page = { time: last, offset: atLast };
    }
  }
  if (q.device !== undefined && !folds.has(q.device)) folds.set(q.device, { fold: newFold(q, q.device), points: 0 });
  return [...folds.values()].map((e) => e.fold.finish()).sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
}
