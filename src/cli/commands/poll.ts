import { parseArgs } from 'node:util';
import { loadConfigForCommand, selectDevices } from '../config-args.ts';
import { MemorySink, type Sample } from '../../model/sample.ts';
import { createPollerRuntime } from '../../poller/runtime.ts';
import { exitOnStopSignals } from '../../icmp/children.ts';
import { lookUpNamesInHelper } from '../../icmp/resolve.ts';
import type { DevicePollResult } from '../../poller/device-poll.ts';

const USAGE = `usage: netpulse poll --config FILE --once [--json] [--device NAME]...
  -c, --config FILE   config file (default: $NETPULSE_CONFIG)
      --once          poll every device once and print the results
      --json          a JSON array, one object per device: device, address, port, state,
                      version, error, errors, durationMs, icmp, interfacesFiltered (interfaces the
                      interface filter left out, null without a filter), samples
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
  const filtered = r.interfacesFiltered === undefined ? '' : `  ${r.interfacesFiltered} interface${r.interfacesFiltered === 1 ? '' : 's'} filtered`;
  lines.push(`${r.device}  ${r.address}:${port}  ${r.state}  ${VERSION_LABEL[r.version]}  ${Math.round(r.durationMs)} ms  ${icmp}${filtered}`);
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
  const loaded = loadConfigForCommand('poll', values.config);
  if ('exitCode' in loaded) return loaded.exitCode;
  const { config, file } = loaded;
  const devices = selectDevices(config.devices, values.device, file);
  if (typeof devices === 'string') {
    process.stderr.write(`netpulse poll: ${devices}\n`);
    return 2;
  }
  // name lookups (ICMP and SNMP) hanging on a dead DNS must not hold the exit
  lookUpNamesInHelper();
  const runtime = await createPollerRuntime(config, new MemorySink());
  for (const p of runtime.profileProblems) process.stderr.write(`netpulse poll: warning: ${p}\n`);
  try {
    const results = await exitOnStopSignals(() => runtime.poller.pollAll(devices));
    if (values.json) {
      const out = results.map((r, i) => ({
        device: r.device, address: r.address, port: devices[i].port, state: r.state, version: r.version,
        error: r.error ?? null, errors: r.errors, durationMs: r.durationMs,
        icmp: r.icmp ? { up: r.icmp.up, sent: r.icmp.sent, received: r.icmp.received, lossPct: r.icmp.lossPct, rttMinMs: r.icmp.rttMinMs, rttAvgMs: r.icmp.rttAvgMs, rttMaxMs: r.icmp.rttMaxMs, jitterMs: r.icmp.jitterMs } : null,
        interfacesFiltered: r.interfacesFiltered ?? null,
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
