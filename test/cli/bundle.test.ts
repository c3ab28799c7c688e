// bin/netpulse runs `mib` and `oid` from their one-file bundle (bin/build.mjs) only while every
// source it was built from is older than the build; the bundle finds the shipped mibs/ as the
// modules do.
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIsFresh, bundleIfFresh, launcherNodeFlags } from '../../bin/build-fresh.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'netpulse-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bundleIfFresh', () => {
  const at = join(tmp, 'repo');
  mkdirSync(join(at, 'build', 'bundle'), { recursive: true });
  mkdirSync(join(at, 'src', 'mib'), { recursive: true });
  const past = new Date(Date.now() - 60_000);
  for (const f of ['src/mib/a.ts', 'src/mib/b.ts']) { writeFileSync(join(at, f), ''); utimesSync(join(at, f), past, past); }
  writeFileSync(join(at, 'build', '.built'), '');
  writeFileSync(join(at, 'build', 'bundle', 'mib.sources'), 'src/mib/a.ts\nsrc/mib/b.ts\n');

  it('gives the bundle while every source is older than the build', () => {
    expect(bundleIfFresh('mib', at)).toBe(join(at, 'build', 'bundle', 'mib.js'));
  });

  it('gives nothing for a command without a bundle, an edited or deleted source, or NETPULSE_FROM_SOURCES=1', () => {
    expect(bundleIfFresh('oid', at)).toBeUndefined();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(at, 'src/mib/b.ts'), later, later);
    expect(bundleIfFresh('mib', at)).toBeUndefined();
    utimesSync(join(at, 'src/mib/b.ts'), past, past);
    rmSync(join(at, 'src/mib/a.ts'));
    expect(bundleIfFresh('mib', at)).toBeUndefined();
    writeFileSync(join(at, 'src/mib/a.ts'), '');
    utimesSync(join(at, 'src/mib/a.ts'), past, past);
    expect(bundleIfFresh('mib', at)).toBeDefined();
    process.env.NETPULSE_FROM_SOURCES = '1';
    try { expect(bundleIfFresh('mib', at)).toBeUndefined(); } finally { delete process.env.NETPULSE_FROM_SOURCES; }
  });
});

describe('the build', () => {
  it('bundles mib and oid with the sources they come from, and they run', { timeout: 120_000 }, async () => {
    if (!buildIsFresh()) {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'build.mjs')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    for (const command of ['mib', 'oid']) {
      expect(existsSync(join(root, 'build', 'bundle', `${command}.js`))).toBe(true);
      const sources = readFileSync(join(root, 'build', 'bundle', `${command}.sources`), 'utf8').trim().split('\n');
      expect(sources).toEqual(expect.arrayContaining([`src/cli/commands/${command}.ts`, 'src/mib/parser.ts', 'src/mib/resolver.ts']));
      for (const s of sources) expect(existsSync(join(root, s)), s).toBe(true);
      expect(bundleIfFresh(command)).toBe(join(root, 'build', 'bundle', `${command}.js`));
    }
    // no -M: the bundle finds the shipped mibs/ (mib/paths.ts, through import.meta.url)
    const show = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile(join(root, 'bin', 'netpulse'), ['oid', 'show', 'sysDescr', '--cache-dir', join(tmp, 'cache')], (err, stdout, stderr) => resolve({ stdout, stderr: stderr + (err ? String(err) : '') }));
    });
    expect(show.stdout, show.stderr).toMatch(/^SNMPv2-MIB::sysDescr/);
  });

  // in a copy of the repository: build/ here is shared with the other tests
  it('fails no install and leaves no snapshot without a temporary directory; under NODE_OPTIONS makes a snapshot that loads without it', { timeout: 180_000 }, () => {
    const copy = join(tmp, 'copy');
    mkdirSync(join(copy, 'bin'), { recursive: true });
    cpSync(join(root, 'src'), join(copy, 'src'), { recursive: true });
    for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'bin/netpulse', 'bin/build.mjs', 'bin/build-fresh.mjs']) copyFileSync(join(root, f), join(copy, f));
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    const build = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [join(copy, 'bin', 'build.mjs')], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const blob = join(copy, 'build', 'bundle', 'mib.blob');

    const noTmp = build({ TMPDIR: join(tmp, 'no-such-dir'), NODE_OPTIONS: '' });
    expect(noTmp.status, noTmp.stderr).toBe(0);
    expect(noTmp.stderr).toMatch(/no startup snapshot for mib compile/);
    expect(existsSync(blob)).toBe(false);
    expect(existsSync(join(copy, 'build', 'bundle', 'mib.js'))).toBe(true);

    const options = build({ NODE_OPTIONS: '--max-old-space-size=4096' });
    expect(options.status, options.stderr).toBe(0);
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const ran = spawnSync(process.execPath, [...launcherNodeFlags(true), '--snapshot-blob', blob, join(copy, 'bin', 'netpulse'), 'mib', 'compile', '--no-cache', empty], { env, encoding: 'utf8' });
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^0 files/);
  });
});
