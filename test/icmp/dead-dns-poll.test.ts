/**
 * `netpulse poll --once` with a device addressed by a name the DNS never answers: the SNMP
 * client's lookup went in-process around the shared resolver, so the poll waited for the system
 * resolver (minutes here) before printing anything. Its lookups now go through the resolver
 * (and, for this short command, its helper process): that device fails with the lookup timeout,
 * the other one is polled, and the command exits with its status. Run in namespaces by
 * dead-dns.sh (timeout:30 attempts:5): a run the lookup held is ended by the test's bound.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netpulseInDeadDns } from './dead-dns-run.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netpulse-dead-dns-poll-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each([['on SNMP threads', 'auto'], ['on the main thread', '0']])('netpulse poll --once with a dead DNS, SNMP %s', (_, snmpThreads) => {
  it('fails the device with the dead name on the lookup timeout, polls the other, and exits with status 0', async () => {
    const config = join(dir, `netpulse-${snmpThreads}.yaml`);
    // no agent answers in the namespace: the device by address is polled and times out
    await writeFile(config, `
credentials:
  c2: { version: 2c, community: public }
devices:
  - { name: dead-name, address: dead1.example, credentials: c2, profiles: [system] }
  - { name: by-address, address: 127.0.0.1, port: 1161, credentials: c2, profiles: [system] }
defaults:
  timeout: 1s
  retries: 0
  snmpThreads: ${snmpThreads}
`);
    const r = await netpulseInDeadDns(['poll', '--config', config, '--once']);
    expect(r.killed, `netpulse poll --once did not exit while the lookup ran\n${r.stdout}`).toBe(false);
    expect(r.stdout).toMatch(/^dead-name {2}dead1\.example:161 {2}down /m);
    expect(r.stdout).toMatch(/^ {2}error: snmp: agent dead1\.example:161: get [\d.,]+: name lookup: no answer within 2000 ms/m);
    expect(r.stdout).toMatch(/^ {2}error: icmp: host dead1\.example: name did not resolve: no answer within 2000 ms/m);
    expect(r.stdout).toMatch(/^by-address {2}127\.0\.0\.1:1161 {2}snmp-unreachable /m);
    expect(r.stdout).toMatch(/^ {2}error: snmp: agent 127\.0\.0\.1:1161: get [\d.,]+: timeout/m);
    expect(r.code).toBe(0);
  }, 120_000);
});
