import { afterAll, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { parseConfig } from '../../src/config/index.ts';
import { startLab, type Lab } from '../../src/lab/index.ts';
import { decodeMessage } from '../../src/snmp/wire/index.ts';
import { target, tool, versionArgs } from './helpers.ts';

const children: ChildProcess[] = [];
const labs: Lab[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await Promise.all(labs.map((l) => l.stop()));
});

describe('netpulse lab (CLI)', () => {
  it('prints a config the config loader accepts, serves it, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['bin/netpulse', 'lab', '--devices', '7', '--base-port', '0', '--topology', 'tree', '--interval', '10s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { err += b; });
    const end = Date.now() + 20_000;
    while (!/Ctrl-C/.test(err) || !out.includes('lab-srv-0005')) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`lab did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 200));
    const cfg = parseConfig(out, '(lab stdout)', {});
    expect(cfg.devices).toHaveLength(7);
    expect(err).toMatch(/v1 1, v2c 4, v3 2/);
    const d = cfg.devices.find((x) => x.credential.version === '2c')!;
    const r = await tool('snmpget', ['-v2c', '-c', (d.credential as { community: string }).community, '-On', '-t', '5', '-r', '1', `udp:${d.address}:${d.port}`, '1.3.6.1.2.1.1.5.0']);
    expect(r.stdout).toContain(d.name);
    const code = new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    child.kill('SIGINT');
    expect(await code).toBe(0);
  });

  it('rejects non-loopback addresses', async () => {
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(process.execPath, ['bin/netpulse', 'lab', '--devices', '1', '--address', '10.1.2.3'], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(c);
      let err = '';
      c.stderr.on('data', (b) => { err += b; });
      c.once('exit', (code) => resolve({ code, err }));
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/address must be loopback/);
  });
});

describe('lab API', () => {
  it('one 127.x.y.z address per device', async () => {
    const lab = await startLab({ devices: 4, addressPerDevice: true, basePort: 0 });
    labs.push(lab);
    expect(new Set(lab.devices.map((d) => d.address)).size).toBe(4);
    for (const d of lab.devices) {
      expect(d.address).toMatch(/^127\.1\.0\.\d+$/);
      const r = await tool('snmpget', [...versionArgs(d), '-On', '-t', '5', '-r', '1', target(d), '1.3.6.1.2.1.4.20.1.1.' + d.address]);
      expect(r.stdout).toContain(`IpAddress: ${d.address}`);
    }
  });

  it('garbage datagrams are ignored and the device keeps answering', async () => {
    const lab = await startLab({ devices: 2, basePort: 0 });
    labs.push(lab);
    const d = lab.devices[1];
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    let seed = 9;
    for (let i = 0; i < 500; i++) {
      const len = (seed = (seed * 48271) % 2147483647) % 200;
      const b = Buffer.alloc(len, 0).map((_, k) => (seed * (k + 7)) & 0xff);
      if (i % 2) b[0] = 0x30;
      s.send(b, d.port, '127.0.0.1');
    }
    await vi.waitFor(() => expect(lab.responder.stats.malformed).toBeGreaterThan(0), { timeout: 10_000 });
    s.close();
    const r = await tool('snmpget', [...versionArgs(d), '-On', '-t', '5', '-r', '1', target(d), '1.3.6.1.2.1.1.5.0']);
    expect(r.stdout).toContain(d.name);
  });

  it('trap load generator sends realistic traps at the asked rate', async () => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const got: string[] = [];
    s.on('message', (b) => {
      const m = decodeMessage(b);
      if (!m.ok) got.push('malformed');
      else got.push(m.value.version === '3' ? 'v3' : m.value.pdu.type);
    });
    // the generator keeps its rate by the clock (bursting after a stall): it sees 1 s pass in 100 ms steps, on a clock that stands still otherwise
    let now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
    let sent = 0;
    try {
      const lab = await startLab({ devices: 12, basePort: 0, trapsTo: `127.0.0.1:${s.address().port}`, trapRate: 200 });
      labs.push(lab);
      await new Promise((r) => setTimeout(r, 100));
      expect(lab.traps!.stats.sent).toBe(0);
      for (let step = 0; step < 10; step++) {
        now += 100;
        await new Promise((r) => setTimeout(r, 30));
      }
      sent = lab.traps!.stats.sent;
      // 200 ms more before the stop: the v3 informs in `sent` wait for an engine discovery this receiver never answers
      for (let step = 0; step < 2; step++) {
        now += 100;
        await new Promise((r) => setTimeout(r, 30));
      }
      // delivered before the stop closes the receiving socket (a fixed wait loses the race on a loaded machine)
      await vi.waitFor(() => expect(got.length >= sent * 0.9 && new Set(got).size === 4).toBe(true), { timeout: 10_000 });
      await lab.stop();
    } finally {
      clock.mockRestore();
      s.close();
    }
    expect(got).not.toContain('malformed');
    expect(sent).toBe(200);
    expect(got.length).toBeGreaterThanOrEqual(sent * 0.9);
    expect(new Set(got)).toEqual(new Set(['TrapV1', 'TrapV2', 'InformRequest', 'v3']));
  });
});
