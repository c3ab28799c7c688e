import { describe, it, expect } from 'vitest';
import { parseDuration, formatDuration } from '../../src/model/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000], ['5m', 300_000], ['500ms', 500], ['1h', 3_600_000], ['7d', 604_800_000],
    ['60', 60_000], [' 2.5s ', 2500], [10, 10_000],
  ] as const)('%s -> %s', (input, ms) => expect(parseDuration(input)).toBe(ms));
  it.each(['', 'abc', '5y', '-1s', '1 2s'])('rejects %j', (input) => expect(parseDuration(input)).toBeUndefined());
  it('formats', () => {
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(1500)).toBe('1500ms');
  });
});
