/**
 * Optimistic concurrency (src/api/etag.ts): ETags on reads of one item, If-Match on its
 * writes (412 once it changed), If-None-Match (304 on reads, 412 on writes), writes without
 * conditions unchanged, credential tags that reveal no secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, makeApp } from './helpers.ts';
import { SECRETS, type FakeServices } from './fake-services.ts';
import { etagOf, parseTagList } from '../../src/api/etag.ts';

let app: FastifyInstance;
let svc: FakeServices;
beforeAll(async () => {
  ({ app, svc } = await makeApp({ rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } }));
});
afterAll(async () => app?.close());

const STRONG = /^"[A-Za-z0-9_-]{27}"$/;
const rule = (name: string) => ({ name, severity: 'major', condition: { type: 'trap', trapOid: '1.3.6.1.4.1.9' } });
const etag = async (url: string) => {
  const r = await call(app, { method: 'GET', url });
  expect(r.status, url).toBe(200);
  expect(r.headers.etag, url).toMatch(STRONG);
  return r.headers.etag as string;
};

describe('ETag / If-Match / If-None-Match: rules', () => {
  it('answers 304 without a body to a matching If-None-Match, 200 to another', async () => {
    const tag = await etag('/api/v1/rules/link-down');
    const same = await call(app, { method: 'GET', url: '/api/v1/rules/link-down', headers: { 'if-none-match': tag } });
    expect(same.status).toBe(304);
    expect(same.body).toBe('');
    expect(same.headers.etag).toBe(tag);
    expect((await call(app, { method: 'GET', url: '/api/v1/rules/link-down', headers: { 'if-none-match': `W/${tag}` } })).status).toBe(304);
    expect((await call(app, { method: 'GET', url: '/api/v1/rules/link-down', headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('refuses a PUT and a DELETE whose If-Match is stale with 412 naming the rule; the current tag and no condition go through', async () => {
    const id = (await call(app, { method: 'POST', url: '/api/v1/rules', payload: rule('Etag rule') })).json.id as string;
    const url = `/api/v1/rules/${id}`;
    const first = await etag(url);
    const put = await call(app, { method: 'PUT', url, headers: { 'if-match': first }, payload: { ...rule('Etag rule'), enabled: false } });
    expect(put.status).toBe(200);
    expect(put.headers.etag).toMatch(STRONG);
    expect(put.headers.etag).not.toBe(first);
    expect(put.headers.etag).toBe(await etag(url));

    const stale = await call(app, { method: 'PUT', url, headers: { 'if-match': first }, payload: rule('Etag rule') });
    expect(stale.status).toBe(412);
    expect(stale.json).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
    expect(stale.json.message).toContain(`headers.if-match: rule "${id}" has changed`);
    expect(stale.json.message).toContain(put.headers.etag);
    expect((await call(app, { method: 'GET', url })).json.enabled).toBe(false);

    // a weak tag never matches If-Match (strong comparison); * matches any existing rule
    expect((await call(app, { method: 'PUT', url, headers: { 'if-match': `W/${put.headers.etag}` }, payload: rule('Etag rule') })).status).toBe(412);
    expect((await call(app, { method: 'PUT', url, headers: { 'if-match': `"x", ${put.headers.etag}` }, payload: rule('Etag rule') })).status).toBe(200);
    expect((await call(app, { method: 'PUT', url, headers: { 'if-match': '*' }, payload: rule('Etag rule') })).status).toBe(200);
    // no condition: last writer wins, as before
    expect((await call(app, { method: 'PUT', url, payload: { ...rule('Etag rule'), severity: 'minor' } })).status).toBe(200);

    expect((await call(app, { method: 'DELETE', url, headers: { 'if-match': first } })).status).toBe(412);
    expect((await call(app, { method: 'GET', url })).status).toBe(200);
    expect((await call(app, { method: 'DELETE', url, headers: { 'if-match': await etag(url) } })).status).toBe(204);
    // gone: a 404, not a 412
    expect((await call(app, { method: 'DELETE', url, headers: { 'if-match': first } })).status).toBe(404);
    expect((await call(app, { method: 'PUT', url, headers: { 'if-match': first }, payload: rule('Etag rule') })).status).toBe(404);
  });

  it('lets exactly one of two concurrent PUTs with the same If-Match through', async () => {
    const id = (await call(app, { method: 'POST', url: '/api/v1/rules', payload: rule('Race rule') })).json.id as string;
    const url = `/api/v1/rules/${id}`;
    const tag = await etag(url);
    // a slow store: without one write at a time, both checks would pass before either write lands
    const update = svc.rules.update;
    svc.rules.update = async (...args) => { await new Promise((r) => setTimeout(r, 20)); return update(...args); };
    const [a, b] = await Promise.all(['Race rule A', 'Race rule B'].map((name) =>
      call(app, { method: 'PUT', url, headers: { 'if-match': tag }, payload: rule(name) }))).finally(() => { svc.rules.update = update; });
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    expect((await call(app, { method: 'GET', url })).json.name).toBe((a.status === 200 ? a : b).json.name);
  });
});

describe('ETag / If-Match: devices', () => {
  const url = '/api/v1/devices/etag-sw';
  const body = { address: '127.0.0.77', credentials: 'lab-v2c' };

  it('tags the stored device, not its live status; the detail is never cached nor answered with 304', async () => {
    const created = await call(app, { method: 'POST', url: '/api/v1/devices', payload: { name: 'etag-sw', ...body } });
    expect(created.status).toBe(201);
    const tag = await etag(url);
    expect(created.headers.etag).toBe(tag);
    expect((await call(app, { method: 'GET', url })).headers['cache-control']).toBe('no-store');
    svc.emit({ type: 'device-state', device: 'etag-sw', from: 'unknown', to: 'down', time: Date.now() });
    expect((await call(app, { method: 'GET', url })).json.device.status.state).toBe('down');
    expect(await etag(url)).toBe(tag);
    // the status changed without a write: a 304 would hand back the stale one
    const again = await call(app, { method: 'GET', url, headers: { 'if-none-match': tag } });
    expect(again.status).toBe(200);
    expect(again.json.device.status.state).toBe('down');
  });

  it('answers 412 to a stale PUT or DELETE and keeps the device as it was', async () => {
    const first = await etag(url);
    const put = await call(app, { method: 'PUT', url, headers: { 'if-match': first }, payload: { ...body, tags: { site: 'lab' } } });
    expect(put.status).toBe(200);
    expect(put.headers.etag).toBe(await etag(url));
    const stale = await call(app, { method: 'PUT', url, headers: { 'if-match': first }, payload: body });
    expect(stale.status).toBe(412);
    expect(stale.json.message).toContain('device "etag-sw" has changed');
    expect((await call(app, { method: 'DELETE', url, headers: { 'if-match': first } })).status).toBe(412);
    expect((await call(app, { method: 'GET', url })).json.device.tags).toEqual({ site: 'lab' });
    expect((await call(app, { method: 'DELETE', url, headers: { 'if-match': put.headers.etag as string } })).status).toBe(204);
  });
});

describe('ETag / If-Match: credential profiles (secrets write-only)', () => {
  const url = '/api/v1/credentials/etag-v2c';

  it('changes the tag when only the secret changed, without the tag depending on the secret', async () => {
    const created = await call(app, { method: 'PUT', url, headers: { 'if-none-match': '*' }, payload: { version: '2c', community: SECRETS[0] } });
    expect(created.status).toBe(200);
    const first = await etag(url);
    expect(created.headers.etag).toBe(first);
    expect((await call(app, { method: 'GET', url })).body).not.toContain(SECRETS[0]);
    // create-only once it exists
    const again = await call(app, { method: 'PUT', url, headers: { 'if-none-match': '*' }, payload: { version: '2c', community: 'another-one' } });
    expect(again.status).toBe(412);
    expect(again.json.message).toContain('credential profile "etag-v2c" exists');

    const put = await call(app, { method: 'PUT', url, headers: { 'if-match': first }, payload: { version: '2c', community: 'rotated-community' } });
    expect(put.status).toBe(200);
    expect(put.headers.etag).not.toBe(first);
    const stale = await call(app, { method: 'PUT', url, headers: { 'if-match': first }, payload: { version: '2c', community: 'mine' } });
    expect(stale.status).toBe(412);
    expect(stale.json.message).toContain('credential profile "etag-v2c" has changed');
    expect(stale.body).not.toContain('rotated-community');

    // another process (another salt) tags the same profile differently: the tag is no hash of what is stored alone
    const other = await makeApp();
    try {
      await call(other.app, { method: 'PUT', url, payload: { version: '2c', community: SECRETS[0] } });
      const tags = await Promise.all([app, other.app].map(async (a) => (await call(a, { method: 'GET', url: '/api/v1/credentials/lab-v1' })).headers.etag));
      expect(tags[0]).not.toBe(tags[1]);
    } finally {
      await other.app.close();
    }
  });

  it('refuses If-Match on a profile that does not exist (PUT would create it), 404 on an unknown GET or DELETE', async () => {
    const r = await call(app, { method: 'PUT', url: '/api/v1/credentials/etag-none', headers: { 'if-match': '"abc"' }, payload: { version: '2c', community: 'abcdef' } });
    expect(r.status).toBe(412);
    expect(r.json.message).toContain('it does not exist');
    expect((await call(app, { method: 'GET', url: '/api/v1/credentials/etag-none' })).status).toBe(404);
    expect((await call(app, { method: 'DELETE', url: '/api/v1/credentials/etag-none', headers: { 'if-match': '"abc"' } })).status).toBe(404);
  });

  it('deletes with the current tag only', async () => {
    const tag = await etag(url);
    expect((await call(app, { method: 'DELETE', url, headers: { 'if-match': '"stale"' } })).status).toBe(412);
    expect((await call(app, { method: 'DELETE', url, headers: { 'if-match': tag } })).status).toBe(204);
  });
});

describe('ETag / If-Match: maintenance windows', () => {
  it('tags one window (never a 304: its live parts are not in the tag), and deletes it only with the current tag', async () => {
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const end = new Date(Date.now() + 90_000_000).toISOString();
    const created = await call(app, { method: 'POST', url: '/api/v1/maintenance', payload: { name: 'etag-window', devices: ['dist-*'], start, end } });
    expect(created.status).toBe(201);
    const url = `/api/v1/maintenance/${encodeURIComponent(created.json.id)}`;
    const tag = await etag(url);
    expect(created.headers.etag).toBe(tag);
    expect((await call(app, { method: 'GET', url, headers: { 'if-none-match': tag } })).status).toBe(200);
    const stale = await call(app, { method: 'DELETE', url, headers: { 'if-match': '"stale"' } });
    expect(stale.status).toBe(412);
    expect(stale.json.message).toContain(`maintenance window "${created.json.id}" has changed`);
    expect((await call(app, { method: 'DELETE', url, headers: { 'if-match': tag } })).status).toBe(204);
    expect((await call(app, { method: 'GET', url })).status).toBe(404);
  });
});

describe('ETag documentation and CORS', () => {
  it('documents If-Match, If-None-Match, ETag, 304 and 412 in OpenAPI', () => {
    const spec = app.swagger() as any;
    const paths = ['/api/v1/devices/{id}', '/api/v1/credentials/{name}', '/api/v1/rules/{id}', '/api/v1/maintenance/{id}'];
    for (const p of paths) {
      const ops = spec.paths[p];
      expect(ops.get.responses['200'].headers?.ETag, p).toBeDefined();
      // a window's `active` and `covers`, a device's status change without a write: no 304 there (etag-live-parts.test.ts)
      if (p !== '/api/v1/maintenance/{id}' && p !== '/api/v1/devices/{id}') {
        expect(ops.get.responses['304'], p).toBeDefined();
        expect(ops.get.parameters.some((x: any) => x.in === 'header' && x.name === 'if-none-match'), p).toBe(true);
      }
      expect(ops.delete.responses['412'], p).toBeDefined();
      expect(ops.delete.parameters.some((x: any) => x.in === 'header' && x.name === 'if-match'), p).toBe(true);
      if (ops.put) expect(ops.put.parameters.some((x: any) => x.in === 'header' && x.name === 'if-match'), p).toBe(true);
    }
  });

  it('lets cross-origin scripts send the conditions and read the ETag', async () => {
    const { app: a } = await makeApp({ cors: true });
    try {
      const pre = await call(a, { method: 'OPTIONS', url: '/api/v1/rules/link-down', auth: false, headers: { origin: 'http://127.0.0.1:9999', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'if-match' } });
      expect(pre.headers['access-control-allow-headers']).toContain('if-match');
      const get = await call(a, { method: 'GET', url: '/api/v1/rules/link-down', headers: { origin: 'http://127.0.0.1:9999' } });
      expect(get.headers['access-control-expose-headers']).toContain('etag');
    } finally {
      await a.close();
    }
  });
});

describe('etag.ts pure parts', () => {
  it.each([
    ['"a"', false, [{ weak: false, tag: '"a"' }]],
    ['W/"a"', false, [{ weak: true, tag: '"a"' }]],
    ['"a", W/"b" ,"c"', false, [{ weak: false, tag: '"a"' }, { weak: true, tag: '"b"' }, { weak: false, tag: '"c"' }]],
    ['*', true, []],
    [' * ', true, []],
    ['a', false, []],
    ['""', false, [{ weak: false, tag: '""' }]],
  ])('parseTagList(%j)', (header, any, tags) => {
    expect(parseTagList(header)).toEqual({ any, tags });
  });

  it.each([
    [{ a: 1, b: { c: 2, d: [3, { e: 4, f: 5 }] } }, { b: { d: [3, { f: 5, e: 4 }], c: 2 }, a: 1 }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: '1' }, { a: 1 }, false],
  ])('etagOf(%j) equal to etagOf(%j): %s', (x, y, equal) => {
    expect(etagOf(x) === etagOf(y)).toBe(equal);
    expect(etagOf(x)).toMatch(STRONG);
  });
});
