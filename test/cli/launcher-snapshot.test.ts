// bin/netpulse starts `mib compile` from its startup snapshot only while the snapshot is current
// (node's modification time, sources older than the build, no NODE_OPTIONS), and falls back to
// the usual start when node cannot load it (exit 14). A stand-in `node` first in PATH prints what
// it was given; a copy of the launcher sits in a made-up tree.
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mibSnapshotIsCurrent } from '../../bin/build-fresh.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'netpulse-launcher-snapshot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FLAGS = ['--openssl-legacy-provider', '--max-semi-space-size=1', '--initial-old-space-size=128', '--max-inlined-bytecode-size-cumulative=200', '--max-optimized-bytecode-size=3000'];

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve) => {
    execFile(bin, args, { env }, (err, stdout) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, lines: stdout.trim().split('\n') }));
  });
}

describe('bin/netpulse and the mib compile snapshot', () => {
  const repo = join(tmp, 'repo');
  const fake = join(tmp, 'fake');
  const bin = join(repo, 'bin', 'netpulse');
  const blob = join(repo, 'build', 'bundle', 'mib.blob');
  /** the blob as the launcher names it: beside its own directory */
  const named = (launcherDir: string): string => `${launcherDir}/../build/bundle/mib.blob`;
  const nodeTime = new Date(Date.now() - 3_600_000);
  const past = new Date(Date.now() - 60_000);
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: `${fake}:${process.env.PATH}`, ...extra });
  const snapshotRun = [...FLAGS, '--snapshot-blob', named(join(repo, 'bin')), bin, 'mib', 'compile', 'dir'].join(' ');
  const usualRun = [...FLAGS, bin, 'mib', 'compile', 'dir'].join(' ');

  beforeEach(() => {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(repo, 'bin'), { recursive: true });
    mkdirSync(join(repo, 'build', 'bundle'), { recursive: true });
    mkdirSync(join(repo, 'src'), { recursive: true });
    mkdirSync(fake, { recursive: true });
    copyFileSync(join(ROOT, 'bin', 'netpulse'), bin);
    writeFileSync(join(repo, 'src', 'a.ts'), '');
    for (const f of [bin, join(repo, 'src', 'a.ts')]) utimesSync(f, past, past);
    writeFileSync(join(repo, 'build', '.built'), '');
    writeFileSync(`${blob}.sources`, 'src/a.ts\nbin/netpulse\n');
    writeFileSync(blob, 'snapshot');
    // prints its arguments on one line; exits FAKE_RC when started from a snapshot
    writeFileSync(join(fake, 'node'), '#!/bin/sh\necho "$*"\ncase "$*" in *--snapshot-blob*) exit "${FAKE_RC:-0}" ;; esac\n');
    chmodSync(join(fake, 'node'), 0o755);
    utimesSync(join(fake, 'node'), nodeTime, nodeTime);
    utimesSync(blob, nodeTime, nodeTime);
  });

  it('starts from the snapshot while it is current, and passes its exit status on', async () => {
    expect(await run(bin, ['mib', 'compile', 'dir'], env())).toEqual({ code: 0, lines: [snapshotRun] });
    expect(await run(bin, ['mib', 'compile', 'dir'], env({ FAKE_RC: '3' }))).toEqual({ code: 3, lines: [snapshotRun] });
  });

  it('through a symlink to the launcher (npm\'s bin link)', async () => {
    const link = join(tmp, 'netpulse-link');
    symlinkSync(bin, link);
    const r = await run(link, ['mib', 'compile', 'dir'], env());
    expect(r.lines).toEqual([[...FLAGS, '--snapshot-blob', named(join(repo, 'bin')), link, 'mib', 'compile', 'dir'].join(' ')]);
  });

  it.each([
    ['a source newer than the build', () => { const later = new Date(Date.now() + 60_000); utimesSync(join(repo, 'src', 'a.ts'), later, later); }],
    ['the launcher newer than the build', () => { const later = new Date(Date.now() + 60_000); utimesSync(bin, later, later); }],
    ['a source gone', () => rmSync(join(repo, 'src', 'a.ts'))],
    ['another node', () => { const other = new Date(Date.now() - 7_200_000); utimesSync(join(fake, 'node'), other, other); }],
    ['no snapshot', () => rmSync(blob)],
    ['no list of its sources', () => rmSync(`${blob}.sources`)],
    ['no build stamp (build/.built)', () => rmSync(join(repo, 'build', '.built'))],
  ])('starts as usual with %s', async (_name, change) => {
    change();
    expect(await run(bin, ['mib', 'compile', 'dir'], env())).toEqual({ code: 0, lines: [usualRun] });
  });

  it('starts as usual with NODE_OPTIONS or NETPULSE_FROM_SOURCES=1 set, and for other commands', async () => {
    expect((await run(bin, ['mib', 'compile', 'dir'], env({ NODE_OPTIONS: '--max-old-space-size=4096' }))).lines).toEqual([usualRun]);
    expect((await run(bin, ['mib', 'compile', 'dir'], env({ NETPULSE_FROM_SOURCES: '1' }))).lines).toEqual([usualRun]);
    expect((await run(bin, ['oid', 'show', 'x'], env())).lines).toEqual([['--openssl-legacy-provider', bin, 'oid', 'show', 'x'].join(' ')]);
  });

  it('when node cannot load the snapshot (exit 14), removes it and starts as usual', async () => {
    expect(await run(bin, ['mib', 'compile', 'dir'], env({ FAKE_RC: '14' }))).toEqual({ code: 0, lines: [snapshotRun, usualRun] });
    expect(existsSync(blob)).toBe(false);
  });
});

describe('the real build\'s snapshot', () => {
  it('loads in this node and compiles as the modules do', { timeout: 60_000 }, async () => {
    const blob = join(ROOT, 'build', 'bundle', 'mib.blob');
    expect(existsSync(blob), 'bin/build.mjs made no snapshot (see its output)').toBe(true);
    expect(statSync(blob).mtimeMs).toBe(statSync(process.execPath).mtimeMs);
    // the benchmark's reading of the launcher's rule agrees
    const saved = process.env.NODE_OPTIONS;
    delete process.env.NODE_OPTIONS;
    try {
      expect(mibSnapshotIsCurrent()).toBe(true);
      process.env.NODE_OPTIONS = '--no-warnings';
      expect(mibSnapshotIsCurrent()).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS; else process.env.NODE_OPTIONS = saved;
    }
    // a `node` that notes its arguments and runs this node, with this node's modification time
    const dir = mkdtempSync(join(tmpdir(), 'netpulse-real-snapshot-'));
    try {
      const log = join(dir, 'args');
      writeFileSync(join(dir, 'node'), `#!/bin/sh\necho "$*" >> "${log}"\nexec "${process.execPath}" "$@"\n`);
      chmodSync(join(dir, 'node'), 0o755);
      const t = statSync(process.execPath);
      utimesSync(join(dir, 'node'), t.atime, t.mtime);
      const mibs = join(ROOT, 'mibs', 'standard');
      const r = await run(join(ROOT, 'bin', 'netpulse'), ['mib', 'compile', '--no-cache', mibs], { ...process.env, PATH: `${dir}:${process.env.PATH}`, NODE_OPTIONS: '' });
      expect(r.code).toBe(0);
      expect(readFileSync(log, 'utf8')).toContain(`--snapshot-blob ${join(ROOT, 'bin')}/../build/bundle/mib.blob `);
      const usual = await run(join(ROOT, 'bin', 'netpulse'), ['mib', 'compile', '--no-cache', mibs], { ...process.env, NETPULSE_FROM_SOURCES: '0', NODE_OPTIONS: '--no-warnings' });
      expect(r.lines.at(-1)?.replace(/[0-9.]+ s$/, '')).toBe(usual.lines.at(-1)?.replace(/[0-9.]+ s$/, ''));
      expect(r.lines.at(-1)).toMatch(/modules \(0 with errors\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
