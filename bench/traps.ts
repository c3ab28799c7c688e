/**
 * Trap receiver throughput: replays the same pre-encoded datagrams to Net-SNMP's snmptrapd
 * (logging only) and to netpulse's receiver (full pipeline: USM, rules, alerts, samples),
 * each in its own process, and reports the highest lossless rate for v2c and v3 authPriv,
 * a sustained run at --target (default 10,000/s), and a 10× flood (memory, drops).
 *
 *   node bin/run-ts bench/traps.ts [--step 2] [--duration 10] [--runs 1] [--target 10000] [--workers 1] [--long]
 * --workers N: decode + USM worker threads in netpulse (0 = single thread; 1 = both cores).
 * --long = 60 s sustained run. Figures are medians of --runs; the machine is shared, so
 * treat them as indicative.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V3Credential } from '../src/model/credentials.ts';
import { deriveUserKeys, encodeCommunityMessage, encodeV3 } from '../src/snmp/wire/index.ts';

const ENGINE = '8000000001020304aabb';
const USER: V3Credential = { version: '3', user: 'benchuser', level: 'authPriv', authProtocol: 'SHA', authKey: 'benchauthpass', privProtocol: 'AES', privKey: 'benchprivpass' };
const COMMUNITY = 'public';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

// ---------------------------------------------------------------- child: the netpulse receiver
async function child(): Promise<void> {
  const { TrapReceiver } = await import('../src/traps/receiver.ts');
  const { TrapsConfigSchema } = await import('../src/traps/config.ts');
  const { TrapProcessor } = await import('../src/traps/processor.ts');
  const { MemoryTrapLog } = await import('../src/traps/trap-log.ts');
  const { AlertManager } = await import('../src/alerts/manager.ts');
  const { MemoryAlertStore } = await import('../src/alerts/store.ts');
  const { RuleSet } = await import('../src/alerts/rules.ts');
  const { DEFAULT_TRAP_RULES } = await import('../src/alerts/default-rules.ts');
  let samples = 0;
  const processor = new TrapProcessor({
    rules: new RuleSet(DEFAULT_TRAP_RULES),
    alerts: new AlertManager(new MemoryAlertStore(1000)),
    sink: { write: (s) => { samples += s.length; } },
    log: new MemoryTrapLog(10_000),
  });
  const receiver = new TrapReceiver({
    config: TrapsConfigSchema.parse({
      listen: '127.0.0.1:0',
      communities: [{ community: COMMUNITY }],
      users: [{ ...USER, engineIds: [ENGINE] }],
      receiveBuffer: 8 * 1024 * 1024,
      workers: arg('workers', 1),
    }),
    resolveDevice: (a) => (a === '127.0.0.1' ? 'bench' : undefined),
    record: processor.record,
  });
  const [addr] = await receiver.start();
  process.send!({ port: addr.port });
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'stats') process.send!({ accepted: receiver.counters.accepted, rejected: receiver.counters.rejected, samples, rss: process.memoryUsage().rss });
  });
}

// ---------------------------------------------------------------- parent
function datagrams(kind: 'v2c' | 'v3', n: number): Buffer[] {
  const out: Buffer[] = [];
  const keys = deriveUserKeys(USER, Buffer.from(ENGINE, 'hex'));
  for (let i = 0; i < n; i++) {
    const varbinds = [
      { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks' as const, value: 1000 + i },
      { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID' as const, value: '1.3.6.1.6.3.1.1.5.3' },
      { oid: `1.3.6.1.2.1.2.2.1.1.${1 + (i % 48)}`, type: 'Integer' as const, value: 1 + (i % 48) },
      { oid: `1.3.6.1.2.1.2.2.1.7.${1 + (i % 48)}`, type: 'Integer' as const, value: 1 },
      { oid: `1.3.6.1.2.1.2.2.1.8.${1 + (i % 48)}`, type: 'Integer' as const, value: 2 },
    ];
    const pdu = { type: 'TrapV2' as const, requestId: i + 1, errorStatus: 0, errorIndex: 0, varbinds };
    out.push(kind === 'v2c'
      ? encodeCommunityMessage({ version: '2c', community: Buffer.from(COMMUNITY), pdu })
      : encodeV3({ msgId: i + 1, reportable: false, level: 'authPriv', engineId: Buffer.from(ENGINE, 'hex'), engineBoots: 1, engineTime: 100, userName: USER.user, keys, scopedPdu: { contextEngineId: Buffer.from(ENGINE, 'hex'), contextName: Buffer.alloc(0), pdu } }));
  }
  return out;
}

/** sends `rate`/s for `seconds`, paced every millisecond; resolves with the count sent */
async function blast(port: number, dgrams: Buffer[], rate: number, seconds: number): Promise<number> {
  const sock = createSocket('udp4');
  sock.on('error', () => undefined);
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      while (sent < due) sock.send(dgrams[sent++ % dgrams.length], port, '127.0.0.1');
      if (sent >= total) resolve();
      else setImmediate(tick);
    };
    tick();
  });
  await new Promise((r) => setTimeout(r, 50));
  sock.close();
  return sent;
}

interface Target {
  name: string;
  port: number;
  /** traps recorded so far (netpulse; snmptrapd buffers its log, so only finish() counts it) */
  received(): Promise<number>;
  rss(): Promise<number | undefined>;
  /** stops the receiver and resolves with everything it recorded */
  finish(): Promise<number>;
}

async function netpulseTarget(): Promise<Target> {
  const self = fileURLToPath(import.meta.url);
  const cp: ChildProcess = fork(self, ['--child', '--workers', String(arg('workers', 1))], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    cp.once('message', (m: { port: number }) => resolve(m.port));
    cp.once('exit', (c) => reject(new Error(`netpulse receiver exited ${c}`)));
  });
  const stats = () => new Promise<{ accepted: number; rss: number }>((resolve, reject) => {
    if (cp.exitCode !== null) return reject(new Error('netpulse receiver died'));
    cp.once('message', (m: { accepted: number; rss: number }) => resolve(m));
    cp.send({ cmd: 'stats' });
  });
  const received = async () => (await stats()).accepted;
  const finish = async () => {
    const n = await received();
    cp.kill();
    return n;
  };
  return { name: 'netpulse', port, received, rss: async () => (await stats()).rss, finish };
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = s.address().port;
  s.close();
  return p;
}

async function snmptrapdTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-snmptrapd-'));
  writeFileSync(join(dir, 'snmptrapd.conf'), `createUser -e 0x${ENGINE} ${USER.user} SHA ${USER.authKey} AES ${USER.privKey}\nauthUser log ${USER.user}\nauthCommunity log ${COMMUNITY}\n`);
  const out = join(dir, 'out');
  const port = await freeUdpPort();
  const cp = spawn('/usr/sbin/snmptrapd', ['-f', '-n', '-C', '-c', join(dir, 'snmptrapd.conf'), '-Lf', out, '-F', 'T\\n', '-M', '/dev/null', '-m', '', `udp:127.0.0.1:${port}`], {
    env: { ...process.env, SNMP_PERSISTENT_DIR: join(dir, 'persist') }, stdio: 'ignore',
  });
  await new Promise((r) => setTimeout(r, 800));
  if (cp.exitCode !== null) throw new Error('snmptrapd failed to start (apt-get install snmptrapd)');
  const count = () => {
    try {
      return readFileSync(out, 'latin1').split('\n').filter((l) => l === 'T').length;
    } catch {
      return 0;
    }
  };
  const rss = async () => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${cp.pid}/status`, 'latin1'))![1]) * 1024;
    } catch {
      return undefined;
    }
  };
  const finish = async () => {
    const exited = new Promise((r) => cp.once('exit', r));
    cp.kill('SIGTERM');
    await exited;
    return count();
  };
  return { name: 'snmptrapd', port, received: async () => count(), rss, finish };
}

function udpKernelDrops(): number {
  const t = readFileSync('/proc/net/snmp', 'latin1').split('\n').filter((l) => l.startsWith('Udp:'));
  const [h, v] = [t[0].split(/\s+/), t[1].split(/\s+/)];
  return Number(v[h.indexOf('RcvbufErrors')]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** a fresh receiver per trial: sends `rate`/s for `seconds`, waits for the queue to drain, counts */
async function trial(make: () => Promise<Target>, dgrams: Buffer[], rate: number, seconds: number): Promise<{ sent: number; got: number }> {
  const t = await make();
  const sent = await blast(t.port, dgrams, rate, seconds);
  let last = -1;
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const now = await t.received();
    if (now === last) break;
    last = now;
  }
  return { sent, got: await t.finish() };
}

async function highestLossless(make: () => Promise<Target>, dgrams: Buffer[], rates: number[], step: number, runs: number): Promise<{ rate: number; detail: string[] }> {
  let best = 0;
  const detail: string[] = [];
  for (const rate of rates) {
    const losses: number[] = [];
    for (let r = 0; r < runs; r++) {
      const { sent, got } = await trial(make, dgrams, rate, step);
      losses.push(sent - got);
    }
    const loss = median(losses);
    detail.push(`${rate}/s: lost ${loss}`);
    if (loss > 0) break;
    best = rate;
  }
  return { rate: best, detail };
}

async function parent(): Promise<void> {
  const step = arg('step', 2);
  const runs = arg('runs', 1);
  const target = arg('target', 10_000);
  const duration = process.argv.includes('--long') ? 60 : arg('duration', 10);
  const rates = [5000, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000];
  console.log(`bench/traps: step ${step}s, runs ${runs}, sustained ${duration}s at ${target}/s, netpulse workers ${arg('workers', 1)} (shared machine: indicative figures)`);
  const sets = { v2c: datagrams('v2c', 5000), v3: datagrams('v3', 5000) };
  for (const kind of ['v2c', 'v3'] as const) {
    const row: string[] = [];
    for (const [name, make] of [['snmptrapd', snmptrapdTarget], ['netpulse', netpulseTarget]] as const) {
      const r = await highestLossless(make, sets[kind], rates, step, runs);
      row.push(`${name} ${r.rate}/s [${r.detail.join(', ')}]`);
    }
    console.log(`${kind === 'v2c' ? 'v2c' : 'v3 authPriv SHA/AES'} highest lossless: ${row.join(' | ')}`);
  }
  for (const kind of ['v2c', 'v3'] as const) {
    for (const [name, make] of [['snmptrapd', snmptrapdTarget], ['netpulse', netpulseTarget]] as const) {
      const { sent, got } = await trial(make, sets[kind], target, duration);
      console.log(`${name} sustained ${kind} ${target}/s for ${duration}s: sent ${sent}, recorded ${got} (${((100 * got) / sent).toFixed(2)}%)`);
    }
  }
  // flood: 10x the target, as fast as one sender manages
  const t = await netpulseTarget();
  const rss0 = await t.rss();
  const drops0 = udpKernelDrops();
  const sent = await blast(t.port, sets.v3, target * 10, 5);
  await new Promise((r) => setTimeout(r, 1500));
  const rss1 = await t.rss().catch(() => undefined);
  const got = await t.finish().catch(() => 0);
  console.log(`flood v3 ${target * 10}/s for 5s: sent ${sent}, recorded ${got}, kernel receive-buffer drops ${udpKernelDrops() - drops0}, rss ${Math.round((rss0 ?? 0) / 1e6)} -> ${Math.round((rss1 ?? 0) / 1e6)} MB, process ${rss1 ? 'up' : 'DOWN'}`);
}

if (process.argv.includes('--child')) await child();
else await parent();
