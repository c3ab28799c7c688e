/**
 * Counter rate math (pure): deltas across Counter32/Counter64 wraps, agent-restart
 * detection, per-second rates. A delta that cannot be trusted yields `undefined`,
 * so a restart or a counter reset never becomes a bogus spike.
 */
export type CounterWidth = 32 | 64;

export interface CounterReading {
  value: bigint;
  width: CounterWidth;
}

export type DeltaOutcome =
  | { ok: true; delta: bigint; wrapped: boolean }
  | { ok: false; reason: 'width-changed' | 'reset' | 'negative-input' };

const TWO_32 = 1n << 32n;
const TWO_64 = 1n << 64n;
/** With no better bound, a wrap is believed when it implies less than half (32) or 2^-8 (64) of the range. */
const DEFAULT_MAX_WRAP_DELTA: Record<CounterWidth, bigint> = { 32: 1n << 31n, 64: 1n << 56n };

/**
 * Delta between two readings of the same counter. A decrease is a wrap when the implied
 * delta is plausible (at most `maxDelta`, e.g. link speed × elapsed time, when known), else a reset.
 * Counter64 columns that really are 32-bit counters in disguise (some agents) are
 * recognised: a 64-bit decrease from below 2^32 is tried as a 32-bit wrap.
 */
export function counterDelta(prev: CounterReading, cur: CounterReading, maxDelta?: bigint): DeltaOutcome {
  if (prev.value < 0n || cur.value < 0n) return { ok: false, reason: 'negative-input' };
  if (prev.width !== cur.width) return { ok: false, reason: 'width-changed' };
  if (cur.value >= prev.value) {
    // maxDelta only judges wraps: agents under-report speed (Linux lo, tunnels), so a large increase is trusted
    return { ok: true, delta: cur.value - prev.value, wrapped: false };
  }
  const bound = maxDelta ?? DEFAULT_MAX_WRAP_DELTA[cur.width];
  const range = cur.width === 32 ? TWO_32 : TWO_64;
  if (prev.value < range) {
    const wrappedDelta = range - prev.value + cur.value;
    if (wrappedDelta <= bound) return { ok: true, delta: wrappedDelta, wrapped: true };
  }
  if (cur.width === 64 && prev.value < TWO_32 && cur.value > 0n) {
    // weak evidence (a cleared Counter64 below 2^32 looks the same), so never more than half the 32-bit range,
    // whatever the link speed allows, and never onto exactly 0 (what `clear counters` leaves)
    const disguised = TWO_32 - prev.value + cur.value;
    const disguisedBound = maxDelta !== undefined && maxDelta < DEFAULT_MAX_WRAP_DELTA[32] ? maxDelta : DEFAULT_MAX_WRAP_DELTA[32];
    if (disguised <= disguisedBound) return { ok: true, delta: disguised, wrapped: true };
  }
  return { ok: false, reason: 'reset' };
}

/** Per-second rate of a counter, or undefined when the delta is untrustworthy or no time passed. */
export function counterRate(prev: CounterReading, cur: CounterReading, elapsedMs: number, maxPerSecond?: number): number | undefined {
  if (!(elapsedMs > 0)) return undefined;
  const maxDelta = maxPerSecond !== undefined && maxPerSecond > 0
    ? BigInt(Math.ceil(maxPerSecond * (elapsedMs / 1000) * 1.1)) + 1n
    : undefined;
  const d = counterDelta(prev, cur, maxDelta);
  if (!d.ok) return undefined;
  return Number(d.delta) / (elapsedMs / 1000);
}

/** sysUpTime is TimeTicks (1/100 s, 32-bit, wraps after ~497 days). */
export interface UptimeReading {
  ticks: number;
  /** when the reading came, ms on a monotonic clock (performance.now) */
  at: number;
}

const TICKS_RANGE = 2 ** 32;

/**
 * True when the agent restarted (or another agent answers) between the readings: sysUpTime did not
 * advance by the time that passed, modulo the 2^32 TimeTicks wrap. Too little: a restart in between;
 * too much: a different agent (box swapped, HA failover, device re-addressed).
 * `at` is a monotonic clock, ms.
 */
export function agentRestarted(prev: UptimeReading, cur: UptimeReading, toleranceTicks = 1000): boolean {
  const elapsedTicks = (cur.at - prev.at) / 10;
  if (!(elapsedTicks > 0)) return cur.ticks < prev.ticks;
  const advance = (((cur.ticks - prev.ticks) % TICKS_RANGE) + TICKS_RANGE) % TICKS_RANGE;
  const slack = toleranceTicks + elapsedTicks * 0.05;
  // an advance just short of a full range is an agent a little behind our clock, not a wrap ahead
  const drift = advance > TICKS_RANGE / 2 ? advance - TICKS_RANGE : advance;
  return Math.abs(drift - elapsedTicks) > slack;
}

/** Interface speed in bit/s from ifSpeed (Gauge32, saturates at 2^32-1) and ifHighSpeed (Mbit/s). */
export function interfaceSpeedBps(ifSpeed: number | undefined, ifHighSpeed: number | undefined): number | undefined {
  const high = ifHighSpeed !== undefined && ifHighSpeed > 0 ? ifHighSpeed * 1_000_000 : undefined;
  if (ifSpeed === undefined || ifSpeed <= 0) return high;
  if (ifSpeed >= 4_294_967_295 && high !== undefined) return high;
  if (high !== undefined && high > ifSpeed * 1.5) return high;
  return ifSpeed;
}

/** Utilisation in percent of the link speed; undefined without a speed. */
export function utilisationPct(bitsPerSecond: number | undefined, speedBps: number | undefined): number | undefined {
  if (bitsPerSecond === undefined || speedBps === undefined || speedBps <= 0) return undefined;
  return (bitsPerSecond / speedBps) * 100;
}
