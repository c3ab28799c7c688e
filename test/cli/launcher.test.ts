// bin/netpulse run as a program: its shell part starts node with each command's flags (a stand-in
// `node` first in PATH prints what it was given), and the commands really run.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/netpulse', import.meta.url));
const MIBS = fileURLToPath(new URL('../../mibs/standard', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv, bin = BIN): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { env }, (err, stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout, stderr }));
  });
}

const fake = mkdtempSync(join(tmpdir(), 'netpulse-launcher-'));
writeFileSync(join(fake, 'node'), '#!/bin/sh\nfor a in "$@"; do echo "arg $a"; done\necho "ca ${NODE_EXTRA_CA_CERTS-unset}"\n');
chmodSync(join(fake, 'node'), 0o755);
afterAll(() => rmSync(fake, { recursive: true, force: true }));

describe('bin/netpulse starts node with the command\'s flags', () => {
  it.each([
    [['mib', 'compile', 'dir'], '--openssl-legacy-provider --max-semi-space-size=1 --initial-old-space-size=128 --max-inlined-bytecode-size-cumulative=200 --max-optimized-bytecode-size=3000', 'unset'],
    [['mib', '--help'], '--openssl-legacy-provider', 'unset'],
    [['oid', 'show', 'sysDescr'], '--openssl-legacy-provider', 'unset'],
    [['walk', '127.0.0.1'], '--openssl-legacy-provider', 'unset'],
    [['start', '--config', 'x.yaml'], '--openssl-legacy-provider', '/etc/extra-ca.pem'],
    [['poll', 'compile'], '--openssl-legacy-provider', '/etc/extra-ca.pem'],
    [[], '--openssl-legacy-provider', '/etc/extra-ca.pem'],
  ])('%j', async (args, flags, ca) => {
    const r = await run(args, { PATH: `${fake}:${process.env.PATH}`, NODE_EXTRA_CA_CERTS: '/etc/extra-ca.pem' });
    const lines = r.stdout.trim().split('\n');
    // the flags, then this file, then the arguments as given
    expect(lines.slice(0, -1)).toEqual([...flags.split(' '), BIN, ...args].map((a) => `arg ${a}`));
    expect(lines.at(-1)).toBe(`ca ${ca}`);
  });

  it('a real compile and lookup run from it; an offline command never reads NODE_EXTRA_CA_CERTS', async () => {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(fake, 'no-such-ca.pem') };
    const compile = await run(['mib', 'compile', '--no-cache', '--quiet', MIBS], env);
    expect(compile.code).toBe(0);
    expect(compile.stdout).toMatch(/modules \(0 with errors\)/);
    const show = await run(['oid', 'show', 'sysDescr', '-M', MIBS], env);
    expect(show.stdout).toMatch(/^SNMPv2-MIB::sysDescr/);
    // node warns at start when it cannot read the file: these commands start without it
    expect(compile.stderr + show.stderr).not.toMatch(/extra certs/);
  }, 60_000);

  it('runs through a symlink in a directory with a space (npm\'s bin link) and passes the exit status on', async () => {
    const dir = join(fake, 'node modules', '.bin');
    mkdirSync(dir, { recursive: true });
    symlinkSync(BIN, join(dir, 'netpulse'));
    const help = await run(['--help'], process.env, join(dir, 'netpulse'));
    expect(help).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: netpulse/) });
    const unknown = await run(['no-such-command'], process.env, join(dir, 'netpulse'));
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/unknown command "no-such-command"/) });
  }, 60_000);
});
