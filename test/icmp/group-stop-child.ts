// Run by group-stop-partial.test.ts in its own process group: listens for the stop signals as
// `netpulse start` does (`on`; the poller lets a check in flight finish before it closes the
// checker), once (`once`) or not at all (`none`), checks 127.0.0.1 with the engine named and
// prints each signal heard, then the result as JSON.
import { FpingChecker } from '../../src/icmp/fping-checker.ts';
import { PingPackageChecker } from '../../src/icmp/ping-checker.ts';

const [engine, count, periodMs, listen = 'on'] = process.argv.slice(2);
const signals: string[] = [];
const heard = (s: string) => {
  signals.push(s);
  console.log(`signal ${s}`);
};
if (listen !== 'none') for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process[listen === 'once' ? 'once' : 'on'](s, heard);
const checker = engine === 'fping' ? new FpingChecker({ path: '/usr/bin/fping' }) : new PingPackageChecker();
const r = (await checker.check(['127.0.0.1'], { count: Number(count), periodMs: Number(periodMs) })).get('127.0.0.1')!;
await checker.close();
console.log(JSON.stringify({ signals, result: r }));
process.exit(0);
