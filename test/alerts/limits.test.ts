import { describe, expect, it } from 'vitest';
import { SlidingWindow } from '../../src/alerts/limits.ts';

describe('SlidingWindow', () => {
  it.each([
    // hits (ms), window, cap, expected result of the last hit
    [[0, 10, 20], 100, undefined, 3],
    [[0, 10, 200], 100, undefined, 1],
    [[0, 1, 2, 3, 4, 5], 100, 3, 3],
    [[0, 1, 2, 300], 100, 3, 1],
  ] as const)('hits %j in %i ms, cap %s → %i', (hits, windowMs, cap, expected) => {
    const w = new SlidingWindow();
    let n = 0;
    for (const t of hits) n = w.hit('k', t, windowMs, cap);
    expect(n).toBe(expected);
  });

  it('keeps at most `cap` times per key during a storm', () => {
    const w = new SlidingWindow();
    for (let t = 0; t < 100_000; t++) w.hit('k', t, 3_600_000, 5);
    expect((w as unknown as { times: Map<string, number[]> }).times.get('k')!.length).toBe(5);
  });
});
