/**
 * Availability on the embedded store: device by device, the device_status states of all its
 * series (one per SNMP version) in time order through one cursor, folded as rows arrive.
 * better-sqlite3 is synchronous: the event loop gets a turn between devices (one device over
 * 30 days of 1-minute polls is ~0.1 s; 100 devices over 7 days read 1 M samples in ~2.9 s).
 */
import type Database from 'better-sqlite3';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { newFold, readFrom, sampleState, type AvailabilityQuery, type DeviceAvailability } from '../availability.ts';
import { NetpulseError } from '../../errors/index.ts';
import { tooManyPoints, tooManySeries, type QueryLimits } from '../query-limits.ts';

const MEASUREMENT = 'device_status';

/** Caps (query-limits.ts): at most maxQuerySeries devices, at most maxQueryPoints samples per device. */
export async function sqliteAvailability(db: Database.Database, file: string, limits: QueryLimits, q: AvailabilityQuery, isOpen: () => boolean): Promise<DeviceAvailability[]> {
  const target = `sqlite ${file}`;
  let devices: string[];
  if (q.device !== undefined) {
    devices = [q.device];
  } else {
    devices = [];
    const rows = db.prepare("SELECT DISTINCT device FROM series WHERE measurement = ? AND device <> '' ORDER BY device").pluck().iterate(MEASUREMENT);
    for (const d of rows as IterableIterator<string>) {
      if (devices.length >= limits.maxQuerySeries) throw tooManySeries(target, MEASUREMENT, limits.maxQuerySeries);
      devices.push(d);
    }
  }
  const states = db.prepare(
    `SELECT p.time AS time, json_extract(p.fields, '$.state') AS state, json_extract(p.fields, '$.state_code') AS code
     FROM series s JOIN points p ON p.series_id = s.id
     WHERE s.measurement = ? AND s.device = ? AND p.time >= ? AND p.time < ? ORDER BY p.time`,
  );
  const out: DeviceAvailability[] = [];
  for (const [i, device] of devices.entries()) {
    if (i > 0) {
      await yieldToEventLoop();
      if (!isOpen()) throw new NetpulseError({ scope: 'storage', target, action: 'query', reason: `${MEASUREMENT}: the store was closed during the availability query` });
    }
    const fold = newFold(q, device);
    if (q.to > q.from) {
      let points = 0;
      for (const r of states.iterate(MEASUREMENT, device, readFrom(q), q.to) as IterableIterator<{ time: number; state: unknown; code: unknown }>) {
        if (++points > limits.maxQueryPoints) throw tooManyPoints(target, `${MEASUREMENT} of ${device}`, limits.maxQueryPoints);
        fold.add(r.time, sampleState(r.state, r.code));
      }
    }
    const result = fold.finish();
    if (q.device !== undefined || result.samples > 0) out.push(result);
  }
  return out;
}
