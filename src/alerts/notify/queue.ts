import { errorMessage } from '../../errors/index.ts';
import type { AlertChange } from '../types.ts';
import { ChannelError, type Channel } from './channels.ts';
import type { Digest } from './digest.ts';

export interface ChannelStats {
  queued: number;
  sent: number;
  failed: number;
  retries: number;
  /** entries pushed out of a full queue (counted into the next digest when the channel throttles) */
  dropped: number;
  /** changes held back by the channel's limit and collected for a digest */
  throttled: number;
  /** digest messages queued */
  digests: number;
  /** digests given up after all retries (also in `failed`); their counts go into the next digest */
  digestsFailed: number;
  /** changes sent over the limit because of bypassSeverity */
  bypassed: number;
  lastError?: string;
}

/** what a channel queue carries: one alert change, or a digest of held-back changes */
export type QueueItem = AlertChange | Digest;

export interface ChannelQueueOptions {
  capacity: number;
  retries: number;
  backoffMs: number;
  onError?: (msg: string) => void;
  /** warnings (a full queue), at most one line a minute per channel */
  onWarn?: (msg: string) => void;
  /** an alert change pushed out of the full queue, so a digest can still count it */
  onDrop?: (change: AlertChange) => void;
  /** a digest given up after all retries (not when the queue closes), and why */
  onDigestFailed?: (digest: Digest, reason: string) => void;
  /** removes the channel's secrets from a failure reason before it is kept, logged or passed on */
  redact?: (reason: string) => string;
}

const MAX_BACKOFF_MS = 300_000;
const DROP_LOG_INTERVAL_MS = 60_000;

/**
 * The wait before retry `attempt + 1`: the exponential backoff, or longer when the server asked
 * so (Retry-After), but never over MAX_BACKOFF_MS for that
 */
export function retryDelay(backoffMs: number, attempt: number, retryAfterMs?: number): number {
  const backoff = Math.min(backoffMs * 2 ** attempt, MAX_BACKOFF_MS);
  return Math.max(backoff, Math.min(retryAfterMs ?? 0, MAX_BACKOFF_MS));
}

/**
 * One channel's bounded FIFO and its single sender: retries with exponential backoff (or the
 * server's Retry-After, when longer), drops
 * the oldest entry when full. Nothing here can block the caller or another channel.
 */
export class ChannelQueue {
  readonly stats: ChannelStats = { queued: 0, sent: 0, failed: 0, retries: 0, dropped: 0, throttled: 0, digests: 0, digestsFailed: 0, bypassed: 0 };
  private readonly items: QueueItem[] = [];
  /** digests queued or in flight; a throttle sends no new one while this is not 0 */
  digestsPending = 0;
  private dropsUnlogged = 0;
  private lastDropLog = -Infinity;
  private running = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly channel: Channel,
    private readonly opts: ChannelQueueOptions,
  ) {}

  push(change: AlertChange): void {
    // snapshot: the alert object keeps changing while the entry waits
    this.enqueue({ ...change, alert: { ...change.alert, labels: { ...change.alert.labels } } });
  }

  pushDigest(digest: Digest): void {
    if (this.closed) return;
    this.digestsPending++;
    this.stats.digests++;
    this.enqueue(digest);
  }

  private enqueue(item: QueueItem): void {
    if (this.closed) return;
    this.items.push(item);
    if (this.items.length > this.opts.capacity) this.dropOldest();
    this.stats.queued = this.items.length;
    if (!this.running) void this.drain();
  }

  /** drops the oldest alert change; a digest stays (it already stands for many changes) */
  private dropOldest(): void {
    const i = this.items.findIndex((it) => it.kind !== 'digest');
    if (i < 0) return;
    const [dropped] = this.items.splice(i, 1) as AlertChange[];
    this.stats.dropped++;
    this.dropsUnlogged++;
    this.opts.onDrop?.(dropped);
    const now = Date.now();
    if (now - this.lastDropLog >= DROP_LOG_INTERVAL_MS) {
      this.lastDropLog = now;
      const fate = this.opts.onDrop ? 'counted in the next digest' : 'lost';
      this.opts.onWarn?.(`channel ${this.channel.name}: queue full (${this.opts.capacity}), dropped ${this.dropsUnlogged} oldest notification(s), ${fate} (${this.stats.dropped} in all)`);
      this.dropsUnlogged = 0;
    }
  }

  /** entries waiting or in flight */
  get pending(): number {
    return this.items.length + (this.running ? 1 : 0);
  }

  /** takes the waiting entries out (a changed channel's, for its successor); the one in flight stays */
  takeWaiting(): QueueItem[] {
    const items = this.items.splice(0);
    for (const it of items) if (it.kind === 'digest' && this.digestsPending > 0) this.digestsPending--;
    this.stats.queued = 0;
    return items;
  }

  /** entries another queue took out (takeWaiting), in their order, after whatever this one holds */
  adopt(items: QueueItem[]): void {
    for (const it of items) {
      if (it.kind === 'digest') this.pushDigest(it);
      else this.enqueue(it);
    }
  }

  /** resolves once the queue is empty and nothing is in flight */
  idle(): Promise<void> {
    if (!this.running && this.items.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  close(): void {
    this.closed = true;
    this.items.length = 0;
    this.digestsPending = 0;
    clearTimeout(this.timer);
    this.wake?.();
    this.channel.close?.();
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.items.length && !this.closed) {
      const item = this.items.shift()!;
      this.stats.queued = this.items.length;
      const failure = await this.deliver(item);
      if (item.kind !== 'digest') continue;
      if (this.digestsPending > 0) this.digestsPending--;
      if (failure !== undefined && !this.closed) this.opts.onDigestFailed?.(item, failure);
    }
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** undefined once delivered, else why it was given up */
  private async deliver(item: QueueItem): Promise<string | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        await (item.kind === 'digest' ? this.channel.sendDigest(item) : this.channel.send(item));
        this.stats.sent++;
        return undefined;
      } catch (err) {
        const reason = this.opts.redact ? this.opts.redact(errorMessage(err)) : errorMessage(err);
        this.stats.lastError = reason;
        const retryable = !(err instanceof ChannelError) || err.retryable;
        if (!retryable || attempt >= this.opts.retries || this.closed) {
          this.countFailed(item);
          this.opts.onError?.(`${reason} (giving up after ${attempt + 1} attempt(s))`);
          return reason;
        }
        this.stats.retries++;
        await this.sleep(retryDelay(this.opts.backoffMs, attempt, err instanceof ChannelError ? err.retryAfterMs : undefined));
        // close() wakes the sleep and closes the channel: no attempt on it after that
        if (this.closed) {
          this.countFailed(item);
          return reason;
        }
      }
    }
  }

  private countFailed(item: QueueItem): void {
    this.stats.failed++;
    if (item.kind === 'digest') this.stats.digestsFailed++;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
      this.timer.unref();
    });
  }
}
