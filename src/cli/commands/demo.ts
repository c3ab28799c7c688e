/**
 * netpulse demo: a 30-device lab (mixed SNMP versions, ring topology, one flapping interface,
 * one silent device) polled by the netpulse poller, with results in the terminal.
 * TODO(ui): the UI/API engineer will start the API + web UI at http://127.0.0.1:8080 here.
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../../config/index.ts';
import { MemorySink } from '../../model/sample.ts';
import { createPollerRuntime } from '../../poller/runtime.ts';
import type { DevicePollResult } from '../../poller/device-poll.ts';
import { startLab } from '../../lab/index.ts';

const USAGE = `usage: netpulse demo [--devices N] [--interval SECONDS] [--rounds R] [--topology ring|tree|mesh]
  a simulated network (mixed v1/v2c/v3, one flapping interface, one silent device) polled by netpulse`;

type Rates = Map<string, { at: number; inOctets: bigint; outOctets: bigint }>;

function busiest(r: DevicePollResult, prev: Rates): string {
  let best = '';
  let bestBps = -1;
  for (const s of r.samples) {
    if (s.measurement !== 'snmp_interface') continue;
    const key = `${r.device}/${s.tags.ifName ?? s.tags.ifIndex}`;
    const inO = s.fields.in_octets;
    const outO = s.fields.out_octets;
    if (typeof inO !== 'bigint' || typeof outO !== 'bigint') continue;
    const p = prev.get(key);
    prev.set(key, { at: r.at, inOctets: inO, outOctets: outO });
    if (!p || r.at <= p.at || inO < p.inOctets || outO < p.outOctets) continue;
    const bps = (Number(inO - p.inOctets + (outO - p.outOctets)) * 8 * 1000) / (r.at - p.at);
    if (bps > bestBps) {
      bestBps = bps;
      best = `${s.tags.ifName ?? s.tags.ifIndex} ${formatBps(bps)}`;
    }
  }
  return best || '(rates after the 2nd poll)';
}

function formatBps(bps: number): string {
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s'];
  let u = 0;
  while (bps >= 1000 && u < units.length - 1) {
    bps /= 1000;
    u++;
  }
  return `${bps.toFixed(1)} ${units[u]}`;
}

function ifCounts(r: DevicePollResult): string {
  let up = 0;
  let all = 0;
  for (const s of r.samples) {
    if (s.measurement !== 'snmp_interface') continue;
    all++;
    if (s.fields.oper_status === 1n || s.fields.oper_status === 1) up++;
  }
  return all ? `${up}/${all} up` : '';
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      devices: { type: 'string', default: '30' }, interval: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '0' }, topology: { type: 'string', default: 'ring' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (err) {
    process.stderr.write(`netpulse demo: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const intervalS = Number(values.interval);
  const rounds = Number(values.rounds);
  const lab = await startLab({ devices: Number(values.devices), topology: values.topology as 'ring', basePort: 0, seed: 1, interval: `${intervalS}s` });
  const silent = lab.devices[Math.min(4, lab.devices.length - 1)];
  const flapper = lab.devices.find((d) => d.peers.size > 0 && d.version === '2c') ?? lab.devices[0];
  lab.faults.silence(silent.name);
  const stopFlap = lab.faults.flapEvery(flapper.name, Math.max(3, intervalS * 2) * 1000);
  const t = lab.truth.byVersion;
  process.stdout.write(`netpulse demo: ${lab.devices.length} simulated devices (v1 ${t['1']}, v2c ${t['2c']}, v3 ${t['3']}); ` +
    `${silent.name} is silent, ${flapper.name} flaps an interface. Ctrl-C to stop.\n`);

  const config = parseConfig(lab.config, '(lab)');
  const runtime = await createPollerRuntime(config, new MemorySink());
  const prev: Rates = new Map();
  let stopping = false;
  const stop = () => { stopping = true; };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (let round = 1; !stopping && (rounds === 0 || round <= rounds); round++) {
      const started = Date.now();
      const results = await runtime.poller.pollAll(config.devices);
      const byState = new Map<string, number>();
      const lines = results.map((r) => {
        byState.set(r.state, (byState.get(r.state) ?? 0) + 1);
        const err = r.error ? `  ! ${r.error}` : '';
        return `  ${r.device.padEnd(14)} v${r.version.padEnd(3)} ${r.state.padEnd(17)} ${String(r.durationMs).padStart(5)} ms  ${ifCounts(r).padEnd(10)} ${busiest(r, prev)}${err}`;
      });
      process.stdout.write(`\nround ${round} at ${new Date().toISOString()} (${Date.now() - started} ms): ${[...byState].map(([s, n]) => `${s} ${n}`).join(', ')}\n${lines.join('\n')}\n`);
      const wait = intervalS * 1000 - (Date.now() - started);
      for (let waited = 0; waited < wait && !stopping; waited += 200) await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    stopFlap();
    await runtime.close(0);
    await lab.stop();
  }
  return 0;
}
