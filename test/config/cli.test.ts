import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run as configCmd } from '../../src/cli/commands/config.ts';
import { run as pingCmd } from '../../src/cli/commands/ping.ts';
import { inProcess } from './run-command.ts';

const BIN = fileURLToPath(new URL('../../bin/netpulse', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'netpulse-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `inProcess()` runs a subcommand in-process (fast); `netpulse()` spawns bin/netpulse for the end-to-end cases. */
function netpulse(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('netpulse config check', () => {
  const good = join(dir, 'good.yaml');
  writeFileSync(good, `credentials:
  v1: { version: 1, community: "\${C1}" }
  v3: { version: 3, user: u, level: authNoPriv, authProtocol: SHA, authKey: "\${K3}" }
devices:
  - { name: a, address: 127.0.0.1, credentials: v1 }
  - { name: b, address: "::1", credentials: v3, profiles: [system] }
`);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'devices:\n  - { name: a, address: 127.0.0.1, credentials: nope, community: hunter2-secret }\n');

  it('prints a summary for a valid file (devices per version, profiles)', async () => {
    const r = await inProcess(configCmd, ['check', good], { C1: 'c1-secret', K3: 'k3-secret-key' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('devices: 2 (v1 1, v2c 0, v3 1;');
    expect(r.stdout).toContain('poll profiles in use: system 2, interfaces 1');
    expect(r.stdout).not.toMatch(/c1-secret|k3-secret-key/);
  });

  it('takes --config and NETPULSE_CONFIG too', async () => {
    const env = { C1: 'x', K3: 'k3-secret-key' };
    expect((await inProcess(configCmd, ['check', '--config', good], env)).code).toBe(0);
    expect((await inProcess(configCmd, ['check'], { ...env, NETPULSE_CONFIG: good })).code).toBe(0);
  });

  it('prints the config\'s warnings to stderr, each after `warning:`, and still exits 0', async () => {
    const warned = join(dir, 'warned.yaml');
    writeFileSync(warned, 'api: { cors: true, trustProxy: true }\n');
    const r = await inProcess(configCmd, ['check', warned]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`config ${warned}: OK (2 warnings)\n`);
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(/^warning: api\.cors: every origin may call the API/),
      expect.stringMatching(/^warning: api\.trustProxy: any client may name its own address/),
      '',
    ]);
    const clean = await inProcess(configCmd, ['check', good], { C1: 'x', K3: 'k3-secret-key' });
    expect([clean.stderr, clean.stdout.split('\n')[0]]).toEqual(['', `config ${good}: OK`]);
  });

  it('prints every problem and exits 2', async () => {
    const r = await netpulse(['config', 'check', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('devices[0].credentials: unknown credential profile "nope"');
    expect(r.stderr).toContain('devices[0].community: unknown key');
    expect(r.stderr).not.toContain('hunter2-secret');
  });

  it('exits 2 on a missing file, a missing variable and bad usage', async () => {
    expect(await inProcess(configCmd, ['check', join(dir, 'none.yaml')])).toMatchObject({ code: 2, stderr: expect.stringContaining('file not found') });
    expect(await inProcess(configCmd, ['check', good], { K3: 'k3-secret-key' })).toMatchObject({ code: 2, stderr: expect.stringContaining('credentials.v1.community: environment variable C1 is not set') });
    expect((await inProcess(configCmd, ['frobnicate'])).code).toBe(2);
  });
});

describe('netpulse ping', () => {
  it('reports loopback hosts up with RTTs and exits 0', async () => {
    const r = await netpulse(['ping', '-c', '2', '127.0.0.1', '::1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^127\.0\.0\.1 +up +sent 2 recv 2 loss 0% +rtt min\/avg\/max [\d.]+\/[\d.]+\/[\d.]+ ms +jitter [\d.]+ ms$/m);
    expect(r.stdout).toMatch(/^::1 +up /m);
  });

  it('--json, and exit 1 when a host is down', async () => {
    const r = await inProcess(pingCmd, ['--json', '-c', '1', '127.0.0.1', 'nosuch.invalid']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ host: '127.0.0.1', up: true, sent: 1, received: 1 });
    expect(lines[1]).toMatchObject({ host: 'nosuch.invalid', up: false });
  });

  it('exits 2 on bad usage', async () => {
    expect((await inProcess(pingCmd, [])).code).toBe(2);
    expect((await inProcess(pingCmd, ['-c', 'x', '127.0.0.1'])).code).toBe(2);
  });
});
