/**
 * `netpulse start` ends after its stop even while libuv's thread pool holds a call that never
 * returns (a getaddrinfo the resolver never answers holds a pool thread the same way; process.exit
 * joins the pool's threads and would wait for it): the stores are closed with what was accepted
 * before the signal, then the process ends by the stop signal. The child holds one pool thread
 * with an open() of a FIFO nobody writes to, from a module preloaded with --import.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { encodeCommunityMessage } from '../../src/snmp/wire/index.ts';

const BIN = fileURLToPath(new URL('../../bin/netpulse', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'netpulse-held-pool-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const trap = encodeCommunityMessage({
  version: '2c', community: Buffer.from('held-pool'),
  pdu: { type: 'TrapV2', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [
    { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 1 },
    { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: '1.3.6.1.4.1.99999.0.1' },
  ] },
});

function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const WAIT = { timeout: 40_000, interval: 50 };

describe('netpulse start with a thread-pool call that never returns', () => {
  it('SIGTERM closes the stores with the trap accepted before it, then the process ends by SIGTERM', async () => {
    const fifo = join(dir, 'never-written.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const preload = join(dir, 'hold-pool-thread.mjs');
    // workers inherit --import: only the main thread holds a pool thread
    writeFileSync(preload, `import { open } from 'node:fs';\nimport { isMainThread } from 'node:worker_threads';\nif (isMainThread) open(${JSON.stringify(fifo)}, 'r', () => {});\n`);
    const dataDir = join(dir, 'data');
    mkdirSync(join(dir, 'mibs'));
    const file = join(dir, 'netpulse.yaml');
    writeFileSync(file, [
      `dataDir: ${JSON.stringify(dataDir)}`,
      `mibDirs: [${JSON.stringify(join(dir, 'mibs'))}]`,
      'mibWarmup: false',
      'api: { listen: "127.0.0.1:0" }',
      'traps: { listen: "127.0.0.1:0", communities: [held-pool] }',
      '',
    ].join('\n'));

    const c = spawn(process.execPath, ['--import', preload, BIN, 'start', '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    let stderr = '';
    c.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => c.on('exit', (code, signal) => resolve({ code, signal })));

    await vi.waitFor(() => expect(stderr).toContain('netpulse: running'), WAIT);
    const port = Number(/traps: listening on udp 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1]);
    expect(port).toBeGreaterThan(0);
    const sock = createSocket('udp4');
    await new Promise<void>((resolve, reject) => sock.send(trap, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    sock.close();
    const stateDb = join(dataDir, 'state.db');
    // count() throws until the file and its tables are there: waitFor retries
    await vi.waitFor(() => expect(count(stateDb, 'SELECT count(*) AS n FROM traps')).toBe(1), WAIT);

    c.kill('SIGTERM');
    // the old code waited for the FIFO's open() at exit: this ran into the test's timeout
    const end = await exited;

    expect(stderr).toContain('netpulse: stopped');
    expect(stderr).toMatch(/netpulse: exiting by SIGTERM instead of status 0: still in libuv's thread pool: 1 file system call/);
    expect(end).toEqual({ code: null, signal: 'SIGTERM' });
    expect(count(stateDb, 'SELECT count(*) AS n FROM traps')).toBe(1);
    // the trap's sample, buffered by the series store until its flush or close
    expect(count(join(dataDir, 'series.db'), "SELECT count(*) AS n FROM points JOIN series ON series.id = points.series_id WHERE series.measurement = 'snmp_trap'")).toBe(1);
  });
});
