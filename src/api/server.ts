import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../errors/index.ts';
import { buildApp } from './app.ts';
import type { ApiOptions } from './options.ts';
import type { ApiServices } from './services.ts';

export interface ApiServer {
  app: FastifyInstance;
  /** http://host:port, with the port actually bound */
  url: string;
  close(): Promise<void>;
}

/** `127.0.0.1:8080`, `[::1]:8080`, `:8080` (loopback), `8080` → host and port. */
export function parseListen(listen: string): { host: string; port: number } {
  const t = listen.trim();
  const m = /^(\d{1,5})$/.exec(t) ?? /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(t);
  const portText = m ? m[m.length - 1] : '';
  const port = Number(portText);
  if (!m || portText === '' || port > 65535) throw new ConfigError('api.listen', [`api.listen: expected host:port (127.0.0.1:8080, [::1]:8080), got "${listen}"`]);
  const host = m.length === 2 ? '' : m[1] ?? m[2];
  return { host: host || '127.0.0.1', port };
}

/** Builds the app and listens; the thin runner `netpulse start`/`demo` use: `startApiServer(services, { ...config.api, logger })`. */
export async function startApiServer(services: ApiServices, options: ApiOptions & { listen: string | { host: string; port: number } }): Promise<ApiServer> {
  const { host, port } = typeof options.listen === 'string' ? parseListen(options.listen) : options.listen;
  const app = await buildApp(services, options);
  await app.listen({ host, port });
  const addr = app.server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { app, url: `http://${urlHost}:${bound}`, close: () => app.close() };
}
