#!/usr/bin/env node
// Compiles src/ to build/ (run by `npm install` / `npm ci` through the `prepare` script), so
// bin/netpulse starts plain JavaScript: about 0.2 s less per command than through tsx. Never
// fails an install: without a build, bin/netpulse runs the sources through tsx as before.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = `${root}build/.built`;
let tsc;
try {
  tsc = createRequire(`${root}package.json`).resolve('typescript/bin/tsc');
} catch {
  console.error('netpulse build: typescript is not installed; bin/netpulse will run the sources through tsx');
  process.exit(0);
}
rmSync(`${root}build`, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (!existsSync(`${root}build/cli/main.js`)) {
  console.error(`netpulse build: tsc emitted nothing (${(r.stdout + r.stderr).trim().split('\n').slice(0, 5).join(' | ')}); bin/netpulse will run the sources through tsx`);
  process.exit(0);
}
// type errors do not stop the emit; the sources are type-checked by `npm run typecheck`
// the web UI's files are served as they are, from beside the compiled api/ui.js
cpSync(`${root}src/api/ui`, `${root}build/api/ui`, { recursive: true });
writeFileSync(stamp, `${new Date().toISOString()}\n`);
console.log('netpulse build: src/ compiled to build/');
