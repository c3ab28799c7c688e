// `mibUpload`: the MIB upload parser's limits from the config file.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { UPLOAD_PARSER_DEFAULTS } from '../../src/main/mib-upload-parser.ts';
import { configProblems as problems } from './config-problems.ts';

describe('config mibUpload', () => {
  it('defaults to the parser’s own limits', () => {
    expect(parseConfig('{}', '', {}).mibUpload).toEqual(UPLOAD_PARSER_DEFAULTS);
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
