/**
 * Walk throughput of netpulse's SNMP client against REAL snmpd agents, beside Net-SNMP's
 * snmpbulkwalk at the same concurrency (one walk per agent at a time, all agents at once)
 * and max-repetitions. Prints medians of several runs: varbinds/s, the ratio, and
 * CPU-seconds per 10k varbinds (ours: process.cpuUsage; snmpbulkwalk: bash `times`).
 *
 *   node bin/run-ts bench/snmp-walk.ts [--agents 4] [--runs 5] [--reps 25]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Credential } from '../src/model/credentials.ts';
import { createSnmpClient } from '../src/snmp/client.ts';
import { formatVarbind } from '../src/snmp/format.ts';
import type { SnmpTarget } from '../src/snmp/types.ts';
import { freeUdpPort, startSnmpd, type SnmpdHandle } from '../test/peers/snmpd.ts';

const run = promisify(execFile);
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const AGENTS = arg('agents', 4);
const RUNS = arg('runs', 5);
const REPS = arg('reps', 25);
const ROOT = '1.3.6.1';

interface Scenario {
  name: string;
  credential: Credential;
  netSnmpArgs: string[];
}

const SCENARIOS: Scenario[] = [
  { name: 'v2c', credential: { version: '2c', community: 'bench' }, netSnmpArgs: ['-v2c', '-c', 'bench'] },
  {
    name: 'v3 authPriv SHA-256/AES-256',
    credential: { version: '3', user: 'bench', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'bench-auth-pw', privProtocol: 'AES-256', privKey: 'bench-priv-pw' },
    netSnmpArgs: ['-v3', '-u', 'bench', '-l', 'authPriv', '-a', 'SHA-256', '-A', 'bench-auth-pw', '-x', 'AES-256', '-X', 'bench-priv-pw'],
  },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Sample {
  varbinds: number;
  seconds: number;
  cpu: number;
}

async function ours(agents: SnmpdHandle[], cred: Credential): Promise<Sample> {
  const client = createSnmpClient({ maxConcurrency: agents.length, maxSockets: 4 });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const counts = await Promise.all(
    agents.map(async (a) => {
      const t: SnmpTarget = { address: a.address, port: a.port, credential: cred, timeoutMs: 2000, retries: 1, maxRepetitions: REPS };
      const vbs = await client.walk(t, ROOT);
      let bytes = 0;
      for (const vb of vbs) bytes += formatVarbind(vb).length; // the same text work snmpbulkwalk does
      return bytes > 0 ? vbs.length : 0;
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  await client.close();
  return { varbinds: counts.reduce((a, b) => a + b, 0), seconds, cpu: (c.user + c.system) / 1e6 };
}

/** bash's `times` reports the CPU of the finished child (snmpbulkwalk) as `0m0.012s 0m0.004s`. */
async function netSnmp(agents: SnmpdHandle[], args: string[]): Promise<Sample> {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const t0 = performance.now();
  const results = await Promise.all(
    agents.map((a) =>
      run('bash', ['-c', `snmpbulkwalk ${quoted} -On -m '' -Cr${REPS} -t 2 -r 1 127.0.0.1:${a.port} .${ROOT} | wc -l; times`], {
        env: { ...process.env, MIBS: '', MIBDIRS: '/nonexistent' },
      }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  let varbinds = 0;
  let cpu = 0;
  for (const { stdout } of results) {
    const lines = stdout.trim().split('\n');
    varbinds += Number(lines[0]);
    const child = lines[lines.length - 1].match(/(\d+)m([\d.]+)s/g) ?? [];
    for (const t of child) {
      const [, m, s] = /(\d+)m([\d.]+)s/.exec(t)!;
      cpu += Number(m) * 60 + Number(s);
    }
  }
  return { varbinds, seconds, cpu };
}

async function socketsFor1000Targets(): Promise<string> {
  const client = createSnmpClient({ maxConcurrency: 1000, maxSockets: 4 });
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
  return `1,000 concurrent targets: ${Math.max(peak, s.sockets)} UDP sockets, ${s.sessions} sessions`;
}

const agents: SnmpdHandle[] = [];
try {
  for (let i = 0; i < AGENTS; i++) {
    agents.push(
      await startSnmpd({
        versions: ['2c', '3'],
        community: 'bench',
        sysName: `bench-${i}`,
        users: [{ name: 'bench', authProtocol: 'SHA-256', authKey: 'bench-auth-pw', privProtocol: 'AES-256', privKey: 'bench-priv-pw' }],
      }),
    );
  }
  console.log(`snmp-walk bench: ${AGENTS} snmpd agents, walk .${ROOT}, max-repetitions ${REPS}, concurrency ${AGENTS}, ${RUNS} runs (medians; shared machine, figures are indicative)`);
  for (const sc of SCENARIOS) {
    await ours(agents, sc.credential); // warm-up (JIT, engine discovery in a fresh client is still measured below)
    const a: Sample[] = [];
    const b: Sample[] = [];
    for (let r = 0; r < RUNS; r++) {
      a.push(await ours(agents, sc.credential));
      b.push(await netSnmp(agents, sc.netSnmpArgs));
    }
    const rate = (xs: Sample[]) => median(xs.map((x) => x.varbinds / x.seconds));
    const cpu10k = (xs: Sample[]) => median(xs.map((x) => (x.cpu / x.varbinds) * 10_000));
    const oursRate = rate(a);
    const theirRate = rate(b);
    console.log(`\n[${sc.name}] varbinds per run: netpulse ${median(a.map((x) => x.varbinds))}, snmpbulkwalk ${median(b.map((x) => x.varbinds))}`);
    console.log(`  netpulse      ${oursRate.toFixed(0).padStart(8)} varbinds/s   ${cpu10k(a).toFixed(3)} CPU-s per 10k varbinds`);
    console.log(`  snmpbulkwalk  ${theirRate.toFixed(0).padStart(8)} varbinds/s   ${cpu10k(b).toFixed(3)} CPU-s per 10k varbinds`);
    console.log(`  ratio netpulse/snmpbulkwalk: ${(oursRate / theirRate).toFixed(2)}x (target >= 1.0x)`);
  }
  console.log('\n' + (await socketsFor1000Targets()));
} finally {
  await Promise.all(agents.map((a) => a.stop()));
}
