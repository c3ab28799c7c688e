/**
 * Sustained writes to a local influxd 1.6.7 (started here) through the netpulse writer.
 * Prints points/s (target >= 100k/s) and netpulse CPU per 100k points, median of runs.
 *   node bin/run-ts bench/influx-write.ts [pointsPerRun=500000] [runs=3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../src/model/index.ts';
import { createStorage } from '../src/storage/index.ts';
import { toLine } from '../src/storage/line-protocol.ts';
import { startInfluxd } from '../test/peers/influxd.ts';

/** samples per sink.write call (what a poller hands over at once) */
const CHUNK = 5000;
/** points per request and requests in flight: INFLUX_BENCH_BATCH, INFLUX_BENCH_LANES */
const BATCH = Number(process.env.INFLUX_BENCH_BATCH ?? 5000);
const LANES = Number(process.env.INFLUX_BENCH_LANES ?? 2);
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

/** CPU ms used so far by the process whose command line mentions `marker` (the influxd of this bench), from /proc */
function processCpuMs(marker: string): number | undefined {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
    } catch { /* the process went away */ }
  }
  return undefined;
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

interface RunResult { pps: number; cpuMsPer100k: number; benchCpuMsPer100k: number; formatPps: number; serverCpuMsPer100k?: number }

async function runOnce(url: string, database: string, count?: (db: string) => Promise<number | undefined>, serverCpu?: () => number | undefined): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-influxbench-'));
  const storage = createStorage({ dataDir, storage: { influx: { url, database, batchSize: BATCH, concurrency: LANES, flushInterval: 1000, timeout: 60_000 } } });
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

    const server0 = serverCpu?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let benchCpuUs = 0;
    for (const [i, c] of chunks.entries()) {
      // the bench's own work (fresh timestamps) is measured and taken out of netpulse's CPU
      const b0 = process.cpuUsage();
      if (i >= pool.length) for (const s of c) s.time += 1000;
      const b = process.cpuUsage(b0);
      benchCpuUs += b.user + b.system;
      storage.sink.write(c);
      // a bench-side brake so the measurement is ingest, not spooling
      while (storage.metrics().pendingPoints > 6 * Math.max(CHUNK, BATCH)) await new Promise((r) => setTimeout(r, 1));
    }
    await storage.flush(120_000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const server1 = serverCpu?.();
    const serverCpuMsPer100k = server0 !== undefined && server1 !== undefined ? (server1 - server0) * (100_000 / POINTS) : undefined;
    const m = storage.metrics();
    const pps = POINTS / seconds;
    const cpuMsPer100k = ((cpu.user + cpu.system - benchCpuUs) / 1000) * (100_000 / POINTS);
    const benchCpuMsPer100k = (benchCpuUs / 1000) * (100_000 / POINTS);
    const counted = count ? await count(database) : undefined;
    console.log(`  ${POINTS} points in ${seconds.toFixed(2)} s = ${Math.round(pps)} points/s; netpulse CPU ${cpuMsPer100k.toFixed(0)} ms per 100k points (bench-side ${benchCpuMsPer100k.toFixed(0)} ms, excluded);${serverCpuMsPer100k === undefined ? '' : ` influxd CPU ${serverCpuMsPer100k.toFixed(0)} ms per 100k;`} written ${m.pointsWritten}${counted === undefined ? '' : `, counted in InfluxDB ${counted}`}; spooled ${m.pointsSpooled}, dropped ${m.pointsDropped}`);
    return { pps, cpuMsPer100k, benchCpuMsPer100k, formatPps, serverCpuMsPer100k };
  } finally {
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function summary(title: string, results: RunResult[]): void {
  console.log(`${title}:`);
  console.log(`  median throughput:          ${Math.round(median(results.map((r) => r.pps)))} points/s (target >= 100000)`);
  console.log(`  median netpulse CPU:        ${median(results.map((r) => r.cpuMsPer100k)).toFixed(0)} ms per 100k points (all threads: formatting, gzip, HTTP, GC)`);
  const server = results.flatMap((r) => (r.serverCpuMsPer100k === undefined ? [] : [r.serverCpuMsPer100k]));
  if (server.length > 0) console.log(`  median influxd CPU:         ${median(server).toFixed(0)} ms per 100k points`);
  console.log(`  bench-side CPU (excluded):  ${median(results.map((r) => r.benchCpuMsPer100k)).toFixed(0)} ms per 100k points`);
  console.log(`  writer capacity:            ${Math.round(100_000 / (median(results.map((r) => r.cpuMsPer100k)) / 1000))} points per netpulse CPU-second`);
  console.log(`  line-protocol formatting:   ${Math.round(median(results.map((r) => r.formatPps)))} points/s (one core)`);
}

const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(' ');
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
    }, () => processCpuMs(influxd.dir)));
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
console.log(`\nload average at start ${loadAtStart}, at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`influx-write (batch ${BATCH}, ${LANES} in flight, gzip, ${RUNS} runs of ${POINTS} points of 10 fields and 5 tags; shared 2-core machine)`);
summary('into influxd 1.6.7 (started by the bench)', real);
summary('into a null endpoint (writer-bound)', nul);
