// GET /api/v1/mibs through the real OID port names files relative to the MIB directory they were found in, never by server path.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { mibPathShortener, oidsPort } from '../../src/main/adapters/oids.ts';
import { openDictionary } from '../../src/main/dictionary.ts';
import { GOOD_MODULE, smallCorpus } from '../mib/fixtures.ts';
import { createFakeServices } from './fake-services.ts';
import { AUTH, TOKEN } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('mibPathShortener', () => {
  // two folders named mibs: each by its place in mibDirs
  const shorten = mibPathShortener(['/srv/mibs', '/srv/mibs/vendor', 'rel/mibs'], '/var/np/mibs-uploaded');
  it.each([
    ['/srv/mibs/standard/IF-MIB.txt', 'mibDirs[0]/standard/IF-MIB.txt'],
    ['/srv/mibs/vendor/cisco/CISCO-SMI.my', 'vendor/cisco/CISCO-SMI.my'],
    ['/var/np/mibs-uploaded/GOOD-MIB.mib', 'uploaded/GOOD-MIB.mib'],
    [join(process.cwd(), 'rel/mibs/X-MIB'), 'mibDirs[2]/X-MIB'],
    ['module IF-MIB is also defined in /srv/mibs/standard/IF-MIB.txt; this copy is ignored', 'module IF-MIB is also defined in mibDirs[0]/standard/IF-MIB.txt; this copy is ignored'],
    // outside every MIB directory: its name only
    ['/srv/mibsx/A-MIB', 'A-MIB'],
    ['cannot read /etc/netpulse/extra/Z-MIB.my: EACCES', 'cannot read Z-MIB.my: EACCES'],
    ['upload', 'upload'],
    ["expected '/' or ':='", "expected '/' or ':='"],
    ['SIZE (0..255) a/b', 'SIZE (0..255) a/b'],
    // a lone slash-word in a message is no path
    ['UNITS "packets /sec"', 'UNITS "packets /sec"'],
    ['comment /* c */ left', 'comment /* c */ left'],
  ])('%s → %s', (text, shown) => expect(shorten(text)).toBe(shown));
});

describe('mibPathShortener: a MIB "directory" that is a file', () => {
  const shorten = mibPathShortener(['/srv/mibs', '/opt/extra/IF-MIB.txt'], '/var/np/mibs-uploaded');
  it.each([
    ['/opt/extra/IF-MIB.txt', 'IF-MIB.txt'],
    ['module IF-MIB is also defined in /opt/extra/IF-MIB.txt; this copy is ignored', 'module IF-MIB is also defined in IF-MIB.txt; this copy is ignored'],
    ['module IF-MIB is also defined in /srv/mibs/std/IF-MIB.txt; this copy is ignored', 'module IF-MIB is also defined in mibs/std/IF-MIB.txt; this copy is ignored'],
  ])('%s → %s', (text, shown) => expect(shorten(text)).toBe(shown));
});

// before the fix both folders' files were shown as std/IF-MIB.txt
describe('mibPathShortener: two folders holding the same relative path', () => {
  it.each([
    [['/a/mibs-one', '/b/mibs-two'], '/b/mibs-two/std/IF-MIB.txt', 'mibs-two/std/IF-MIB.txt'],
    [['/a/mibs-one', '/b/mibs-two'], 'module IF-MIB is also defined in /a/mibs-one/std/IF-MIB.txt; this copy is ignored', 'module IF-MIB is also defined in mibs-one/std/IF-MIB.txt; this copy is ignored'],
    [['/a/mibs', '/b/mibs'], '/b/mibs/std/IF-MIB.txt', 'mibDirs[1]/std/IF-MIB.txt'],
    [['/a/mibs', '/b/mibs', '/a/mibs'], '/a/mibs/std/IF-MIB.txt', 'mibDirs[0]/std/IF-MIB.txt'],
    // a folder named like the upload label, or named twice: one folder, no label
    [['/a/uploaded', '/b/mibs'], '/a/uploaded/X-MIB', 'mibDirs[0]/X-MIB'],
    [['/a/mibs', '/a/mibs/'], '/a/mibs/std/IF-MIB.txt', 'std/IF-MIB.txt'],
  ])('%j: %s → %s', (mibDirs, text, shown) => expect(mibPathShortener(mibDirs, '/var/np/mibs-uploaded')(text)).toBe(shown));
});

// before the fix a path holding a space was cut at the space, or (no part before it being a path) left whole
describe('mibPathShortener: known files outside every MIB folder', () => {
  const known = ['/old place/My MIBs/X-MIB.txt', '/srv/mibs x/Y-MIB.txt', '/srv/mibs/std/IF-MIB.txt'];
  const shorten = mibPathShortener(['/srv/mibs'], '/var/np/mibs-uploaded', known);
  it.each([
    ['/old place/My MIBs/X-MIB.txt', 'X-MIB.txt'],
    ['module X-MIB is also defined in /old place/My MIBs/X-MIB.txt; this copy is ignored', 'module X-MIB is also defined in X-MIB.txt; this copy is ignored'],
    ['cannot read /old place/My MIBs/X-MIB.txt: EACCES', 'cannot read X-MIB.txt: EACCES'],
    ['module Y-MIB is also defined in "/srv/mibs x/Y-MIB.txt"', 'module Y-MIB is also defined in "Y-MIB.txt"'],
    ['/srv/mibs/std/IF-MIB.txt', 'std/IF-MIB.txt'],
    // not a known file: the last resort takes a space in for a word holding a separator
    ['/old place/My MIBs/X-MIB.txt.bak', 'X-MIB.txt.bak'],
    ['cannot read /home/j doe/mibs/Z-MIB: EACCES', 'cannot read Z-MIB: EACCES'],
    ['copied /srv/a/X /srv/b/X', 'copied X X'],
    ['moved /srv/a/X to a/b', 'moved X to a/b'],
  ])('%s → %s', (text, shown) => expect(shorten(text)).toBe(shown));
});

describe('mibPathShortener: the MIB directory /', () => {
  const shorten = mibPathShortener(['/'], '/var/np/mibs-uploaded');
  it.each([
    ['/srv/mibs/standard/IF-MIB.txt', 'srv/mibs/standard/IF-MIB.txt'],
    ['module IF-MIB is also defined in /srv/mibs/IF-MIB.txt; this copy is ignored', 'module IF-MIB is also defined in srv/mibs/IF-MIB.txt; this copy is ignored'],
    ['/var/np/mibs-uploaded/GOOD-MIB.mib', 'uploaded/GOOD-MIB.mib'],
    ["expected '/' or ':='", "expected '/' or ':='"],
  ])('%s → %s', (text, shown) => expect(shorten(text)).toBe(shown));
});

describe('GET /api/v1/mibs', () => {
  it('shows no server path in any source or error text', async () => {
    const mibs = smallCorpus();
    const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-mibs-paths-'));
    dirs.push(mibs, dataDir);
    // a second copy of IF-MIB: its warning names the first copy's file
    mkdirSync(join(mibs, 'dup'));
    copyFileSync(join(mibs, 'std', 'IF-MIB.txt'), join(mibs, 'dup', 'IF-MIB.txt'));
    // an upload saved before a restart
    mkdirSync(join(dataDir, 'mibs-uploaded'));
    writeFileSync(join(dataDir, 'mibs-uploaded', 'GOOD-MIB.mib'), GOOD_MODULE);
    const holder = openDictionary({ dataDir, mibDirs: [mibs], log: () => {}, sync: true, warmup: false });
    const app = await buildApp({ ...createFakeServices(), oids: oidsPort(holder) }, { tokens: [TOKEN], openReads: false, cors: false, ui: false });
    try {
      const r = await app.inject({ method: 'GET', url: '/api/v1/mibs', headers: AUTH });
      expect(r.statusCode).toBe(200);
      const items = r.json().items as { name: string; source?: string; errors: string[] }[];
      expect(items.find((m) => m.name === 'SNMPv2-SMI')?.source).toBe('std/SNMPv2-SMI.txt');
      expect(items.find((m) => m.name === 'GOOD-MIB')?.source).toBe('uploaded/GOOD-MIB.mib');
      const ifMibs = items.filter((m) => m.name === 'IF-MIB');
      expect(ifMibs.map((m) => m.source).sort()).toEqual(['dup/IF-MIB.txt', 'std/IF-MIB.txt']);
      expect(ifMibs.flatMap((m) => m.errors).join('\n')).toMatch(/also defined in (std|dup)\/IF-MIB\.txt/);
      expect(r.body).not.toContain(mibs);
      expect(r.body).not.toContain(dataDir);
      for (const m of items) expect(m.source, m.name).not.toMatch(/^\//);
    } finally {
      await app.close();
      await holder.close();
    }
  });
});

describe('GET /api/v1/mibs with a MIB file named in mibDirs', () => {
  it('shows that file by its name, in its source and in the other copy\'s warning', async () => {
    const mibs = smallCorpus();
    const extra = mkdtempSync(join(tmpdir(), 'netpulse-mibs-file-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-mibs-paths-'));
    dirs.push(mibs, extra, dataDir);
    const file = join(extra, 'IF-MIB.txt');
    copyFileSync(join(mibs, 'std', 'IF-MIB.txt'), file);
    const holder = openDictionary({ dataDir, mibDirs: [file, mibs], log: () => {}, sync: true, warmup: false });
    const app = await buildApp({ ...createFakeServices(), oids: oidsPort(holder) }, { tokens: [TOKEN], openReads: false, cors: false, ui: false });
    try {
      const r = await app.inject({ method: 'GET', url: '/api/v1/mibs', headers: AUTH });
      expect(r.statusCode).toBe(200);
      const ifMibs = (r.json().items as { name: string; source?: string; errors: string[] }[]).filter((m) => m.name === 'IF-MIB');
      // two entries in mibDirs: the folder's files after its name
      const inFolder = `${basename(mibs)}/std/IF-MIB.txt`;
      expect(ifMibs.map((m) => m.source).sort()).toEqual(['IF-MIB.txt', inFolder]);
      // listed first, the named file is the copy kept: the other one's warning names it
      expect(ifMibs.find((m) => m.source === inFolder)?.errors.join('\n')).toContain('also defined in IF-MIB.txt;');
      expect(r.body).not.toContain(extra);
      expect(r.body).not.toContain(mibs);
    } finally {
      await app.close();
      await holder.close();
    }
  });
});

// before the fix both copies of IF-MIB were shown as std/IF-MIB.txt, and the warning could name either
describe('GET /api/v1/mibs with two MIB folders holding the same relative path', () => {
  it('shows each file after its folder\'s name', async () => {
    const first = smallCorpus();
    const second = smallCorpus();
    const dataDir = mkdtempSync(join(tmpdir(), 'netpulse-mibs-paths-'));
    dirs.push(first, second, dataDir);
    const holder = openDictionary({ dataDir, mibDirs: [first, second], log: () => {}, sync: true, warmup: false });
    const app = await buildApp({ ...createFakeServices(), oids: oidsPort(holder) }, { tokens: [TOKEN], openReads: false, cors: false, ui: false });
    try {
      const r = await app.inject({ method: 'GET', url: '/api/v1/mibs', headers: AUTH });
      expect(r.statusCode).toBe(200);
      const ifMibs = (r.json().items as { name: string; source?: string; errors: string[] }[]).filter((m) => m.name === 'IF-MIB');
      const [kept, ignored] = [`${basename(first)}/std/IF-MIB.txt`, `${basename(second)}/std/IF-MIB.txt`];
      expect(ifMibs.map((m) => m.source).sort()).toEqual([kept, ignored].sort());
      expect(ifMibs.find((m) => m.source === ignored)?.errors.join('\n')).toContain(`also defined in ${kept};`);
      expect(r.body).not.toContain(first);
      expect(r.body).not.toContain(second);
    } finally {
      await app.close();
      await holder.close();
    }
  });
});
