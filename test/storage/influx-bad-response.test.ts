/**
 * Answers that are not InfluxDB's JSON (a proxy, another web server, a cut answer) and answers
 * over the size limit, from a local HTTP server on 127.0.0.1 standing in for InfluxDB: each is
 * its own error kind naming the URL (never credentials), never a network error to retry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NetpulseError } from '../../src/errors/index.ts';
import { InfluxHttp, MAX_INFLUX_RESPONSE_BYTES } from '../../src/storage/influx/http.ts';
import { InfluxQuery } from '../../src/storage/influx/query.ts';
import { Quarantine } from '../../src/storage/influx/quarantine.ts';
import { Spool } from '../../src/storage/influx/spool.ts';
import { InfluxWriter } from '../../src/storage/influx/writer.ts';
import type { StorageLogger } from '../../src/storage/types.ts';
import { useFakeHttpServer } from './fake-http-server.ts';

const PASSWORD = 's3cret-pw';
const BASIC = Buffer.from(`admin:${PASSWORD}`).toString('base64');

const { serve, close } = useFakeHttpServer();

const connect = (port: number, maxResponseBytes?: number) =>
  new InfluxHttp({ url: `http://admin:${PASSWORD}@127.0.0.1:${port}`, database: 'netpulse', timeoutMs: 5000, maxResponseBytes });

const failure = (p: Promise<unknown>): Promise<NetpulseError> =>
  p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => {
    expect(e).toBeInstanceOf(NetpulseError);
    return e as NetpulseError;
  });

const RANGE = { from: 0, to: 3_600_000 };
/** every way netpulse queries InfluxDB: the chunked query path, availability, and the plain query() of set-up */
const CALLERS: [string, (http: InfluxHttp) => Promise<unknown>][] = [
  ['querySeries', (http) => new InfluxQuery(http).querySeries({ measurement: 'snmp_interface', device: 'core1', ...RANGE })],
  ['latest', (http) => new InfluxQuery(http).latest('snmp_interface', 'core1')],
  ['availability', (http) => new InfluxQuery(http).availability({ ...RANGE, maxGapMs: 150_000 })],
  ['query (set-up)', (http) => http.query('SHOW RETENTION POLICIES ON "netpulse"')],
];

const GOOD_LINE = '{"results":[{"statement_id":0,"series":[{"name":"device_status","tags":{"device":"core1"},"columns":["time","state","state_code"],"values":[[1000,"up",0]]}],"partial":true}]}';

describe('an answer that is not InfluxDB\'s JSON is a bad-response error, not a network error', () => {
  const BODIES: [string, string, RegExp][] = [
    ['a proxy\'s HTML page', '<html><body><h1>Welcome to nginx!</h1></body></html>', /: invalid JSON; body starts "<html><body><h1>Welcome to nginx!<\/h1><\/body><\/html>"$/],
    ['{}', '{}', /: no "results" array; body starts "\{\}"$/],
    ['a series without columns or values', '{"results":[{"series":[{"name":"x"}]}]}', /: series "x" without "columns"; body starts /],
    ['values that are not rows', '{"results":[{"series":[{"name":"x","columns":["time"],"values":[1,2]}]}]}', /: series "x" whose "values" are not rows; /],
    ['"series" not an array', '{"results":[{"series":{"name":"x"}}]}', /: "series" is not an array; /],
    ['a JSON array', '[1,2,3]', /: not a JSON object; body starts "\[1,2,3\]"$/],
    ['null', 'null', /: not a JSON object; /],
    ['an empty body', '', /: empty body$/],
    ['an answer cut mid-document', '{"results":[{"statement_id":0,"series":[{"name":"x","col', /: invalid JSON; body starts "\{\\"results\\":/],
    ['a long body: its first 100 characters', `<html>${'y'.repeat(5000)}</html>`, /: invalid JSON; body starts "<html>y{94}" … \(5013 characters\)$/],
    ['a body quoting the credentials', `<pre>authorization: Basic ${BASIC} password=${PASSWORD}</pre>`, /: invalid JSON; body starts "<pre>authorization: Basic \*\*\* password=\*\*\*<\/pre>"$/],
  ];

  for (const [caller, run] of CALLERS) {
    it.each(BODIES)(`${caller}: %s`, async (_name, body, reason) => {
      const port = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
      const err = await failure(run(connect(port)));
      expect(err).toMatchObject({ kind: 'bad-response', scope: 'storage', target: `influxdb http://127.0.0.1:${port}` });
      expect(err.reason).toMatch(/^bad response, not InfluxDB's JSON answer: /);
      expect(err.reason).toMatch(reason);
      expect(err.message).toMatch(new RegExp(`^storage: influxdb http://127\\.0\\.0\\.1:${port}: query (SELECT|SHOW) `));
      expect(err.message).not.toContain(PASSWORD);
      expect(err.message).not.toContain(BASIC);
    });
  }

  it('a bad line after good ones in a chunked answer fails the query, naming the bad line', async () => {
    const port = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${GOOD_LINE}\n${GOOD_LINE}\n<html>gateway timeout</html>\n`);
    });
    const err = await failure(new InfluxQuery(connect(port)).availability({ ...RANGE, maxGapMs: 150_000 }));
    expect(err).toMatchObject({ kind: 'bad-response' });
    expect(err.reason).toMatch(/invalid JSON; body starts "<html>gateway timeout<\/html>"$/);
  });

  it('well-formed answers still pass: no series, a series without values (omitempty), a statement error', async () => {
    const answers = [
      '{"results":[{"statement_id":0}]}\n',
      '{"results":[{"statement_id":0,"series":[{"name":"snmp_interface","tags":{"device":"core1"},"columns":["time","in_bps"]}]}]}\n',
    ];
    let next = 0;
    const port = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(answers[next++] ?? '{"results":[{"statement_id":0,"error":"database not found: netpulse"}]}\n'));
    const query = new InfluxQuery(connect(port));
    expect(await query.querySeries({ measurement: 'snmp_interface', ...RANGE })).toEqual([]);
    expect(await query.querySeries({ measurement: 'snmp_interface', ...RANGE })).toEqual([]);
    await expect(query.querySeries({ measurement: 'snmp_interface', ...RANGE })).rejects.toMatchObject({ kind: 'query', reason: 'HTTP 200: database not found: netpulse' });
  });

  it('an unreachable server is still a network error (the kind writers retry)', async () => {
    const port = await serve(() => {});
    await close();
    await new Promise((r) => setTimeout(r, 20));
    for (const [, run] of CALLERS) expect(await failure(run(connect(port)))).toMatchObject({ kind: 'network' });
  });
});

describe(`answers over the size limit (MAX_INFLUX_RESPONSE_BYTES, ${MAX_INFLUX_RESPONSE_BYTES / 1024 / 1024} MiB; lowered here)`, () => {
  it('is one 64 MiB limit, the default of every connection', () => {
    expect(MAX_INFLUX_RESPONSE_BYTES).toBe(64 * 1024 * 1024);
    expect(new InfluxHttp({ url: 'http://127.0.0.1:8086', database: 'x', timeoutMs: 1000 }).maxResponseBytes).toBe(MAX_INFLUX_RESPONSE_BYTES);
  });

  const LIMIT = 1024 * 1024;
  const HINTS: Record<string, RegExp> = {
    querySeries: /^snmp_interface: response over 1 MiB \(limit\); set a step or a limit, or narrow from\.\.to$/,
    latest: /^snmp_interface: response over 1 MiB \(limit\); set a step or a limit, or narrow from\.\.to$/,
    availability: /^device_status: response over 1 MiB \(limit\); narrow from\.\.to or filter by device or tag$/,
    'query (set-up)': /^SHOW RETENTION POLICIES ON "netpulse": response over 1 MiB \(limit\)$/,
  };

  it.each(CALLERS)('%s: an endless answer line fails as soon as it passes the limit, and the connection is closed', async (caller, run) => {
    let sent = 0;
    let closed = false;
    const port = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', () => { closed = true; });
      res.write('{"results":[{"statement_id":0,"series":[{"name":"x","columns":["time","v"],"values":[');
      const more = () => {
        while (!closed && res.write('[1,"0123456789abcdef0123456789abcdef"],'.repeat(1000))) sent += 39_000;
        if (!closed) res.once('drain', more);
      };
      more();
    });
    const err = await failure(run(connect(port, LIMIT)));
    expect(err).toMatchObject({ kind: 'invalid', scope: 'storage', target: `influxdb http://127.0.0.1:${port}`, action: 'query', reason: expect.stringMatching(HINTS[caller]) });
    expect(err.message).not.toContain(PASSWORD);
    await expect.poll(() => closed, { timeout: 10_000 }).toBe(true);
    expect(sent).toBeLessThan(16 * LIMIT);
  });

  it('names the limit in MiB or bytes', async () => {
    const port = await serve((_req, res) => res.writeHead(200).end('x'.repeat(5000)));
    const err = await failure(connect(port, 4096).query('SHOW DATABASES'));
    expect(err.message).toBe(`storage: influxdb http://127.0.0.1:${port}: query: SHOW DATABASES: response over 4096 bytes (limit)`);
  });
});

describe('the writer does not retry a bad answer forever', () => {
  const logs: string[] = [];
  const logger: StorageLogger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('set-up answered with HTML: one warning, no retry loop, and the points are written', async () => {
    let queries = 0;
    let written = 0;
    const port = await serve((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url?.startsWith('/ping')) res.writeHead(204, { 'x-influxdb-version': '1.8-behind-a-proxy' }).end();
        else if (req.url?.startsWith('/query')) { queries++; res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not influx</html>'); }
        else { written++; res.writeHead(204).end(); }
      });
    });
    const dir = mkdtempSync(join(tmpdir(), 'netpulse-bad-response-'));
    dirs.push(dir);
    const w = new InfluxWriter({
      http: connect(port), spool: new Spool(join(dir, 'spool.db'), 10_000_000), quarantine: new Quarantine(join(dir, 'q.jsonl'), 1_000_000),
      logger, batchSize: 10, flushIntervalMs: 20, backoffBaseMs: 20, backoffMaxMs: 100,
    });
    try {
      w.write(Array.from({ length: 25 }, (_, i) => ({ measurement: 'm', tags: { d: 'x' }, fields: { v: BigInt(i) }, time: i })));
      await expect.poll(() => w.metrics().pointsWritten, { timeout: 10_000 }).toBe(25);
      await new Promise((r) => setTimeout(r, 200));
      expect(queries).toBe(1);
      expect(written).toBeGreaterThan(0);
      const warning = logs.find((l) => l.includes('could not create database'));
      expect(warning).toContain(`influxdb http://127.0.0.1:${port}`);
      expect(warning).toContain('bad response, not InfluxDB\'s JSON answer: invalid JSON; body starts "<html>not influx</html>"');
      expect(logs.join('\n')).not.toContain(PASSWORD);
    } finally {
      await w.close(500);
    }
  });
});

describe('error answers from a foreign server', () => {
  it('an echoed password or Basic header in an error body is masked in query() and write() messages', async () => {
    const port = await serve((req, res) => { req.resume(); res.writeHead(401).end(`denied: ${req.headers.authorization} (${PASSWORD})`); });
    const err = await failure(connect(port).query('SHOW DATABASES'));
    expect(err.reason).toBe('HTTP 401: denied: Basic *** (***)');
    expect(await connect(port).write(Buffer.alloc(0))).toMatchObject({ ok: false, message: 'HTTP 401: denied: Basic *** (***)' });
  });

  it('"results" that is not an array, or an "error" that is not text, is an error, never a TypeError', async () => {
    const answers = ['{"results":{}}', '{"error":{"code":1}}'];
    let next = 0;
    const port = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(answers[next++]));
    expect(await failure(connect(port).query('SHOW DATABASES'))).toMatchObject({ kind: 'bad-response' });
    expect(await failure(connect(port).query('SHOW DATABASES'))).toMatchObject({ kind: 'query', reason: 'HTTP 200: {"code":1}' });
  });
});
