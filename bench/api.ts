/**
 * API throughput and latency over loopback HTTP, app on the in-memory fake services with
 * 1,000 devices: requests/s and p50/p99 per endpoint, medians of several runs.
 *   node bin/run-ts bench/api.ts [--runs 3] [--requests 2000] [--concurrency 16]
 */
import { parseArgs } from 'node:util';
import { startApiServer } from '../src/api/server.ts';
import { createFakeServices } from '../test/api/fake-services.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' } } });
const RUNS = Number(values.runs), REQUESTS = Number(values.requests), CONC = Number(values.concurrency);
const TOKEN = 'bench-token-0123456789';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const svc = createFakeServices();
for (let i = 0; i < 994; i++) {
  await svc.devices.create({ name: `bench-${i}`, address: `127.0.${i >> 8}.${(i & 255) || 1}`, port: 161, credentials: ['lab-v2c', 'core-v3', 'edge-v3'][i % 3], profiles: ['system', 'interfaces'], intervalMs: 60_000, profileIntervalsMs: {}, tags: { site: `s${i % 7}` }, icmp: true });
}
const server = await startApiServer(svc, { listen: '127.0.0.1:0', tokens: [TOKEN], openReads: false, cors: false });
const headers = { authorization: `Bearer ${TOKEN}` };

async function run(path: string): Promise<{ rps: number; p50: number; p99: number }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONC }, async () => {
    while (next++ < REQUESTS) {
      const s = performance.now();
      const res = await fetch(server.url + path, { headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      lat.push(performance.now() - s);
    }
  }));
  return { rps: REQUESTS / ((performance.now() - t0) / 1000), p50: pct(lat, 0.5), p99: pct(lat, 0.99) };
}

console.log(`api bench: ${REQUESTS} requests x ${RUNS} runs, concurrency ${CONC}, 1000 devices, loopback HTTP (shared machine: indicative only)`);
for (const path of ['/health', '/api/v1/devices', '/api/v1/stats/snmp-versions', '/api/v1/devices/core-rtr1', '/api/v1/devices/core-rtr1/series?measurement=snmp_interface&field=in_bps,out_bps&ifName=Gi0/1', '/api/v1/oids?q=if']) {
  await run(path); // warm-up
  const rs = [];
  for (let i = 0; i < RUNS; i++) rs.push(await run(path));
  console.log(`${path.padEnd(95)} ${median(rs.map((r) => r.rps)).toFixed(0).padStart(6)} req/s  p50 ${median(rs.map((r) => r.p50)).toFixed(2)} ms  p99 ${median(rs.map((r) => r.p99)).toFixed(2)} ms`);
}
await server.close();
