/**
 * Retention of the embedded series store (series.db): the points before `before` and the cached
 * availability days starting before it, in batches (../prune-batches.ts).
 *
 * A batch is one transaction that visits at most `batchSize` rows: first the cached days (so no
 * report folds a cached day while its samples are being deleted), then the points series by
 * series in id order, oldest first (a series visited counts as a row, so a store of many series
 * with nothing to prune is walked in bounded steps too). Each later batch also drops the cached
 * days before `before` that a report stored in the pause before it (an index seek when there are
 * none), in the same transaction as the points it deletes. The store closing ends a run before
 * its next batch; a failing batch ends it and is logged.
 */
import type Database from 'better-sqlite3';
import { errorMessage } from '../../errors/index.ts';
import { nextTurn, runPruneBatches } from '../prune-batches.ts';
import type { StorageLogger } from '../types.ts';
import type { AvailabilityDayCache } from './availability-cache.ts';

/** rows one batch visits at most: a few milliseconds of deletes */
export const SERIES_PRUNE_BATCH_ROWS = 5000;

export interface SeriesPruneOptions {
  batchSize?: number;
  /** awaited after each batch; default a turn of the event loop (setImmediate) */
  pause?: () => Promise<void>;
}

export interface SeriesPruneResult {
  points: number;
  /** cached availability days (rows of availability_days) */
  days: number;
  batches: number;
  /** ended early by the store closing */
  stopped: boolean;
  /** the batch that failed, logged; the run ended there */
  error?: string;
}

export interface SeriesPruneContext {
  db: Database.Database;
  /** the store's file, for messages */
  file: string;
  days: AvailabilityDayCache;
  isOpen: () => boolean;
  logger: StorageLogger;
}

export async function pruneSeries(ctx: SeriesPruneContext, before: number, opts: SeriesPruneOptions = {}): Promise<SeriesPruneResult> {
  const limit = Math.max(1, opts.batchSize ?? SERIES_PRUNE_BATCH_ROWS);
  const result: SeriesPruneResult = { points: 0, days: 0, batches: 0, stopped: !ctx.isOpen() };
  if (result.stopped) return result;
  try {
    const nextSeries = ctx.db.prepare('SELECT id FROM series WHERE id > ? ORDER BY id LIMIT 1').pluck();
    /** the time of a series' (offset+1)-th oldest point before `before` */
    const oldPointAt = ctx.db.prepare('SELECT time FROM points WHERE series_id = ? AND time < ? ORDER BY time LIMIT 1 OFFSET ?').pluck();
    const deleteBefore = ctx.db.prepare('DELETE FROM points WHERE series_id = ? AND time < ?');
    let daysDone = false;
    /** the series being pruned; undefined: take the next after `after` */
    let series: number | undefined;
    let after = -Infinity;

    const step = (): boolean => {
      let budget = limit;
      let finished = false;
      // counted once the transaction committed
      let points = 0;
      let days = 0;
      ctx.db.transaction(() => {
        if (daysDone) {
          days += ctx.days.prune(before);
        } else {
          const n = ctx.days.pruneBatch(before, budget);
          days += n;
          budget -= n;
          daysDone = budget > 0;
        }
        while (daysDone && budget > 0) {
          if (series === undefined) {
            series = nextSeries.get(after) as number | undefined;
            budget--;
            if (series === undefined) {
              finished = true;
              return;
            }
            continue;
          }
          const bound = oldPointAt.get(series, before, budget) as number | undefined;
          // times are unique per series: below the bound lie exactly `budget` points
          const n = deleteBefore.run(series, bound ?? before).changes;
          points += n;
          budget -= n;
          if (bound === undefined) {
            after = series;
            series = undefined;
          }
        }
      })();
      result.points += points;
      result.days += days;
      return finished;
    };
    result.stopped = !(await runPruneBatches(step, {
      pause: opts.pause ?? nextTurn,
      stopped: () => !ctx.isOpen(),
      onBatch: () => { result.batches++; },
    }));
  } catch (err) {
    result.error = errorMessage(err);
    ctx.logger.error(`storage: sqlite ${ctx.file}: prune: ${result.error} (removed ${result.points} points before it; the next run goes on)`);
  }
  return result;
}
