import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import type { ApiOptions } from '../../src/api/options.ts';
import { createFakeServices, type FakeServices } from './fake-services.ts';

export const TOKEN = 'test-token-0123456789';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

export async function makeApp(over: Partial<ApiOptions> = {}): Promise<{ app: FastifyInstance; svc: FakeServices }> {
  const svc = createFakeServices();
  const app = await buildApp(svc, { tokens: [TOKEN], openReads: false, cors: false, ui: true, ...over });
  await app.ready();
  return { app, svc };
}

export async function call(app: FastifyInstance, opts: InjectOptions & { auth?: boolean }) {
  const { auth = true, headers, ...rest } = opts;
  const res = await app.inject({ ...rest, headers: { ...(auth ? AUTH : {}), ...(headers ?? {}) } });
  let json: any;
  try { json = res.json(); } catch { json = undefined; }
  return { status: res.statusCode, json, body: res.body, headers: res.headers };
}
