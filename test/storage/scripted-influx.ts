/**
 * InfluxWriters against a scripted InfluxDB 1.x write endpoint on 127.0.0.1 (statuses on demand,
 * which a healthy influxd will not produce), shared by the writer's unit tests.
 * `useScriptedInflux()` registers the afterEach/afterAll that close what a test started.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach } from 'vitest';
import type { Sample } from '../../src/model/index.ts';
import { InfluxHttp } from '../../src/storage/influx/http.ts';
import { Quarantine } from '../../src/storage/influx/quarantine.ts';
import { Spool } from '../../src/storage/influx/spool.ts';
import { InfluxWriter } from '../../src/storage/influx/writer.ts';
import type { StorageLogger } from '../../src/storage/types.ts';

export interface ScriptedInflux {
  url: string;
  /** answers for the next /write requests (body default `{"error":"scripted"}`, contentType default application/json, '' for none); then 204 */
  script: { status: number; body?: string; contentType?: string }[];
  /** every /write body, decompressed, answered or not */
  bodies: string[];
  /** the /write bodies answered 204 */
  accepted: string[];
  /** /write requests received */
  writes: number;
}

async function startScriptedInflux(): Promise<ScriptedInflux & { server: Server }> {
  const s = { server: undefined as unknown as Server, url: '', script: [], bodies: [], accepted: [], writes: 0 } as ScriptedInflux & { server: Server };
  s.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/ping')) return res.writeHead(204, { 'X-Influxdb-Version': '1.6.7-fake' }).end();
      if (req.url?.startsWith('/query')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[{"statement_id":0}]}');
      if (!req.url?.startsWith('/write')) return res.writeHead(404).end();
      s.writes++;
      let text: string;
      try {
        text = gunzipSync(Buffer.concat(chunks)).toString();
      } catch {
        return res.writeHead(400).end('{"error":"gzip: invalid header"}');
      }
      s.bodies.push(text);
      const next = s.script.shift();
      const type = next?.contentType ?? 'application/json';
      if (next) return res.writeHead(next.status, type ? { 'content-type': type } : {}).end(next.body ?? '{"error":"scripted"}');
      s.accepted.push(text);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
  const addr = s.server.address();
  s.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return s;
}

export interface WriterOptions {
  database?: string;
  /** the spool to use instead of a fresh one in the writer's folder */
  spool?: Spool;
  /** called with the fresh spool before the writer starts */
  prepare?: (spool: Spool) => void;
}

export function useScriptedInflux() {
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

  /** a temporary folder, removed after the file's tests */
  const tempDir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  /** a scripted server, closed after the test */
  async function scripted(): Promise<ScriptedInflux> {
    const s = await startScriptedInflux();
    cleanups.push(() => new Promise((r) => s.server.close(() => r())));
    return s;
  }

  /** a writer with fast retries, its spool and quarantine (`q.jsonl`) in `dir`; closed after the test */
  function writer(url: string, opts: WriterOptions = {}): { w: InfluxWriter; dir: string } {
    const dir = tempDir('netpulse-writer-');
    let spool = opts.spool;
    if (!spool) {
      spool = new Spool(join(dir, 'spool.db'), 10_000_000);
      opts.prepare?.(spool);
    }
    const w = new InfluxWriter({
      http: new InfluxHttp({ url, database: opts.database ?? 'db', timeoutMs: 2000 }), spool,
      quarantine: new Quarantine(join(dir, 'q.jsonl'), 1_000_000),
      logger, batchSize: 10, flushIntervalMs: 20, backoffBaseMs: 20, backoffMaxMs: 100,
    });
    cleanups.push(() => w.close(500));
    return { w, dir };
  }

  return { logs, tempDir, scripted, writer };
}

/** n points of measurement m from time `from`, field v = the time as an integer unless `fields` says otherwise */
export const pts = (from: number, n: number, fields: (i: number) => Sample['fields'] = (i) => ({ v: BigInt(i) })): Sample[] =>
  Array.from({ length: n }, (_, k) => ({ measurement: 'm', tags: { d: 'x' }, fields: fields(from + k), time: from + k }));

export async function until(cond: () => boolean, what = 'the condition', ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
