/**
 * ICMP engine vs plain fping: 1,000 loopback hosts (127.0.x.y) x 3 probes.
 * Wall time and CPU (ours: this process + the fping child; plain: the fping child), medians of
 * several runs. Targets: wall within 1.2x, CPU within 2x.
 *   node bin/run-ts bench/icmp.ts [--runs 5] [--hosts 1000] [--interval 1]
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FpingChecker } from '../src/icmp/fping-checker.ts';
import { findExecutable } from '../src/icmp/engine.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, hosts: { type: 'string', default: '1000' }, interval: { type: 'string', default: '1' } } });
const RUNS = Number(values.runs);
const N = Number(values.hosts);
const opts = { count: 3, periodMs: 20, timeoutMs: 500, sendIntervalMs: Number(values.interval) };
const hosts = Array.from({ length: N }, (_, i) => `127.0.${Math.floor(i / 250)}.${(i % 250) + 1}`);

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);
/** CPU ms of this process's reaped children (cutime + cstime from /proc/self/stat) */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * TICK_MS;
}
function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function ours(): Promise<{ wall: number; cpu: number; up: number }> {
  const checker = new FpingChecker();
  const c0 = selfCpuMs() + childrenCpuMs();
  const t0 = performance.now();
  const r = await checker.check(hosts, opts);
  const wall = performance.now() - t0;
  return { wall, cpu: selfCpuMs() + childrenCpuMs() - c0, up: [...r.values()].filter((x) => x.up).length };
}

async function plain(fping: string): Promise<{ wall: number; cpu: number }> {
  const args = ['-C', String(opts.count), '-q', '-p', String(opts.periodMs), '-t', String(opts.timeoutMs), '-i', String(opts.sendIntervalMs), ...hosts];
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(fping, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  return { wall: performance.now() - t0, cpu: childrenCpuMs() - c0 };
}

const fping = await findExecutable('fping');
if (!fping) {
  console.error('bench/icmp: fping is not installed (apt-get install fping)');
  process.exit(1);
}
await ours(); // warm-up: module loading, JIT
const o: { wall: number; cpu: number }[] = [];
const p: { wall: number; cpu: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  const a = await ours();
  if (a.up !== N) console.error(`run ${i}: only ${a.up}/${N} hosts up`);
  o.push(a);
  p.push(await plain(fping));
}
const row = (name: string, xs: { wall: number; cpu: number }[]) =>
  console.log(`${name.padEnd(8)} wall ${median(xs.map((x) => x.wall)).toFixed(1).padStart(8)} ms   cpu ${median(xs.map((x) => x.cpu)).toFixed(1).padStart(7)} ms`);
console.log(`ICMP: ${N} loopback hosts x ${opts.count} probes, -p ${opts.periodMs} -t ${opts.timeoutMs} -i ${opts.sendIntervalMs}, median of ${RUNS} runs (CPU from /proc, ${TICK_MS} ms ticks for children)`);
row('netpulse', o);
row('fping', p);
const wr = median(o.map((x) => x.wall)) / median(p.map((x) => x.wall));
const cr = median(o.map((x) => x.cpu)) / Math.max(median(p.map((x) => x.cpu)), TICK_MS);
console.log(`ratio    wall ${wr.toFixed(2)}x (target <= 1.2x)   cpu ${cr.toFixed(2)}x (target <= 2x)`);
