// Config durations that end up in a timer are at most 24 days (setTimeout fires at once beyond 2^31 - 1 ms); a retention is not a timer.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { configProblems } from './config-problems.ts';

describe('config durations and timers', () => {
  it.each([
    ['storage: { sqlite: { pruneInterval: 30d } }', 'storage.sqlite.pruneInterval: expected at most 24d'],
    ['storage: { influx: { url: "http://127.0.0.1:8086", database: np, flushInterval: 25d } }', 'storage.influx.flushInterval: expected at most 24d'],
    ['defaults: { interval: 30d }', 'defaults.interval: expected at most 24d'],
  ])('%s is refused', (yaml, problem) => {
    expect(configProblems(yaml)).toContain(problem);
  });

  it('a retention may be longer than a timer can wait', () => {
    expect(parseConfig('storage: { sqlite: { retention: 400d, pruneInterval: 24d } }', 'test.yaml', {}).storage.sqlite).toMatchObject({ retention: 400 * 86_400_000, pruneInterval: 24 * 86_400_000 });
  });
});
