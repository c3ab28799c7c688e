import { parseArgs } from 'node:util';
import { loadConfig, configPath, formatConfigError } from '../../config/index.ts';
import { ConfigError } from '../../errors/index.ts';
import { MemorySink, type Sample } from '../../model/sample.ts';
import { createPollerRuntime } from '../../poller/runtime.ts';
import type { DevicePollResult } from '../../poller/device-poll.ts';

const USAGE = `usage: netpulse poll --config FILE --once [--json] [--device NAME]...
  -c, --config FILE   config file (default: $NETPULSE_CONFIG)
      --once          poll every device once and print the results
      --json          a JSON array, one object per device: device, address, port, state,
                      version, error, errors, durationMs, icmp, samples
  -d, --device NAME   only this device (repeatable)
exit status: 0 when the poll ran (even with devices down), 2 on config or usage errors`;

/** bigint counters in JSON: numbers while exact, decimal strings beyond 2^53. */
function jsonValue(_key: string, v: unknown): unknown {
  if (typeof v !== 'bigint') return v;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
}

function formatField(v: Sample['fields'][string]): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  return String(v);
}

const VERSION_LABEL = { '1': 'v1', '2c': 'v2c', '3': 'v3' } as const;

function formatDevice(r: DevicePollResult, port: number): string {
  const lines: string[] = [];
  const icmp = r.icmp
    ? r.icmp.up ? `icmp ${r.icmp.rttAvgMs?.toFixed(2)} ms ${r.icmp.lossPct}% loss` : 'icmp no reply'
    : 'icmp off';
  lines.push(`${r.device}  ${r.address}:${port}  ${r.state}  ${VERSION_LABEL[r.version]}  ${r.durationMs} ms  ${icmp}`);
  for (const s of r.samples) {
    if (s.measurement === 'icmp' || s.measurement === 'device_status') continue;
    const tags = Object.entries(s.tags).filter(([k]) => k !== 'device').map(([k, v]) => `${k}=${v}`).join(',');
    const fields = Object.entries(s.fields).map(([k, v]) => `${k}=${formatField(v)}`).join(' ');
    lines.push(`  ${s.measurement}${tags ? `{${tags}}` : ''} ${fields}`);
  }
  for (const e of r.errors) lines.push(`  error: ${e}`);
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        once: { type: 'boolean' },
        json: { type: 'boolean' },
        device: { type: 'string', short: 'd', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`netpulse poll: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (!values.once) {
    process.stderr.write(`netpulse poll: only --once is supported here; run the scheduler with "netpulse start"\n${USAGE}\n`);
    return 2;
  }
  const file = configPath(values.config);
  if (!file) {
    process.stderr.write(`netpulse poll: no config file: use --config FILE or set NETPULSE_CONFIG\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(formatConfigError(err));
      return 2;
    }
    throw err;
  }
  let devices = config.devices;
  if (values.device?.length) {
    const unknown = values.device.filter((n) => !devices.some((d) => d.name === n));
    if (unknown.length) {
      process.stderr.write(`netpulse poll: --device: no device named ${unknown.map((n) => `"${n}"`).join(', ')} in ${file}\n`);
      return 2;
    }
    devices = devices.filter((d) => values.device!.includes(d.name));
  }
  const runtime = await createPollerRuntime(config, new MemorySink());
  for (const p of runtime.profileProblems) process.stderr.write(`netpulse poll: warning: ${p}\n`);
  try {
    const results = await runtime.poller.pollAll(devices);
    if (values.json) {
      const out = results.map((r, i) => ({
        device: r.device, address: r.address, port: devices[i].port, state: r.state, version: r.version,
        error: r.error ?? null, errors: r.errors, durationMs: r.durationMs,
        icmp: r.icmp ? { up: r.icmp.up, sent: r.icmp.sent, received: r.icmp.received, lossPct: r.icmp.lossPct, rttMinMs: r.icmp.rttMinMs, rttAvgMs: r.icmp.rttAvgMs, rttMaxMs: r.icmp.rttMaxMs, jitterMs: r.icmp.jitterMs } : null,
        samples: r.samples,
      }));
      process.stdout.write(JSON.stringify(out, jsonValue, 2) + '\n');
    } else {
      process.stdout.write(results.map((r, i) => formatDevice(r, devices[i].port)).join('\n\n') + '\n');
    }
  } finally {
    await runtime.close(0);
  }
  return 0;
}
