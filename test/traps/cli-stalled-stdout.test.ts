/**
 * `trap listen` ends once stopped even while its stdout is a pipe nobody reads (a stalled log
 * reader): the flush at the end is bounded (src/main/flush-stdio.ts), and what the reader has not
 * taken by then is dropped. The traps printed are more than the pipe takes. Stopped while its OID
 * dictionary load hangs (the cache is a FIFO nobody writes to: the load blocks in its read), it
 * ends by the stop signal (its loader thread keeps even process.exit waiting).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { closeSync, constants, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cacheDirFor } from '../../src/mib/cli-options.ts';
import { encodeCommunityMessage } from '../../src/snmp/wire/index.ts';
import { freePort } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/netpulse', import.meta.url));
const MIBS = fileURLToPath(new URL('../../mibs/standard', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'netpulse-trap-stalled-stdout-'));
const children: ChildProcess[] = [];
let fifoWriter: number | undefined;
afterAll(() => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    c.stdout!.destroy();
  }
  if (fifoWriter !== undefined) closeSync(fifoWriter);
  rmSync(dir, { recursive: true, force: true });
});

const WAIT = { timeout: 30_000, interval: 20 };
/** informs of 4000 bytes each: printed as hex, far more than a pipe's 64 KiB */
const INFORMS = 40;
const inform = (requestId: number) => encodeCommunityMessage({
  version: '2c', community: Buffer.from('public'),
  pdu: { type: 'InformRequest', requestId, errorStatus: 0, errorIndex: 0, varbinds: [
    { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 1 },
    { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: '1.3.6.1.4.1.99999.0.1' },
    { oid: '1.3.6.1.4.1.99999.1', type: 'OctetString', value: Buffer.alloc(4000, 0xa5) },
  ] },
});

/** sends each inform and waits for its acknowledgement: all are received before the stop */
async function sendInforms(port: number): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  try {
    for (let id = 1; id <= INFORMS; id++) {
      const acked = new Promise((r) => sock.once('message', r));
      sock.send(inform(id), port, '127.0.0.1');
      await acked;
    }
  } finally {
    sock.close();
  }
}

/** starts `trap listen` with its stdout a pipe the test never reads; exited resolves with how it ended */
function listen(port: number, args: string[]) {
  const c = spawn(process.execPath, [BIN, 'trap', 'listen', '--listen', `127.0.0.1:${port}`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NETPULSE_DATA_DIR: join(dir, 'data') },
  });
  children.push(c);
  // stdout stays paused: the pipe fills, the rest waits in the child
  let stderr = '';
  c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => c.on('exit', (code, signal) => resolve({ code, signal })));
  return { c, stderr: () => stderr, exited };
}

describe('netpulse trap listen stopped with its stdout never read', () => {
  it('during a hung dictionary load: ends by the stop signal', async () => {
    const mibs = join(dir, 'mibs');
    mkdirSync(mibs);
    for (const m of ['SNMPv2-SMI', 'SNMPv2-TC', 'SNMPv2-CONF', 'SNMPv2-MIB']) copyFileSync(join(MIBS, `${m}.txt`), join(mibs, `${m}.txt`));
    const cache = join(dir, 'cache');
    const fifo = join(cacheDirFor([mibs], cache), 'dictionary.json');
    mkdirSync(join(fifo, '..'), { recursive: true });
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const port = await freePort();
    const l = listen(port, ['-M', mibs, '--cache-dir', cache]);

    await vi.waitFor(() => expect(l.stderr()).toContain('listening on'), WAIT);
    // a non-blocking open for writing succeeds once the load has the FIFO open; kept open, its read blocks
    fifoWriter = await vi.waitFor(() => openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK), WAIT);
    // held until the names are there: printed at the stop
    await sendInforms(port);
    l.c.kill('SIGTERM');
    // the old code waited for stdout to drain: this ran into the test's timeout
    const end = await l.exited;
    expect(l.stderr()).toContain(`received ${INFORMS}, accepted ${INFORMS}, rejected 0`);
    expect(end).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('with numeric OIDs (--no-mib): ends with status 0', async () => {
    const port = await freePort();
    const l = listen(port, ['--no-mib']);
    await vi.waitFor(() => expect(l.stderr()).toContain('listening on'), WAIT);
    // printed as they arrive
    await sendInforms(port);
    l.c.kill('SIGTERM');
    const end = await l.exited;
    expect(l.stderr()).toContain(`received ${INFORMS}, accepted ${INFORMS}, rejected 0`);
    expect(end).toEqual({ code: 0, signal: null });
  });
});
