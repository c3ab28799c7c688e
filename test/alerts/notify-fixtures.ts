// Set-up shared by the notification tests that run on fake timers.
import { afterEach, beforeEach, vi } from 'vitest';
import { ChannelError, type Channel } from '../../src/alerts/notify/channels.ts';
import type { Digest } from '../../src/alerts/notify/digest.ts';
import type { AlertChange, AlertEvent } from '../../src/alerts/types.ts';

/** fake timers from `t0` for each test; returns the list whose callbacks (e.g. a Notifier's close) run after each test */
export function useFakeClock(t0: number): (() => void)[] {
  const cleanups: (() => void)[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ now: t0 });
  });
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
    vi.useRealTimers();
  });
  return cleanups;
}

let seq = 0;
/** a device-down raise on sw1 at the current (fake) time, with a key of its own */
export const ev = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key: `k${seq++}`, source: 'device', rule: 'device-down', device: 'sw1', severity: 'major', message: 'device down', time: Date.now(), ...over,
});

/**
 * A channel that records what it delivers. `down` makes every attempt fail as a retryable
 * HTTP 503; subclasses fail attempts their own way by overriding `attempt`.
 */
export class RecordingChannel implements Channel {
  readonly type = 'fake';
  readonly sent: AlertChange[] = [];
  readonly digests: Digest[] = [];
  down = false;
  constructor(readonly name = 'noc') {}
  async send(change: AlertChange): Promise<void> {
    this.attempt('send');
    this.sent.push(change);
  }
  async sendDigest(digest: Digest): Promise<void> {
    this.attempt('digest');
    this.digests.push(digest);
  }
  /** throws to fail this attempt */
  protected attempt(_kind: 'send' | 'digest'): void {
    if (this.down) throw new ChannelError(this.name, 'POST answered HTTP 503', true);
  }
}
