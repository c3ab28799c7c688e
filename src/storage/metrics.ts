/**
 * Storage metrics as Prometheus metric families (structurally the API's MetricFamily),
 * so the API can render them without knowing storage.
 */
import type { StorageMetrics } from './types.ts';

export interface StorageMetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: { labels?: Record<string, string>; value: number }[];
}

export function storageMetricFamilies(m: StorageMetrics): StorageMetricFamily[] {
  const labels = { backend: m.backend };
  const family = (name: string, type: 'counter' | 'gauge', help: string, value: number): StorageMetricFamily =>
    ({ name, type, help, samples: [{ labels, value }] });
  return [
    family('netpulse_points_written_total', 'counter', 'points stored in the time-series store', m.pointsWritten),
    family('netpulse_points_spooled_total', 'counter', 'points that went through the on-disk spool', m.pointsSpooled),
    family('netpulse_points_replayed_total', 'counter', 'spooled points delivered later', m.pointsReplayed),
    family('netpulse_points_dropped_total', 'counter', 'points lost (spool bound, disk full, shutdown)', m.pointsDropped),
    family('netpulse_points_quarantined_total', 'counter', 'points InfluxDB rejected (kept in the quarantine file)', m.pointsQuarantined),
    family('netpulse_points_invalid_total', 'counter', 'samples with nothing storable (NaN, no fields)', m.pointsInvalid),
    family('netpulse_storage_batches_failed_total', 'counter', 'write requests that failed', m.batchesFailed),
    family('netpulse_storage_integers_wrapped_total', 'counter', 'integers above 2^63-1 stored modulo 2^63', m.integersWrapped),
    family('netpulse_points_spooled', 'gauge', 'points waiting in the spool now', m.spoolPoints),
    family('netpulse_storage_spool_bytes', 'gauge', 'bytes in the spool now', m.spoolBytes),
    family('netpulse_points_pending', 'gauge', 'points in memory, not yet written or spooled', m.pendingPoints),
    family('netpulse_storage_up', 'gauge', '1 while the time-series store accepts writes', m.healthy ? 1 : 0),
  ];
}
