import { describe, expect, it } from 'vitest';
import { EngineTimes } from '../../src/traps/engine-times.ts';

const E = '8000000001020304aabbccdd';
const S = 1000; // ms per second

describe('EngineTimes: RFC 3414 timeliness of v3 traps, per sender engine', () => {
  // first message (boots, time) at t=0, then the second one at `after` ms
  it.each([
    ['first contact, then the same boots with a later time', [5, 1000], [5, 1001, 1 * S], true],
    ['an identical replay within the window', [5, 1000], [5, 1000, 150 * S], true],
    ['an identical replay 151 s later', [5, 1000], [5, 1000, 151 * S], false],
    ['an older time, less than 150 s behind the estimate', [5, 1000], [5, 900, 10 * S], true],
    ['an older time, more than 150 s behind the estimate', [5, 1000], [5, 500, 0], false],
    ['a lower boots, whatever its time', [5, 1000], [4, 99999, 0], false],
    ['a higher boots (the sender restarted), time 0', [5, 1000], [6, 0, 500 * S], true],
    ['a later time long after: the sender\'s clock moved on', [5, 1000], [5, 1000 + 3600, 3600 * S], true],
    // snmptrap sends boots 1 and the host's uptime in hundredths as its time: always ahead
    ['snmptrap: boots 1, uptime in hundredths', [1, 1725619], [1, 1725740, 1.2 * S], true],
    ['boots 0 time 0 (no clock) is never checked', [0, 0], [0, 0, 3600 * S], true],
    ['boots 0 time 0 after a real clock', [5, 1000], [0, 0, 3600 * S], true],
    ['boots at its maximum (latched)', [5, 1000], [2147483647, 5, 0], false],
  ] as const)('%s', (_what, [b0, t0], [b1, t1, after], ok) => {
    const times = new EngineTimes();
    expect(times.check({ engineId: E, user: 'u', boots: b0, time: t0 }, 0).ok).toBe(true);
    expect(times.check({ engineId: E, user: 'u', boots: b1, time: t1 }, after).ok).toBe(ok);
  });

  it('a refused message does not move the known clock; a newer one does', () => {
    const times = new EngineTimes();
    times.check({ engineId: E, user: 'u', boots: 5, time: 1000 }, 0);
    expect(times.check({ engineId: E, user: 'u', boots: 4, time: 5000 }, 0).ok).toBe(false);
    expect(times.check({ engineId: E, user: 'u', boots: 5, time: 1000 }, 151 * S).ok).toBe(false);
    expect(times.check({ engineId: E, user: 'u', boots: 5, time: 1200 }, 200 * S).ok).toBe(true);
    // estimated now 1200 + 100 = 1300: 1150 is exactly 150 behind, 1149 more
    expect(times.check({ engineId: E, user: 'u', boots: 5, time: 1150 }, 300 * S).ok).toBe(true);
    expect(times.check({ engineId: E, user: 'u', boots: 5, time: 1149 }, 300 * S).ok).toBe(false);
  });

  it('engines are kept apart, and the table forgets the least recently heard from first', () => {
    const times = new EngineTimes(2);
    times.check({ engineId: 'a1', user: 'u', boots: 5, time: 1000 }, 0);
    times.check({ engineId: 'b2', user: 'u', boots: 1, time: 10 }, 0);
    expect(times.check({ engineId: 'a1', user: 'u', boots: 4, time: 1000 }, 0).ok).toBe(false); // a1 is now the most recent
    times.check({ engineId: 'c3', user: 'u', boots: 1, time: 10 }, 0); // forgets b2
    expect(times.size).toBe(2);
    expect(times.check({ engineId: 'a1', user: 'u', boots: 4, time: 1000 }, 0).ok).toBe(false);
    expect(times.check({ engineId: 'b2', user: 'u', boots: 0, time: 1 }, 0).ok).toBe(true); // first contact again
  });
});
