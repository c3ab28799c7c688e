import { describe, expect, it } from 'vitest';
import { InfluxHttp, splitUrlCredentials } from '../../src/storage/influx/http.ts';
import { useFakeHttpServer } from './fake-http-server.ts';

describe('influx URL credentials never reach logs', () => {
  it.each([
    ['http://127.0.0.1:8086', { url: 'http://127.0.0.1:8086' }],
    ['http://127.0.0.1:8086/', { url: 'http://127.0.0.1:8086' }],
    ['http://admin:s3cret@127.0.0.1:8086/', { url: 'http://127.0.0.1:8086', username: 'admin', password: 's3cret' }],
    ['https://a%40b:p%3Aw@localhost/influx/', { url: 'https://localhost/influx', username: 'a@b', password: 'p:w' }],
  ])('%s', (raw, expected) => {
    expect(splitUrlCredentials(raw)).toEqual(expected);
  });

  it('a network error names the URL without the password', async () => {
    const http = new InfluxHttp({ url: 'http://admin:s3cret@127.0.0.1:1', database: 'x', timeoutMs: 2000 });
    expect(http.url).toBe('http://127.0.0.1:1');
    const err = await http.ping().then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String(err?.message)).not.toContain('s3cret');
    const outcome = await http.write(Buffer.alloc(0));
    expect(JSON.stringify(outcome)).not.toContain('s3cret');
  });
});

describe('influx error bodies', () => {
  const { serve } = useFakeHttpServer();

  it('a huge error page is read up to 64 KiB and cut in the outcome message', async () => {
    const port = await serve((_req, res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<html>' + 'x'.repeat(200_000)); });
    const http = new InfluxHttp({ url: `http://127.0.0.1:${port}`, database: 'x', timeoutMs: 2000 });
    const outcome = await http.write(Buffer.alloc(0));
    expect(outcome).toMatchObject({ ok: false, action: 'retry', status: 502 });
    expect(outcome.ok === false && outcome.message.length).toBeLessThan(1100);
    expect(outcome.ok === false && outcome.message).toMatch(/^HTTP 502: <html>x{994}… \(over 64 KiB, not read further\)$/);
  });

  it('a long JSON error of a query is cut to 1,000 characters in the error', async () => {
    const port = await serve((_req, res) => { res.writeHead(400, { 'content-type': 'application/json' }); res.end(JSON.stringify({ error: 'y'.repeat(50_000) })); });
    const http = new InfluxHttp({ url: `http://127.0.0.1:${port}`, database: 'x', timeoutMs: 2000 });
    const err = await http.query('SHOW DATABASES').then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/: HTTP 400: y{1000}… \(50000 characters\)$/);
  });
});
