// Listing a MIB directory: symlinks that lead back into the tree are followed once, not forever.
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheKey, compileMibs } from '../../src/mib/compile.ts';
import { listMibFiles, type ListingFs } from '../../src/mib/paths.ts';
import { startModuleWorker } from '../../src/threads/module-worker.ts';
import { GOOD_MODULE, smallCorpus } from './fixtures.ts';

let dir = '';
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** smallCorpus plus GOOD-MIB in its top directory, with the symlinks `links` (name → target) */
function corpusWith(links: Record<string, string>): string {
  const root = smallCorpus();
  writeFileSync(join(root, 'GOOD-MIB.mib'), GOOD_MODULE);
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(root, name));
  return root;
}

/** listMibFiles in a worker thread: a walk that never ends leaves the test's thread free to time out */
function listInWorker(dirs: string[]): Promise<ReturnType<typeof listMibFiles>> {
  const w = startModuleWorker(new URL('./list-files-worker.ts', import.meta.url).href, { workerData: dirs });
  workers.push(w);
  return new Promise((done, fail) => {
    w.once('message', (m: ReturnType<typeof listMibFiles> & { fatal?: string }) => (m.fatal ? fail(new Error(m.fatal)) : done(m)));
    w.once('error', fail);
  });
}

const CORPUS = ['GOOD-MIB.mib', 'std/IANAifType-MIB.txt', 'std/IF-MIB.txt', 'std/SNMPv2-CONF.txt', 'std/SNMPv2-MIB.txt', 'std/SNMPv2-SMI.txt', 'std/SNMPv2-TC.txt'];

describe('listMibFiles with symlinked directories', () => {
  // before the fix this walked 3^16 directories
  it('three loops: every file once, one warning per loop, no warning for an alias', { timeout: 60_000 }, async () => {
    dir = corpusWith({ a: '.', b: '.', 'std/up': '..', 'std-copy': 'std' });
    const { files, errors } = await listInWorker([dir]);
    expect(files.map((f) => relative(dir, f.path))).toEqual(CORPUS);
    const loop = `directory loop: same directory as ${dir}; not listed again`;
    expect(errors.map((e) => [relative(dir, e.file), e.line, e.severity, e.message])).toEqual([
      ['a', 0, 'warning', loop],
      ['b', 0, 'warning', loop],
      ['std/up', 0, 'warning', loop],
    ]);
  });

  // before the fix a single loop listed every file 17 times (a/…, a/a/…, down to the depth limit)
  it('a tree with a loop compiles each module once', () => {
    dir = corpusWith({ a: '.' });
    const r = compileMibs([dir]);
    expect(r.files).toBe(CORPUS.length);
    expect(r.modules.map((m) => m.name).sort()).toEqual(['GOOD-MIB', 'IANAifType-MIB', 'IF-MIB', 'SNMPv2-CONF', 'SNMPv2-MIB', 'SNMPv2-SMI', 'SNMPv2-TC']);
    expect(r.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    expect(r.dictionary.resolve('GOOD-MIB::goodName')).toBe('1.3.6.1.4.1.99999.1');
  });

  it('a directory named twice is listed once, without a warning, with the same cache key', () => {
    dir = smallCorpus();
    const once = listMibFiles([dir]);
    const twice = listMibFiles([dir, join(dir, 'std'), dir]);
    expect(twice.files).toEqual(once.files);
    expect(twice.errors).toEqual([]);
    expect(cacheKey(twice.files)).toBe(cacheKey(once.files));
  });

  // before the fix B, first listed as A/link (one level down, its deep file past the depth limit), was skipped as a root
  it('a directory reached first through a symlink is listed again from a shallower root', () => {
    dir = mkdtempSync(join(tmpdir(), 'np-list-'));
    const deep = join(dir, 'B', ...Array.from({ length: 16 }, (_, i) => `d${i + 1}`));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'DEEP-MIB.txt'), GOOD_MODULE);
    writeFileSync(join(dir, 'B', 'TOP-MIB.txt'), GOOD_MODULE);
    mkdirSync(join(dir, 'A'));
    symlinkSync(join(dir, 'B'), join(dir, 'A', 'link'));
    const { files, errors } = listMibFiles([join(dir, 'A'), join(dir, 'B')]);
    // the deep file the first listing's depth cut left out is found; TOP-MIB.txt, met again, is listed once
    expect(files.map((f) => relative(dir, f.path))).toEqual(['A/link/TOP-MIB.txt', relative(dir, join(deep, 'DEEP-MIB.txt'))]);
    expect(errors).toEqual([]);
  });

  it('a file reached by two paths (a symlinked directory listed again) is listed once', () => {
    dir = mkdtempSync(join(tmpdir(), 'np-list-'));
    mkdirSync(join(dir, 'root', 'vendor'), { recursive: true });
    mkdirSync(join(dir, 'root', 'all'));
    writeFileSync(join(dir, 'root', 'vendor', 'GOOD-MIB.mib'), GOOD_MODULE);
    symlinkSync(join('..', 'vendor'), join(dir, 'root', 'all', 'vendor'));
    const { files, errors } = listMibFiles([join(dir, 'root')]);
    expect(files.map((f) => relative(dir, f.path))).toEqual(['root/all/vendor/GOOD-MIB.mib']);
    expect(errors).toEqual([]);
  });

  // before the fix T, reached through links at depths 17, 16, … 1, was read 16 times and its broken link reported 16 times
  it('a directory reached at ever shallower depths is read once, and its problems are reported once', () => {
    dir = mkdtempSync(join(tmpdir(), 'np-list-'));
    const target = join(dir, 'T');
    mkdirSync(join(target, 'sub'), { recursive: true });
    writeFileSync(join(target, 'T-MIB.txt'), GOOD_MODULE);
    writeFileSync(join(target, 'sub', 'SUB-MIB.txt'), GOOD_MODULE);
    symlinkSync(join(dir, 'missing'), join(target, 'broken'));
    // R/c1/…/c16, each level with a link x → T: the walk goes down the c's first, so it meets T ever shallower
    let level = join(dir, 'R');
    for (let i = 1; i <= 16; i++) {
      level = join(level, `c${i}`);
      mkdirSync(level, { recursive: true });
    }
    for (let d = level; d !== dir; d = join(d, '..')) symlinkSync(target, join(d, 'x'));
    const reads = new Map<string, number>();
    const fs: ListingFs = {
      stat: (p) => statSync(p, { bigint: true }),
      readdir: (p) => {
        const real = realpathSync(p);
        reads.set(real, (reads.get(real) ?? 0) + 1);
        return readdirSync(p);
      },
    };
    const { files, errors } = listMibFiles([join(dir, 'R')], fs);
    expect([...reads].filter(([, n]) => n > 1)).toEqual([]);
    expect(reads.get(realpathSync(target))).toBe(1);
    // the deepest links come first; T's subdirectory, cut at the depth limit there, is found by a shallower one
    expect(files.map((f) => relative(dir, f.path).replace(/^R\/(c\d+\/)*/, ''))).toEqual(['x/T-MIB.txt', 'x/sub/SUB-MIB.txt']);
    expect(errors.map((e) => [relative(dir, e.file).replace(/^R\/(c\d+\/)*/, ''), e.severity, e.message])).toEqual([['x/broken', 'error', 'cannot read: ENOENT']]);
  });

  it('a root named twice that cannot be read is reported once', () => {
    dir = mkdtempSync(join(tmpdir(), 'np-list-'));
    const missing = join(dir, 'missing');
    expect(listMibFiles([missing, missing]).errors).toEqual([{ file: missing, line: 0, severity: 'error', message: 'cannot read: ENOENT' }]);
  });

  // a file system without inode numbers (ino 0): directories and files are told apart by their real path
  it('without inode numbers a loop still ends and a file reached by two paths is listed once', () => {
    dir = corpusWith({ a: '.', 'std-copy': 'std' });
    const noInodes: ListingFs = {
      stat: (p) => Object.assign(statSync(p, { bigint: true }), { ino: 0n }),
      readdir: (p) => readdirSync(p),
    };
    const { files, errors } = listMibFiles([dir], noInodes);
    expect(files.map((f) => relative(dir, f.path))).toEqual(CORPUS);
    expect(errors.map((e) => [relative(dir, e.file), e.severity, e.message])).toEqual([
      ['a', 'warning', `directory loop: same directory as ${dir}; not listed again`],
    ]);
  });
});
