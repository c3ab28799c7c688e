import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'np-lab-demo-'));
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function freeTcpPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('netpulse demo', () => {
  it('starts the lab and netpulse, announces the devices and the UI, and stops on SIGTERM', async () => {
    const port = await freeTcpPort();
    child = spawn(process.execPath, ['bin/netpulse', 'demo', '--devices', '6', '--interval', '1s', '--listen', `127.0.0.1:${port}`, '--data-dir', join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (b) => { out += b; });
    child.stderr!.on('data', (b) => { out += b; });
    const deadline = Date.now() + 45_000;
    while (!/Ctrl-C to stop/.test(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(/6 simulated devices \(SNMP v1 1, v2c 3, v3 2\)/);
    expect(out).toMatch(/lab-srv-0005 is silent/);
    expect(out).toContain(`http://127.0.0.1:${port}`);
    const res = await fetch(`http://127.0.0.1:${port}/docs`);
    expect(res.status).toBeLessThan(500);
    // the UI's files are served from src/api/ui also when bin/netpulse runs the build
    for (const path of ['/', '/ui/app.js', '/ui/vendor/cytoscape.esm.min.mjs']) {
      expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(200);
    }
    // the flapping device's linkDown trap is attributed to it (each lab device has its own address)
    const flapper = /(lab-\S+) flaps an interface/.exec(out)?.[1];
    expect(flapper, out).toBeDefined();
    let traps: Array<{ device?: string }> = [];
    for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      traps = ((await (await fetch(`http://127.0.0.1:${port}/api/v1/traps?device=${flapper}`)).json()) as { items: typeof traps }).items;
      if (traps.length > 0) break;
    }
    expect(traps.length, out).toBeGreaterThan(0);
    expect(traps[0].device).toBe(flapper);
    const exited = new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
    child.kill('SIGTERM');
    expect(await exited, out).toBe(0);
  }, 120_000);
});
