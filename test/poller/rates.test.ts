import { describe, expect, it } from 'vitest';
import { agentRestarted, counterDelta, counterRate, interfaceSpeedBps, utilisationPct, type CounterReading } from '../../src/poller/rates.ts';

const c32 = (v: bigint | number): CounterReading => ({ value: BigInt(v), width: 32 });
const c64 = (v: bigint | number): CounterReading => ({ value: BigInt(v), width: 64 });
const MAX32 = (1n << 32n) - 1n;
const MAX64 = (1n << 64n) - 1n;

describe('counterDelta', () => {
  it.each([
    ['plain increase 32', c32(100), c32(250), undefined, { ok: true, delta: 150n, wrapped: false }],
    ['no change', c64(7), c64(7), undefined, { ok: true, delta: 0n, wrapped: false }],
    ['32-bit wrap', c32(MAX32 - 9n), c32(5), undefined, { ok: true, delta: 15n, wrapped: true }],
    ['32-bit wrap at exactly max→0', c32(MAX32), c32(0), undefined, { ok: true, delta: 1n, wrapped: true }],
    ['64-bit wrap', c64(MAX64 - 1n), c64(3), undefined, { ok: true, delta: 5n, wrapped: true }],
    ['32-bit reset (implausible wrap)', c32(1000), c32(10), undefined, { ok: false, reason: 'reset' }],
    ['64-bit reset', c64(5_000_000_000n), c64(10), undefined, { ok: false, reason: 'reset' }],
    ['64-bit column holding a 32-bit counter wraps at 2^32', c64(MAX32 - 99n), c64(50), undefined, { ok: true, delta: 150n, wrapped: true }],
    ['wrap beyond the speed bound is a reset', c32(MAX32 - 1_000_000n), c32(1_000_000n), 1_000_000n, { ok: false, reason: 'reset' }],
    ['wrap within the speed bound', c32(MAX32 - 100n), c32(100n), 1_000n, { ok: true, delta: 201n, wrapped: true }],
    ['increase above the speed bound is trusted (agents under-report speed)', c32(0), c32(10_000_000n), 1_000n, { ok: true, delta: 10_000_000n, wrapped: false }],
    ['width switch (HC appeared)', c32(10), c64(20), undefined, { ok: false, reason: 'width-changed' }],
    ['negative input', c32(-1), c32(5), undefined, { ok: false, reason: 'negative-input' }],
    // `clear counters` on a Counter64 below 2^32 is not a 32-bit wrap in disguise
    ['64-bit cleared from 1e9, 1G link 60 s: reset, not a wrap', c64(1_000_000_000n), c64(5000), 8_250_000_001n, { ok: false, reason: 'reset' }],
    ['64-bit cleared from 3.5e9 to 0, no speed: reset', c64(3_500_000_000n), c64(0), undefined, { ok: false, reason: 'reset' }],
    ['64-bit cleared from 1e9 to 10, no speed: reset (beyond half the 32-bit range)', c64(1_000_000_000n), c64(10), undefined, { ok: false, reason: 'reset' }],
    ['64-bit column holding a 32-bit counter, 1G link bound: still a wrap', c64(MAX32 - 999n), c64(1000), 8_250_000_001n, { ok: true, delta: 2000n, wrapped: true }],
    ['64-bit column holding a 32-bit counter, tighter speed bound wins', c64(MAX32 - 999n), c64(1000), 1000n, { ok: false, reason: 'reset' }],
  ])('%s', (_n, prev, cur, max, want) => {
    expect(counterDelta(prev, cur, max)).toEqual(want);
  });
});

describe('counterRate', () => {
  it.each([
    ['1000 octets in 10 s', c64(0), c64(1000), 10_000, undefined, 100],
    ['wrap over 1 s', c32(MAX32), c32(99), 1000, undefined, 100],
    ['zero time', c64(0), c64(1000), 0, undefined, undefined],
    ['negative time', c64(0), c64(1000), -5, undefined, undefined],
    ['reset gives no rate', c64(10_000), c64(5), 60_000, undefined, undefined],
    ['10G link, 32-bit wrap within bound', c32(MAX32 - 999n), c32(1000), 1000, 1.25e9, 2000],
    ['1 Mbit/s link cannot wrap 2^32 in 60 s', c32(4_000_000_000n), c32(10), 60_000, 125_000, undefined],
  ])('%s', (_n, prev, cur, dt, maxPs, want) => {
    expect(counterRate(prev, cur, dt, maxPs)).toBe(want);
  });
});

describe('agentRestarted', () => {
  const t0 = 1_700_000_000_000;
  it.each([
    ['uptime advanced with wall time', 10_000, 16_000, 60_000, false],
    ['uptime went back', 500_000, 300, 60_000, true],
    ['uptime advanced far less than wall time (restarted between polls)', 100, 500, 60_000, true],
    ['small clock jitter', 10_000, 15_950, 60_000, false],
    ['TimeTicks 2^32 wrap after ~497 days', 2 ** 32 - 3000, 3000, 60_000, false],
    ['went back near 2^32 but not by the elapsed time', 2 ** 32 - 3000, 900_000, 60_000, true],
    // another agent at the address (box swapped, HA failover, re-addressed): uptime jumps forward
    ['uptime advanced 5 days in 60 s', 100_000, 100_000 + 5 * 86_400 * 100, 60_000, true],
    ['uptime advanced 30 s more than wall time', 10_000, 19_000, 60_000, true],
    ['uptime advanced 2 s more than wall time (probe latency)', 10_000, 16_200, 60_000, false],
    // the 2^32 wrap compared modulo 2^32
    ['wrapped 0.6 s before our clock says so', 2 ** 32 - 100, 10, 500, false],
    ['not wrapped yet, 0.6 s behind our clock', 2 ** 32 - 100, 2 ** 32 - 10, 1500, false],
    ['wrapped, agent 2 s ahead', 2 ** 32 - 500, 700, 10_000, false],
    ['restarted after a 2 h gap', 86_400_000, 360_000, 7_200_000, true],
  ])('%s', (_n, prevTicks, curTicks, dtMs, want) => {
    expect(agentRestarted({ ticks: prevTicks, at: t0 }, { ticks: curTicks, at: t0 + dtMs })).toBe(want);
  });
});

describe('interfaceSpeedBps / utilisationPct', () => {
  it.each([
    ['ifSpeed only', 100_000_000, undefined, 100_000_000],
    ['saturated ifSpeed uses ifHighSpeed', 4_294_967_295, 10_000, 10_000_000_000],
    ['ifHighSpeed only', 0, 40_000, 40_000_000_000],
    ['consistent both', 1_000_000_000, 1000, 1_000_000_000],
    ['nothing', undefined, undefined, undefined],
    ['zero both', 0, 0, undefined],
  ])('%s', (_n, speed, high, want) => {
    expect(interfaceSpeedBps(speed, high)).toBe(want);
  });
  it.each([
    [50e6, 100e6, 50],
    [1, undefined, undefined],
    [undefined, 1e9, undefined],
    [10, 0, undefined],
  ])('%s bps of %s', (bps, speed, want) => {
    expect(utilisationPct(bps, speed)).toBe(want);
  });
});
