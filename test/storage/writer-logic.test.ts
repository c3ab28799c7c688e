/**
 * Retry logic against a scripted HTTP endpoint (5xx and 4xx on demand, which a healthy
 * influxd will not produce), the backoff table, and a spool whose disk is full.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../src/model/index.ts';
import { InfluxHttp } from '../../src/storage/influx/http.ts';
import { Quarantine } from '../../src/storage/influx/quarantine.ts';
import { Spool } from '../../src/storage/influx/spool.ts';
import { backoffDelay, InfluxWriter } from '../../src/storage/influx/writer.ts';
import type { StorageLogger } from '../../src/storage/types.ts';
import { freeTcpPort } from '../peers/influxd.ts';

describe('backoffDelay', () => {
  it.each([
    [0, 0, 50], [0, 1, 100], [1, 0, 100], [1, 1, 200], [3, 0.5, 600], [10, 1, 5000], [40, 0, 2500],
  ])('attempt %i, random %f -> %i ms (base 100, max 5000)', (attempt, r, ms) => {
    expect(backoffDelay(attempt, 100, 5000, () => r)).toBe(ms);
  });
});

interface Scripted {
  server: Server;
  url: string;
  /** statuses for the next /write requests; then 204 */
  script: { status: number; body?: string }[];
  bodies: string[];
  writes: number;
}

async function scriptedInflux(): Promise<Scripted> {
  const s: Scripted = { server: undefined as unknown as Server, url: '', script: [], bodies: [], writes: 0 };
  s.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/ping')) {
        res.writeHead(204, { 'X-Influxdb-Version': '1.6.7-fake' }).end();
      } else if (req.url?.startsWith('/query')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[{"statement_id":0}]}');
      } else if (req.url?.startsWith('/write')) {
        s.writes++;
        const next = s.script.shift();
        if (next) {
          res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body ?? '{"error":"scripted"}');
          return;
        }
        s.bodies.push(gunzipSync(Buffer.concat(chunks)).toString());
        res.writeHead(204).end();
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
  const addr = s.server.address();
  s.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return s;
}

const logs: string[] = [];
const logger: StorageLogger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function writer(url: string, spool?: Spool): { w: InfluxWriter; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'netpulse-writer-'));
  dirs.push(dir);
  const w = new InfluxWriter({
    http: new InfluxHttp({ url, database: 'db', timeoutMs: 2000 }),
    spool: spool ?? new Spool(join(dir, 'spool.db'), 10_000_000),
    quarantine: new Quarantine(join(dir, 'q.jsonl'), 1_000_000),
    logger, batchSize: 10, flushIntervalMs: 20, backoffBaseMs: 20, backoffMaxMs: 100,
  });
  cleanups.push(() => w.close(500));
  return { w, dir };
}

const pts = (from: number, n: number): Sample[] =>
  Array.from({ length: n }, (_, i) => ({ measurement: 'm', tags: { d: 'x' }, fields: { v: BigInt(from + i) }, time: from + i }));

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('InfluxWriter retry policy', () => {
  it('retries 5xx with backoff, keeping order', async () => {
    const s = await scriptedInflux();
    cleanups.push(() => new Promise((r) => s.server.close(() => r())));
    const { w } = writer(s.url);
    await w.flush();
    s.script.push({ status: 503 }, { status: 500 });
    w.write(pts(0, 30));
    await until(() => w.metrics().pointsWritten === 30);
    expect(w.metrics().batchesFailed).toBe(2);
    expect(w.metrics().pointsDropped).toBe(0);
    const values = s.bodies.join('').split('\n').filter(Boolean).map((l) => Number(/v=(\d+)i/.exec(l)![1]));
    expect(values).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('never retries a 400: one request, then quarantine, and the next batch goes through', async () => {
    const s = await scriptedInflux();
    cleanups.push(() => new Promise((r) => s.server.close(() => r())));
    const { w } = writer(s.url);
    await w.flush();
    const before = s.writes;
    s.script.push({ status: 400, body: '{"error":"unable to parse \'m x\': invalid field format"}' });
    w.write(pts(0, 10));
    await w.flush();
    w.write(pts(10, 10));
    await w.flush();
    expect(s.writes - before).toBe(2);
    expect(w.metrics()).toMatchObject({ pointsQuarantined: 10, pointsWritten: 10, pointsDropped: 0 });
    expect(logs.some((l) => l.includes('invalid field format'))).toBe(true);
  });

  it('splits a batch on 413 and sends the halves', async () => {
    const s = await scriptedInflux();
    cleanups.push(() => new Promise((r) => s.server.close(() => r())));
    const { w } = writer(s.url);
    await w.flush();
    s.script.push({ status: 413, body: '{"error":"Request Entity Too Large"}' });
    w.write(pts(0, 10));
    await w.flush();
    expect(s.bodies.map((b) => b.trimEnd().split('\n').length)).toEqual([5, 5]);
    expect(w.metrics().pointsWritten).toBe(10);
  });

  it('disk full for the spool: counted, logged, writing continues', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpulse-full-'));
    dirs.push(dir);
    const spool = new Spool(join(dir, 'spool.db'), 10_000_000);
    let full = true;
    const realAppend = spool.append.bind(spool);
    spool.append = (body, points) => {
      if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return realAppend(body, points);
    };
    // nothing listens on this port: every batch goes to the spool
    const { w } = writer(`http://127.0.0.1:${await freeTcpPort()}`, spool);
    w.write(pts(0, 20));
    await until(() => w.metrics().pointsDropped === 20);
    expect(logs.some((l) => l.includes('disk is full') && l.includes('DROPPED 10 points'))).toBe(true);
    full = false;
    w.write(pts(20, 10));
    await until(() => w.metrics().spoolPoints === 10);
    expect(w.metrics().pointsDropped).toBe(20);
  });
});
