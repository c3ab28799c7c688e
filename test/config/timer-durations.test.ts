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

describe('spans (retentions) are at most 100 years (36500d): a longer one, or digits past a double, is refused naming the key', () => {
  const DAY = 86_400_000;
  const digits = '9'.repeat(400);
  const influx = (retention: string) => `storage: { influx: { url: "http://127.0.0.1:8086", database: np, retentionPolicy: rp, retention: ${retention} } }`;
  it.each([
    ['storage.sqlite.retention, hundreds of digits', `storage: { sqlite: { retention: ${digits}d } }`, 'storage.sqlite.retention: expected at most 36500d (100 years), got a longer one'],
    ['storage.sqlite.retention, a quoted string of digits', `storage: { sqlite: { retention: "${digits}" } }`, 'storage.sqlite.retention: expected at most 36500d (100 years), got a longer one'],
    ['storage.sqlite.retention, one day over', 'storage: { sqlite: { retention: 36501d } }', 'storage.sqlite.retention: expected at most 36500d (100 years), got a longer one'],
    ['storage.sqlite.retention, a number of seconds past the range once in ms', 'storage: { sqlite: { retention: 1e306 } }', 'storage.sqlite.retention: expected at most 36500d (100 years), got a longer one'],
    ['storage.influx.retention, hundreds of digits', influx(`${digits}h`), 'storage.influx.retention: expected at most 36500d (100 years), got a longer one'],
    ['alerts.keepCleared, hundreds of digits', `alerts: { keepCleared: ${digits}d }`, 'alerts.keepCleared: expected at most 36500d (100 years), got a longer one; false keeps forever'],
    ['alerts.keepCleared, digits YAML reads as Infinity', `alerts: { keepCleared: ${digits} }`, 'alerts.keepCleared: expected at most 36500d (100 years), got a longer one; false keeps forever'],
    ['traps.logRetention, .inf', 'traps: { logRetention: .inf }', 'traps.logRetention: expected at most 36500d (100 years), got a longer one; false keeps forever'],
    ['traps.engineIdRetention, 200 years', 'traps: { engineIdRetention: 73000d }', 'traps.engineIdRetention: expected at most 36500d (100 years), got a longer one; false keeps forever'],
    ['a timer, hundreds of digits: its own maximum', `storage: { sqlite: { pruneInterval: ${digits}s } }`, 'storage.sqlite.pruneInterval: expected at most 24d'],
  ])('%s', (_, yaml, problem) => {
    expect(configProblems(yaml)).toEqual([problem]);
  });

  it.each<[string, string, (c: ReturnType<typeof parseConfig>) => unknown, unknown]>([
    ['storage.sqlite.retention at the maximum', 'storage: { sqlite: { retention: 36500d } }', (c) => c.storage.sqlite?.retention, 36_500 * DAY],
    ['storage.influx.retention at the maximum', influx('876000h'), (c) => c.storage.influx?.retention, 36_500 * DAY],
    ['alerts.keepCleared at the maximum', 'alerts: { keepCleared: 36500d }', (c) => c.alerts.keepClearedMs, 36_500 * DAY],
    ['traps.logRetention false: forever', 'traps: { logRetention: false }', (c) => c.traps?.logRetention, false],
  ])('accepts %s', (_, yaml, get, expected) => {
    expect(get(parseConfig(yaml, 'test.yaml', {}))).toEqual(expected);
  });
});
