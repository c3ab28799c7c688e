// `mibUpload`: the MIB upload parser's limits from the config file.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createUploadParser, decodeUpload } from '../../src/main/mib-upload-parser.ts';
import { configProblems as problems } from './config-problems.ts';

/** an upload declaring `n` modules, each one OID assignment */
const uploadOf = (n: number) => Array.from({ length: n }, (_, i) => `M${i}-MIB DEFINITIONS ::= BEGIN\nm${i} OBJECT IDENTIFIER ::= { iso ${i + 1} }\nEND\n`).join('');

describe('config mibUpload', () => {
  it('defaults to 10 s, 4 uploads queued, a 256 MB heap and 50 modules', () => {
    expect(parseConfig('{}', '', {}).mibUpload).toEqual({ timeLimitMs: 10_000, maxQueued: 4, maxHeapMb: 256, maxModules: 50 });
  });

  // the route's parser gets the config's defaults; a parser given none applies the same ones
  it.each([
    ['the config’s defaults', () => createUploadParser(parseConfig('{}', '', {}).mibUpload)],
    ['no options', () => createUploadParser()],
  ])('the upload parser given %s takes 50 modules, not 51, queues 4 uploads and asks the 6th back in 10 s', async (_how, create) => {
    const parser = create();
    try {
      const outcomes = await Promise.all([51, 50, 50, 50, 50, 50].map((n) => parser.parse(uploadOf(n), 'upload')));
      expect(outcomes.map((o) => o.kind)).toEqual(['parsed', 'parsed', 'parsed', 'parsed', 'parsed', 'busy']);
      const [tooMany, fifty] = await Promise.all(outcomes.slice(0, 2).map((o) => (o.kind === 'parsed' ? decodeUpload(o.upload) : undefined)));
      expect(tooMany).toMatchObject({ modules: [], errors: [{ message: expect.stringContaining('declares 51 modules, more than the 50 one upload may hold') }] });
      expect(fifty?.modules).toHaveLength(50);
      expect(outcomes[5]).toMatchObject({ retryAfterSeconds: 10 });
    } finally {
      await parser.close();
    }
  });

  it('takes durations in the usual format and keeps unset keys at their defaults', () => {
    expect(parseConfig('mibUpload: { timeLimit: 2500ms, maxQueued: 0 }', '', {}).mibUpload).toEqual({ timeLimitMs: 2500, maxQueued: 0, maxHeapMb: 256, maxModules: 50 });
    expect(parseConfig('mibUpload: { timeLimit: 30, maxHeapMb: 512, maxModules: 5 }', '', {}).mibUpload).toEqual({ timeLimitMs: 30_000, maxQueued: 4, maxHeapMb: 512, maxModules: 5 });
  });

  it('names the path of a bad value', () => {
    expect(problems('mibUpload: { timeLimit: soon }')).toEqual([expect.stringMatching(/^mibUpload\.timeLimit: expected a duration like 500ms/)]);
    expect(problems('mibUpload: { timeLimit: 1h }')).toEqual([expect.stringMatching(/^mibUpload\.timeLimit: expected at most 10m/)]);
    expect(problems('mibUpload: { maxQueued: -1 }')).toEqual(['mibUpload.maxQueued: expected an integer from 0 to 1000']);
    expect(problems('mibUpload: { maxHeapMb: 1.5 }')).toEqual([expect.stringMatching(/^mibUpload\.maxHeapMb: expected an integer/)]);
    expect(problems('mibUpload: { maxHeapMb: 16 }')).toEqual(['mibUpload.maxHeapMb: expected an integer number of MB from 32 to 8192']);
    expect(problems('mibUpload: { maxModules: 0 }')).toEqual(['mibUpload.maxModules: expected an integer from 1 to 10000']);
    expect(problems('mibUpload: { maxHeap: 512 }')).toEqual(['mibUpload.maxHeap: unknown key; did you mean "maxHeapMb"?']);
  });
});
