import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_V3_USERS, startLab, type Lab, type LabDevice } from '../../src/lab/index.ts';
import { target, tool, versionArgs } from './helpers.ts';

let lab: Lab;
let trapd: ChildProcess | undefined;
let trapLog = '';
let dir = '';

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; snmptrapd output:\n${trapLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'np-lab-trapd-'));
  const port = await freeUdpPort();
  lab = await startLab({ devices: 12, seed: 2, basePort: 0, trapsTo: `127.0.0.1:${port}` });
  const v3 = lab.devices.find((d) => d.version === '3')!;
  const u = LAB_V3_USERS.find((x) => x.user === v3.v3User)!;
  const keys = (x: typeof u) => `${x.user} ${x.authProtocol} ${x.authKey}${x.privProtocol ? ` ${x.privProtocol} ${x.privKey}` : ''}`;
  const conf = [
    'disableAuthorization yes',
    // v3 traps: keys localised to the sending device's engine
    `createUser -e 0x${v3.engineId.toString('hex')} ${keys(u)}`,
    // v3 informs: keys localised to snmptrapd's own engine (the lab discovers it first)
    ...LAB_V3_USERS.map((x) => `createUser ${keys(x)}`),
  ].join('\n');
  writeFileSync(join(dir, 'snmptrapd.conf'), conf + '\n');
  trapd = spawn('snmptrapd', ['-f', '-Lo', '-On', '-C', '-c', join(dir, 'snmptrapd.conf'), `udp:127.0.0.1:${port}`], {
    env: { ...process.env, MIBS: '', SNMP_PERSISTENT_DIR: dir, SNMPCONFPATH: dir },
  });
  trapd.on('error', (err) => { trapLog += `snmptrapd failed to start: ${err.message} (is Net-SNMP snmptrapd installed?)\n`; });
  trapd.stdout!.on('data', (b) => { trapLog += b.toString(); });
  trapd.stderr!.on('data', (b) => { trapLog += b.toString(); });
  await waitFor(() => /NET-SNMP version/.test(trapLog) || /failed/.test(trapLog), 30_000, 'snmptrapd to start');
  expect(trapLog).not.toMatch(/failed to start/);
});

afterAll(async () => {
  if (process.env.NP_LAB_DEBUG) process.stderr.write(trapLog);
  if (trapd && trapd.exitCode === null) {
    const exited = new Promise((r) => trapd!.once('exit', r));
    trapd.kill();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  }
  await lab?.stop();
  // snmptrapd writes its persistent state on exit
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

const dev = (pred: (d: LabDevice) => boolean) => lab.devices.find(pred)!;
const get = (d: LabDevice, oids: string[], t = '5') => tool('snmpget', [...versionArgs(d), '-On', '-Oe', '-Ot', '-t', t, '-r', '0', target(d), ...oids]);

describe('faults', () => {
  it('silent device times out, then answers again', async () => {
    const d = dev((x) => x.version === '2c');
    lab.faults.silence(d.name);
    const r = await get(d, ['1.3.6.1.2.1.1.5.0'], '0.5');
    expect(r.stderr).toMatch(/Timeout/);
    lab.faults.silence(d.name, false);
    expect((await get(d, ['1.3.6.1.2.1.1.5.0'])).stdout).toContain(d.name);
  });

  it('slow device answers after the delay', async () => {
    const d = dev((x) => x.version === '1');
    lab.faults.slow(d.index, 600);
    // the lab answers from a timer of the delay, not at once
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const r = await get(d, ['1.3.6.1.2.1.1.5.0'], '10');
    const delays = timers.mock.calls.map(([, ms]) => ms);
    timers.mockRestore();
    expect(r.stdout).toContain(d.name);
    expect(delays).toContain(600);
    lab.faults.slow(d.index, 0);
  });

  it('agent restart resets sysUpTime and counters and sends coldStart', async () => {
    const d = dev((x) => x.version === '2c' && x.index % 3 !== 2 && x.peers.size > 0);
    const port = [...d.peers.keys()][0];
    const oids = ['1.3.6.1.2.1.1.3.0', `1.3.6.1.2.1.31.1.1.1.6.${port}`];
    const before = (await get(d, oids)).stdout;
    lab.faults.restart(d.name);
    const after = (await get(d, oids)).stdout;
    const num = (s: string, i: number) => Number(s.trim().split('\n')[i].split(/: | = /).pop());
    expect(num(after, 0)).toBeLessThan(num(before, 0));
    expect(num(after, 0)).toBeLessThan(500);
    expect(num(after, 1)).toBeLessThan(num(before, 1));
    await waitFor(() => trapLog.includes('.1.3.6.1.6.3.1.1.5.1'), 20_000, 'coldStart trap');
  });

  it('interface flap: ifOperStatus down, linkDown then linkUp traps (v1, v2c inform, v3 trap, v3 inform)', async () => {
    const v1 = dev((x) => x.version === '1' && x.peers.size > 0);
    const inform = dev((x) => x.version === '2c' && x.index % 3 === 2 && x.peers.size > 0);
    const v3 = dev((x) => x.version === '3' && x.index % 3 !== 2 && x.peers.size > 0);
    const v3inform = dev((x) => x.version === '3' && x.index % 3 === 2 && x.peers.size > 0);
    // down long enough that the snmpget below, spawned on a loaded machine, still sees it down
    for (const d of [v1, inform, v3, v3inform]) lab.faults.flap(d.name, undefined, 4000);
    const port = [...v1.peers.keys()].sort((a, b) => a - b)[0];
    expect((await get(v1, [`1.3.6.1.2.1.2.2.1.8.${port}`])).stdout).toMatch(/INTEGER: 2/);
    await waitFor(() => (trapLog.match(/\.1\.3\.6\.1\.6\.3\.1\.1\.5\.4/g) ?? []).length >= 3, 20_000, 'linkUp traps');
    // v1 trap: generic linkDown (2) with the ifIndex varbind
    expect(trapLog).toMatch(new RegExp(`Link Down Trap \\(0\\) Uptime[^\\n]*\\n?[^\\n]*\\.1\\.3\\.6\\.1\\.2\\.1\\.2\\.2\\.1\\.1\\.${port} = INTEGER: ${port}`));
    expect(trapLog).toMatch(/\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: \.1\.3\.6\.1\.6\.3\.1\.1\.5\.3/);
    await waitFor(() => (lab.traps?.stats.informsAcked ?? 0) >= 4, 20_000, `4 inform acknowledgements (v2c and v3), stats ${JSON.stringify(lab.traps?.stats)}`);
    // v2c inform and the v3 trap (authenticated and decrypted by snmptrapd, else it logs nothing) carry snmpTrapOID linkDown
    expect((trapLog.match(/OID: \.1\.3\.6\.1\.6\.3\.1\.1\.5\.3/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(trapLog).not.toMatch(/authentication failure|Unknown user|decrypt/i);
    expect((await get(v1, [`1.3.6.1.2.1.2.2.1.8.${port}`])).stdout).toMatch(/INTEGER: 1/);
  });

  it('non-increasing OID mid-walk is reported by snmpwalk', async () => {
    const d = dev((x) => x.version === '2c');
    lab.faults.nonIncreasing(d.name);
    const r = await tool('snmpwalk', [...versionArgs(d), '-On', '-t', '1', '-r', '0', target(d), '1.3.6.1.2.1.2.2.1.2']);
    expect(r.stderr).toMatch(/OID not increasing/);
    lab.faults.nonIncreasing(d.name, false);
  });
});
