/** SeriesPort: exactly the storage query path (both stores answer the same API). */
import type { SeriesPort } from '../../api/services.ts';
import type { SeriesQueryApi } from '../../storage/index.ts';

export function seriesPort(query: SeriesQueryApi): SeriesPort {
  return {
    querySeries: (q) => query.querySeries(q),
    latest: (measurement, device, tags) => query.latest(measurement, device, tags),
  };
}
