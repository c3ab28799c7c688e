/** Bodies: v3 credentials checked as the config checks them, names and texts without control or bidi characters, names unique in any case, prototype keys named. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { textProblem } from '../../src/api/schemas/common.ts';
import { call, makeApp } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => ({ app } = await makeApp()));
afterAll(async () => app?.close());

const rule = (over: Record<string, unknown> = {}) => ({
  name: 'RTT high', severity: 'warning', condition: { type: 'threshold', measurement: 'icmp', field: 'rtt_avg_ms', op: '>', value: 50 }, ...over,
});

describe('textProblem', () => {
  it.each([
    ['core router', false, undefined],
    ['Zürich – 東京', false, undefined],
    ['a\u0000b', false, 'control character U+0000 at 1 (not allowed)'],
    ['a\nb', false, 'control character U+000A at 1 (not allowed)'],
    ['a\nb\tc', true, undefined],
    ['a\rb', true, 'control character U+000D at 1 (not allowed; tabs and newlines are)'],
    ['x\u0085', false, 'control character U+0085 at 1 (not allowed)'],
    ['abc\u202Egpj.exe', false, 'bidirectional control character U+202E at 3 (not allowed)'],
    ['\u2066x', true, 'bidirectional control character U+2066 at 0 (not allowed; tabs and newlines are)'],
    ['\u200F', false, 'bidirectional control character U+200F at 0 (not allowed)'],
  ])('%j (multiline %s) → %s', (s, multiline, want) => expect(textProblem(s, multiline)).toBe(want));
});

describe('credential profiles', () => {
  it.each([
    [{ level: 'authNoPriv', authProtocol: 'SHA', authKey: 'authpass-1', privProtocol: 'AES', privKey: 'privpass-1' }, ['body.privProtocol: not used by level authNoPriv', 'body.privKey: not used by level authNoPriv']],
    [{ level: 'noAuthNoPriv', authKey: 'authpass-1' }, ['body.authKey: not used by level noAuthNoPriv']],
  ])('refuses keys the level does not use, as the config does: %j', async (fields, problems) => {
    const r = await call(app, { method: 'PUT', url: '/api/v1/credentials/v3x', payload: { version: '3', user: 'u', ...fields } });
    expect(r.status).toBe(400);
    for (const p of problems) expect(r.json.message).toContain(p);
    expect(r.body).not.toContain('pass-1');
    expect((await call(app, { method: 'GET', url: '/api/v1/credentials' })).json.items.map((c: any) => c.name)).not.toContain('v3x');
  });
});

describe('names and free text', () => {
  it.each([
    ['POST', '/api/v1/rules', rule({ name: 'evil\u202Eexe' }), 'body.name: bidirectional control character U+202E'],
    ['POST', '/api/v1/rules', rule({ name: 'nul\u0000' }), 'body.name: control character U+0000'],
    ['POST', '/api/v1/rules', rule({ description: 'x\u2067y' }), 'body.description: bidirectional control character U+2067'],
    ['POST', '/api/v1/alerts/a1/ack', { by: 'ops\u202E' }, 'body.by: bidirectional control character U+202E'],
    ['POST', '/api/v1/alerts/a1/clear', { by: 'ops\u0085' }, 'body.by: control character U+0085'],
    ['POST', '/api/v1/maintenance', { name: 'win\u202Edow', devices: ['core-*'], schedule: '0 2 * * *', duration: '1h' }, 'body.name: bidirectional control character U+202E'],
    ['POST', '/api/v1/maintenance', { name: 'w', comment: 'a\u200Eb', devices: ['core-*'], schedule: '0 2 * * *', duration: '1h' }, 'body.comment: bidirectional control character U+200E'],
  ])('%s %s refuses control and bidi characters (%s)', async (method, url, payload, message) => {
    const r = await call(app, { method: method as 'POST', url, payload });
    expect([r.status, r.json.message]).toEqual([400, expect.stringContaining(message)]);
  });

  it('keeps newlines in a rule description', async () => {
    const r = await call(app, { method: 'POST', url: '/api/v1/rules', payload: rule({ name: 'multi-line', description: 'line 1\nline 2' }) });
    expect([r.status, r.json.description]).toEqual([201, 'line 1\nline 2']);
  });

  it('rule names are unique in any letter case, on create and on replace', async () => {
    const a = await call(app, { method: 'POST', url: '/api/v1/rules', payload: rule({ name: 'Core Down' }) });
    expect(a.status).toBe(201);
    const dup = await call(app, { method: 'POST', url: '/api/v1/rules', payload: rule({ name: 'core down' }) });
    expect([dup.status, dup.json.message, dup.json.problems[0].path]).toEqual([409, `body.name: rule ${a.json.id} is named "Core Down"; names must differ in more than letter case`, 'body.name']);
    const b = await call(app, { method: 'POST', url: '/api/v1/rules', payload: rule({ name: 'Edge Down' }) });
    expect((await call(app, { method: 'PUT', url: `/api/v1/rules/${b.json.id}`, payload: rule({ name: 'CORE DOWN' }) })).status).toBe(409);
    expect((await call(app, { method: 'PUT', url: `/api/v1/rules/${a.json.id}`, payload: rule({ name: 'core down' }) })).status).toBe(200);
  });

  it('maintenance window names are unique in any letter case', async () => {
    const w = { devices: ['core-*'], schedule: '0 2 * * *', duration: '1h' };
    const a = await call(app, { method: 'POST', url: '/api/v1/maintenance', payload: { name: 'Night Patch', ...w } });
    expect(a.status).toBe(201);
    const dup = await call(app, { method: 'POST', url: '/api/v1/maintenance', payload: { name: 'night patch', ...w } });
    expect([dup.status, dup.json.message]).toEqual([409, `body.name: window ${a.json.id} is named "Night Patch"; names must differ in more than letter case`]);
  });
});

describe('prototype keys in a body', () => {
  it.each([
    ['{"__proto__": {"x": 1}}', 'body: the key "__proto__" is not allowed'],
    ['{"name": "a", "match": {"tags": {"__proto__": "x"}}}', 'body: the key "__proto__" is not allowed'],
    ['{"constructor": {"prototype": {"x": 1}}}', 'body: the key "constructor.prototype" is not allowed'],
  ])('%s → 400 saying what it is', async (payload, message) => {
    const r = await call(app, { method: 'POST', url: '/api/v1/rules', payload, headers: { 'content-type': 'application/json' } });
    expect([r.status, r.json.message]).toEqual([400, expect.stringContaining(message)]);
  });

  it('keeps Fastify\'s answers for empty and malformed JSON, echoing nothing of the body', async () => {
    const bad = await call(app, { method: 'POST', url: '/api/v1/rules', payload: '{"name": s3cret', headers: { 'content-type': 'application/json' } });
    expect([bad.status, bad.json.message]).toEqual([400, "body: invalid JSON (Body is not valid JSON but content-type is set to 'application/json')"]);
    const empty = await call(app, { method: 'POST', url: '/api/v1/rules', payload: '', headers: { 'content-type': 'application/json' } });
    expect([empty.status, empty.json.message]).toEqual([400, expect.stringContaining('body: empty')]);
  });
});
