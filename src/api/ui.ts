import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

// beside this module: src/api/ui, or build/api/ui, where bin/build.mjs copies it (not compiled)
const UI_DIR = fileURLToPath(new URL('./ui/', import.meta.url));
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

/** The web UI: plain files from ./ui at /ui/, cytoscape from node_modules at /ui/vendor/, the page at /. */
export async function registerUi(app: FastifyInstance): Promise<void> {
  const cytoscapeDir = dirname(createRequire(import.meta.url).resolve('cytoscape'));
  // the policy on every file, not only on `/`: /ui/index.html is the same page and must not run without it
  await app.register(fastifyStatic, {
    root: UI_DIR, prefix: '/ui/', index: false, cacheControl: true, maxAge: 60_000,
    setHeaders: (reply) => { void reply.header('content-security-policy', CSP); },
  });
  await app.register(fastifyStatic, {
    root: cytoscapeDir, prefix: '/ui/vendor/', decorateReply: false, maxAge: 86_400_000,
    allowedPath: (path) => /^\/cytoscape\.esm(\.min)?\.mjs$/.test(path),
  });
  app.get('/', { schema: { hide: true } }, (_req, reply) =>
    reply.header('content-security-policy', CSP).header('cache-control', 'no-cache').sendFile('index.html'));
}
