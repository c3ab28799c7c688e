/**
 * A real InfluxDB 1.x (`/usr/bin/influxd`) for tests and benchmarks: generated config,
 * temp meta/data/wal dirs, HTTP and RPC on free loopback ports, reporting disabled.
 * `stop()` / `start()` keep the same dirs and ports, so a test can simulate an outage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INFLUXD = '/usr/bin/influxd';

export interface InfluxdPeer {
  url: string;
  port: number;
  dir: string;
  /** server version from /ping, e.g. 1.6.7~rc0 */
  version: string;
  start(): Promise<void>;
  /** SIGKILL by default: an outage, not a clean shutdown */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** runs an InfluxQL statement, returns the parsed JSON */
  query(q: string, db?: string): Promise<any>;
  /** stops the server and removes its dirs */
  close(): Promise<void>;
  logTail(): string;
}

export async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function configText(dir: string, httpPort: number, rpcPort: number): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
  trace-logging-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
  max-body-size = 0
[logging]
  level = "warn"
[continuous_queries]
  enabled = false
[ifql]
  enabled = false
`;
}

export async function startInfluxd(): Promise<InfluxdPeer> {
  if (!existsSync(INFLUXD)) {
    throw new Error(`influxd peer missing: ${INFLUXD} not found (apt-get install -y influxdb, or run bash test/ensure-peers.sh)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'netpulse-influxd-'));
  const port = await freeTcpPort();
  let rpcPort = await freeTcpPort();
  while (rpcPort === port) rpcPort = await freeTcpPort();
  const conf = join(dir, 'influxdb.conf');
  writeFileSync(conf, configText(dir, port, rpcPort));
  const logFile = join(dir, 'influxd.log');
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let version = '';

  const onProcessExit = (): void => {
    child?.kill('SIGKILL');
  };

  async function start(): Promise<void> {
    if (child) return;
    const fd = openSync(logFile, 'a');
    const proc = spawn(INFLUXD, ['-config', conf], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child = proc;
    process.once('exit', onProcessExit);
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    let dead = false;
    void exited.then(() => { dead = true; });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (dead) throw new Error(`influxd exited during start-up: ${tail()}`);
      try {
        const res = await fetch(`${url}/ping`);
        if (res.status === 204) {
          version = res.headers.get('x-influxdb-version') ?? '';
          return;
        }
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`influxd did not answer ${url}/ping within 30 s: ${tail()}`);
  }

  async function stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!child) return;
    child.kill(signal);
    await exited;
    child = undefined;
    process.removeListener('exit', onProcessExit);
  }

  function tail(): string {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async function query(q: string, db?: string): Promise<any> {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (db) params.set('db', db);
    const res = await fetch(`${url}/query`, { method: 'POST', body: params });
    const body = await res.json();
    if (!res.ok) throw new Error(`influxd query ${q}: HTTP ${res.status}: ${JSON.stringify(body)}`);
    return body;
  }

  const peer: InfluxdPeer = {
    url, port, dir,
    get version() { return version; },
    start, stop, query,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    logTail: tail,
  };
  try {
    await start();
  } catch (err) {
    await peer.close();
    throw err;
  }
  return peer;
}
