import { TIME_WINDOW_S } from './engine-times.ts';

/**
 * How long a recorded inform is remembered: beyond the v3 time window, so a replay of an authentic
 * v3 inform from the same address and port is deduplicated within it and refused as outside our
 * engine's time window after it (for informs the receiver is the authoritative engine).
 */
export const INFORM_TTL_MS = (TIME_WINDOW_S + 30) * 1000;

/** acks held per inform while its first copy records: a sender retries a few times, a flood more */
const MAX_WAITING = 8;

export type InformSeen = 'new' | 'recorded' | 'pending' | 'full';

/**
 * Informs already recorded (or being recorded), by sender and request-id: a sender whose ack was
 * lost or late retries with the same request-id (RFC 3416 §4.2.7), and that retry must be acked
 * again but not recorded twice. Bounded and forgotten after `ttlMs`. Only recorded informs are
 * forgotten to make room (oldest first): one still being recorded keeps its entry and the acks
 * waiting on it, and when every entry held is one being recorded a new inform is refused.
 */
export class InformDedup {
  /** key → the acks waiting for the first copy's recording */
  private readonly recording = new Map<string, (() => void)[]>();
  /** key → when it was recorded (ms); in recording order, so the first key is the oldest */
  private readonly recordedAt = new Map<string, number>();

  constructor(private readonly ttlMs = INFORM_TTL_MS, readonly max = 10_000) {}

  /**
   * 'new': record it, then call `recorded` or `failed`; 'recorded': ack it again now;
   * 'pending': `ack` runs once the first copy is recorded (dropped if that fails; the sender retries);
   * 'full': `max` informs are being recorded: neither record nor ack it (the sender retries)
   */
  check(key: string, ack: () => void, now = Date.now()): InformSeen {
    const waiting = this.recording.get(key);
    if (waiting) {
      if (waiting.length < MAX_WAITING) waiting.push(ack);
      return 'pending';
    }
    const at = this.recordedAt.get(key);
    if (at !== undefined && now - at < this.ttlMs) return 'recorded';
    this.recordedAt.delete(key);
    if (this.recording.size + this.recordedAt.size >= this.max) {
      if (this.recordedAt.size === 0) return 'full';
      this.recordedAt.delete(this.recordedAt.keys().next().value!);
    }
    this.recording.set(key, []);
    return 'new';
  }

  recorded(key: string, now = Date.now()): void {
    const waiting = this.recording.get(key);
    this.recording.delete(key);
    this.recordedAt.set(key, now);
    for (const ack of waiting ?? []) ack();
  }

  failed(key: string): void {
    this.recording.delete(key);
  }

  /** informs being recorded */
  get inFlight(): number {
    return this.recording.size;
  }
}

/** who sent the inform and its request-id; v3 retries get a new msgID but keep the request-id */
export function informKey(address: string, port: number, e: { version: string; community?: string; user?: string; engineId?: string }, requestId: number): string {
  return `${address}|${port}|${e.version}|${e.community ?? ''}|${e.user ?? ''}|${e.engineId ?? ''}|${requestId}`;
}
