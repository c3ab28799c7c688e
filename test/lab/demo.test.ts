import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';

describe('netpulse demo', () => {
  it('polls the lab and shows the silent device as unreachable', async () => {
    const child = spawn(process.execPath, ['bin/netpulse', 'demo', '--devices', '6', '--rounds', '1', '--interval', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { out += b; });
    const killer = setTimeout(() => child.kill('SIGKILL'), 55_000);
    const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
    clearTimeout(killer);
    expect(out).toMatch(/6 simulated devices \(v1 1, v2c 3, v3 2\)/);
    expect(out).toMatch(/round 1 .*up 5, snmp-unreachable 1/);
    expect(code).toBe(0);
  });
});
