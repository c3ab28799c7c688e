import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
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

/** starts `trap listen` on a free port; out() and err() give what it printed so far */
async function startListen(args: string[]): Promise<{ port: number; out: () => string; err: () => string }> {
  const port = await freePort();
  cli = spawn(process.execPath, ['bin/netpulse', 'trap', 'listen', '--listen', `127.0.0.1:${port}`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NETPULSE_DATA_DIR: data },
  });
  let out = '';
  let err = '';
  cli.stdout!.on('data', (d) => (out += d));
  cli.stderr!.on('data', (d) => (err += d));
  return { port, out: () => out, err: () => err };
}

/** IF-MIB linkDown with ifIndex 2 and the MAC 00:11:22:33:44:55 (`x`: hex bytes) */
async function sendLinkDown(port: number): Promise<void> {
  expect((await snmptrap(['-v', '2c', '-c', 'public', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.2', 'i', '2', '1.3.6.1.2.1.2.2.1.6.2', 'x', '001122334455'])).code).toBe(0);
}

async function trapPrinted(l: { out: () => string }): Promise<string> {
  return waitFor(() => (/1\.2\.1\.2\.2\.1\.1\.2|ifIndex/.test(l.out()) && l.out().endsWith('\n') ? l.out() : undefined), 40_000, `the trap line (stdout: ${l.out()})`);
}

/** starts `trap listen`, sends the linkDown once it listens, and returns what it printed */
async function listenForLinkDown(args: string[]): Promise<{ out: string; err: string }> {
  const l = await startListen(args);
  await waitFor(() => l.err().includes('listening on') || cli?.exitCode !== null, 30_000, `CLI start (stderr: ${l.err()})`);
  expect(l.err()).toContain('listening on');
  await sendLinkDown(l.port);
  const out = await trapPrinted(l);
  return { out, err: l.err() };
}

/**
 * starts `trap listen -M <small mibs> --cache-dir <base>` with its cached dictionary a FIFO, so the
 * load blocks until the caller closes the returned write end (an empty cache file: the -M directory is then compiled)
 */
async function listenWithBlockedLoad(name: string, extra: string[] = []): Promise<{ l: Awaited<ReturnType<typeof startListen>>; fd: number }> {
  const dir = smallMibs(`${name}-mibs`);
  const base = join(data, `${name}-cache`);
  const fifo = join(cacheDirFor([dir], base), 'dictionary.json');
  mkdirSync(join(fifo, '..'), { recursive: true });
  execFileSync('mkfifo', [fifo]);
  const l = await startListen(['-M', dir, '--cache-dir', base, ...extra]);
  // a non-blocking open for writing succeeds only once the reader (the load) has the FIFO open
  const fd = await waitFor(() => {
    try {
      return openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch {
      return undefined;
    }
  }, 30_000, `the dictionary load to start (stderr: ${l.err()})`);
  return { l, fd };
}

function smallMibs(name: string): string {
  const dir = join(data, name);
  mkdirSync(dir, { recursive: true });
  for (const m of ['SNMPv2-SMI', 'SNMPv2-TC', 'SNMPv2-CONF', 'SNMPv2-MIB', 'IANAifType-MIB', 'IF-MIB']) copyFileSync(join('mibs/standard', `${m}.txt`), join(dir, `${m}.txt`));
  return dir;
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
    // PhysAddress's DISPLAY-HINT "1x:" applied to the bytes (was applied to their hex text: 30:30:20:31:31:...)
    expect(out).toContain('IF-MIB::ifPhysAddress.2 = OctetString: 00:11:22:33:44:55');
  });

  it('--json carries the hinted MAC as display, the bytes in hex as value', async () => {
    requireSnmptrap();
    const { out } = await listenForLinkDown(['--json']);
    const mac = (JSON.parse(out.trim().split('\n')[0]) as { varbinds: { name?: string }[] }).varbinds.find((v) => v.name === 'IF-MIB::ifPhysAddress.2');
    expect(mac).toMatchObject({ type: 'OctetString', value: '00 11 22 33 44 55', display: '00:11:22:33:44:55' });
  });

  it('listens before it loads the dictionary: a trap sent while the load runs is printed, named', async () => {
    requireSnmptrap();
    const { l, fd } = await listenWithBlockedLoad('slow');
    try {
      await sendLinkDown(l.port);
    } finally {
      closeSync(fd); // an empty cache file: unreadable, so the -M directory is compiled
    }
    const out = await trapPrinted(l);
    expect(out).toContain('IF-MIB::linkDown');
    expect(out).toContain('IF-MIB::ifPhysAddress.2 = OctetString: 00:11:22:33:44:55');
    await waitFor(() => l.err().includes('OID names:'), 40_000, `the dictionary line (stderr: ${l.err()})`);
    expect(l.err()).toMatch(/^listening on 127\.0\.0\.1:\d+; engine ID [0-9a-f]+ \(loading the OID dictionary\)\nOID names: \d+ nodes\n/);
  });

  it('keeps receiving while the load is blocked: an inform is acked at once, traps carry their arrival time and print in order once named', async () => {
    requireSnmptrap();
    const { l, fd } = await listenWithBlockedLoad('blocked', ['--json']);
    let sent: number;
    let released: number;
    try {
      sent = Date.now();
      await sendLinkDown(l.port);
      // answered only if the receiver acks while the load is still blocked (the old receiver acked after it)
      const inform = await snmptrap(['-v', '2c', '-c', 'public', '-Ci', '-r', '0', '-t', '5', `127.0.0.1:${l.port}`, '', '1.3.6.1.6.3.1.1.5.4', '1.3.6.1.2.1.2.2.1.1.3', 'i', '3']);
      expect(inform.code, inform.stderr).toBe(0);
      // held until the dictionary names them
      expect(l.out()).toBe('');
    } finally {
      released = Date.now();
      closeSync(fd);
    }
    const lines = await waitFor(() => { const x = l.out().split('\n').filter(Boolean); return x.length >= 2 && l.out().endsWith('\n') ? x : undefined; }, 40_000, `two JSON lines (stdout: ${l.out()})`);
    const [trap, inform] = lines.map((x) => JSON.parse(x) as { pdu: string; trapName?: string; receivedAt: number; varbinds: { name?: string; display?: string }[] });
    expect([trap.pdu, trap.trapName, inform.pdu, inform.trapName]).toEqual(['TrapV2', 'IF-MIB::linkDown', 'InformRequest', 'IF-MIB::linkUp']);
    expect(trap.varbinds.find((v) => v.name === 'IF-MIB::ifPhysAddress.2')?.display).toBe('00:11:22:33:44:55');
    // stamped when they arrived, during the load, not when printed after it
    for (const e of [trap, inform]) {
      expect(e.receivedAt).toBeGreaterThanOrEqual(sent);
      expect(e.receivedAt).toBeLessThan(released);
    }
  });

  it('compiles the -M directories into their cache when none is there, as `oid` does', async () => {
    requireSnmptrap();
    const dir = smallMibs('small-mibs');
    const { out, err } = await listenForLinkDown(['-M', dir]);
    expect(err).not.toContain('numeric OIDs');
    expect(out).toContain('IF-MIB::linkDown');
    expect(out).toContain('IF-MIB::ifIndex.2');
    expect(out).toContain('IF-MIB::ifPhysAddress.2 = OctetString: 00:11:22:33:44:55');
    // written where `oid -M DIR` looks for it
    expect(existsSync(join(cacheDirFor([dir], join(data, 'mib-cache')), 'dictionary.json'))).toBe(true);
  });

  it('--no-mib keeps the OIDs numeric', async () => {
    requireSnmptrap();
    const { out, err } = await listenForLinkDown(['--no-mib']);
    expect(err).toContain('numeric OIDs: --no-mib');
    expect(out).toContain('1.3.6.1.6.3.1.1.5.3');
    expect(out).toContain('1.3.6.1.2.1.2.2.1.6.2 = OctetString: 00 11 22 33 44 55');
    expect(out).not.toContain('IF-MIB::');
  });
});
