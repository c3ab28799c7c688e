/**
 * Fills the availability day cache (availability-cache.ts) without building a report, so that
 * the first report over past days folds cached spans instead of reading every sample.
 *
 * Day by day, newest first, every device within a day: a warm-up cut short leaves the most
 * recent days (the ones most reports cover) done for the whole fleet. Each device-day is one
 * synchronous step: a primary-key seek when it is cached already, else its samples read (the
 * same SQL as reports), folded into a span and stored in one transaction. Between steps the
 * event loop gets a turn, and with `pace` a rest of restMs after every busyMs of work. It never
 * throws: a failing device-day is counted and the first few are logged; the store closing or the
 * signal aborting ends it before the next step.
 */
import type Database from 'better-sqlite3';
import { setImmediate as turn, setTimeout as rest } from 'node:timers/promises';
import { DAY_MS, cacheableDays, type AvailabilityDayCache } from './availability-cache.ts';
import { spanOfRows, stateRows } from './availability.ts';
import { errorMessage } from '../../errors/index.ts';
import type { AvailabilityWarmRequest, AvailabilityWarmResult, StorageLogger } from '../types.ts';

/** failures logged one by one in one warm-up; the rest are only counted */
const LOGGED_FAILURES = 5;

export interface WarmContext {
  db: Database.Database;
  /** the store's file, for messages */
  file: string;
  days: AvailabilityDayCache;
  /** decides which days are over, as for reports */
  now: number;
  isOpen: () => boolean;
  logger: StorageLogger;
}

const dayName = (day: number): string => new Date(day).toISOString().slice(0, 10);

export async function warmAvailabilityDays(ctx: WarmContext, req: AvailabilityWarmRequest): Promise<AvailabilityWarmResult> {
  const started = performance.now();
  const result: AvailabilityWarmResult = { computed: 0, cached: 0, empty: 0, failed: 0, samples: 0, stopped: false, ms: 0 };
  const fail = (what: string, reason: string): void => {
    result.failed++;
    if (result.failed > LOGGED_FAILURES) return;
    const more = result.failed === LOGGED_FAILURES ? ' (further failures of this warm-up are only counted)' : '';
    ctx.logger.warn(`storage: sqlite ${ctx.file}: availability warm-up: ${what}: ${reason}${more}`);
  };
  const stopped = (): boolean => !ctx.isOpen() || req.signal?.aborted === true;

  const devices: [string, number][] = [];
  for (const device of new Set(req.devices)) {
    if (device === '') continue;
    const gap = Object.hasOwn(req.maxGapByDevice, device) ? req.maxGapByDevice[device] : undefined;
    if (typeof gap === 'number' && Number.isFinite(gap)) devices.push([device, gap]);
    else fail(`device ${device}`, `no finite maxGapMs (${String(gap)}); skipped`);
  }
  const days = cacheableDays(req.from, req.to, ctx.now);
  if (!days || devices.length === 0 || stopped()) {
    result.stopped = stopped();
    result.ms = performance.now() - started;
    return result;
  }

  let busySince = performance.now();
  /** a turn of the event loop, or a rest after busyMs of work; false when it has to stop */
  const pause = async (): Promise<boolean> => {
    if (req.pace && performance.now() - busySince >= req.pace.busyMs) {
      await rest(req.pace.restMs, undefined, { signal: req.signal }).catch(() => {});
      busySince = performance.now();
    } else {
      await turn();
    }
    return !stopped();
  };

  try {
    const readStates = stateRows(ctx.db);
    warm: for (let day = days.to - DAY_MS; day >= days.from; day -= DAY_MS) {
      for (const [device, gap] of devices) {
        if (!(await pause())) {
          result.stopped = true;
          break warm;
        }
        try {
          if (ctx.days.has(device, gap, day)) {
            result.cached++;
            continue;
          }
          const rows = readStates(device, day, day + DAY_MS);
          if (rows.length === 0) {
            result.empty++;
            continue;
          }
          ctx.days.put(device, gap, [[day, spanOfRows(rows, gap)]]);
          result.computed++;
          result.samples += rows.length;
        } catch (err) {
          fail(`device ${device} day ${dayName(day)}`, errorMessage(err));
        }
      }
    }
  } catch (err) {
    // only preparing the statement can get here (e.g. the file became unreadable)
    fail('every device', errorMessage(err));
  }
  result.ms = performance.now() - started;
  return result;
}
