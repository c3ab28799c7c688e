import { SEVERITY_RANK, type AlertChange } from '../types.ts';
import { DigestCollector, type Digest } from './digest.ts';
import type { ChannelQueue } from './queue.ts';
import type { ThrottleConfig } from './schema.ts';
import { addUndelivered, carryRetryAt, type UndeliveredDigests } from './undelivered.ts';

export const THROTTLE_WINDOW_MS = 60_000;

/**
 * A channel's per-minute limit in front of its queue. A window starts with the first message
 * after a quiet minute; up to `maxPerMinute` changes go out as they come, the rest are collected
 * (in bounded memory) and sent as one digest when the window ends. The digest is the first
 * message of the next window and counts against it, so a channel gets at most `maxPerMinute`
 * messages a minute (bypassed severities aside). While an earlier digest is still queued or
 * being retried (the channel is down), no second one is made: the collector keeps counting
 * until that one is delivered or given up. A digest given up after all its retries is not lost:
 * its counts (totals only, fixed size) go into the next digest, which says how many digests were
 * not delivered since when and why; with nothing new held back, a digest of only those counts is
 * tried after 1, 2, 4 ... minutes (at most an hour).
 */
export class ChannelThrottle {
  private windowStart = -Infinity;
  private sentInWindow = 0;
  private readonly collector: DigestCollector;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private readonly bypassRank: number;
  /** counts of given-up digests, waiting for the next digest */
  private undelivered: UndeliveredDigests | undefined;
  private closed = false;

  constructor(
    private readonly queue: ChannelQueue,
    private readonly cfg: ThrottleConfig,
    private link?: string,
  ) {
    this.collector = new DigestCollector(cfg.digestMaxAlerts);
    this.bypassRank = cfg.bypassSeverity === 'none' ? -1 : SEVERITY_RANK[cfg.bypassSeverity];
  }

  /** changes held back and not yet in a digest */
  get held(): number {
    return this.collector.size;
  }

  offer(change: AlertChange): void {
    if (this.cfg.maxPerMinute === 0) return this.queue.push(change);
    const now = Date.now();
    if (now >= this.windowStart + THROTTLE_WINDOW_MS) this.roll(now);
    if (SEVERITY_RANK[change.alert.severity] <= this.bypassRank) {
      this.sentInWindow++;
      this.queue.stats.bypassed++;
      return this.queue.push(change);
    }
    if (this.sentInWindow < this.cfg.maxPerMinute) {
      this.sentInWindow++;
      return this.queue.push(change);
    }
    this.queue.stats.throttled++;
    this.hold(change, now);
  }

  /** a change the full queue pushed out: counted in the next digest instead of lost */
  absorb(change: AlertChange): void {
    this.hold(change, Date.now());
  }

  /** the queue gave `digest` up: its counts go into the next digest */
  digestFailed(digest: Digest, reason: string): void {
    if (this.closed) return;
    this.undelivered = addUndelivered(this.undelivered, digest, reason, Date.now());
    this.arm();
  }

  /** the UI link of the next digests (notifications.uiUrl changed by a config reload) */
  setLink(link: string | undefined): void {
    this.link = link;
  }

  /** what waits for a digest (held changes, undelivered counts), as one digest now, or undefined; for a changed channel's successor */
  takeHeld(): Digest | undefined {
    if (this.collector.size === 0 && !this.undelivered) return undefined;
    return this.nextDigest();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private hold(change: AlertChange, now: number): void {
    this.collector.add(change, now);
    this.arm();
  }

  private roll(now: number): void {
    this.windowStart = now;
    this.sentInWindow = 0;
    if (this.queue.digestsPending > 0) return;
    if (this.collector.size > 0 || (this.undelivered && now >= carryRetryAt(this.undelivered))) {
      this.queue.pushDigest(this.nextDigest());
      this.sentInWindow = 1;
    }
  }

  private nextDigest(): Digest {
    const digest = this.collector.take(this.queue.channel.name, this.link);
    if (this.undelivered) {
      digest.undelivered = this.undelivered;
      this.undelivered = undefined;
      if (digest.total === 0) Object.assign(digest, { from: digest.undelivered.from, to: digest.undelivered.to });
    }
    return digest;
  }

  /** a timer for the end of the window (or the carried counts' retry) while something waits for a digest */
  private arm(): void {
    if (this.closed) return;
    const windowEnd = this.windowStart + THROTTLE_WINDOW_MS;
    let at: number;
    if (this.collector.size > 0) at = windowEnd;
    else if (this.undelivered) at = Math.max(windowEnd, carryRetryAt(this.undelivered));
    else return;
    // a change held while waiting for the carried counts' later retry moves the timer forward
    if (this.timer && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    const due = Math.max(0, at - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.roll(Date.now());
      this.arm();
    }, due);
    this.timer.unref();
  }
}
