/**
 * `netpulse discover` with a device addressed by a name the DNS never answers: its lookups go
 * through the lookup helper process, as `poll --once`'s do, so the device fails on the lookup
 * timeout and the command exits instead of waiting minutes for the system resolver. Run in
 * namespaces by dead-dns.sh (timeout:30 attempts:5): a run the lookup held is ended by the bound.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netpulseInDeadDns } from './dead-dns-run.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netpulse-dead-dns-discover-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('netpulse discover with a dead DNS', () => {
  it('reports the device with the dead name unreachable and exits', async () => {
    const config = join(dir, 'netpulse.yaml');
    await writeFile(config, `
credentials:
  c2: { version: 2c, community: public }
devices:
  - { name: dead-name, address: dead1.example, credentials: c2 }
defaults:
  timeout: 1s
  retries: 0
`);
    const r = await netpulseInDeadDns(['discover', '--config', config]);
    expect(r.killed, `netpulse discover did not exit while the lookup ran\n${r.stdout}`).toBe(false);
    expect(r.stdout).toMatch(/dead-name/);
    expect(r.code).toBe(3);
  }, 120_000);
});
