import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cacheDirFor } from '../../src/mib/cli-options.ts';
import { freePort, requireSnmptrap, snmptrap, waitFor } from './helpers.ts';

// `trap listen` must find the dictionary where `mib compile`/`oid` keep it: <data>/mib-cache/<hash of the dirs>/
const data = mkdtempSync(join(tmpdir(), 'netpulse-trap-mib-'));
let cli: ChildProcess | undefined;
afterEach(() => {
  cli?.kill('SIGKILL');
  cli = undefined;
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

function netpulse(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/netpulse', ...args], { env: { ...process.env, NETPULSE_DATA_DIR: data } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

/** starts `trap listen`, sends IF-MIB linkDown with ifIndex 2, and returns what it printed */
async function listenForLinkDown(args: string[]): Promise<{ out: string; err: string }> {
  const port = await freePort();
  cli = spawn(process.execPath, ['bin/netpulse', 'trap', 'listen', '--listen', `127.0.0.1:${port}`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NETPULSE_DATA_DIR: data },
  });
  let out = '';
  let err = '';
  cli.stdout!.on('data', (d) => (out += d));
  cli.stderr!.on('data', (d) => (err += d));
  await waitFor(() => err.includes('listening on') || cli?.exitCode !== null, 30_000, `CLI start (stderr: ${err})`);
  expect(err).toContain('listening on');
  expect((await snmptrap(['-v', '2c', '-c', 'public', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.2', 'i', '2'])).code).toBe(0);
  await waitFor(() => out.includes('1.2.1.2.2.1.1.2') || out.includes('ifIndex'), 10_000, `the trap line (stdout: ${out})`);
  return { out, err };
}

describe('netpulse trap listen with the OID dictionary', () => {
  it('names the trap and varbinds from the cache `mib compile` wrote for the shipped mibs/', async () => {
    requireSnmptrap();
    const compiled = await netpulse(['mib', 'compile', '--quiet', 'mibs']);
    expect(compiled.code, compiled.out).toBe(0);
    const { out, err } = await listenForLinkDown([]);
    expect(err).not.toContain('numeric OIDs');
    expect(out).toContain('IF-MIB::linkDown');
    expect(out).toContain('IF-MIB::ifIndex.2 = Integer: 2');
  });

  it('compiles the -M directories into their cache when none is there, as `oid` does', async () => {
    requireSnmptrap();
    const dir = join(data, 'small-mibs');
    mkdirSync(dir, { recursive: true });
    for (const m of ['SNMPv2-SMI', 'SNMPv2-TC', 'SNMPv2-CONF', 'SNMPv2-MIB', 'IANAifType-MIB', 'IF-MIB']) copyFileSync(join('mibs/standard', `${m}.txt`), join(dir, `${m}.txt`));
    const { out, err } = await listenForLinkDown(['-M', dir]);
    expect(err).not.toContain('numeric OIDs');
    expect(out).toContain('IF-MIB::linkDown');
    expect(out).toContain('IF-MIB::ifIndex.2');
    // written where `oid -M DIR` looks for it
    expect(existsSync(join(cacheDirFor([dir], join(data, 'mib-cache')), 'dictionary.json'))).toBe(true);
  });

  it('--no-mib keeps the OIDs numeric', async () => {
    requireSnmptrap();
    const { out, err } = await listenForLinkDown(['--no-mib']);
    expect(err).toContain('numeric OIDs: --no-mib');
    expect(out).toContain('1.3.6.1.6.3.1.1.5.3');
    expect(out).not.toContain('IF-MIB::');
  });
});
