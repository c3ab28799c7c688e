/**
 * Sustained writes to a local influxd 1.6.7 (started here) through the netpulse writer.
 * Prints points/s (target >= 100k/s) and netpulse CPU per 100k points, median of runs.
 *   node bin/run-ts bench/influx-write.ts [pointsPerRun=500000] [runs=3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../src/model/index.ts';
import { createStorage } from '../src/storage/index.ts';
import { toLine } from '../src/storage/line-protocol.ts';
import { startInfluxd } from '../test/peers/influxd.ts';

const CHUNK = 5000;
const POINTS = Math.ceil(Number(process.argv[2] ?? 500_000) / CHUNK) * CHUNK;
const RUNS = Number(process.argv[3] ?? 3);

function interfaceSamples(from: number, n: number, base: number): Sample[] {
  const out: Sample[] = [];
  for (let k = from; k < from + n; k++) {
    const ifIndex = k % 500;
    out.push({
      measurement: 'snmp_interface',
      tags: { device: `sw${ifIndex % 20}`, ifName: `Gi0/${ifIndex}`, ifIndex: String(ifIndex), ifDescr: `GigabitEthernet0/${ifIndex}`, ifAlias: 'uplink to core' },
      fields: {
        in_octets: BigInt(k * 1500), out_octets: BigInt(k * 700), in_ucast_pkts: BigInt(k), out_ucast_pkts: BigInt(k),
        in_errors: 0n, out_errors: 0n, oper_status: 1n, in_bps: k * 1.5, out_bps: k * 0.7, in_util_pct: 12.5,
      },
      time: base + Math.floor(k / 500),
    });
  }
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A loopback HTTP endpoint that accepts and discards writes, in its own process: the writer alone. */
async function startNullInflux(): Promise<{ url: string; close(): void }> {
  const code = `require('http').createServer((q, s) => { q.resume(); q.on('end', () => {
    const query = q.url.startsWith('/query');
    s.writeHead(query ? 200 : 204, { 'X-Influxdb-Version': 'null' }); s.end(query ? '{"results":[{}]}' : ''); });
  }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.once('exit', () => child.kill('SIGKILL'));
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill('SIGKILL') };
}

interface RunResult { pps: number; cpuMsPer100k: number; formatPps: number }

async function runOnce(url: string, database: string, count?: (db: string) => Promise<number | undefined>): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-influxbench-'));
  const storage = createStorage({ dataDir, storage: { influx: { url, database, batchSize: CHUNK, flushInterval: 1000, timeout: 60_000 } } });
  try {
    await storage.flush();
    const base = Date.now() - 3_600_000;
    // a pool of chunks reused with fresh timestamps: producers' samples are short-lived,
    // so the bench must not keep millions of them on the heap
    const pool: Sample[][] = [];
    for (let i = 0; i < 20 * CHUNK; i += CHUNK) pool.push(interfaceSamples(i, CHUNK, base));
    const chunks = Array.from({ length: POINTS / CHUNK }, (_, i) => pool[i % pool.length]);

    // formatting alone (line protocol), for reference
    const f0 = performance.now();
    for (const c of pool.slice(0, 10)) for (const s of c) toLine(s);
    const formatPps = (10 * CHUNK) / ((performance.now() - f0) / 1000);

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const [i, c] of chunks.entries()) {
      if (i >= pool.length) for (const s of c) s.time += 1000;
      storage.sink.write(c);
      // a bench-side brake so the measurement is ingest, not spooling
      while (storage.metrics().pendingPoints > 6 * CHUNK) await new Promise((r) => setTimeout(r, 1));
    }
    await storage.flush(120_000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const m = storage.metrics();
    const pps = POINTS / seconds;
    const cpuMsPer100k = ((cpu.user + cpu.system) / 1000) * (100_000 / POINTS);
    const counted = count ? await count(database) : undefined;
    console.log(`  ${POINTS} points in ${seconds.toFixed(2)} s = ${Math.round(pps)} points/s; netpulse CPU ${cpuMsPer100k.toFixed(0)} ms per 100k points; written ${m.pointsWritten}${counted === undefined ? '' : `, counted in InfluxDB ${counted}`}; spooled ${m.pointsSpooled}, dropped ${m.pointsDropped}`);
    return { pps, cpuMsPer100k, formatPps };
  } finally {
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function summary(title: string, results: RunResult[]): void {
  console.log(`${title}:`);
  console.log(`  median throughput:          ${Math.round(median(results.map((r) => r.pps)))} points/s (target >= 100000)`);
  console.log(`  median netpulse CPU:        ${median(results.map((r) => r.cpuMsPer100k)).toFixed(0)} ms per 100k points`);
  console.log(`  writer capacity:            ${Math.round(100_000 / (median(results.map((r) => r.cpuMsPer100k)) / 1000))} points per netpulse CPU-second`);
  console.log(`  line-protocol formatting:   ${Math.round(median(results.map((r) => r.formatPps)))} points/s (one core)`);
}

const influxd = await startInfluxd();
const real: RunResult[] = [];
const nul: RunResult[] = [];
try {
  console.log(`into influxd ${influxd.version}:`);
  for (let run = 0; run < RUNS; run++) {
    const db = `bench${run}`;
    real.push(await runOnce(influxd.url, db, async (d) => {
      const res = await influxd.query('SELECT count("in_octets") FROM "snmp_interface"', d);
      await influxd.query(`DROP DATABASE "${d}"`);
      return res.results[0].series?.[0]?.values?.[0]?.[1];
    }));
  }
} finally {
  await influxd.close();
}
const sink = await startNullInflux();
try {
  console.log('into a null endpoint (accepts and discards; the writer alone):');
  for (let run = 0; run < RUNS; run++) nul.push(await runOnce(sink.url, 'null'));
} finally {
  sink.close();
}
console.log(`\ninflux-write (batch ${CHUNK}, gzip, ${RUNS} runs of ${POINTS} points of 10 fields and 5 tags; shared 2-core machine)`);
summary('into influxd 1.6.7 (started by the bench)', real);
summary('into a null endpoint (writer-bound)', nul);
