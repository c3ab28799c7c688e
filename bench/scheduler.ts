/**
 * Scheduler benchmark: N simulated devices (default 10,000) at a 60 s interval, polled by the
 * real Poller (SNMP engine, profiles, ICMP via fping unless --no-icmp) against `netpulse lab`
 * running in a CHILD process (src/lab startLab, every device on its own 127.x.y.z address).
 * Prints missed-poll %, event-loop delay p99, RSS peak, polls/s and CPU.
 * Targets: < 1% missed, event-loop p99 < 50 ms, RSS < 500 MB.
 *
 *   node bin/run-ts bench/scheduler.ts [--devices 10000] [--interval 60] [--duration SECONDS]
 *        [--profiles system] [--concurrency 256] [--max-repetitions 25] [--no-icmp] [--snmp-threads auto|N]
 *   --profiles system (default) makes every poll one GET: the scheduler, not table walks, is measured;
 *   --profiles system,interfaces measures the SNMP engine's table walks and the lab as well
 *   default duration: 2.5 intervals (the first interval ramps up through the spread offsets)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../src/config/index.ts';
import type { Sample, SampleSink } from '../src/model/sample.ts';
import { createPollerRuntime } from '../src/poller/runtime.ts';
import { isDesAvailable } from '../src/snmp/credentials.ts';
import { ensureProductNodeFlags, serviceNodeFlags } from './production-code.ts';

const { values } = parseArgs({
  options: {
    'lab-child': { type: 'string' },
    devices: { type: 'string', default: '10000' },
    interval: { type: 'string', default: '60' },
    duration: { type: 'string' },
    profiles: { type: 'string', default: 'system' },
    concurrency: { type: 'string', default: '256' },
    'max-repetitions': { type: 'string', default: '25' },
    'no-icmp': { type: 'boolean', default: false },
    /** defaults.snmpThreads: auto (the default) or a number; 0 runs SNMP on the main thread */
    'snmp-threads': { type: 'string', default: 'auto' },
  },
});

if (values['lab-child']) {
  // child: run the lab until stdin closes, then report its own CPU
  const { startLab } = await import('../src/lab/index.ts');
  const lab = await startLab({ devices: Number(values.devices), addressPerDevice: true, basePort: 0 });
  await writeFile(values['lab-child'], lab.config);
  process.stdout.write('READY\n');
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  process.stdin.resume();
  process.stdin.on('end', async () => {
    const c = process.cpuUsage(cpu0);
    process.stdout.write(`CPU ${JSON.stringify({ cpuPct: ((c.user + c.system) / 1000 / (Date.now() - t0)) * 100, rssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
    await lab.stop();
    process.exit(0);
  });
} else {
  ensureProductNodeFlags();
  await main();
}

async function main(): Promise<void> {
  const devices = Number(values.devices);
  const intervalS = Number(values.interval);
  const durationS = Number(values.duration ?? intervalS * 2.5);
  const profiles = values.profiles!.split(',').map((s) => s.trim()).filter(Boolean);
  const concurrency = Number(values.concurrency);
  const dir = await mkdtemp(join(tmpdir(), 'netpulse-bench-'));
  const configFile = join(dir, 'lab.yaml');

  const benchFile = fileURLToPath(import.meta.url);
  const runTs = fileURLToPath(new URL('../bin/run-ts', import.meta.url));
  const child = spawn(process.execPath, [runTs, benchFile, '--lab-child', configFile, '--devices', String(devices)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let childOut = '';
  child.stdout.on('data', (d) => { childOut += d; });
  const stopChild = () => { try { child.stdin.end(); } catch { /* gone */ } };
  process.on('exit', () => child.kill('SIGKILL'));
  const labStart = Date.now();
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => { if (childOut.includes('READY')) { clearInterval(check); resolve(); } }, 50);
    child.once('exit', (code) => { clearInterval(check); reject(new Error(`lab child exited with ${code}`)); });
  });
  console.log(`lab: ${devices} simulated devices ready in a child process in ${((Date.now() - labStart) / 1000).toFixed(1)} s`);

  const doc = parse(await readFile(configFile, 'utf8'), { maxAliasCount: -1 });
  let dropped = 0;
  if (!isDesAvailable()) {
    const before = doc.devices.length;
    doc.devices = doc.devices.filter((d: { credentials: string }) => !/des/i.test(d.credentials));
    dropped = before - doc.devices.length;
    for (const k of Object.keys(doc.credentials)) if (/des/i.test(k)) delete doc.credentials[k];
  }
  for (const d of doc.devices) { d.interval = `${intervalS}s`; d.profiles = profiles; d.icmp = !values['no-icmp']; }
  const snmpThreads = values['snmp-threads'] === 'auto' ? 'auto' : Number(values['snmp-threads']);
  doc.defaults = { timeout: '2s', retries: 1, concurrency, maxRepetitions: Number(values['max-repetitions']), snmpThreads };
  const config = parseConfig(stringify(doc, { aliasDuplicateObjects: false }), configFile);
  const versions = config.devices.reduce<Record<string, number>>((a, d) => ((a[d.credential.version] = (a[d.credential.version] ?? 0) + 1), a), {});
  console.log(`poller: ${config.devices.length} devices (v1 ${versions['1'] ?? 0}, v2c ${versions['2c'] ?? 0}, v3 ${versions['3'] ?? 0})${dropped ? `, ${dropped} DES devices left out (no DES in this OpenSSL)` : ''}, interval ${intervalS} s, profiles ${profiles.join('+')}, concurrency ${concurrency}, SNMP threads ${snmpThreads}, max-repetitions ${values['max-repetitions']}, ICMP ${values['no-icmp'] ? 'off' : 'fping'}, run ${durationS} s; node ${serviceNodeFlags().join(' ')} (bin/netpulse's flags and its long-running commands' heap policy)`);

  let samples = 0;
  const sink: SampleSink = { write(s: Sample[]) { samples += s.length; } };
  const runtime = await createPollerRuntime(config, sink);
  const { poller } = runtime;
  let rssPeak = 0;
  const sampleRss = () => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); };
  const rssTimer = setInterval(sampleRss, 500);
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  poller.setDevices(config.devices);
  poller.start();
  const progress = setInterval(() => {
    const m = poller.metrics();
    const c = poller.registry.counts();
    console.log(`  t=${Math.round((Date.now() - t0) / 1000)}s polls ${m.pollsDone} missed ${m.missedPolls} queue ${m.queueDepth} in-flight ${m.inFlight} poll p95 ${m.pollDurationMs.p95.toFixed(0)} ms loop p99 ${m.eventLoopDelayMs.p99.toFixed(1)} ms rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB states ${JSON.stringify(c.byState)}`);
  }, 10_000);
  // the first interval is warm-up: every SNMP session is new (v3 engine discovery, key localisation)
  let warm: ReturnType<typeof poller.metrics> | undefined;
  let warmRss = 0;
  const warmTimer = durationS > intervalS ? setTimeout(() => {
    warm = poller.metrics();
    warmRss = rssPeak;
    poller.scheduler.resetEventLoopDelay();
  }, intervalS * 1000) : undefined;
  await new Promise((r) => setTimeout(r, durationS * 1000));
  clearInterval(progress);
  clearTimeout(warmTimer);
  const elapsedS = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const m = poller.metrics();
  const states = poller.registry.counts().byState;
  sampleRss();
  clearInterval(rssTimer);
  await runtime.close(2000);
  const labCpu = await new Promise<string>((resolve) => {
    child.once('exit', () => resolve(/CPU (.*)/.exec(childOut)?.[1] ?? '{}'));
    stopChild();
  });
  await rm(dir, { recursive: true, force: true });

  const due = m.pollsStarted + m.missedPolls;
  const lab = JSON.parse(labCpu);
  console.log('\nresults (shared 2-core machine: the lab child competes for the same CPUs)');
  console.log(`  polls started       ${m.pollsStarted} (${(m.pollsStarted / elapsedS).toFixed(1)} polls/s), done ${m.pollsDone}, run errors ${m.pollsFailed}`);
  console.log(`  missed polls        ${m.missedPolls} of ${due} due = ${((m.missedPolls / Math.max(1, due)) * 100).toFixed(2)} %   (target < 1 %)`);
  console.log(`  RSS peak            ${(rssPeak / 2 ** 20).toFixed(0)} MB (maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)   (target < 500 MB)`);
  console.log(`  CPU                 poller ${(((cpu.user + cpu.system) / 1000 / (elapsedS * 1000)) * 100).toFixed(1)} % of one core; lab child ${lab.cpuPct?.toFixed(1) ?? '?'} %, lab RSS ${lab.rssMb?.toFixed(0) ?? '?'} MB`);
  console.log(`  poll duration       p50 ${m.pollDurationMs.p50.toFixed(0)} ms, p95 ${m.pollDurationMs.p95.toFixed(0)} ms, p99 ${m.pollDurationMs.p99.toFixed(0)} ms, max ${m.pollDurationMs.max.toFixed(0)} ms`);
  console.log(`  samples written     ${samples} (${(samples / elapsedS).toFixed(0)}/s); device states ${JSON.stringify(states)}`);
  if (!warm) console.log(`  event-loop delay    p50 ${m.eventLoopDelayMs.p50.toFixed(1)} ms, p99 ${m.eventLoopDelayMs.p99.toFixed(1)} ms, max ${m.eventLoopDelayMs.max.toFixed(1)} ms   (target p99 < 50 ms)`);
  if (warm) {
    const steadyDue = m.pollsStarted - warm.pollsStarted + m.missedPolls - warm.missedPolls;
    const steadyS = elapsedS - intervalS;
    console.log(`  after warm-up (t > ${intervalS} s, all sessions open):`);
    console.log(`    missed ${m.missedPolls - warm.missedPolls} of ${steadyDue} due = ${(((m.missedPolls - warm.missedPolls) / Math.max(1, steadyDue)) * 100).toFixed(2)} %, ${((m.pollsStarted - warm.pollsStarted) / steadyS).toFixed(1)} polls/s, event-loop delay p99 ${m.eventLoopDelayMs.p99.toFixed(1)} ms max ${m.eventLoopDelayMs.max.toFixed(1)} ms (warm-up p99 ${warm.eventLoopDelayMs.p99.toFixed(1)} ms), RSS peak during warm-up ${(warmRss / 2 ** 20).toFixed(0)} MB`);
  }
  process.exit(0);
}
