/**
 * A raise waiting until its condition has held a rule's `forMs` (src/main DeviceStateRules). When
 * the rule's forMs changes meanwhile, retime() moves it: it fires `forMs` after the condition began,
 * at once when that has passed already.
 */
export class ForTimer {
  private timer: NodeJS.Timeout | undefined;
  /** when the condition began: now (ms since the epoch, Date.now's clock, as setTimeout's) */
  private readonly since = Date.now();

  constructor(private readonly fire: () => void, private forMs: number) {
    this.arm(this.since);
  }

  /** fires at `since + forMs` from now on (once `now` is past it: at once, in a later turn) */
  retime(forMs: number, now = Date.now()): void {
    if (forMs === this.forMs) return;
    this.forMs = forMs;
    this.cancel();
    this.arm(now);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(now: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, Math.max(0, this.since + this.forMs - now));
    this.timer.unref();
  }
}
