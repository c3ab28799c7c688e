/**
 * The runtime's stop gives each step a few seconds and goes on, but never cuts the storage step
 * short: an InfluxDB write still in flight when the stop begins is answered (or spooled) before
 * stop() resolves, so an exit after it loses nothing. A slow loopback InfluxDB (7 s per write,
 * more than the 5 s a step gets) stands in for a loaded server.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { startNetpulse } from '../../src/main/runtime.ts';

const WRITE_DELAY_MS = 7000;
const dir = mkdtempSync(join(tmpdir(), 'netpulse-stop-storage-'));
let server: Server | undefined;
afterAll(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('stop', () => {
  it('waits for the storage close however long it takes; other steps are bounded', async () => {
    let answered = 0;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url?.startsWith('/ping')) return res.writeHead(204, { 'X-Influxdb-Version': '1.6.7-fake' }).end();
        if (req.url?.startsWith('/query')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[{"statement_id":0}]}');
        setTimeout(() => { answered++; res.writeHead(204).end(); }, WRITE_DELAY_MS);
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    mkdirSync(join(dir, 'mibs'));
    const config = parseConfig(`
dataDir: ${join(dir, 'data')}
mibDirs: [${join(dir, 'mibs')}]
mibWarmup: false
storage: { influx: { url: "http://127.0.0.1:${port}", database: np, timeout: 20s, flushInterval: 60s } }
`, 'stop-storage.yaml', {});
    const lines: string[] = [];
    const rt = await startNetpulse(config, { log: (l) => lines.push(l) });
    rt.storage.sink.write([{ measurement: 'stop_test', tags: { device: 'd1' }, fields: { value: 1 }, time: Date.now() }]);
    await rt.stop();
    expect(answered).toBe(1);
    expect(rt.storage.metrics()).toMatchObject({ pointsWritten: 1, pointsSpooled: 0, pendingPoints: 0 });
    expect(lines.join('\n')).not.toMatch(/going on without it/);
  }, 60_000);
});
