/**
 * A 60 s InfluxDB outage (influxd SIGKILLed, then restarted) under 10k points/s: every
 * point written must be in InfluxDB at the end, counted by a query.
 *   node bin/run-ts bench/influx-outage.ts [outageSeconds=60] [pointsPerSecond=10000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../src/model/index.ts';
import { createStorage } from '../src/storage/index.ts';
import { startInfluxd } from '../test/peers/influxd.ts';

const OUTAGE_S = Number(process.argv[2] ?? 60);
const RATE = Number(process.argv[3] ?? 10_000);
const BEFORE_S = 10;
const AFTER_S = 15;
const TICK_MS = 100;
const SERIES = 200;
const perTick = Math.round((RATE * TICK_MS) / 1000);

const influxd = await startInfluxd();
const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-influxoutage-'));
const log = (m: string): void => console.log(`${new Date().toISOString().slice(11, 19)} ${m}`);
const storage = createStorage(
  { dataDir, storage: { influx: { url: influxd.url, database: 'outage', batchSize: 5000, flushInterval: 1000, retry: { maxMs: 5000 } } } },
  { logger: { info: (m) => log(`info  ${m}`), warn: (m) => log(`warn  ${m}`), error: (m) => log(`error ${m}`) } },
);
const base = Date.now() - 24 * 3_600_000;
let produced = 0;

function tick(): void {
  const batch: Sample[] = [];
  for (let i = 0; i < perTick; i++, produced++) {
    const s = produced % SERIES;
    batch.push({
      measurement: 'snmp_interface',
      tags: { device: `sw${s % 10}`, ifName: `Gi0/${s}` },
      fields: { in_octets: BigInt(produced), out_octets: BigInt(produced * 2), in_bps: produced / 3 },
      // unique per series: one point per series per ms step
      time: base + Math.floor(produced / SERIES),
    });
  }
  storage.sink.write(batch);
}

let exitCode = 0;
try {
  const total = BEFORE_S + OUTAGE_S + AFTER_S;
  const start = Date.now();
  let killedAt = 0;
  let restartedAt = 0;
  let next = start;
  log(`producing ${RATE} points/s for ${total} s; influxd down from ${BEFORE_S} s to ${BEFORE_S + OUTAGE_S} s`);
  while (Date.now() - start < total * 1000) {
    const t = (Date.now() - start) / 1000;
    if (!killedAt && t >= BEFORE_S) {
      await influxd.stop('SIGKILL');
      killedAt = Date.now();
      log('influxd killed');
    }
    if (killedAt && !restartedAt && t >= BEFORE_S + OUTAGE_S) {
      await influxd.start();
      restartedAt = Date.now();
      log(`influxd restarted; spool holds ${storage.metrics().spoolPoints} points`);
    }
    tick();
    next += TICK_MS;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  const producedAt = Date.now();
  await storage.flush(600_000);
  while (storage.metrics().spoolPoints > 0 || storage.metrics().pendingPoints > 0) await new Promise((r) => setTimeout(r, 100));
  const drainedAt = Date.now();
  const res = await fetch(`${influxd.url}/query?${new URLSearchParams({ db: 'outage', q: 'SELECT count("in_octets") FROM "snmp_interface"' })}`);
  const counted = (await res.json()).results[0].series?.[0]?.values?.[0]?.[1] ?? 0;
  const m = storage.metrics();
  console.log(`\ninflux-outage (influxd 1.6.7, ${OUTAGE_S} s outage by SIGKILL at ${RATE} points/s; shared 2-core machine):`);
  console.log(`  points produced:            ${produced}`);
  console.log(`  points counted in InfluxDB: ${counted}  ${counted === produced ? 'OK: none lost' : 'MISSING ' + (produced - counted)}`);
  console.log(`  spooled ${m.pointsSpooled}, replayed ${m.pointsReplayed}, dropped ${m.pointsDropped}, quarantined ${m.pointsQuarantined}, batches failed ${m.batchesFailed}`);
  console.log(`  spool drained ${((drainedAt - restartedAt) / 1000).toFixed(1)} s after the restart (${((drainedAt - producedAt) / 1000).toFixed(1)} s after production stopped)`);
  if (counted !== produced) exitCode = 1;
} finally {
  await storage.close();
  await influxd.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
