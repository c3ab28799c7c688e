/**
 * A server that is not InfluxDB, or misbehaves, from a local HTTP server on 127.0.0.1: an endless
 * error body to /write is read only up to a bound (then the connection is closed), and a /ping
 * answered 2xx without X-Influxdb-Version fails set-up with kind 'bad-response' naming the URL.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NetpulseError } from '../../src/errors/index.ts';
import { InfluxHttp } from '../../src/storage/influx/http.ts';
import { Quarantine } from '../../src/storage/influx/quarantine.ts';
import { Spool } from '../../src/storage/influx/spool.ts';
import { InfluxWriter } from '../../src/storage/influx/writer.ts';
import type { StorageLogger } from '../../src/storage/types.ts';
import { useFakeHttpServer } from './fake-http-server.ts';

const PASSWORD = 's3cret-pw';

const { serve } = useFakeHttpServer();

/** a long timeout: only the bounded read can make the tests below finish quickly */
const connect = (port: number) =>
  new InfluxHttp({ url: `http://admin:${PASSWORD}@127.0.0.1:${port}`, database: 'netpulse', timeoutMs: 60_000 });

/** answers `status` with a body that never ends; `state` says how much was sent and whether the client hung up */
function endless(status: number, start: string, state: { sent: number; closed: boolean }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    res.writeHead(status, { 'content-type': 'text/html' });
    res.on('close', () => { state.closed = true; });
    res.write(start);
    const more = () => {
      while (!state.closed && res.write('x'.repeat(16_384))) state.sent += 16_384;
      if (!state.closed) res.once('drain', more);
    };
    more();
  };
}

describe('write(): an error body is read up to 64 KiB, never whole', () => {
  it.each([
    [500, 'retry', '<html>'],
    [400, 'reject', '{"error":"'],
  ] as const)('an endless %i body: a short message, the connection closed', async (status, action, start) => {
    const state = { sent: 0, closed: false };
    const port = await serve(endless(status, start, state));
    const outcome = await connect(port).write(Buffer.alloc(0));
    expect(outcome).toMatchObject({ ok: false, action, status });
    // a cut message cannot name every point a partial write dropped
    expect(outcome.ok ? undefined : outcome.error).toBeUndefined();
    const message = outcome.ok ? '' : outcome.message;
    expect(message).toMatch(new RegExp(`^HTTP ${status}: ${start.replace(/[{"]/g, '\\$&')}x+… \\(over 64 KiB, not read further\\)$`));
    expect(message.length).toBeLessThan(1100);
    expect(message).not.toContain(PASSWORD);
    await expect.poll(() => state.closed, { timeout: 10_000 }).toBe(true);
    // what the kernel buffers on loopback, not an endless stream
    expect(state.sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('a short error body is still quoted whole, InfluxDB\'s JSON error unwrapped', async () => {
    const port = await serve((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"partial write: field type conflict"}');
    });
    expect(await connect(port).write(Buffer.alloc(0))).toEqual({
      ok: false, action: 'reject', status: 400, message: 'HTTP 400: partial write: field type conflict',
      error: 'partial write: field type conflict',
    });
  });
});

describe('ping(): a 2xx without X-Influxdb-Version is not InfluxDB', () => {
  it.each([200, 204])('%i without the header: bad-response naming the URL, no credentials', async (status) => {
    const port = await serve((_req, res) => res.writeHead(status, { 'content-type': 'text/html' }).end(status === 204 ? undefined : '<html>ok</html>'));
    const err = await connect(port).ping().then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as NetpulseError);
    expect(err).toBeInstanceOf(NetpulseError);
    expect(err).toMatchObject({ kind: 'bad-response', scope: 'storage', target: `influxdb http://127.0.0.1:${port}`, action: 'ping' });
    expect(err.reason).toBe(`http://127.0.0.1:${port} answered /ping without X-Influxdb-Version: not an InfluxDB server?`);
    expect(err.message).not.toContain(PASSWORD);
  });

  it('the header, of any case, gives the version', async () => {
    const port = await serve((_req, res) => res.writeHead(204, { 'X-Influxdb-Version': 'v2.7.11' }).end());
    expect(await connect(port).ping()).toBe('v2.7.11');
  });

  it('an endless 200 body to /ping without the header fails quickly', async () => {
    const state = { sent: 0, closed: false };
    const port = await serve(endless(200, '<html>', state));
    await expect(connect(port).ping()).rejects.toMatchObject({ kind: 'bad-response' });
    await expect.poll(() => state.closed, { timeout: 10_000 }).toBe(true);
  });

  it('the writer does not set up behind such a server: it spools and says why, naming the URL', async () => {
    const logs: string[] = [];
    const logger: StorageLogger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
    let writes = 0;
    const port = await serve((req, res) => {
      req.resume();
      if (req.url?.startsWith('/write')) writes++;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome</html>');
    });
    const dir = mkdtempSync(join(tmpdir(), 'netpulse-hostile-'));
    const w = new InfluxWriter({
      http: connect(port), spool: new Spool(join(dir, 'spool.db'), 10_000_000), quarantine: new Quarantine(join(dir, 'q.jsonl'), 1_000_000),
      logger, batchSize: 10, flushIntervalMs: 20, backoffBaseMs: 20, backoffMaxMs: 100,
    });
    try {
      w.write(Array.from({ length: 25 }, (_, i) => ({ measurement: 'm', tags: { d: 'x' }, fields: { v: BigInt(i) }, time: i })));
      await expect.poll(() => w.metrics().pointsSpooled, { timeout: 10_000 }).toBe(25);
      const why = `http://127.0.0.1:${port} answered /ping without X-Influxdb-Version: not an InfluxDB server?`;
      await expect.poll(() => logs.find((l) => l.includes(why)), { timeout: 10_000 }).toBeDefined();
      expect(w.metrics()).toMatchObject({ healthy: false, detail: why, pointsWritten: 0 });
      expect(writes).toBe(0);
      expect(logs.join('\n')).not.toContain(PASSWORD);
    } finally {
      await w.close(500);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
