import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import { apiSchema } from '../../src/config/sections/api.ts';
import { AUTH, TOKEN, call, makeApp } from './helpers.ts';
import { createFakeServices, SECRETS } from './fake-services.ts';

const READS = ['/api/v1/devices', '/api/v1/devices/core-rtr1', '/api/v1/stats/snmp-versions', '/api/v1/oids?q=if', '/api/v1/mibs', '/api/v1/topology', '/api/v1/traps', '/api/v1/alerts', '/api/v1/rules', '/api/v1/credentials', '/metrics'];
const WRITES: [string, string, unknown][] = [
  ['POST', '/api/v1/devices', { name: 'w', address: '::1', credentials: 'lab-v1' }],
  ['PUT', '/api/v1/devices/core-rtr1', { address: '::1', credentials: 'lab-v1' }],
  ['DELETE', '/api/v1/devices/core-rtr1', undefined],
  ['PUT', '/api/v1/credentials/x', { version: '2c', community: 'abc' }],
  ['DELETE', '/api/v1/credentials/lab-v1', undefined],
  ['POST', '/api/v1/alerts/a1/ack', {}],
  ['POST', '/api/v1/alerts/a1/clear', {}],
  ['POST', '/api/v1/rules', {}],
  ['PUT', '/api/v1/rules/link-down', {}],
  ['DELETE', '/api/v1/rules/link-down', undefined],
  ['POST', '/api/v1/topology/discover', {}],
  ['POST', '/api/v1/cron-jobs/availability-days/run', undefined],
];

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});
async function app(over = {}): Promise<FastifyInstance> {
  const { app } = await makeApp(over);
  apps.push(app);
  return app;
}

describe('auth', () => {
  it.each(READS)('GET %s needs a token unless openReads', async (url) => {
    const closed = await app();
    expect((await call(closed, { method: 'GET', url, auth: false })).status).toBe(401);
    expect((await call(closed, { method: 'GET', url })).status).toBe(200);
    const open = await app({ openReads: true });
    expect((await call(open, { method: 'GET', url, auth: false })).status).toBe(200);
  });

  it.each(WRITES)('%s %s always needs a token', async (method, url, payload) => {
    const open = await app({ openReads: true });
    const r = await call(open, { method: method as 'POST', url, payload: payload as object, auth: false });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toContain('Bearer');
    expect(r.json.message).toContain('headers.authorization');
  });

  it.each([
    ['Bearer wrong-token', 'invalid token'],
    [`Basic ${Buffer.from('a:b').toString('base64')}`, 'malformed Authorization header'],
    [`Bearer ${TOKEN}x`, 'invalid token'],
    [`Bearer ${TOKEN.slice(0, -1)}`, 'invalid token'],
    ['Bearer', 'malformed Authorization header'],
  ])('refuses %s', async (authorization, message) => {
    const a = await app();
    const r = await call(a, { method: 'GET', url: '/api/v1/devices', auth: false, headers: { authorization } });
    expect(r.status).toBe(401);
    expect(r.json.message).toContain(message);
  });

  it('accepts any of several tokens and refuses everything when none is configured', async () => {
    const multi = await app({ tokens: ['first-token', TOKEN] });
    expect((await call(multi, { method: 'GET', url: '/api/v1/devices' })).status).toBe(200);
    const none = await app({ tokens: [''] });
    expect((await call(none, { method: 'GET', url: '/api/v1/devices', headers: { authorization: 'Bearer ' } })).status).toBe(401);
    expect((await call(none, { method: 'POST', url: '/api/v1/topology/discover' })).status).toBe(401);
  });

  it('leaves health, readiness, docs and UI open', async () => {
    const a = await app();
    for (const url of ['/health', '/ready', '/', '/docs/json', '/ui/vendor/cytoscape.esm.min.mjs']) {
      expect((await call(a, { method: 'GET', url, auth: false })).status, url).toBe(200);
    }
  });
});

describe('limits', () => {
  it('rate-limits writes', async () => {
    const a = await app({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await call(a, { method: 'POST', url: '/api/v1/alerts/a1/ack', payload: {} })).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    expect((await call(a, { method: 'GET', url: '/api/v1/alerts' })).status).toBe(200);
  });

  it('refuses a series step that makes millions of buckets', async () => {
    const a = await app();
    const r = await call(a, { method: 'GET', url: '/api/v1/devices/core-rtr1/series?measurement=icmp&step=1s&from=0&to=now' });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('query.step');
    expect((await call(a, { method: 'GET', url: '/api/v1/devices/core-rtr1/series?measurement=icmp&step=1h&from=0&to=now' })).status).toBe(200);
  });
});

describe('invalid JSON', () => {
  it('does not echo the body (a secret) in the error', async () => {
    const a = await app();
    const r = await call(a, { method: 'PUT', url: '/api/v1/credentials/x', headers: { 'content-type': 'application/json' }, payload: `{"version":"2c","community":${SECRETS[0]}}` });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('body: invalid JSON');
    expect(r.body).not.toContain(SECRETS[0]);
  });
});

describe('cors', () => {
  it('is off by default', async () => {
    const a = await app();
    const r = await call(a, { method: 'GET', url: '/api/v1/devices', headers: { origin: 'http://127.0.0.1:9999' } });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows listed origins only, with preflight', async () => {
    const a = await app({ cors: ['http://127.0.0.1:9999'] });
    const ok = await call(a, { method: 'GET', url: '/api/v1/devices', headers: { origin: 'http://127.0.0.1:9999' } });
    expect(ok.headers['access-control-allow-origin']).toBe('http://127.0.0.1:9999');
    expect(ok.headers['access-control-expose-headers']).toContain('x-total-count');
    const other = await call(a, { method: 'GET', url: '/api/v1/devices', headers: { origin: 'http://127.0.0.2:9999' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await call(a, { method: 'OPTIONS', url: '/api/v1/devices', auth: false, headers: { origin: 'http://127.0.0.1:9999', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toContain('authorization');
    expect(pre.headers['access-control-allow-methods']).toContain('DELETE');
    const stranger = await call(a, { method: 'OPTIONS', url: '/api/v1/devices', auth: false, headers: { origin: 'http://127.0.0.2:9999', 'access-control-request-method': 'POST' } });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight for a write route before the token check; true allows any origin', async () => {
    const a = await app({ cors: true });
    const pre = await call(a, { method: 'OPTIONS', url: '/api/v1/alerts/a1/ack', auth: false, headers: { origin: 'http://127.0.0.3:8000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    const get = await call(a, { method: 'GET', url: '/api/v1/devices', headers: { origin: 'http://127.0.0.3:8000' } });
    expect(get.headers['access-control-allow-origin']).toBe('*');
  });

  it('has no preflight route when off', async () => {
    const a = await app();
    const pre = await call(a, { method: 'OPTIONS', url: '/api/v1/devices', auth: false, headers: { origin: 'http://127.0.0.1:9999', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(404);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('logs', () => {
  it('never carry tokens or credential secrets', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const svc = createFakeServices();
    const a = await buildApp(svc, { tokens: [TOKEN], openReads: false, cors: false, logger: { level: 'trace', stream } });
    apps.push(a);
    await a.inject({ method: 'PUT', url: '/api/v1/credentials/z', headers: AUTH, payload: { version: '2c', community: 'logged-secret-1' } });
    await a.inject({ method: 'PUT', url: '/api/v1/credentials/z', headers: AUTH, payload: { version: '3', user: 'u', level: 'authPriv', authProtocol: 'SHA', authKey: 'logged-secret-2', privProtocol: 'DES', privKey: 'x' } });
    await a.inject({ method: 'GET', url: '/api/v1/devices', headers: { authorization: 'Bearer logged-secret-3' } });
    svc.credentials.put = async () => { throw new Error('store exploded'); };
    const boom = await a.inject({ method: 'PUT', url: '/api/v1/credentials/z', headers: AUTH, payload: { version: '2c', community: 'logged-secret-4' } });
    expect(boom.statusCode).toBe(500);
    expect(boom.json().message).toBe('internal error while handling PUT /api/v1/credentials/:name');
    const log = lines.join('');
    expect(log).toContain('store exploded');
    expect(log).toContain('request completed');
    for (const s of ['logged-secret-1', 'logged-secret-2', 'logged-secret-3', 'logged-secret-4', TOKEN, ...SECRETS]) expect(log).not.toContain(s);
  });
});

describe('server and live updates', () => {
  let server: ApiServer | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  it('starts from the config api section on 127.0.0.1:0 and streams device, alert and trap events over SSE', async () => {
    const svc = createFakeServices();
    const config = apiSchema.parse({ listen: '127.0.0.1:0', tokens: [TOKEN] });
    server = await startApiServer(svc, { ...config, heartbeatMs: 50 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const chunks: string[] = [];
    const got = new Promise<void>((resolve, reject) => {
      const req = request(`${server!.url}/api/v1/events`, { headers: AUTH }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/event-stream');
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          chunks.push(c);
          const all = chunks.join('');
          if (all.includes(': connected') && !all.includes('event: device-state')) {
            svc.emit({ type: 'device-state', device: 'dist-sw1', from: 'up', to: 'down', time: 1 });
            svc.emit({ type: 'bogus' } as never);
            svc.emit({ type: 'trap', trap: { securityName: 'sse-community', id: 't9', time: 2, source: '127.0.0.1:1', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: [] } as never });
          }
          if (all.includes('event: trap') && all.includes(': keep-alive')) { req.destroy(); resolve(); }
        });
      });
      req.on('error', (e) => (e.message.includes('aborted') || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(e)));
      req.end();
    });
    await got;
    const all = chunks.join('');
    expect(all).toContain('event: device-state\ndata: {"type":"device-state","device":"dist-sw1","from":"up","to":"down","time":1}\n\n');
    // ids are consecutive across events; the malformed one took none
    const [, deviceId, trapId] = /id: (\d+)\nevent: device-state\n[\s\S]*id: (\d+)\nevent: trap\n/.exec(all)!;
    expect(Number(trapId)).toBe(Number(deviceId) + 1);
    expect(all).not.toContain('sse-community');
    expect(all).not.toContain('bogus');
    const noAuth = await fetch(`${server.url}/api/v1/events`);
    expect(noAuth.status).toBe(401);
  });

  it('drops an SSE client that stops reading instead of buffering without bound', async () => {
    const svc = createFakeServices();
    server = await startApiServer(svc, { ...apiSchema.parse({ listen: '127.0.0.1:0', tokens: [TOKEN] }), heartbeatMs: 60_000 });
    const closed = await new Promise<string>((resolve, reject) => {
      const req = request(`${server!.url}/api/v1/events`, { headers: AUTH }, (res) => {
        res.once('data', () => {
          res.pause();
          const value = 'x'.repeat(4096);
          for (let i = 0; i < 3000; i++) {
            svc.emit({ type: 'trap', trap: { id: `t${i}`, time: i, source: '127.0.0.1:1', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value }] } as never });
          }
          res.resume();
        });
        res.on('close', () => resolve('closed'));
        res.on('error', () => resolve('closed'));
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || e.message.includes('aborted') ? resolve('closed') : reject(e)));
      req.end();
    });
    expect(closed).toBe('closed');
  });
});
