// Reading the corpus: every file's text as it is when read, even if it changed since the listing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSourcePacks } from '../../src/mib/compile.ts';
import type { SourceFile } from '../../src/mib/paths.ts';
import { listMibFiles } from '../../src/mib/paths.ts';

let dir = '';
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = ''; });

const readSources = (files: SourceFile[], packBytes?: number) => [...readSourcePacks(files, packBytes)].flat();
const textOf = (s: ReturnType<typeof readSources>[number]) => ('text' in s ? s.text.slice(s.start, s.end) : `error: ${s.message}`);

describe('readSourcePacks', () => {
  it('files that grew, shrank, vanished or are not ASCII after the listing are read as they are now', () => {
    dir = mkdtempSync(join(tmpdir(), 'netpulse-read-'));
    const files: Record<string, string | Buffer> = {
      'A-MIB': 'A-MIB DEFINITIONS ::= BEGIN END\n',
      'B-MIB': 'B-MIB DEFINITIONS ::= BEGIN END\n',
      'C-MIB': 'C-MIB DEFINITIONS ::= BEGIN END\n',
      'D-MIB': 'D-MIB DEFINITIONS ::= BEGIN END\n',
      'E-MIB': 'E-MIB DEFINITIONS ::= BEGIN END\n',
    };
    for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
    const { files: listed } = listMibFiles([dir]);
    writeFileSync(join(dir, 'B-MIB'), 'B-MIB DEFINITIONS ::= BEGIN\n-- grown after the listing\nEND\n');
    writeFileSync(join(dir, 'C-MIB'), 'C-MIB DEFINITIONS ::= BEGIN END');
    rmSync(join(dir, 'D-MIB'));
    writeFileSync(join(dir, 'E-MIB'), 'E-MIB DEFINITIONS ::= BEGIN -- café\nEND\n');
    const out = readSources(listed).map(textOf);
    expect(out[0]).toBe(files['A-MIB']);
    expect(out[1]).toBe('B-MIB DEFINITIONS ::= BEGIN\n-- grown after the listing\nEND\n');
    expect(out[2]).toBe('C-MIB DEFINITIONS ::= BEGIN END');
    expect(out[3]).toMatch(/^error: cannot read: ENOENT/);
    expect(out[4]).toBe('E-MIB DEFINITIONS ::= BEGIN -- café\nEND\n');
  });

  it('ASCII files share one text per pack; each file is its own range of it', () => {
    dir = mkdtempSync(join(tmpdir(), 'netpulse-read-'));
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, `M${i}-MIB`), `M${i}-MIB DEFINITIONS ::= BEGIN END\n`);
    const out = readSources(listMibFiles([dir]).files);
    expect(out.map(textOf)).toEqual([0, 1, 2].map((i) => `M${i}-MIB DEFINITIONS ::= BEGIN END\n`));
    expect(new Set(out.map((s) => ('text' in s ? s.text : ''))).size).toBe(1);
  });

  it('a corpus larger than one pack is read in several, each file whole', () => {
    dir = mkdtempSync(join(tmpdir(), 'netpulse-read-'));
    const texts = [0, 1, 2, 3, 4].map((i) => `M${i}-MIB DEFINITIONS ::= BEGIN ${'-- x\n'.repeat(i * 7)}END\n`);
    texts.forEach((t, i) => writeFileSync(join(dir, `M${i}-MIB`), t));
    const out = readSources(listMibFiles([dir]).files, 80);
    expect(out.map(textOf)).toEqual(texts);
    expect(new Set(out.map((s) => ('text' in s ? s.text : ''))).size).toBeGreaterThan(1);
  });

  it('a pack\'s bytes are its text while it is current, though the next pack reuses the buffer', () => {
    dir = mkdtempSync(join(tmpdir(), 'netpulse-read-'));
    const texts = [0, 1, 2, 3, 4, 5].map((i) => `M${i}-MIB DEFINITIONS ::= BEGIN -- ${String(i).repeat(20)}\nEND\n`);
    texts.forEach((t, i) => writeFileSync(join(dir, `M${i}-MIB`), t));
    const seen: string[] = [];
    let packs = 0;
    for (const pack of readSourcePacks(listMibFiles([dir]).files, 100)) {
      packs++;
      for (const s of pack) {
        if (!('text' in s) || !s.codes) throw new Error('expected an ASCII pack entry');
        expect(Buffer.from(s.codes.subarray(s.start, s.end)).toString('latin1')).toBe(s.text.slice(s.start, s.end));
        seen.push(s.text.slice(s.start, s.end));
      }
    }
    expect(packs).toBeGreaterThan(1);
    expect(seen).toEqual(texts);
  });
});
