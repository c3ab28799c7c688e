import { parseArgs } from 'node:util';
import { createIcmpChecker } from '../../icmp/engine.ts';
import { exitOnStopSignals } from '../../icmp/children.ts';
import { lookUpNamesInHelper } from '../../icmp/resolve.ts';
import type { IcmpResult } from '../../icmp/types.ts';

const USAGE = `usage: netpulse ping [-c N] [-p MS] [-t MS] [-i MS] [--json] HOST...
  -c, --count N       echo requests per host (default 3)
  -p, --period MS     ms between requests to one host (default 20)
  -t, --timeout MS    ms to wait for each reply (default 500)
  -i, --interval MS   minimum ms between any two requests sent (default 1)
      --json          one JSON object per host
exit status: 0 all hosts up, 1 some host down, 2 bad usage`;

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        count: { type: 'string', short: 'c' },
        period: { type: 'string', short: 'p' },
        timeout: { type: 'string', short: 't' },
        interval: { type: 'string', short: 'i' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`netpulse ping: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (!positionals.length) {
    process.stderr.write(`netpulse ping: no host given\n${USAGE}\n`);
    return 2;
  }
  const opts: Record<string, number> = {};
  const ranges = { count: [1, 10_000, 'count'], period: [1, 3_600_000, 'periodMs'], timeout: [1, 60_000, 'timeoutMs'], interval: [0, 60_000, 'sendIntervalMs'] } as const;
  for (const [flag, [min, max, key]] of Object.entries(ranges)) {
    const raw = values[flag as keyof typeof ranges];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      process.stderr.write(`netpulse ping: --${flag}: expected an integer from ${min} to ${max}, got "${raw}"\n`);
      return 2;
    }
    opts[key] = n;
  }
  // a lookup hanging on a dead DNS would hold the exit (status printed, process still there)
  lookUpNamesInHelper();
  const checker = await createIcmpChecker();
  const results = await exitOnStopSignals(() => checker.check(positionals, opts));
  const width = Math.max(...positionals.map((h) => h.length));
  for (const r of results.values()) {
    process.stdout.write((values.json ? JSON.stringify(r) : formatLine(r, width)) + '\n');
  }
  return [...results.values()].every((r) => r.up) ? 0 : 1;
}

function formatLine(r: IcmpResult, width: number): string {
  const name = r.host.padEnd(width);
  if (r.error) return `${name}  error: ${r.error}`;
  const f = (n: number | null) => (n === null ? '-' : n.toFixed(3));
  const parts = [`${name}  ${r.up ? 'up  ' : 'down'}  sent ${r.sent} recv ${r.received} loss ${r.lossPct}%`];
  if (r.up) parts.push(`rtt min/avg/max ${f(r.rttMinMs)}/${f(r.rttAvgMs)}/${f(r.rttMaxMs)} ms  jitter ${f(r.jitterMs)} ms`);
  if (r.duplicates) parts.push(`${r.duplicates} duplicate(s)`);
  if (r.icmpErrors.length) parts.push(r.icmpErrors.join('; '));
  return parts.join('  ');
}
