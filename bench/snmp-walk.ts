/**
 * Walk throughput of netpulse's SNMP client against REAL snmpd agents, beside Net-SNMP's
 * snmpbulkwalk under the same conditions: the same agents, OID root, max-repetitions (no
 * non-repeaters), timeout/retries, and concurrency (one walk per agent, all agents at once:
 * N snmpbulkwalk processes vs one client with maxConcurrency N).
 *
 * Fairness: both sides walk every agent --warmup times before measuring (snmpd's caches and our JIT
 * are warm), runs alternate the order (ABBA: snmpd reloads expired caches for whoever walks
 * at that moment), and both format every varbind as text (snmpbulkwalk prints; we run
 * formatVarbind). snmpbulkwalk's wall time includes its process start-up, which is
 * printed separately. CPU: ours via process.cpuUsage over the walk, snmpbulkwalk's via
 * bash `times` (children's user+sys). Prints medians of --runs (>= 3) and the load average:
 * the machine may be shared, so figures are indicative.
 *
 * Our client runs with the SNMP threads `netpulse start` uses (snmpThreads: auto, one per core
 * up to 4); --threads 0 measures the single-thread client. The threads are shared by every
 * client of the process and stay warm between runs, as in a poller; each run still makes a
 * new client (new sessions, v3 discovery), as each snmpbulkwalk is a new process.
 *
 *   node bin/run-ts bench/snmp-walk.ts [--agents 1,4,16] [--runs 7] [--reps 25] [--only v2c|v3] [--warmup 10] [--threads N]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Credential } from '../src/model/credentials.ts';
import type * as ClientModule from '../src/snmp/client.ts';
import type * as FormatModule from '../src/snmp/format.ts';
import type * as ThreadedModule from '../src/snmp/threaded-client.ts';
import { codeLabel, ensureProductNodeFlags, productionModule, serviceNodeFlags } from './production-code.ts';

ensureProductNodeFlags();
import type { SnmpTarget } from '../src/snmp/types.ts';
import { freeUdpPort, startSnmpd, type SnmpdHandle } from '../test/peers/snmpd.ts';

const { createSnmpClient } = await productionModule<typeof ClientModule>('snmp/client');
const { formatVarbind } = await productionModule<typeof FormatModule>('snmp/format');
const { autoSnmpThreads } = await productionModule<typeof ThreadedModule>('snmp/threaded-client');

const argOf = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
};
const AGENT_COUNTS = argOf('agents', '1,4,16').split(',').map(Number);
const RUNS = Math.max(3, Number(argOf('runs', '7')));
const REPS = Number(argOf('reps', '25'));
const ONLY = argOf('only', '');
const WARMUP = Number(argOf('warmup', '10'));
/** SNMP threads of our client: what `netpulse start` uses (snmpThreads: auto) unless given */
const THREADS = Number(argOf('threads', String(autoSnmpThreads())));
const ROOT = '1.3.6.1';
const TIMEOUT_S = 2;
const RETRIES = 1;

interface Scenario {
  name: string;
  credential: Credential;
  netSnmpArgs: string[];
}

const ALL_SCENARIOS: Scenario[] = [
  { name: 'v2c', credential: { version: '2c', community: 'bench' }, netSnmpArgs: ['-v2c', '-c', 'bench'] },
  {
    name: 'v3',
    credential: { version: '3', user: 'bench', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'bench-auth-pw', privProtocol: 'AES-256', privKey: 'bench-priv-pw' },
    netSnmpArgs: ['-v3', '-u', 'bench', '-l', 'authPriv', '-a', 'SHA-256', '-A', 'bench-auth-pw', '-x', 'AES-256', '-X', 'bench-priv-pw'],
  },
];
const SCENARIOS = ALL_SCENARIOS.filter((s) => !ONLY || s.name === ONLY);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const load = () => os.loadavg()[0].toFixed(1);

interface Sample {
  varbinds: number;
  seconds: number;
  cpu: number;
  failed: number;
  /** ours: GETBULK requests that went over the wire codec instead of net-snmp */
  wire?: number;
  /** distinct failure reasons (ours) */
  errors?: string[];
  /** the agents' CPU-seconds during the run, and the share of the machine left idle */
  agentCpu?: number;
  idle?: number;
}

/** CPU-seconds used so far by these processes (utime + stime from /proc, 10 ms ticks) */
function processCpu(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      ticks += Number(rest[11]) + Number(rest[12]);
    } catch { /* an agent gone: counted as 0 */ }
  }
  return ticks / 100;
}
/** [idle, total] jiffies of the whole machine */
function machineTicks(): [number, number] {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  return [cpu[3] + cpu[4], cpu.reduce((a, b) => a + b, 0)];
}
/** runs `f`, adding the agents' CPU and the machine's idle share over its run to the sample */
async function watched(agents: SnmpdHandle[], f: () => Promise<Sample>): Promise<Sample> {
  const pids = agents.map((a) => a.pid);
  const c0 = processCpu(pids);
  const [i0, t0] = machineTicks();
  const s = await f();
  const [i1, t1] = machineTicks();
  s.agentCpu = processCpu(pids) - c0;
  s.idle = t1 > t0 ? (i1 - i0) / (t1 - t0) : 0;
  return s;
}

async function ours(agents: SnmpdHandle[], cred: Credential, root = ROOT): Promise<Sample> {
  const client = createSnmpClient({ maxConcurrency: agents.length, maxSockets: 4, threads: THREADS });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let failed = 0;
  const errors = new Set<string>();
  const counts = await Promise.all(
    agents.map(async (a) => {
      const t: SnmpTarget = { address: a.address, port: a.port, credential: cred, timeoutMs: TIMEOUT_S * 1000, retries: RETRIES, maxRepetitions: REPS };
      try {
        const vbs = await client.walk(t, root);
        let bytes = 0;
        for (const vb of vbs) bytes += formatVarbind(vb).length + 1; // the text snmpbulkwalk prints
        return bytes > 0 ? vbs.length : 0;
      } catch (err) {
        failed++;
        errors.add((err as Error).message.replace(/agent [\d.]+:\d+/, 'agent'));
        return 0;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const wire = client.stats().wireBulkRequests;
  await client.close();
  return { varbinds: counts.reduce((a, b) => a + b, 0), seconds, cpu: (c.user + c.system) / 1e6, failed, wire, errors: [...errors] };
}

/** One snmpbulkwalk; stdout is counted here, bash's `times` (2nd line: children) gives its CPU. */
function bulkwalk(port: number, args: string[], root: string): Promise<{ lines: number; cpu: number; ok: boolean }> {
  const cmd = ['snmpbulkwalk', ...args, '-On', '-m', "''", `-Cr${REPS}`, '-t', String(TIMEOUT_S), '-r', String(RETRIES), `127.0.0.1:${port}`, `.${root}`]
    .map((a) => (a === "''" ? a : `'${a}'`))
    .join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${cmd}; rc=$?; times >&2; exit $rc`], {
      env: { ...process.env, MIBS: '', MIBDIRS: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lines = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const timesLine = err.trim().split('\n').at(-1) ?? '';
      let cpu = 0;
      for (const [, m, s] of timesLine.matchAll(/(\d+)m([\d.]+)s/g)) cpu += Number(m) * 60 + Number(s);
      resolve({ lines, cpu, ok: code === 0 });
    });
  });
}

async function netSnmp(agents: SnmpdHandle[], args: string[], root = ROOT): Promise<Sample> {
  const t0 = performance.now();
  const results = await Promise.all(agents.map((a) => bulkwalk(a.port, args, root)));
  const seconds = (performance.now() - t0) / 1000;
  const ok = results.filter((r) => r.ok);
  return {
    varbinds: ok.reduce((s, r) => s + r.lines, 0),
    seconds,
    cpu: results.reduce((s, r) => s + r.cpu, 0),
    failed: results.length - ok.length,
  };
}

async function socketsFor1000Targets(): Promise<string> {
  const client = createSnmpClient({ maxConcurrency: 1000, maxSockets: 4, threads: THREADS });
  const port = await freeUdpPort();
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, client.stats().sockets)), 2);
  await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      client
        .get({ address: `127.0.${i >> 8}.${(i & 255) || 1}`, port, credential: { version: '2c', community: 'x' }, timeoutMs: 200, retries: 0, maxRepetitions: 10 }, ['1.3.6.1.2.1.1.3.0'])
        .catch(() => undefined),
    ),
  );
  clearInterval(timer);
  const s = client.stats();
  await client.close();
  return `1,000 concurrent targets: ${Math.max(peak, s.sockets)} UDP sockets, ${s.sessions} sessions${THREADS > 0 ? ` (over ${THREADS} SNMP threads, at most 4 sockets each)` : ''}`;
}

async function measure(agents: SnmpdHandle[], sc: Scenario): Promise<void> {
  // warm-up: snmpd's caches, and our JIT (a poller runs for months; V8 optimises a hot
  // function after a few thousand calls: ~8 walks of this agent, measured)
  for (let i = 0; i < WARMUP; i++) {
    await ours(agents, sc.credential);
    await netSnmp(agents, sc.netSnmpArgs);
  }
  const a: Sample[] = [];
  const b: Sample[] = [];
  const loads: string[] = [];
  for (let r = 0; r < RUNS; r++) {
    loads.push(load());
    if (r % 2 === 0) {
      a.push(await watched(agents, () => ours(agents, sc.credential)));
      b.push(await watched(agents, () => netSnmp(agents, sc.netSnmpArgs)));
    } else {
      b.push(await watched(agents, () => netSnmp(agents, sc.netSnmpArgs)));
      a.push(await watched(agents, () => ours(agents, sc.credential)));
    }
  }
  // start-up: a walk of one object (sysName subtree) = process start + discovery (v3) + 1-2 requests
  const startOurs: number[] = [];
  const startTheirs: number[] = [];
  for (let r = 0; r < 3; r++) {
    startOurs.push((await ours(agents.slice(0, 1), sc.credential, '1.3.6.1.2.1.1.5')).seconds);
    startTheirs.push((await netSnmp(agents.slice(0, 1), sc.netSnmpArgs, '1.3.6.1.2.1.1.5')).seconds);
  }
  const rate = (xs: Sample[]) => median(xs.map((x) => x.varbinds / x.seconds));
  const cpu10k = (xs: Sample[]) => median(xs.map((x) => (x.cpu / Math.max(1, x.varbinds)) * 10_000));
  const failed = (xs: Sample[]) => xs.reduce((s, x) => s + x.failed, 0);
  const [oursRate, theirRate] = [rate(a), rate(b)];
  const fmt = (name: string, xs: Sample[], r: number) =>
    `  ${name.padEnd(13)} ${r.toFixed(0).padStart(8)} varbinds/s  ${cpu10k(xs).toFixed(3)} CPU-s/10k varbinds  ` +
    `agents ${median(xs.map((x) => ((x.agentCpu ?? 0) / Math.max(1, x.varbinds)) * 10_000)).toFixed(3)} CPU-s/10k, machine idle ${(median(xs.map((x) => x.idle ?? 0)) * 100).toFixed(0)}%  ` +
    `runs ${xs.map((x) => (x.varbinds / x.seconds).toFixed(0) + "/" + (x.cpu * 1000).toFixed(0) + "ms").join(" ")}${failed(xs) ? `  FAILED walks: ${failed(xs)}` : ''}`;
  console.log(`\n[${sc.name}, ${agents.length} agent${agents.length > 1 ? 's' : ''}, concurrency ${agents.length}] varbinds/run: netpulse ${median(a.map((x) => x.varbinds))}, snmpbulkwalk ${median(b.map((x) => x.varbinds))}; load avg during runs ${loads.join(' ')}`);
  console.log(fmt('netpulse', a, oursRate));
  console.log(fmt('snmpbulkwalk', b, theirRate));
  const reasons = new Set(a.flatMap((x) => x.errors ?? []));
  if (reasons.size > 0) console.log(`  netpulse failures: ${[...reasons].join(' | ')}`);
  console.log(`  netpulse GETBULKs on the wire codec per run: ${median(a.map((x) => x.wire ?? 0))} (the rest, ~1 per agent for v3 discovery/time sync, via net-snmp)`);
  // each run pairs one walk of ours with one of theirs taken right before or after it, so the
  // median of the pairs' ratios is less sensitive to the machine's drift than a ratio of medians
  const pairRatios = a.map((x, i) => x.varbinds / x.seconds / (b[i].varbinds / b[i].seconds));
  console.log(`  ratio netpulse/snmpbulkwalk: ${(oursRate / theirRate).toFixed(2)}x (target >= 1.0x); median of the ${RUNS} paired runs' ratios ${median(pairRatios).toFixed(2)}x [${pairRatios.map((r) => r.toFixed(2)).join(' ')}]`);
  console.log(`  one-object walk (start-up + 1-2 requests), median ms: netpulse ${(median(startOurs) * 1000).toFixed(1)}, snmpbulkwalk ${(median(startTheirs) * 1000).toFixed(1)} (incl. process start)`);
}

const agents: SnmpdHandle[] = [];
try {
  const most = Math.max(...AGENT_COUNTS);
  for (let i = 0; i < most; i++) {
    agents.push(
      await startSnmpd({
        versions: ['2c', '3'],
        community: 'bench',
        sysName: `bench-${i}`,
        users: [{ name: 'bench', authProtocol: 'SHA-256', authKey: 'bench-auth-pw', privProtocol: 'AES-256', privKey: 'bench-priv-pw' }],
      }),
    );
  }
  console.log(
    `snmp-walk bench: walk .${ROOT} (full MIB of real snmpd agents), max-repetitions ${REPS}, non-repeaters 0, timeout ${TIMEOUT_S}s, ` +
      `retries ${RETRIES}, medians of ${RUNS} runs (ABBA order); ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} ` +
      `(shared machine: figures are indicative); ${codeLabel()}; node ${serviceNodeFlags().join(' ')} (a poller's); netpulse SNMP threads: ${THREADS}${THREADS > 0 ? '' : ' (all on the main thread)'}`,
  );
  for (const n of AGENT_COUNTS) for (const sc of SCENARIOS) await measure(agents.slice(0, n), sc);
  console.log('\n' + (await socketsFor1000Targets()));
} finally {
  await Promise.all(agents.map((a) => a.stop()));
}
