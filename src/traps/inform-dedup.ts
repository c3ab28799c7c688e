/**
 * Informs already recorded (or being recorded), by sender and request-id: a sender whose ack was
 * lost or late retries with the same request-id (RFC 3416 §4.2.7), and that retry must be acked
 * again but not recorded twice. Bounded (oldest forgotten first) and forgotten after `ttlMs`.
 */
/** acks held per inform while its first copy records: a sender retries a few times, a flood more */
const MAX_WAITING = 8;

export class InformDedup {
  /** key → when it was recorded (ms), or the acks waiting for the first copy's recording */
  private readonly seen = new Map<string, { recordedAt: number } | { waiting: (() => void)[] }>();

  constructor(private readonly ttlMs = 120_000, private readonly max = 10_000) {}

  /**
   * 'new': record it, then call `recorded` or `failed`; 'recorded': ack it again now;
   * 'pending': `ack` runs once the first copy is recorded (dropped if that fails; the sender retries)
   */
  check(key: string, ack: () => void, now = Date.now()): 'new' | 'recorded' | 'pending' {
    const s = this.seen.get(key);
    if (s && 'waiting' in s) {
      if (s.waiting.length < MAX_WAITING) s.waiting.push(ack);
      return 'pending';
    }
    if (s && now - s.recordedAt < this.ttlMs) return 'recorded';
    this.seen.delete(key);
    if (this.seen.size >= this.max) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, { waiting: [] });
    return 'new';
  }

  recorded(key: string, now = Date.now()): void {
    const s = this.seen.get(key);
    this.seen.delete(key); // re-inserted last: the map stays in recording order for eviction
    this.seen.set(key, { recordedAt: now });
    if (s && 'waiting' in s) for (const ack of s.waiting) ack();
  }

  failed(key: string): void {
    this.seen.delete(key);
  }
}

/** who sent the inform and its request-id; v3 retries get a new msgID but keep the request-id */
export function informKey(address: string, port: number, e: { version: string; community?: string; user?: string; engineId?: string }, requestId: number): string {
  return `${address}|${port}|${e.version}|${e.community ?? ''}|${e.user ?? ''}|${e.engineId ?? ''}|${requestId}`;
}
