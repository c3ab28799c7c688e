// bin/netpulse runs `mib` and `oid` from their one-file bundle (bin/build.mjs) only while every
// source it was built from is older than the build; the bundle finds the shipped mibs/ as the
// modules do.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIsFresh, bundleIfFresh } from '../../bin/build-fresh.mjs';

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
});
