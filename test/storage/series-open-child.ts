/**
 * One netpulse process opening series.db, for series-open-race.test.ts: `bin/run-ts
 * test/storage/series-open-child.ts <file> <device>` says "opening" on stdout, opens the store
 * (which migrates the file), writes one point for <device>, closes and says "done". An error goes
 * to stderr with exit code 1.
 */
import { openSeriesStore } from './open-series.ts';

const [file, device] = process.argv.slice(2);
try {
  process.stdout.write('opening\n');
  const store = openSeriesStore(file);
  store.write([{ measurement: 'icmp', tags: { device }, fields: { rtt_avg_ms: 3.5 }, time: 3000 }]);
  await store.close();
  if (store.metrics().pointsWritten !== 1) throw new Error(`${device}: point not written: ${store.metrics().detail}`);
  process.stdout.write('done\n');
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
