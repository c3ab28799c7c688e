// Digests given up after all retries: their counts go into the channel's next digest.
import { describe, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { ChannelError } from '../../src/alerts/notify/channels.ts';
import { DigestCollector, type Digest } from '../../src/alerts/notify/digest.ts';
import { Notifier } from '../../src/alerts/notify/notifier.ts';
import { renderDigestText } from '../../src/alerts/notify/render.ts';
import { NotificationsSchema } from '../../src/alerts/notify/schema.ts';
import { addUndelivered, redactReason, type UndeliveredDigests } from '../../src/alerts/notify/undelivered.ts';
import { mayBeToken } from '../../src/alerts/notify/notifier.ts';
import type { AlertChangeKind, Severity } from '../../src/alerts/types.ts';
import { renderMetrics } from '../../src/api/metrics-text.ts';
import { runtimeMetrics } from '../../src/main/adapters/metrics.ts';
import { DeviceStatusRegistry } from '../../src/poller/index.ts';
import { ev, RecordingChannel, useFakeClock } from './notify-fixtures.ts';

const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);
const iso = (t: number) => new Date(t).toISOString();
const TOKEN = 'xoxb-very-secret-token-42';
const SECRET_URL = `https://hooks.example.org/services/T000/B000/${TOKEN}`;
const HMAC_SECRET = 'hmac-signing-secret-99';
const AUTH_HEADER = 'Bearer auth-header-secret-77';

/** fails its first `failDigests` digest attempts (single messages always pass) with an error quoting secrets */
class FlakyChannel extends RecordingChannel {
  digestAttempts = 0;
  sendsFail = false;
  constructor(public failDigests: number) {
    super('noc');
  }
  protected override attempt(kind: 'send' | 'digest'): void {
    if (kind === 'send') {
      if (this.sendsFail) throw new ChannelError(this.name, 'POST answered HTTP 503', true);
    } else if (this.digestAttempts++ < this.failDigests) {
      throw new ChannelError(this.name, `POST failed: connect ECONNREFUSED to ${SECRET_URL} (token ${TOKEN}, signed with ${HMAC_SECRET}, auth ${AUTH_HEADER})`, true);
    }
  }
}

const cleanups = useFakeClock(T0);

/** maxPerMinute 1, one retry after 1 s: a digest is given up after 2 failed attempts */
function setup(fake: FlakyChannel, retries = 1) {
  const cfg = NotificationsSchema.parse({
    channels: [{ name: 'noc', type: 'webhook', url: SECRET_URL, secret: HMAC_SECRET, headers: { authorization: AUTH_HEADER }, retries, backoff: '1s' }],
    routes: [{ channels: ['noc'] }],
    throttle: { maxPerMinute: 1 },
  });
  const m = new AlertManager();
  const errors: string[] = [];
  const n = new Notifier(cfg, { channels: [fake], onError: (e) => errors.push(e) });
  n.attach(m);
  cleanups.push(() => n.close());
  return { m, n, errors };
}

async function raise(m: AlertManager, count: number, severity: Severity = 'major') {
  for (let i = 0; i < count; i++) {
    m.raise(ev({ severity }));
    await vi.advanceTimersByTimeAsync(100);
  }
}

/** the channel URL's host stays to debug with, its path (the token) never */
function expectNoSecret(text: string) {
  for (const s of [TOKEN, SECRET_URL, '/services/T000', 'B000', HMAC_SECRET, AUTH_HEADER, 'auth-header-secret']) expect(text).not.toContain(s);
}

describe('digests given up after all retries', () => {
  it('a channel that fails 2 digests then recovers: the third digest carries their counts, when and why', async () => {
    const fake = new FlakyChannel(4); // 2 digests x 2 attempts
    const { m, n, errors } = setup(fake);
    await raise(m, 5, 'critical'); // 1 sent, 4 held
    await vi.advanceTimersByTimeAsync(T0 + 60_000 - Date.now()); // digest 1: attempt at 60 s, retry at 61 s
    await vi.advanceTimersByTimeAsync(1_000);
    expect(n.stats().noc).toMatchObject({ digests: 1, digestsFailed: 1, failed: 1 });
    const firstFailure = Date.now();

    await raise(m, 3); // held in the digest's window
    await vi.advanceTimersByTimeAsync(T0 + 120_000 - Date.now()); // digest 2 (3 new + 4 carried) fails twice
    await vi.advanceTimersByTimeAsync(1_000);
    expect(n.stats().noc).toMatchObject({ digests: 2, digestsFailed: 2, failed: 2 });
    expect(fake.digests).toHaveLength(0);

    await raise(m, 2, 'minor');
    await vi.advanceTimersByTimeAsync(60_000);
    await n.idle();
    expect(fake.digests).toHaveLength(1);
    const d = fake.digests[0];
    expect(d.total).toBe(2);
    expect(d.undelivered).toMatchObject({
      digests: 2, since: firstFailure, total: 7,
      kinds: { opened: { total: 7, bySeverity: { critical: 4, major: 3 } } },
    });
    const text = renderDigestText(d);
    expect(text.split('\n')[0]).toBe('2 more alerts: 2 opened (minor 2) (+7 alerts from 2 undelivered digests)');
    expect(text).toContain(`NOT DELIVERED: 2 earlier digests of this channel failed after all retries, the first at ${iso(firstFailure)}`);
    expect(text).toContain('They held back 7 alerts: 7 opened (critical 4, major 3)');
    expect(text).toContain('POST failed: connect ECONNREFUSED to https://hooks.example.org/… (token [redacted], signed with [redacted], auth [redacted])');
    expectNoSecret(text);
    expectNoSecret(JSON.stringify(d));
    expect(n.stats().noc).toMatchObject({ digests: 3, digestsFailed: 2, failed: 2 });

    // delivered: the counts are not carried again
    await raise(m, 3);
    await vi.advanceTimersByTimeAsync(60_000);
    await n.idle();
    expect(fake.digests.at(-1)!.undelivered).toBeUndefined();
    expect(errors.length).toBe(2);
    for (const e of errors) {
      expect(e).toContain('connect ECONNREFUSED to https://hooks.example.org/…');
      expectNoSecret(e);
    }
  });

  it('with nothing new held back, a digest of only the undelivered counts is sent once the channel is back', async () => {
    const fake = new FlakyChannel(2);
    const { m, n } = setup(fake);
    await raise(m, 4); // 1 sent, 3 held
    await vi.advanceTimersByTimeAsync(T0 + 61_000 - Date.now()); // given up at 61 s
    expect(n.stats().noc.digestsFailed).toBe(1);
    const failedAt = Date.now();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(fake.digests).toHaveLength(0); // retried 1 minute after the failure, not earlier
    await vi.advanceTimersByTimeAsync(1_000);
    await n.idle();
    expect(fake.digests).toHaveLength(1);
    const d = fake.digests[0];
    expect(d).toMatchObject({ total: 0, undelivered: { digests: 1, since: failedAt, total: 3 } });
    const lines = renderDigestText(d).split('\n');
    expect(lines[0]).toBe(`1 digest not delivered since ${iso(failedAt)}, 3 alerts: 3 opened (major 3)`);
    expect(lines.some((l) => l.startsWith('held back between'))).toBe(false);
    expectNoSecret(lines.join('\n'));
    expect(d.undelivered!.lastReason).toContain('https://hooks.example.org/…');
    expect(n.stats().noc.lastError).toContain('https://hooks.example.org/…');
    expectNoSecret(n.stats().noc.lastError!);
  });

  it('a channel down for 10,000 digests keeps fixed-size totals and retries at most hourly', async () => {
    const fake = new FlakyChannel(Infinity);
    const { m, n } = setup(fake, 0);
    const kinds: Severity[] = ['critical', 'major', 'minor', 'warning', 'info'];
    let held = 0;
    for (let i = 0; i < 10_000; i++) {
      m.raise(ev({ severity: kinds[i % 5], device: `dev-${i}`, message: `m${i} ${'x'.repeat(500)}` }));
      m.raise(ev({ severity: kinds[(i + 1) % 5], device: `dev-${i}`, message: `m${i} ${'x'.repeat(500)}` }));
      await vi.advanceTimersByTimeAsync(60_000);
    }
    const s = n.stats().noc;
    expect(s.digestsFailed).toBeGreaterThanOrEqual(9_990);
    held = s.throttled;
    fake.failDigests = 0;
    await vi.advanceTimersByTimeAsync(3_600_000); // the carried counts' retry is at most an hour away
    await n.idle();
    expect(fake.digests).toHaveLength(1);
    const u = fake.digests[0].undelivered!;
    expect(u.digests).toBe(s.digestsFailed);
    expect(u.total + fake.digests[0].total).toBe(held);
    expect(u.since).toBe(T0 + 60_000);
    expect(JSON.stringify(u).length).toBeLessThan(1_000);
    expect(renderDigestText(fake.digests[0]).length).toBeLessThan(4_000);
  }, 60_000);

  it('the metrics count the digest given up', async () => {
    const fake = new FlakyChannel(2);
    const { m, n } = setup(fake);
    await raise(m, 3);
    await vi.advanceTimersByTimeAsync(T0 + 61_000 - Date.now());
    const text = renderMetrics(runtimeMetrics({
      scheduler: () => ({ jobs: 0, pollsStarted: 0, pollsDone: 0, pollsFailed: 0, missedPolls: 0, abandonedSlots: 0, queueDepth: 0, inFlight: 0,
        pollDurationMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 }, eventLoopDelayMs: { p50: 0, p99: 0, max: 0 } }),
      registry: new DeviceStatusRegistry(),
      storage: () => ({ backend: 'sqlite', healthy: true, pointsWritten: 0, pointsSpooled: 0, pointsReplayed: 0, pointsDropped: 0, pointsQuarantined: 0,
        pointsInvalid: 0, batchesFailed: 0, integersWrapped: 0, spoolPoints: 0, spoolBytes: 0, pendingPoints: 0 }),
      alerts: () => m.stats, notifications: () => n.stats(), dictionaryNodes: () => 0, startedAt: 0,
    }, Date.now()));
    expect(text).toMatch(/^netpulse_notifications_digests_failed_total\{channel="noc"\} 1$/m);
    expect(text).toMatch(/^netpulse_notifications_failed_total\{channel="noc"\} 1$/m);
    expect(text).toMatch(/^netpulse_notifications_digests_total\{channel="noc"\} 1$/m);
    m.close();
  });
});

describe('undelivered counts', () => {
  function digest(i: number): Digest {
    const c = new DigestCollector(10);
    const kinds: AlertChangeKind[] = ['opened', 'escalated', 'cleared', 'acknowledged', 'repeated'];
    const sevs: Severity[] = ['critical', 'major', 'minor', 'warning', 'info'];
    for (let j = 0; j < 5; j++) {
      c.add({ kind: kinds[(i + j) % 5], notify: true, alert: {
        id: `a${i}-${j}`, key: `k${i}-${j}`, source: 'device', rule: 'r', device: `d${i}`, severity: sevs[j], message: 'x'.repeat(300),
        state: 'open', firstSeen: T0, lastSeen: T0, count: 1, flapping: false, labels: {},
      } }, T0 + i * 1000 + j);
    }
    return c.take('noc');
  }

  it('10,000 given-up digests, each carrying the last: the same fixed size, exact totals', () => {
    let carry: UndeliveredDigests | undefined;
    let size10 = 0;
    for (let i = 0; i < 10_000; i++) {
      const d = digest(i);
      if (i % 2 === 1) {
        d.undelivered = carry; // the next digest took the counts along and failed too
        carry = undefined;
      }
      carry = addUndelivered(carry, d, `reason ${i}`, T0 + i);
      if (i === 9) size10 = JSON.stringify(carry).length;
    }
    expect(carry!).toMatchObject({ digests: 10_000, total: 50_000, since: T0, lastFailedAt: T0 + 9_999, lastReason: 'reason 9999', from: T0, to: T0 + 9_999_004 });
    expect(Object.values(carry!.kinds).reduce((s, k) => s + k.total, 0)).toBe(50_000);
    expect(carry!.kinds.opened!.total).toBe(10_000);
    expect(JSON.stringify(carry).length - size10).toBeLessThan(150); // only the counts' digits grow
    expect(JSON.stringify(carry).length).toBeLessThan(1_000);
  });

  it('a reason loses secrets (not hosts) and newlines, and is cut to 200 characters', () => {
    const r = redactReason(`SMTP mail.example.org:587: Invalid login for pw s3cr3t-pass\nat https://x.example.org/a?b=c&token=t ${'y'.repeat(400)}`, ['s3cr3t-pass']);
    expect(r).toMatch(/^SMTP mail\.example\.org:587: Invalid login for pw \[redacted\] at https:\/\/x\.example\.org\/a\?b=c&token=\[redacted\] y+\.\.\.$/);
    expect(r.length).toBe(200);
  });

  it.each<[string, string, string, string]>([
    ['a short secret standing alone is replaced', 'auth failed: password pw1 rejected', 'pw1', 'auth failed: password [redacted] rejected'],
    ['at the start and the end of the text', 'x9 was refused for x9', 'x9', '[redacted] was refused for [redacted]'],
    ['next to punctuation', 'login "ab1" (ab1)', 'ab1', 'login "[redacted]" ([redacted])'],
    ['not inside a longer word or number', 'spw12 and pw1x and 4pw1', 'pw1', 'spw12 and pw1x and 4pw1'],
    ['a 4-character secret is replaced anywhere', 'tokenabcdx', 'abcd', 'token[redacted]x'],
  ])('%s', (_, reason, secret, expected) => {
    expect(redactReason(reason, [secret])).toBe(expected);
  });
});

describe('mayBeToken (channel URL parts kept as secrets)', () => {
  it.each<[string, boolean]>([
    ['services', false], ['hooks', false], ['api', false], ['v1', false], ['netpulse-alerts', false], ['', false],
    ['T000', true], ['B000', true], ['T0123ABCD', true], ['XXXXXXXXXXXXXXXXXXXXXXXX', true], ['AbCdEfGh', true],
    ['abcdefghijklmnopqrstuvwx', true], ['bot123:abc', true], ['a_b_c_d', true], ['hooks.json', true],
  ])('%s -> %s', (part, expected) => {
    expect(mayBeToken(part)).toBe(expected);
  });
});
