/** InfluxHttp.queryChunks against a local HTTP server on 127.0.0.1 standing in for a misbehaving InfluxDB or proxy. */
import { describe, expect, it } from 'vitest';
import { NetpulseError } from '../../src/errors/index.ts';
import { InfluxHttp } from '../../src/storage/influx/http.ts';
import { type FakeHandler, useFakeHttpServer } from './fake-http-server.ts';

const fake = useFakeHttpServer();

const serve = async (handler: FakeHandler): Promise<string> =>
  `http://127.0.0.1:${await fake.serve(handler)}`;

const opts = { db: 'netpulse', chunkSize: 100, what: 'x', narrow: 'narrow from..to' };

describe('InfluxHttp.queryChunks', () => {
  it('an error answer with an endless body fails at once with its status, reading only its start', async () => {
    let sent = 0;
    let closed = false;
    const url = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      const more = () => {
        while (!closed && res.write('x'.repeat(64 * 1024))) sent += 64 * 1024;
        if (!closed) res.once('drain', more);
      };
      res.on('close', () => { closed = true; });
      more();
    });
    const http = new InfluxHttp({ url, database: 'netpulse', timeoutMs: 5000 });
    const err = await http.queryChunks('SELECT * FROM "x"', opts, () => {}).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(NetpulseError);
    expect((err as NetpulseError).reason).toMatch(/^HTTP 500: x+$/);
    expect((err as NetpulseError).reason.length).toBeLessThan(1000);
    await expect.poll(() => closed, { timeout: 10_000 }).toBe(true);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('a statement error in a 400 answer is the error reason', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'error parsing query: found EOF, expected identifier' }));
    });
    const http = new InfluxHttp({ url, database: 'netpulse', timeoutMs: 5000 });
    await expect(http.queryChunks('SELECT', opts, () => {})).rejects.toMatchObject({ kind: 'query', reason: 'HTTP 400: error parsing query: found EOF, expected identifier' });
  });
});
