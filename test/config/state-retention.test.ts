// alerts.keepCleared, traps.logRetention, traps.logMaxRows and traps.engineIdRetention: defaults, accepted forms, refusals naming the field.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { checkDuration, MAX_SPAN_MS } from '../../src/model/duration.ts';
import { configProblems } from './config-problems.ts';

const DAY = 86_400_000;
const parse = (yaml: string) => parseConfig(yaml, 'test.yaml', {});

describe('state.db retention settings', () => {
  it('default to 90 days of cleared alerts, 30 days / 1,000,000 rows of traps and 30 days of unseen engine IDs', () => {
    expect(parse('{}').alerts.keepClearedMs).toBe(90 * DAY);
    expect(parse('traps: {}').traps).toMatchObject({ logRetention: 30 * DAY, logMaxRows: 1_000_000, engineIdRetention: 30 * DAY });
  });

  it.each<[string, string, (c: ReturnType<typeof parse>) => unknown, unknown]>([
    ['keepCleared in days', 'alerts: { keepCleared: 30d }', (c) => c.alerts.keepClearedMs, 30 * DAY],
    ['keepCleared at its minimum', 'alerts: { keepCleared: 1h }', (c) => c.alerts.keepClearedMs, 3_600_000],
    ['keepCleared beyond a timer (a span, not a timer)', 'alerts: { keepCleared: 3650d }', (c) => c.alerts.keepClearedMs, 3650 * DAY],
    ['keepCleared false: forever', 'alerts: { keepCleared: false }', (c) => c.alerts.keepClearedMs, false],
    ['logRetention', 'traps: { logRetention: 7d }', (c) => c.traps!.logRetention, 7 * DAY],
    ['logRetention false', 'traps: { logRetention: false }', (c) => c.traps!.logRetention, false],
    ['logMaxRows', 'traps: { logMaxRows: 5000 }', (c) => c.traps!.logMaxRows, 5000],
    ['logMaxRows false', 'traps: { logMaxRows: false }', (c) => c.traps!.logMaxRows, false],
    ['engineIdRetention', 'traps: { engineIdRetention: 90d }', (c) => c.traps!.engineIdRetention, 90 * DAY],
    ['engineIdRetention at its minimum', 'traps: { engineIdRetention: 1h }', (c) => c.traps!.engineIdRetention, 3_600_000],
    ['engineIdRetention false', 'traps: { engineIdRetention: false }', (c) => c.traps!.engineIdRetention, false],
  ])('%s', (_, yaml, get, expected) => {
    expect(get(parse(yaml))).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ['keepCleared not a duration', 'alerts: { keepCleared: soon }', /^alerts\.keepCleared: expected a duration like .*, got a string of 4 characters; false keeps forever$/],
    ['keepCleared under an hour', 'alerts: { keepCleared: 10m }', /^alerts\.keepCleared: expected a duration .* got a shorter one/],
    ['keepCleared true', 'alerts: { keepCleared: true }', /^alerts\.keepCleared: expected a duration/],
    ['keepCleared 0 (not "off": that is false)', 'alerts: { keepCleared: 0 }', /^alerts\.keepCleared: expected a duration/],
    ['logRetention negative', 'traps: { logRetention: -5d }', /^traps\.logRetention: expected a duration/],
    ['logMaxRows too small', 'traps: { logMaxRows: 10 }', /^traps\.logMaxRows: expected a whole number of rows of at least 1000, or false for no row limit/],
    ['logMaxRows fractional', 'traps: { logMaxRows: 1500.5 }', /^traps\.logMaxRows: expected a whole number/],
    ['logMaxRows a string', 'traps: { logMaxRows: many }', /^traps\.logMaxRows: expected a whole number/],
    ['engineIdRetention under an hour', 'traps: { engineIdRetention: 5m }', /^traps\.engineIdRetention: expected a duration .* got a shorter one/],
    ['engineIdRetention not a duration', 'traps: { engineIdRetention: forever }', /^traps\.engineIdRetention: expected a duration like .*; false keeps forever$/],
  ])('refuses %s', (_, yaml, message) => {
    const problems = configProblems(yaml);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  // keepFor is checkDuration from 1h to MAX_SPAN_MS, its problem told as every duration's, and false named
  it.each<[string, string, unknown]>([
    ['alerts.keepCleared', 'soon', 'soon'],
    ['alerts.keepCleared', '10m', '10m'],
    ['alerts.keepCleared', 'true', true],
    ['alerts.keepCleared', '0', 0],
    ['traps.logRetention', '-5d', '-5d'],
    ['traps.logRetention', '36501d', '36501d'],
    ['traps.engineIdRetention', '[1h]', ['1h']],
  ])('refuses %s: %s in the shared duration wording', (path, yaml, value) => {
    const [section, key] = path.split('.');
    const r = checkDuration(value, { min: 3_600_000, max: MAX_SPAN_MS });
    expect('problem' in r).toBe(true);
    expect(configProblems(`${section}: { ${key}: ${yaml} }`)).toEqual([`${path}: ${'problem' in r ? r.problem : ''}; false keeps forever`]);
  });
});
