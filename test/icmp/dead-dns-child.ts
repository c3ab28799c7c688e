// Run by dead-dns.test.ts inside dead-dns.sh: lookups of dead names through the process's resolver
// (ICMP's and the SNMP client's), then a lookup that does not go through it (storage's InfluxDB
// URL, an alert webhook: fetch). Prints the order in which they answered.
import { lookup } from 'node:dns/promises';
import { resolveHosts } from '../../src/icmp/resolve.ts';

const order: string[] = [];
for (const name of ['dead1.example', 'dead2.example', 'dead3.example', 'dead4.example']) {
  void resolveHosts([name], 120_000).then((r) => {
    const x = r.get(name)!;
    order.push(`icmp ${name}: ${'error' in x ? x.error : x.address}`);
  });
}
await new Promise((r) => setImmediate(r));
const other = await lookup('localhost');
order.push(`other: ${other.address}`);
console.log(JSON.stringify(order));
// SIGKILL: process.exit would join libuv's threads, which wait out the dead lookups (~10 s each)
process.kill(process.pid, 'SIGKILL');
