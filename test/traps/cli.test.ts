import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, requireSnmptrap, snmptrap, waitFor } from './helpers.ts';

let cli: ChildProcess | undefined;
afterAll(() => {
  cli?.kill('SIGKILL');
});

describe('netpulse trap listen', () => {
  it('prints each trap as one JSON line and never the community', async () => {
    requireSnmptrap();
    const port = await freePort();
    cli = spawn(process.execPath, ['bin/netpulse', 'trap', 'listen', '--listen', `127.0.0.1:${port}`, '-c', 'cli-secret', '-u', 'ops', '-l', 'authPriv', '-a', 'SHA', '-A', 'ops-auth-pass', '-x', 'AES', '-X', 'ops-priv-pass', '--json', '--rules', '--no-mib'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    cli.stdout!.on('data', (d) => (out += d));
    cli.stderr!.on('data', (d) => (err += d));
    await waitFor(() => err.includes('listening on'), 20_000, `CLI start (stderr: ${err})`);
    expect((await snmptrap(['-v', '2c', '-c', 'cli-secret', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.2', 'i', '2'])).code).toBe(0);
    expect((await snmptrap(['-v', '3', '-u', 'ops', '-l', 'authPriv', '-a', 'SHA', '-A', 'ops-auth-pass', '-x', 'AES', '-X', 'ops-priv-pass', '-e', '0x8000000001ab', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.1'])).code).toBe(0);
    const lines = await waitFor(() => { const l = out.trim().split('\n').filter(Boolean); return l.length >= 2 ? l : undefined; }, 10_000, 'two JSON lines');
    const [a, b] = lines.map((l) => JSON.parse(l));
    expect(a).toMatchObject({ version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.3', severity: 'major', community: 'community#1' });
    expect(b).toMatchObject({ version: '3', user: 'ops', securityLevel: 'authPriv', trapOid: '1.3.6.1.6.3.1.1.5.1' });
    expect(out + err).not.toContain('cli-secret');
    cli.kill('SIGINT');
    await new Promise((r) => cli!.once('exit', r));
    expect(err).toMatch(/received 2, accepted 2/);
  });

  it('stops cleanly on SIGHUP (the terminal closed) and still prints its counters', async () => {
    const port = await freePort();
    const p = spawn(process.execPath, ['bin/netpulse', 'trap', 'listen', '--listen', `127.0.0.1:${port}`, '-c', 'x', '--no-mib'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    await waitFor(() => err.includes('listening on'), 20_000, `CLI start (stderr: ${err})`);
    p.kill('SIGHUP');
    const code = await new Promise((r) => p.once('exit', r));
    expect(code).toBe(0);
    expect(err).toMatch(/received 0, accepted 0/);
  });

  it('-h where an option may stand prints the usage (as Net-SNMP\'s getopt does); as an option\'s value it is that value', async () => {
    const help = spawn(process.execPath, ['bin/netpulse', 'trap', 'listen', '-c', 'x', '-h'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let usage = '';
    help.stdout!.on('data', (d) => (usage += d));
    expect(await new Promise((r) => help.once('exit', r))).toBe(0);
    expect(usage).toMatch(/^usage: netpulse trap listen/);

    const port = await freePort();
    const p = spawn(process.execPath, ['bin/netpulse', 'trap', 'listen', '--listen', `127.0.0.1:${port}`, '-c', '-h', '--json', '--no-mib'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout!.on('data', (d) => (out += d));
    p.stderr!.on('data', (d) => (err += d));
    try {
      await waitFor(() => err.includes('listening on') || p.exitCode !== null, 20_000, 'CLI start');
      expect(p.exitCode, `stdout: ${out}`).toBeNull();
      expect((await snmptrap(['-v', '2c', '-c', '-h', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.1'])).code).toBe(0);
      await waitFor(() => out.includes('1.3.6.1.6.3.1.1.5.1'), 10_000, 'the trap sent with community "-h"');
    } finally {
      if (p.exitCode === null && p.signalCode === null) {
        const exited = new Promise((r) => p.once('exit', r));
        p.kill('SIGINT');
        await exited;
      }
    }
  });

  it.each([
    [['listen', '-l', 'authPriv'], /must follow -u/],
    [['listen', '-u', 'x', '-l', 'authPriv'], /authPriv needs/],
    [['nope'], /expected "listen"/],
  ])('%j fails with a clear message', async (args, re) => {
    const p = spawn(process.execPath, ['bin/netpulse', 'trap', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    const code = await new Promise((r) => p.once('exit', r));
    expect(code).toBe(1);
    expect(err).toMatch(re);
  });
});
