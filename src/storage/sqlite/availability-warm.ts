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
 *
 * With `forgetStale` (the request lists every configured device) it first walks the devices that
 * have cached rows, one per step with the same pauses: a device not listed loses its rows, a
 * listed one those under another maxGapMs; nothing reads them any more.
 */
import type Database from 'better-sqlite3';
import { setImmediate as turn, setTimeout as rest } from 'node:timers/promises';
import { cacheableDays, type AvailabilityDayCache } from './availability-cache.ts';
import { DAY_MS } from '../availability.ts';
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
  /** days not kept whole (starting before now - retentionMs) are not warmed: pruning drops their rows */
  retentionMs: number;
  isOpen: () => boolean;
  logger: StorageLogger;
}

const dayName = (day: number): string => new Date(day).toISOString().slice(0, 10);

/** what the steps of one warm-up share */
interface Steps {
  /** a turn of the event loop, or a rest after busyMs of work; false when it has to stop */
  pause: () => Promise<boolean>;
  /** counts a failure, logs the first few */
  fail: (what: string, reason: string) => void;
  result: AvailabilityWarmResult;
}

export async function warmAvailabilityDays(ctx: WarmContext, req: AvailabilityWarmRequest): Promise<AvailabilityWarmResult> {
  const started = performance.now();
  const from = Math.ceil(Math.max(req.from, ctx.now - ctx.retentionMs) / DAY_MS) * DAY_MS;
  const days = cacheableDays(from, req.to, ctx.now);
  const result: AvailabilityWarmResult = {
    computed: 0, cached: 0, empty: 0, failed: 0, forgotten: 0, samples: 0, stopped: false, ms: 0,
    from, to: days?.to ?? from, retentionMs: ctx.retentionMs,
  };
  const fail = (what: string, reason: string): void => {
    result.failed++;
    if (result.failed > LOGGED_FAILURES) return;
    const more = result.failed === LOGGED_FAILURES ? ' (further failures of this warm-up are only counted)' : '';
    ctx.logger.warn(`storage: sqlite ${ctx.file}: availability warm-up: ${what}: ${reason}${more}`);
  };
  const stopped = (): boolean => !ctx.isOpen() || req.signal?.aborted === true;

  const devices: [string, number][] = [];
  /** every listed device: its maxGapMs, undefined when it has no finite one */
  const listed = new Map<string, number | undefined>();
  for (const device of new Set(req.devices)) {
    if (device === '') continue;
    const gap = Object.hasOwn(req.maxGapByDevice, device) ? req.maxGapByDevice[device] : undefined;
    const finite = typeof gap === 'number' && Number.isFinite(gap);
    listed.set(device, finite ? gap : undefined);
    if (finite) devices.push([device, gap]);
    else fail(`device ${device}`, `no finite maxGapMs (${String(gap)}); skipped`);
  }

  let busySince = performance.now();
  const pause = async (): Promise<boolean> => {
    if (req.pace && performance.now() - busySince >= req.pace.busyMs) {
      await rest(req.pace.restMs, undefined, { signal: req.signal }).catch(() => {});
      busySince = performance.now();
    } else {
      await turn();
    }
    return !stopped();
  };
  const steps: Steps = { pause, fail, result };

  if (stopped()) result.stopped = true;
  else if (req.forgetStale && !(await forgetStale(ctx.days, listed, req.removedMaxGapMs, steps))) result.stopped = true;
  else if (days && devices.length > 0) result.stopped = !(await warmDays(ctx, devices, days, steps));
  result.ms = performance.now() - started;
  return result;
}

/** the device-days, newest day first; false when it had to stop */
async function warmDays(ctx: WarmContext, devices: readonly [string, number][], days: { from: number; to: number }, { pause, fail, result }: Steps): Promise<boolean> {
  try {
    const readStates = stateRows(ctx.db);
    for (let day = days.to - DAY_MS; day >= days.from; day -= DAY_MS) {
      for (const [device, gap] of devices) {
        if (!(await pause())) return false;
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
  return true;
}

/**
 * Forgets, of a listed device with a maxGapMs, its rows under any other one, and of a device not
 * `listed` its rows under any other than `removedGap` (reports of removed devices read those; all
 * without it): one device (a seek and a delete) per step, a pause before each. False when it had
 * to stop. A failing delete is counted and the walk goes on with the next device.
 */
async function forgetStale(cache: AvailabilityDayCache, listed: ReadonlyMap<string, number | undefined>, removedGap: number | undefined, { pause, fail, result }: Steps): Promise<boolean> {
  let device: string | undefined;
  for (;;) {
    if (!(await pause())) return false;
    try {
      device = cache.nextDevice(device);
    } catch (err) {
      fail('forgetting stale rows', errorMessage(err));
      return true;
    }
    if (device === undefined) return true;
    if (listed.has(device) && listed.get(device) === undefined) continue;
    try {
      result.forgotten += cache.forget(device, listed.has(device) ? listed.get(device) : removedGap);
    } catch (err) {
      fail(`forgetting stale rows of device ${device}`, errorMessage(err));
    }
  }
}
