/** The config's `api:` limits reach the server as `netpulse start` passes them (`{ ...config.api, logger }`). */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { API_DEFAULTS, type ApiOptions } from '../../src/api/options.ts';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import { AUTH, TOKEN } from './helpers.ts';
import { createFakeServices } from './fake-services.ts';

const YAML = `api:
  listen: "127.0.0.1:0"
  tokens: ["${TOKEN}"]
  readRateLimit: { max: 2, window: 10m }
  authFailureLimit: { max: 1, window: 5m }
  trustProxy: 127.0.0.1
  sseMaxClients: 1
  sseMaxBufferedBytes: 65536
`;

let server: ApiServer | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
});

async function start(yaml: string): Promise<ApiServer> {
  const options: ApiOptions & { listen: { host: string; port: number } } = { ...parseConfig(yaml, 'c.yaml', {}).api, logger: false };
  server = await startApiServer(createFakeServices(), options);
  return server;
}

async function get(s: ApiServer, headers: Record<string, string>, remoteAddress = '127.0.0.1', url = '/api/v1/alerts') {
  return (await s.app.inject({ method: 'GET', url, headers, remoteAddress })).statusCode;
}

describe('config api limits', () => {
  it('are read from the file, in ApiOptions\' shape', () => {
    const api = parseConfig(YAML, 'c.yaml', {}).api;
    expect(api).toMatchObject({
      readRateLimit: { max: 2, timeWindowMs: 600_000 },
      authFailureLimit: { max: 1, timeWindowMs: 300_000 },
      trustProxy: ['127.0.0.1'],
      sseMaxClients: 1,
      sseMaxBufferedBytes: 65_536,
    });
  });

  it('default to API_DEFAULTS', () => {
    const api = parseConfig('{}', 'c.yaml', {}).api;
    expect(api).toMatchObject({
      rateLimit: API_DEFAULTS.rateLimit,
      readRateLimit: API_DEFAULTS.readRateLimit,
      authFailureLimit: API_DEFAULTS.authFailureLimit,
      trustProxy: false,
      sseMaxClients: API_DEFAULTS.sseMaxClients,
      sseMaxBufferedBytes: API_DEFAULTS.sseMaxBufferedBytes,
    });
  });

  it('readRateLimit and trustProxy: a trusted proxy\'s X-Forwarded-For names the client counted; another sender\'s is ignored', async () => {
    const s = await start(YAML);
    const via = (client: string, remote = '127.0.0.1') => get(s, { ...AUTH, 'x-forwarded-for': client }, remote);
    expect([await via('192.0.2.1'), await via('192.0.2.1'), await via('192.0.2.1'), await via('192.0.2.2')]).toEqual([200, 200, 429, 200]);
    expect([await via('192.0.2.3', '10.0.0.5'), await via('192.0.2.4', '10.0.0.5'), await via('192.0.2.5', '10.0.0.5')]).toEqual([200, 200, 429]);
  });

  it('authFailureLimit: one failed token check blocks that address', async () => {
    const s = await start(YAML);
    const from = (headers: Record<string, string>) => get(s, headers, '10.0.0.7', '/api/v1/devices');
    const bad = { authorization: 'Bearer wrong-token-0123456789' };
    expect([await from(bad), await from(bad), await from(AUTH)]).toEqual([401, 429, 200]);
  });

  it('sseMaxClients: a second live-update client gets 503', async () => {
    const s = await start(YAML);
    const { port } = new URL(s.url);
    const sock = net.connect(Number(port), '127.0.0.1');
    sockets.push(sock);
    sock.on('error', () => {});
    sock.write(`GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
    const first = await new Promise<string>((resolve) => sock.once('data', (c) => resolve(c.toString('latin1'))));
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect((await fetch(`${s.url}/api/v1/events`, { headers: AUTH })).status).toBe(503);
  });
});
