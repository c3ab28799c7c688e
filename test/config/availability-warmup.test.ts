// `storage.sqlite.availabilityWarmup`: the availability day cache's warm-up (src/main/availability-warmup.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as configCmd } from '../../src/cli/commands/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import { WARMUP_DAYS, WARMUP_DELAY_MS, WARMUP_PACE } from '../../src/main/availability-warmup.ts';
import { configProblems } from './config-problems.ts';
import { inProcess } from './run-command.ts';

const yaml = (warmup: string) => `storage: { sqlite: { availabilityWarmup: ${warmup} } }`;
const warmup = (value: string) => parseConfig(yaml(value), 'test.yaml', {}).storage.sqlite?.availabilityWarmup;
const DEFAULTS = { days: 31, delay: 30_000, busy: 50, rest: 50, nightly: true };
const PATH = 'storage.sqlite.availabilityWarmup';
const DAYS = `${PATH}.days: expected a whole number of days from 0 to 92 (the API's longest report range)`;
const WHOLE = `${PATH}: expected false (no warm-up) or a mapping like { days: 31, delay: 30s, busy: 50ms, rest: 50ms, nightly: true }`;

describe('config storage.sqlite.availabilityWarmup', () => {
  it('defaults to the warm-up\'s constants, with or without a storage section', () => {
    expect(DEFAULTS).toEqual({ days: WARMUP_DAYS, delay: WARMUP_DELAY_MS, busy: WARMUP_PACE.busyMs, rest: WARMUP_PACE.restMs, nightly: true });
    expect(parseConfig('{}', '', {}).storage.sqlite?.availabilityWarmup).toEqual(DEFAULTS);
    expect(parseConfig('storage: { sqlite: { retention: 3d } }', '', {}).storage.sqlite?.availabilityWarmup).toEqual(DEFAULTS);
  });

  it.each<[string, unknown]>([
    ['{}', DEFAULTS],
    ['false', false],
    ['{ days: 7, delay: 2m, busy: 20ms, rest: 80ms, nightly: false }', { days: 7, delay: 120_000, busy: 20, rest: 80, nightly: false }],
    ['{ days: 0 }', { ...DEFAULTS, days: 0 }],
    ['{ days: 92 }', { ...DEFAULTS, days: 92 }],
    ['{ delay: 0 }', { ...DEFAULTS, delay: 0 }],
    ['{ delay: 45 }', { ...DEFAULTS, delay: 45_000 }],
    ['{ busy: 1ms, rest: 0 }', { ...DEFAULTS, busy: 1, rest: 0 }],
    ['{ nightly: false }', { ...DEFAULTS, nightly: false }],
  ])('%s → %j', (value, want) => {
    expect(warmup(value)).toEqual(want);
  });

  it.each<[string, string]>([
    ['true', WHOLE],
    ['off', WHOLE],
    ['[]', WHOLE],
    ['null', WHOLE],
    ['{ days: 93 }', DAYS],
    ['{ days: -1 }', DAYS],
    ['{ days: 1.5 }', DAYS],
    ['{ days: "7" }', DAYS],
    ['{ delay: soon }', `${PATH}.delay: expected a duration like 500ms, 30s, 5m, 1h, got a string of 4 characters`],
    ['{ delay: -1 }', `${PATH}.delay: expected a duration like 500ms, 30s, 5m, 1h, got -1`],
    ['{ busy: 0 }', `${PATH}.busy: expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got 0`],
    ['{ busy: 0ms }', `${PATH}.busy: expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a shorter one`],
    ['{ rest: -5 }', `${PATH}.rest: expected a duration like 500ms, 30s, 5m, 1h, got -5`],
    ['{ rest: a-while }', `${PATH}.rest: expected a duration like 500ms, 30s, 5m, 1h, got a string of 7 characters`],
    // a timer waits at most 2^31 - 1 ms: setTimeout fires at once beyond it
    ['{ delay: 30d }', `${PATH}.delay: expected at most 24d`],
    ['{ rest: 25d }', `${PATH}.rest: expected at most 24d`],
    ['{ nightly: sometimes }', `${PATH}.nightly: expected a boolean, got a string`],
    ['{ dayz: 7 }', `${PATH}.dayz: unknown key; did you mean "days"?`],
  ])('%s is refused: %s', (value, problem) => {
    expect(configProblems(yaml(value))).toEqual([problem]);
  });

  it('every bad field is named at once', () => {
    expect(configProblems(yaml('{ days: 100, busy: 0, rest: -1 }'))).toEqual([
      DAYS,
      `${PATH}.busy: expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got 0`,
      `${PATH}.rest: expected a duration like 500ms, 30s, 5m, 1h, got -1`,
    ]);
  });

  it('`netpulse config check` exits 2 naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpulse-warmup-config-'));
    try {
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, yaml('{ days: 93 }'));
      const { code, stderr } = await inProcess(configCmd, ['check', file]);
      expect(code).toBe(2);
      expect(stderr).toContain(DAYS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
