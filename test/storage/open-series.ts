/** series.db opened for the tests of its schema and of opening it: nothing pruned, nothing logged */
import { SqliteSeriesStore } from '../../src/storage/sqlite/series-store.ts';
import { silentLogger } from '../../src/storage/types.ts';

export const openSeriesStore = (file: string): SqliteSeriesStore =>
  new SqliteSeriesStore({ file, retentionMs: 1e13, pruneIntervalMs: 3_600_000, batchSize: 1000, flushIntervalMs: 1000, logger: silentLogger });
