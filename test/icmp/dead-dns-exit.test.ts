/**
 * `netpulse ping` exits with its status while a name lookup hangs on a dead DNS. getaddrinfo
 * cannot be cancelled and Node's exit (natural or process.exit) joins libuv's pool threads, so an
 * in-process lookup held the exit until the system resolver gave up; the command now looks names
 * up in a helper process. Run in namespaces by dead-dns.sh, where the resolver tries for
 * minutes (timeout:30 attempts:5): an exit held by the lookup never comes within the test.
 */
import { describe, expect, it } from 'vitest';
import { netpulseInDeadDns } from './dead-dns-run.ts';

describe('netpulse ping with a dead DNS', () => {
  it('prints every host and exits with status 1 while the lookup of the dead name still runs', async () => {
    const r = await netpulseInDeadDns(['ping', '-c', '1', 'dead1.example', '127.0.0.1']);
    expect(r.killed, `netpulse ping did not exit while the lookup ran\n${r.stdout}`).toBe(false);
    expect(r.stdout).toMatch(/^dead1\.example +error: icmp: host dead1\.example: name did not resolve: no answer within 2000 ms/m);
    expect(r.stdout).toMatch(/^127\.0\.0\.1 +up /m);
    expect(r.code).toBe(1);
  }, 120_000);

  it('a name from /etc/hosts is looked up beside the hung one (the helper serves the resolver alone: every lookup thread is a slot)', async () => {
    const r = await netpulseInDeadDns(['ping', '-c', '1', 'dead1.example', 'localhost']);
    expect(r.stdout).toMatch(/^dead1\.example +error: icmp: host dead1\.example: name did not resolve: no answer within 2000 ms/m);
    expect(r.stdout).toMatch(/^localhost +up /m);
  }, 120_000);
});

describe('netpulse get with a dead DNS', () => {
  it('reports the lookup failure and exits with its status while the lookup still runs', async () => {
    const r = await netpulseInDeadDns(['get', '-v', '2c', '-c', 'public', '-t', '1', '-r', '0', 'dead1.example', '1.3.6.1.2.1.1.5.0']);
    expect(r.killed, 'netpulse get did not exit while the lookup ran').toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
  }, 120_000);
});
