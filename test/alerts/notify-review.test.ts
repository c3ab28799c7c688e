/** Review fixes: no send on a channel after it was closed; no webhook credentials in errors. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelError, WebhookChannel, type Channel } from '../../src/alerts/notify/channels.ts';
import type { Digest } from '../../src/alerts/notify/digest.ts';
import { ChannelQueue } from '../../src/alerts/notify/queue.ts';
import { NotificationsSchema, WebhookChannelSchema } from '../../src/alerts/notify/schema.ts';
import type { AlertChange } from '../../src/alerts/types.ts';

afterEach(() => {
  vi.useRealTimers();
});

class DownChannel implements Channel {
  readonly type = 'fake';
  readonly name = 'noc';
  attempts = 0;
  closed = false;
  sendsAfterClose = 0;
  async send(): Promise<void> {
    this.attempt();
  }
  async sendDigest(): Promise<void> {
    this.attempt();
  }
  close(): void {
    this.closed = true;
  }
  private attempt(): void {
    this.attempts++;
    if (this.closed) this.sendsAfterClose++;
    throw new ChannelError(this.name, 'POST answered HTTP 503', true);
  }
}

const change: AlertChange = {
  kind: 'opened', notify: true,
  alert: { id: '1', key: 'k', source: 'device', rule: 'r', device: 'd', severity: 'critical', message: 'm', state: 'open', firstSeen: 0, lastSeen: 0, count: 1, flapping: false, labels: {} },
};
const digest: Digest = { kind: 'digest', channel: 'noc', from: 0, to: 0, total: 3, kinds: {}, topDevices: [], alerts: [] };

describe('a channel queue closed while it waits to retry', () => {
  it.each([['an alert change', (q: ChannelQueue) => q.push(change)], ['a digest', (q: ChannelQueue) => q.pushDigest(digest)]])('does not send %s on the closed channel', async (_what, push) => {
    vi.useFakeTimers();
    const ch = new DownChannel();
    const errors: string[] = [];
    const q = new ChannelQueue(ch, { capacity: 10, retries: 5, backoffMs: 1000, onError: (m) => errors.push(m) });
    push(q);
    await vi.advanceTimersByTimeAsync(0);
    expect(ch.attempts).toBe(1);
    q.close();
    await vi.advanceTimersByTimeAsync(10_000);
    await q.idle();
    expect(ch.sendsAfterClose).toBe(0);
    expect(ch.attempts).toBe(1);
    expect(q.stats.failed).toBe(1);
  });
});

describe('webhook credentials', () => {
  const url = 'http://hook:s3cr3t-pass@127.0.0.1:9/hook';

  it('the config rejects a channel URL with a user or password, without echoing it', () => {
    for (const type of ['webhook', 'slack']) {
      const r = NotificationsSchema.safeParse({ channels: [{ name: 'noc', type, url }] });
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error!.issues)).not.toContain('s3cr3t');
    }
  });

  it('a failed POST does not put the URL credentials in the error', async () => {
    const ch = new WebhookChannel({ ...WebhookChannelSchema.parse({ name: 'noc', type: 'webhook', url: 'http://127.0.0.1:9/hook' }), url });
    const err = await ch.send(change).then(() => undefined, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(ChannelError);
    expect(err!.message).not.toContain('s3cr3t');
  });
});
