// The stop's bound never cuts the InfluxDB writer's close short: 30 s, or its HTTP timeout + 20 s.
import { describe, expect, it } from 'vitest';
import { stopTimeoutFor } from '../../src/main/stop-signals.ts';

describe('stopTimeoutFor', () => {
  it.each([
    [undefined, 30_000],
    [10_000, 30_000],
    [15_000, 35_000],
    [60_000, 80_000],
  ])('influx timeout %s ms → %i ms', (timeout, want) => {
    expect(stopTimeoutFor(timeout)).toBe(want);
  });
});
