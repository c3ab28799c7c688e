/**
 * With a DNS server that never answers, the resolver's lookups of dead names (ICMP's and the SNMP
 * client's) must leave the process's other name lookups (fetch: storage, alert webhooks) a libuv
 * thread: run in namespaces by dead-dns.sh.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { namespacesUnavailable } from './dead-dns-run.ts';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const root = here('../../');

const unavailable: string | undefined = namespacesUnavailable();

describe('name lookups through the resolver (ICMP, SNMP) against a dead DNS server', () => {
  it(`leave a thread to the other lookups of the process`, async () => {
    // a missing tool is a failure that says what to install, never a skip
    if (unavailable) throw new Error(`this test ${unavailable} (bash test/ensure-peers.sh installs python3, iproute2, procps)`);
    const stdout = await new Promise<string>((resolve, reject) => {
      // the child kills itself with SIGKILL once it has printed (see dead-dns-child.ts)
      execFile(here('./dead-dns.sh'), [process.execPath, 'bin/run-ts', 'test/icmp/dead-dns-child.ts'], { cwd: root }, (err, out, errOut) => {
        if (out.trim()) resolve(out);
        else reject(new Error(`dead-dns-child printed nothing: ${err?.message ?? ''} ${errOut}`));
      });
    });
    const order = JSON.parse(stdout.trim().split('\n').pop()!) as string[];
    // before the fix the 4 dead lookups held both of libuv's name-lookup threads: 2-3 of them answered first
    expect(order[0]).toMatch(/^other: /);
  });
});
