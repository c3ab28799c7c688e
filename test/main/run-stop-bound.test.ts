/**
 * A stop that does not finish: runUntilSignal logs what is still open and exits with status 1
 * once the stop timeout has passed, or at once on a second signal. The child's runtime stop
 * never resolves (stop-never-ends-child.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./stop-never-ends-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'netpulse-stop-bound-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** starts the child, sends SIGTERM once it runs and `again` once it logs that it stops */
function stopNeverEnds(name: string, stopTimeoutMs: number, again?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const file = join(dir, `${name}.yaml`);
  mkdirSync(join(dir, 'mibs'), { recursive: true });
  writeFileSync(file, `dataDir: ${JSON.stringify(join(dir, `data-${name}`))}\nmibDirs: [${JSON.stringify(join(dir, 'mibs'))}]\nmibWarmup: false\napi: { listen: "127.0.0.1:0" }\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(stopTimeoutMs)], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const before = stderr;
    stderr += chunk.toString();
    const seen = (s: string) => !before.includes(s) && stderr.includes(s);
    if (seen('netpulse: running')) child.kill('SIGTERM');
    if (again && seen('netpulse: SIGTERM: stopping')) child.kill(again);
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

describe('runUntilSignal and a stop that does not finish', () => {
  it('past the stop timeout: logged with what is still open, status 1', async () => {
    const r = await stopNeverEnds('timeout', 500);
    expect(r.stderr).toMatch(/netpulse: error: the stop did not finish within 0\.5 s; still open: .*TCPServerWrap x1.*; exiting/);
    expect(r.stderr).not.toContain('netpulse: stopped');
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 1, signal: null });
  });

  it('a second signal: exits at once with status 1', async () => {
    const r = await stopNeverEnds('second', 600_000, 'SIGINT');
    expect(r.stderr).toContain('netpulse: second signal: exiting now');
    expect(r.stderr).not.toContain('did not finish');
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 1, signal: null });
  });
});
