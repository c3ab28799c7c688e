/**
 * Engine children run in a process group of their own, so a signal to a command's group (Ctrl-C:
 * SIGINT; a closed terminal: SIGHUP) no longer reaches them: every command that may start one
 * must end them itself. `netpulse ping`, `discover --sweep` and `poll --once` stopped by a signal
 * to their whole group mid-batch exit 128 + the signal and leave no fping probing. Real fping,
 * loopback; each batch runs far longer (40 s) than the waits, so an orphan would still be found.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { freeUdpPort } from '../peers/snmpd.ts';
import { fpingProbing, markerAddress } from './fping-procs.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'netpulse-command-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const strays: number[] = [];
afterEach(() => {
  for (const pid of strays.splice(0)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
});

const SIGNALS = [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const;

/** runs bin/netpulse leading its own process group; once fping probes `address`, `signal` to the whole group */
async function stoppedMidBatch(args: string[], address: string, signal: NodeJS.Signals, env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, ['bin/netpulse', ...args], { cwd: root, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await vi.waitFor(() => expect(fpingProbing(address)).toHaveLength(1), { timeout: 30_000, interval: 20 });
    strays.push(...fpingProbing(address).map((p) => p.pid));
    process.kill(-child.pid!, signal);
    const code = await exited;
    // the exit hook's SIGKILL is sent but may not have been acted on yet (a loaded machine)
    await vi.waitFor(() => expect(fpingProbing(address)).toEqual([]), { timeout: 20_000, interval: 20 });
    return { code, stderr };
  } finally {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
  }
}

describe('netpulse ping, its whole process group signalled mid-batch', () => {
  it.each(SIGNALS)('%s: exits %i and leaves no fping probing', async (signal, status) => {
    const address = markerAddress();
    const { code } = await stoppedMidBatch(['ping', '-c', '400', '-p', '100', address], address, signal);
    expect(code).toBe(status);
  });
});

/** an fping first on PATH that probes `address` for 40 s whatever it is asked (`-v` answered by the real one) */
function slowFpingOnPath(address: string): NodeJS.ProcessEnv {
  writeFileSync(join(dir, 'fping'), `#!/bin/sh\n[ "$1" = -v ] && exec /usr/bin/fping -v\nexec /usr/bin/fping -C 400 -a -p 100 ${address}\n`);
  chmodSync(join(dir, 'fping'), 0o755);
  return { ...process.env, PATH: `${dir}:${process.env.PATH}` };
}

/** one device nobody answers for (its SNMP requests time out at once), and a sweep of 127.0.0.0/29 */
async function configFile(): Promise<string> {
  const file = join(dir, 'netpulse.yaml');
  writeFileSync(file, [
    'credentials: { c: { version: 2c, community: public } }',
    `devices: [{ name: d1, address: 127.0.0.1, port: ${await freeUdpPort()}, credentials: c }]`,
    'defaults: { timeout: 200ms, retries: 0 }',
    'topology: { subnets: [127.0.0.0/29], probe: { timeout: 200ms } }',
    '',
  ].join('\n'));
  return file;
}

describe('netpulse discover --sweep, its whole process group signalled while the sweep pings', () => {
  it.each(SIGNALS)('%s: exits %i and leaves no fping probing', async (signal, status) => {
    const address = markerAddress();
    const env = slowFpingOnPath(address);
    const { code, stderr } = await stoppedMidBatch(['discover', '--config', await configFile(), '--sweep'], address, signal, env);
    expect(stderr).toBe('');
    expect(code).toBe(status);
  });
});

describe('netpulse poll --once, its whole process group signalled while the device is pinged', () => {
  it.each(SIGNALS)('%s: exits %i and leaves no fping probing', async (signal, status) => {
    const address = markerAddress();
    const env = slowFpingOnPath(address);
    const { code } = await stoppedMidBatch(['poll', '--once', '--config', await configFile()], address, signal, env);
    expect(code).toBe(status);
  });
});
