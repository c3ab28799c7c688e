// Run by group-stop.test.ts as the leader of its own process group, standing in for `netpulse
// start`: listens for the stop signals (its poller lets a check in flight finish before it closes
// the checker), checks 127.0.0.1 with the engine named, prints each signal heard, then the result as JSON.
import { FpingChecker } from '../../src/icmp/fping-checker.ts';
import { PingPackageChecker } from '../../src/icmp/ping-checker.ts';

const [engine, count, periodMs] = process.argv.slice(2);
const signals: string[] = [];
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(s, () => {
    signals.push(s);
    console.log(`signal ${s}`);
  });
}
const checker = engine === 'fping' ? new FpingChecker({ path: '/usr/bin/fping' }) : new PingPackageChecker();
const r = (await checker.check(['127.0.0.1'], { count: Number(count), periodMs: Number(periodMs) })).get('127.0.0.1')!;
await checker.close();
console.log(JSON.stringify({ signals, result: r }));
process.exit(0);
