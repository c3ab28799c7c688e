/**
 * Topology discovery of N lab devices (default 500): every device's interface, address, LLDP,
 * CDP, forwarding (BRIDGE/Q-BRIDGE), ARP and OSPF tables through the real SNMP client (v1, v2c and
 * v3 devices), then the graph. The lab runs in a child process (`netpulse lab`) so its CPU is not
 * counted here. Prints wall time per run and the median, devices/s, varbinds and requests read,
 * this process's CPU, peak RSS and peak heap, and whether the graph equals the lab's truth.
 *
 *   node bin/run-ts bench/topology.ts [--devices 500] [--topology mesh] [--runs 3] [--concurrency 64]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.ts';
import { labTruth } from '../src/lab/config.ts';
import { buildNetwork, type Topology } from '../src/lab/network.ts';
import { createSnmpClient } from '../src/snmp/index.ts';
import type { SnmpClient } from '../src/snmp/types.ts';
import { createTopologyService } from '../src/topology/index.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '500' }, topology: { type: 'string', default: 'mesh' },
    runs: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '64' }, seed: { type: 'string', default: '1' },
  },
});
const devices = Number(values.devices);
const runs = Number(values.runs);
const topology = values.topology as Topology;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

const dir = await mkdtemp(join(tmpdir(), 'netpulse-bench-topo-'));
const configFile = join(dir, 'lab.yaml');
const lab = spawn(process.execPath, ['--openssl-legacy-provider', join(ROOT, 'bin/netpulse'), 'lab', '--devices', String(devices), '--base-port', '0',
  '--topology', topology, '--seed', values.seed!, '--write-config', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
let labErr = '';
lab.stderr.on('data', (d: Buffer) => (labErr += d.toString()));
/** user+system CPU seconds of the lab child so far (Linux /proc) */
const labCpuSeconds = () => {
  try {
    const f = readFileSync(`/proc/${lab.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
};
const stopLab = () => { if (lab.exitCode === null) lab.kill('SIGTERM'); };
process.once('exit', stopLab);

try {
  const deadline = Date.now() + 60_000;
  while (!(existsSync(configFile) && labErr.includes('config written'))) {
    if (lab.exitCode !== null || Date.now() > deadline) throw new Error(`lab did not start: ${labErr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const config = loadConfig(configFile);
  const truth = labTruth(buildNetwork({ devices, topology, seed: Number(values.seed), address: '127.0.0.1', basePort: 0, addressPerDevice: false, startMs: 0 }));
  const want = truth.links.map((t) => [`${t.a}:${t.aPort}`, `${t.b}:${t.bPort}`].sort().join(' - ')).sort().join('\n');

  const inner = createSnmpClient({ maxConcurrency: Number(values.concurrency) * 2 });
  let varbinds = 0, calls = 0;
  const client: SnmpClient = {
    get: async (t, oids) => { calls++; const r = await inner.get(t, oids); varbinds += r.length; return r; },
    walk: async (t, oid, o) => { calls++; const r = await inner.walk(t, oid, o); varbinds += r.length; return r; },
    table: async (t, cols, o) => { calls++; const r = await inner.table(t, cols, o); for (const row of r) varbinds += row.values.size; return r; },
    close: () => inner.close(),
  };
  let heapPeak = 0;
  const sampler = setInterval(() => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed); }, 25);
  const d = config.defaults;
  const service = createTopologyService({
    client, concurrency: Number(values.concurrency), devices: () => config.devices,
    target: (dev) => ({ address: dev.address, port: dev.port, credential: dev.credential, timeoutMs: 3000, retries: 2, maxRepetitions: d.maxRepetitions }),
  });
  console.log(`topology discovery: ${devices} lab devices (${topology}; v1 ${truth.byVersion['1']}, v2c ${truth.byVersion['2c']}, v3 ${truth.byVersion['3']}), concurrency ${values.concurrency}, ${runs} runs`);
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    varbinds = 0; calls = 0;
    const cpu0 = process.cpuUsage();
    const labCpu0 = labCpuSeconds();
    const t0 = performance.now();
    const g = await service.discover();
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const labCpu = labCpuSeconds() - labCpu0;
    walls.push(wall);
    for (const a of g.anomalies.slice(0, 3)) console.log(`    ${a.kind}: ${a.message}`);
    const got = g.links.map((l) => [`${l.a.node}:${l.a.port}`, `${l.b.node}:${l.b.port}`].sort().join(' - ')).sort().join('\n');
    console.log(`  run ${i + 1}: ${(wall / 1000).toFixed(2)} s, ${(devices / (wall / 1000)).toFixed(0)} devices/s, ${varbinds} varbinds in ${calls} get/table calls, `
      + `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (lab child ${labCpu.toFixed(2)} s), ${g.nodes.length} nodes, ${g.links.length} links (truth ${truth.links.length}, ${got === want ? 'exact' : 'DIFFERENT'}), ${g.anomalies.length} anomalies`);
  }
  clearInterval(sampler);
  const m = median(walls);
  console.log(`median wall ${(m / 1000).toFixed(2)} s (target < 60 s), ${(devices / (m / 1000)).toFixed(0)} devices/s; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}, peak heap ${mb(heapPeak)}`);
  await client.close();
} finally {
  stopLab();
  await rm(dir, { recursive: true, force: true });
}
