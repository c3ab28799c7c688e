/** Counts events per key in a sliding window: flap detection and per-rule rate limits. */
export class SlidingWindow {
  private readonly times = new Map<string, number[]>();

  constructor(private readonly maxKeys = 100_000) {}

  /** records an event at `now` and returns how many fell within the last `windowMs` */
  hit(key: string, now: number, windowMs: number): number {
    let list = this.times.get(key);
    if (!list) {
      if (this.times.size >= this.maxKeys) this.times.delete(this.times.keys().next().value!);
      list = [];
      this.times.set(key, list);
    }
    list.push(now);
    while (list.length && list[0] <= now - windowMs) list.shift();
    return list.length;
  }

  count(key: string, now: number, windowMs: number): number {
    const list = this.times.get(key);
    if (!list) return 0;
    return list.filter((t) => t > now - windowMs).length;
  }
}
