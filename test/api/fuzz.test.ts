/**
 * Every documented route, driven from the OpenAPI document, with wrong types, missing
 * fields, unknown fields, huge bodies, bad path parameters, bad JSON and wrong media
 * types: the answer is always a 4xx whose message names the problem, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { AUTH, makeApp } from './helpers.ts';

let app: FastifyInstance;
let spec: any;
beforeAll(async () => {
  ({ app } = await makeApp({ rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } }));
  spec = app.swagger();
});
afterAll(async () => app?.close());

const PARAMS: Record<string, string> = { id: 'core-rtr1', name: 'lab-v1', nameOrOid: 'ifDescr' };
const PARAM_FOR: Record<string, Record<string, string>> = { '/api/v1/rules/{id}': { id: 'link-down' }, '/api/v1/alerts/{id}/ack': { id: 'a1' }, '/api/v1/alerts/{id}/clear': { id: 'a1' }, '/api/v1/events/{id}': { id: '1' } };
const BAD_PARAMS = ['x'.repeat(400), '%00', '..%2F..%2Fetc', 'a%20b', '%E2%80%AE', "';--"];
const BASE_BODY: Record<string, unknown> = {
  'POST /api/v1/devices': { name: 'fz', address: '127.0.0.1', credentials: 'lab-v1' },
  'PUT /api/v1/devices/{id}': { address: '127.0.0.1', credentials: 'lab-v1' },
  'PUT /api/v1/credentials/{name}': { version: '2c', community: 'abcdef' },
  'POST /api/v1/rules': { name: 'r', severity: 'major', condition: { type: 'trap', trapOid: '1.3.6.1' } },
  'PUT /api/v1/rules/{id}': { name: 'r', severity: 'major', condition: { type: 'trap', trapOid: '1.3.6.1' } },
  'POST /api/v1/alerts/{id}/ack': { by: 'x' },
  'POST /api/v1/alerts/{id}/clear': { by: 'x' },
  'POST /api/v1/topology/discover': {},
  'POST /api/v1/maintenance': { name: 'fz', devices: ['dist-*'], start: '2026-12-06T02:00:00Z', end: '2026-12-06T04:00:00Z' },
};
const BASE_QUERY: Record<string, string> = { '/api/v1/devices/{id}/series': 'measurement=icmp' };

interface Case {
  what: string;
  path?: string;
  query?: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  /** the message must contain this */
  names: string;
}

function wrongValue(schema: any): unknown {
  return schema?.type === 'string' ? 12345 : schema?.type === 'array' ? 'wrong' : ['wrong'];
}

function bodyProps(schema: any): Record<string, any> {
  if (!schema) return {};
  if (schema.properties) return schema.properties;
  const variant = (schema.oneOf ?? schema.anyOf ?? []).find((v: any) => v.properties);
  return variant?.properties ?? {};
}

function cases(path: string, method: string, op: any): Case[] {
  const out: Case[] = [];
  const key = `${method.toUpperCase()} ${path}`;
  const params = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
  const queryParams = (op.parameters ?? []).filter((p: any) => p.in === 'query');
  const jsonBody = op.requestBody?.content?.['application/json']?.schema;
  const textBody = op.requestBody?.content?.['text/plain'];
  const base = BASE_BODY[key];
  const baseQuery = BASE_QUERY[path] ? `${BASE_QUERY[path]}&` : '';

  const validText = textBody ? { raw: 'FUZZ-MIB DEFINITIONS ::= BEGIN\nEND\n', contentType: 'text/plain' } : {};
  out.push({ what: 'unknown query field', query: `${baseQuery}zzUnknown=1`, body: base, ...validText, names: 'query.zzUnknown' });
  for (const q of queryParams) {
    if (q.name === 'measurement') continue;
    const bad = q.schema?.type === 'string' && !q.schema.enum ? 'x'.repeat(5000) : 'not-a-number-or-enum';
    out.push({ what: `bad query ${q.name}`, query: `${baseQuery}${q.name}=${encodeURIComponent(bad)}`, body: base, names: `query.${q.name}` });
  }
  for (const p of params) {
    for (const bad of BAD_PARAMS) out.push({ what: `bad path ${p}=${bad.slice(0, 12)}`, path: path.replace(`{${p}}`, bad), body: base, names: '' });
  }
  if (jsonBody) {
    const props = bodyProps(jsonBody);
    const required: string[] = jsonBody.required ?? (jsonBody.oneOf ?? jsonBody.anyOf ?? [])[0]?.required ?? [];
    out.push({ what: 'unknown body field', body: { ...(base as object), zzUnknown: 1 }, names: 'body.zzUnknown' });
    for (const r of required) {
      const body = { ...(base as object) } as Record<string, unknown>;
      delete body[r];
      out.push({ what: `missing ${r}`, body, names: `body.${r}` });
    }
    for (const [name, schema] of Object.entries(props)) {
      out.push({ what: `wrong type ${name}`, body: { ...(base as object), [name]: wrongValue(schema) }, names: `body.${name}` });
      out.push({ what: `null ${name}`, body: { ...(base as object), [name]: null }, names: `body.${name}` });
    }
    out.push({ what: 'array body', body: [base], names: 'body' });
    out.push({ what: 'string body', body: 'hello', names: 'body' });
    out.push({ what: 'huge body', body: { ...(base as object), big: 'x'.repeat(100_000) }, names: 'body' });
    out.push({ what: 'deeply nested body', raw: '['.repeat(5000) + ']'.repeat(5000), contentType: 'application/json', names: 'body' });
    out.push({ what: 'invalid JSON', raw: '{"name": ', contentType: 'application/json', names: 'body' });
    out.push({ what: 'wrong media type', raw: '<x/>', contentType: 'application/xml', names: 'content-type' });
  }
  if (textBody) {
    out.push({ what: 'empty text', raw: '', contentType: 'text/plain', names: 'body' });
    out.push({ what: 'JSON instead of text', body: { text: 'x' }, names: 'body' });
    out.push({ what: 'huge text', raw: 'x'.repeat(6 * 1024 * 1024), contentType: 'text/plain', names: 'body' });
  }
  return out.map((c) => ({ ...c, path: c.path ?? fill(path) }));
}

function fill(path: string): string {
  const own = PARAM_FOR[path] ?? {};
  return path.replace(/\{(\w+)\}/g, (_m, p: string) => own[p] ?? PARAMS[p]);
}

describe('fuzz: every route, every kind of bad input → 4xx naming the problem', () => {
  it('covers every documented route', () => {
    const ops = Object.entries<any>(spec.paths).flatMap(([p, o]) => Object.keys(o).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops.length).toBeGreaterThanOrEqual(30);
  });

  it('never answers bad input with anything but a 4xx with a message', async () => {
    const failures: string[] = [];
    let total = 0;
    for (const [path, ops] of Object.entries<any>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        for (const c of cases(path, method, op)) {
          total++;
          const url = `${c.path}${c.query ? `?${c.query}` : ''}`;
          const hasBody = c.raw !== undefined || (c.body !== undefined && method !== 'get' && method !== 'delete');
          const res = await app.inject({
            method: method.toUpperCase() as 'GET', url,
            headers: { ...AUTH, ...(hasBody ? { 'content-type': c.contentType ?? 'application/json' } : {}) },
            ...(hasBody ? { payload: c.raw ?? JSON.stringify(c.body) } : {}),
          });
          const label = `${method.toUpperCase()} ${path} [${c.what}] → ${res.statusCode}`;
          let message = '';
          try { message = res.json().message ?? ''; } catch { /* not JSON */ }
          if (res.statusCode < 400 || res.statusCode >= 500) failures.push(`${label}: ${res.body.slice(0, 200)}`);
          else if (!message) failures.push(`${label}: no message`);
          else if (!message.includes(c.names)) failures.push(`${label}: message does not name ${c.names}: ${message.slice(0, 200)}`);
        }
      }
    }
    expect(total).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  });
});
