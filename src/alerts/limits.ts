/** Counts events per key in a sliding window: flap detection and per-rule rate limits. */
export class SlidingWindow {
  private readonly times = new Map<string, number[]>();

  constructor(private readonly maxKeys = 100_000) {}

  /**
   * records an event at `now` and returns how many fell within the last `windowMs`, at most
   * `cap`: callers only compare against a threshold, so a storm keeps `cap` times per key, not all
   */
  hit(key: string, now: number, windowMs: number, cap = Number.MAX_SAFE_INTEGER): number {
    let list = this.times.get(key);
    if (!list) {
      if (this.times.size >= this.maxKeys) this.times.delete(this.times.keys().next().value!);
      list = [];
      this.times.set(key, list);
    }
    list.push(now);
    list.splice(0, Math.max(expiredIn(list, now, windowMs), list.length - Math.max(1, cap)));
    return list.length;
  }

  /** how many `hit(key, now, windowMs)` would return (cap aside), recording nothing */
  peek(key: string, now: number, windowMs: number): number {
    const list = this.times.get(key) ?? [];
    return list.length - expiredIn(list, now, windowMs) + 1;
  }
}

/** how many of the ascending `times` are out of the window ending at `now` */
function expiredIn(times: readonly number[], now: number, windowMs: number): number {
  let expired = 0;
  while (expired < times.length && times[expired] <= now - windowMs) expired++;
  return expired;
}
