/** RFC 3414 §2.3: a message more than this many seconds behind its engine's estimated time is stale */
export const TIME_WINDOW_S = 150;
/** RFC 3414 §2.2.2: boots latches here; such an engine must be re-keyed before it is believed again */
export const MAX_BOOTS = 2147483647;

/**
 * An authenticated v3 notification's claim about its (authoritative) sender engine's clock.
 * `user`: the configured user (credential) that authenticated it; clocks are kept per engine ID
 * and user, so holding one user's keys never moves the clock kept for another's traps.
 */
export interface EngineClock { engineId: string; user: string; boots: number; time: number }

/** the latest boots/time accepted and the local time (ms) it arrived */
interface Known { boots: number; time: number; at: number }

export type Timeliness = { ok: true } | { ok: false; detail: string };

/**
 * RFC 3414 §3.2 step 7b for notifications whose sender is authoritative (v3 traps): per sender
 * engine ID and user the latest boots/time seen and the local time (ms) it was seen, so an authentic trap
 * replayed later than the time window is refused. First contact is accepted and recorded.
 * Bounded: the engine heard from least recently is forgotten first (its next trap is first
 * contact again). Feed it only authenticated messages: an unauthenticated one could claim any clock.
 */
export class EngineTimes {
  private readonly known = new Map<string, Known>();

  constructor(readonly max = 10_000) {}

  check(c: EngineClock, now: number): Timeliness {
    // "unknown" (RFC 3414 §4): an agent without a clock for its traps. Nothing to check, and its
    // traps are replayable whatever we do (snmptrapd's check passes a time not below the latest seen)
    if (c.boots === 0 && c.time === 0) return { ok: true };
    if (c.boots >= MAX_BOOTS) return { ok: false, detail: `engine ${c.engineId} boots ${c.boots} is at its maximum` };
    // a user whose keys authenticate for any engine ID (learned) could otherwise claim another
    // device's engine ID with a boots far ahead and get that device's real traps refused
    const key = `${c.engineId}|${c.user}`;
    const k = this.known.get(key);
    this.known.delete(key); // re-inserted last: most recently heard from
    if (!k) {
      if (this.known.size >= this.max) this.known.delete(this.known.keys().next().value!);
      this.known.set(key, { boots: c.boots, time: c.time, at: now });
      return { ok: true };
    }
    this.known.set(key, k);
    if (c.boots > k.boots || (c.boots === k.boots && c.time > k.time)) {
      Object.assign(k, { boots: c.boots, time: c.time, at: now });
      return { ok: true };
    }
    if (c.boots < k.boots) return { ok: false, detail: `engine ${c.engineId} boots ${c.boots} is below the ${k.boots} already seen` };
    const estimated = k.time + Math.floor((now - k.at) / 1000);
    if (c.time < estimated - TIME_WINDOW_S) return { ok: false, detail: `engine ${c.engineId} time ${c.time} is more than ${TIME_WINDOW_S} s behind its estimated ${estimated} (boots ${c.boots})` };
    return { ok: true };
  }

  get size(): number {
    return this.known.size;
  }
}
