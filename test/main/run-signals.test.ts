// `netpulse start` stops in order on SIGTERM and logs the config's warnings (SIGHUP reloads: test/main/config-reload.test.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/netpulse', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'netpulse-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startAndSignal(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const file = join(dir, `${signal}.yaml`);
  mkdirSync(join(dir, 'mibs'), { recursive: true });
  writeFileSync(file, `dataDir: ${JSON.stringify(join(dir, `data-${signal}`))}\nmibDirs: [${JSON.stringify(join(dir, 'mibs'))}]\nmibWarmup: false\napi: { listen: "127.0.0.1:0", cors: ["*"] }\n`);
  const child = spawn(process.execPath, [BIN, 'start', '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const before = stderr;
    stderr += chunk.toString();
    if (!before.includes('netpulse: running') && stderr.includes('netpulse: running')) child.kill(signal);
  });
  return new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig, stderr })));
}

describe('netpulse start and signals', () => {
  it('SIGTERM stops in order with status 0, and the config\'s warnings are logged at start', async () => {
    const r = await startAndSignal('SIGTERM');
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
    expect(r.stderr).toContain('netpulse: SIGTERM: stopping');
    expect(r.stderr).toContain('netpulse: stopped');
    expect(r.stderr).toMatch(/netpulse: warning: config: api\.cors: every origin may call the API/);
  });
});
