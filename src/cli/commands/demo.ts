/**
 * netpulse demo: a simulated network (mixed v1/v2c/v3 devices in a ring, one silent device,
 * one flapping interface sending linkDown/linkUp traps) and netpulse itself on the embedded
 * store, with the API and web UI on http://127.0.0.1:8080. No servers needed.
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { formatConfigError, parseConfig, type NetpulseConfig } from '../../config/index.ts';
import { ConfigError, errorMessage } from '../../errors/index.ts';
import { LAB_COMMUNITY, LAB_V3_USERS, startLab } from '../../lab/index.ts';
import { runUntilSignal, timestampedLog } from '../../main/run.ts';

const USAGE = `usage: netpulse demo [--devices N] [--topology ring|tree|mesh] [--listen HOST:PORT] [--data-dir DIR] [--interval 30s]
  a simulated network polled by netpulse; API and web UI on --listen (default 127.0.0.1:8080)`;

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => { s.once('error', reject); s.bind(0, '127.0.0.1', () => resolve()); });
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      devices: { type: 'string', default: '30' }, topology: { type: 'string', default: 'ring' },
      listen: { type: 'string', default: '127.0.0.1:8080' }, 'data-dir': { type: 'string', default: 'data/demo' },
      interval: { type: 'string', default: '30s' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (err) {
    process.stderr.write(`netpulse demo: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const devices = Number(values.devices);
  if (!Number.isInteger(devices) || devices < 1 || devices > 10_000) {
    process.stderr.write(`netpulse demo: --devices: expected 1 to 10000, got "${values.devices}"\n`);
    return 2;
  }
  if (!['ring', 'tree', 'mesh'].includes(values.topology)) {
    process.stderr.write(`netpulse demo: --topology: expected ring, tree or mesh, got "${values.topology}"\n`);
    return 2;
  }

  const trapPort = await freeUdpPort();
  const lab = await startLab({
    // each device on its own 127.x.y.z, as on a real network: its traps then name it by source address
    devices, topology: values.topology as 'ring', basePort: 0, addressPerDevice: true, seed: 1, interval: values.interval,
    trapsTo: `127.0.0.1:${trapPort}`,
  });
  const token = randomBytes(16).toString('hex');
  const doc = YAML.parse(lab.config) as Record<string, unknown>;
  Object.assign(doc, {
    dataDir: values['data-dir'],
    defaults: { ...(doc.defaults as object | undefined), interval: values.interval },
    api: { listen: values.listen, tokens: [token], openReads: true },
    traps: {
      listen: `127.0.0.1:${trapPort}`,
      communities: [{ name: 'lab', community: LAB_COMMUNITY }],
      // DES needs OpenSSL's legacy provider in the SNMP client; the lab's DES user is left out
      users: LAB_V3_USERS.filter((u) => u.privProtocol !== 'DES').map(({ version: _v, ...u }) => u),
    },
    topology: { schedule: '*/5 * * * *' },
  });
  let config: NetpulseConfig;
  try {
    config = parseConfig(YAML.stringify(doc), '(demo)');
  } catch (err) {
    await lab.stop();
    if (err instanceof ConfigError) process.stderr.write(formatConfigError(err));
    else process.stderr.write(`netpulse demo: ${errorMessage(err)}\n`);
    return 1;
  }

  const silent = lab.devices[Math.min(4, lab.devices.length - 1)];
  const flapper = lab.devices.find((d) => d.peers.size > 0 && d.version === '2c') ?? lab.devices[0];
  let stopFlap = () => {};
  const t = lab.truth.byVersion;
  try {
    return await runUntilSignal(config, {
      log: timestampedLog,
      onStarted: async (rt) => {
        lab.faults.silence(silent.name);
        stopFlap = lab.faults.flapEvery(flapper.name, 90_000);
        void rt.topology.discover().catch((err) => timestampedLog(`demo: discovery: ${errorMessage(err)}`));
        const url = rt.api ? rt.api.url : `http://${values.listen}`;
        process.stdout.write([
          '',
          `netpulse demo: ${lab.devices.length} simulated devices (SNMP v1 ${t['1']}, v2c ${t['2c']}, v3 ${t['3']}), ${values.topology} topology`,
          `  ${silent.name} is silent; ${flapper.name} flaps an interface every 90 s (linkDown/linkUp traps)`,
          `  web UI and API: ${url}   (reads open; API token for writes: ${token})`,
          `  OpenAPI: ${url}/docs   metrics: ${url}/metrics   data: ${values['data-dir']}`,
          '  Ctrl-C to stop.',
          '',
        ].join('\n'));
      },
    });
  } finally {
    stopFlap();
    await lab.stop();
  }
}
