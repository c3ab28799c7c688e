/**
 * A build shipped without src/ still serves the web UI: bin/build.mjs copies src/api/ui beside
 * the compiled api/ui.js. The build is copied alone into a temporary folder (with the
 * package's node_modules linked) and its UI module served through Fastify.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIsFresh } from '../../bin/build-fresh.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'netpulse-ui-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the web UI from build/', () => {
  it('is served with src/ absent', { timeout: 120_000 }, async () => {
    if (!buildIsFresh()) {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'build.mjs')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    cpSync(join(root, 'build'), join(dir, 'build'), { recursive: true });
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const { registerUi } = (await import(pathToFileURL(join(dir, 'build', 'api', 'ui.js')).href)) as typeof import('../../src/api/ui.ts');
    const app = Fastify();
    try {
      await registerUi(app);
      const page = await app.inject({ url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toBe(readFileSync(join(root, 'src', 'api', 'ui', 'index.html'), 'utf8'));
      const css = await app.inject({ url: '/ui/style.css' });
      expect(css.statusCode).toBe(200);
      const script = await app.inject({ url: '/ui/pages/devices.js' });
      expect(script.statusCode).toBe(200);
      expect(script.headers['content-type']).toMatch(/javascript/);
    } finally {
      await app.close();
    }
  });
});
