/**
 * netpulse lab: start simulated SNMP devices on loopback and print (or write) a netpulse config
 * for them. Runs until SIGINT/SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startLab, type LabOptions } from '../../lab/index.ts';

const USAGE = `usage: netpulse lab [options]
  --devices N            number of simulated devices (default 30)
  --address A            loopback address to bind (default 127.0.0.1), one UDP port per device
  --address-per-device   give each device its own 127.x.y.z address (all on --base-port)
  --base-port P          first UDP port (device i listens on P+i; default 16100; 0 = ephemeral)
  --topology T           ring | tree | mesh (default ring)
  --seed S               data seed (default 1)
  --interval D           poll interval written into the config (e.g. 10s)
  --write-config FILE    write the netpulse YAML config there instead of printing it
  --traps-to HOST:PORT   send traps/informs there (loopback only)
  --trap-rate R          background linkDown/linkUp traps per second (needs --traps-to)
faults (device numbers are 1-based, comma separated):
  --silent LIST          these devices never answer
  --slow LIST:MS         these devices answer after MS milliseconds
  --flap LIST[:PERIOD]   flap the first linked port of these devices every PERIOD ms (default 30000)
  --non-increasing LIST  ifDescr walks return a non-increasing OID
  --restart-every MS     restart one device (round-robin) every MS ms (coldStart, counters restart)`;

function devList(s: string): number[] {
  return s.split(',').filter(Boolean).map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bad device number "${x}" (1-based)`);
    return n - 1;
  });
}

export async function run(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        devices: { type: 'string' }, address: { type: 'string' }, 'address-per-device': { type: 'boolean' },
        'base-port': { type: 'string' }, topology: { type: 'string' }, seed: { type: 'string' }, interval: { type: 'string' },
        'write-config': { type: 'string' }, 'traps-to': { type: 'string' }, 'trap-rate': { type: 'string' },
        silent: { type: 'string' }, slow: { type: 'string' }, flap: { type: 'string' }, 'non-increasing': { type: 'string' },
        'restart-every': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`netpulse lab: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const num = (k: string, def: number): number => {
    const v = values[k];
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${k} must be a non-negative number, got "${v}"`);
    return n;
  };
  let lab;
  let restartTimer: NodeJS.Timeout | undefined;
  try {
    const topology = (values.topology as string | undefined) ?? 'ring';
    if (!['ring', 'tree', 'mesh'].includes(topology)) throw new Error(`--topology must be ring, tree or mesh, got "${topology}"`);
    const opts: LabOptions = {
      devices: num('devices', 30),
      address: values.address as string | undefined,
      addressPerDevice: Boolean(values['address-per-device']),
      basePort: num('base-port', 16100),
      topology: topology as LabOptions['topology'],
      seed: num('seed', 1),
      interval: values.interval as string | undefined,
      trapsTo: values['traps-to'] as string | undefined,
      trapRate: num('trap-rate', 0),
    };
    lab = await startLab(opts);
    for (const i of values.silent ? devList(values.silent as string) : []) lab.faults.silence(i);
    if (values.slow) {
      const [list, ms] = (values.slow as string).split(':');
      for (const i of devList(list)) lab.faults.slow(i, Number(ms ?? 2000));
    }
    if (values.flap) {
      const [list, period] = (values.flap as string).split(':');
      for (const i of devList(list)) lab.faults.flapEvery(i, Number(period ?? 30000));
    }
    for (const i of values['non-increasing'] ? devList(values['non-increasing'] as string) : []) lab.faults.nonIncreasing(i);
    const restartEvery = num('restart-every', 0);
    if (restartEvery > 0) {
      let k = 0;
      const l = lab;
      restartTimer = setInterval(() => l.faults.restart(k++ % l.devices.length), restartEvery);
    }
  } catch (err) {
    process.stderr.write(`netpulse lab: ${(err as Error).message}\n`);
    await lab?.stop();
    return 1;
  }
  const t = lab.truth.byVersion;
  const first = lab.devices[0];
  const last = lab.devices[lab.devices.length - 1];
  const where = first.address === last.address ? `${first.address} ports ${first.port}..${last.port}` : `${first.address}..${last.address} port ${first.port}`;
  process.stderr.write(`netpulse lab: ${lab.devices.length} devices on ${where} (v1 ${t['1']}, v2c ${t['2c']}, v3 ${t['3']}); Ctrl-C to stop\n`);
  if (values['write-config']) {
    writeFileSync(values['write-config'] as string, lab.config);
    process.stderr.write(`netpulse lab: config written to ${values['write-config']}\n`);
  } else process.stdout.write(lab.config);
  const l = lab;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(restartTimer);
  await l.stop();
  process.stderr.write(`netpulse lab: stopped (${l.responder.stats.requests} requests, ${l.responder.stats.varbinds} varbinds served)\n`);
  return 0;
}
