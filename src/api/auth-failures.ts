/**
 * Failed token checks per client address in fixed windows: past `max` failures the address is
 * refused (429) until its window ends, whatever wrong, malformed or missing token it sends next
 * (`auth.ts` lets a valid token through first).
 * At most `maxKeys` addresses are tracked; the oldest windows go first.
 */
export class AuthFailures {
  private readonly windows = new Map<string, { failures: number; endsAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** ms until this address may try again; 0: it may now */
  blockedFor(key: string): number {
    const w = this.windows.get(key);
    if (!w) return 0;
    const left = w.endsAt - this.clock();
    if (left <= 0) {
      this.windows.delete(key);
      return 0;
    }
    return w.failures >= this.max ? left : 0;
  }

  fail(key: string): void {
    const now = this.clock();
    const w = this.windows.get(key);
    if (w && w.endsAt > now) {
      w.failures++;
      return;
    }
    this.windows.delete(key);
    if (this.windows.size >= this.maxKeys) this.prune(now);
    this.windows.set(key, { failures: 1, endsAt: now + this.windowMs });
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (w.endsAt <= now) this.windows.delete(k);
    // insertion order is start order: the oldest windows first
    for (const k of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(k);
    }
  }
}
