import { errorMessage } from '../../errors/index.ts';
import type { AlertChange } from '../types.ts';
import { ChannelError, type Channel } from './channels.ts';

export interface ChannelStats {
  queued: number;
  sent: number;
  failed: number;
  retries: number;
  dropped: number;
  lastError?: string;
}

const MAX_BACKOFF_MS = 300_000;

/**
 * One channel's bounded FIFO and its single sender: retries with exponential backoff, drops
 * the oldest entry when full. Nothing here can block the caller or another channel.
 */
export class ChannelQueue {
  readonly stats: ChannelStats = { queued: 0, sent: 0, failed: 0, retries: 0, dropped: 0 };
  private readonly items: AlertChange[] = [];
  private running = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly channel: Channel,
    private readonly opts: { capacity: number; retries: number; backoffMs: number; onError?: (msg: string) => void },
  ) {}

  push(change: AlertChange): void {
    if (this.closed) return;
    // snapshot: the alert object keeps changing while the entry waits
    this.items.push({ ...change, alert: { ...change.alert, labels: { ...change.alert.labels } } });
    if (this.items.length > this.opts.capacity) {
      this.items.shift();
      this.stats.dropped++;
    }
    this.stats.queued = this.items.length;
    if (!this.running) void this.drain();
  }

  /** resolves once the queue is empty and nothing is in flight */
  idle(): Promise<void> {
    if (!this.running && this.items.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  close(): void {
    this.closed = true;
    this.items.length = 0;
    clearTimeout(this.timer);
    this.wake?.();
    this.channel.close?.();
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.items.length && !this.closed) {
      const change = this.items.shift()!;
      this.stats.queued = this.items.length;
      await this.deliver(change);
    }
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async deliver(change: AlertChange): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.channel.send(change);
        this.stats.sent++;
        return;
      } catch (err) {
        this.stats.lastError = errorMessage(err);
        const retryable = !(err instanceof ChannelError) || err.retryable;
        if (!retryable || attempt >= this.opts.retries || this.closed) {
          this.stats.failed++;
          this.opts.onError?.(`${this.stats.lastError} (giving up after ${attempt + 1} attempt(s))`);
          return;
        }
        this.stats.retries++;
        await this.sleep(Math.min(this.opts.backoffMs * 2 ** attempt, MAX_BACKOFF_MS));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
      this.timer.unref();
    });
  }
}
