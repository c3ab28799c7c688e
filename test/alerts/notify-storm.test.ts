import { describe, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { Notifier } from '../../src/alerts/notify/notifier.ts';
import { renderDigestText } from '../../src/alerts/notify/render.ts';
import { NotificationsSchema, type NotificationsInput } from '../../src/alerts/notify/schema.ts';
import type { AlertEvent, Severity } from '../../src/alerts/types.ts';
import { ev, RecordingChannel, useFakeClock } from './notify-fixtures.ts';

const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);
const SECRET_URL = 'https://hooks.example.org/services/T000/B000/secret-token';

const cleanups = useFakeClock(T0);

function setup(throttle: NotificationsInput['throttle'], channel: Record<string, unknown> = {}) {
  const fake = new RecordingChannel('noc');
  const warnings: string[] = [];
  const cfg = NotificationsSchema.parse({
    channels: [{ name: 'noc', type: 'slack', url: SECRET_URL, ...channel }],
    routes: [{ channels: ['noc'] }],
    throttle,
    uiUrl: 'https://netpulse.example.org/',
  });
  const m = new AlertManager();
  const n = new Notifier(cfg, { channels: [fake], onWarn: (w) => warnings.push(w), onError: (w) => warnings.push(w) });
  n.attach(m);
  cleanups.push(() => n.close());
  return { m, n, fake, warnings };
}

/** `count` alerts spread evenly over `ms` of fake time */
async function storm(m: AlertManager, count: number, ms: number, make: (i: number) => Partial<AlertEvent> = () => ({})) {
  for (let i = 0; i < count; i++) {
    m.raise(ev({ ...make(i), time: Date.now() }));
    await vi.advanceTimersByTimeAsync(ms / count);
  }
}

describe('per-channel throttling with digests', () => {
  it('50 alerts in 10 s at maxPerMinute 10: 10 single messages, then one digest naming the other 40', async () => {
    const { m, n, fake } = setup({ maxPerMinute: 10 });
    const severities: Severity[] = ['critical', 'major', 'major', 'major', 'major'];
    await storm(m, 50, 10_000, (i) => ({ device: `site1-sw${i % 7}`, severity: severities[i % 5], message: `site1-sw${i % 7} port ${i} down` }));
    expect(fake.sent).toHaveLength(10);
    expect(fake.digests).toHaveLength(0);
    expect(n.held()).toEqual({ noc: 40 });

    await vi.advanceTimersByTimeAsync(60_000 - 10_000);
    expect(fake.sent).toHaveLength(10);
    expect(fake.digests).toHaveLength(1);
    const d = fake.digests[0];
    expect(d).toMatchObject({ channel: 'noc', total: 40, kinds: { opened: { total: 40, bySeverity: { critical: 8, major: 32 } } }, link: 'https://netpulse.example.org/#/alerts' });
    expect(d.alerts).toHaveLength(10);
    expect(d.alerts.slice(0, 8).every((a) => a.severity === 'critical')).toBe(true);
    expect(d.topDevices).toHaveLength(5);
    expect(renderDigestText(d)).toMatch(/^40 more alerts: 40 opened \(critical 8, major 32\)\n/);
    expect(n.stats().noc).toMatchObject({ sent: 11, throttled: 40, digests: 1, bypassed: 0, dropped: 0, failed: 0 });

    // nothing more held: no further digest, and the next minute starts a fresh budget
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fake.digests).toHaveLength(1);
    await storm(m, 5, 1000);
    expect(fake.sent).toHaveLength(15);
  });

  it('counts clears apart from openings, and the digest uses the next window’s budget', async () => {
    const { m, fake } = setup({ maxPerMinute: 3 });
    const opened = [0, 1, 2, 3, 4, 5].map((i) => m.raise(ev({ key: `c${i}`, device: `d${i}` }))!.alert);
    for (const a of opened.slice(0, 2)) m.handle(ev({ action: 'clear', key: a.key, device: a.device }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.sent.map((c) => c.kind)).toEqual(['opened', 'opened', 'opened']);
    expect(fake.digests[0]).toMatchObject({ total: 5, kinds: { opened: { total: 3 }, cleared: { total: 2 } } });
    expect(renderDigestText(fake.digests[0])).toContain('5 more alerts: 3 opened (major 3), 2 cleared');
    // the digest opened this window: two more singles fit, the third waits
    await storm(m, 3, 300);
    expect(fake.sent).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.digests).toHaveLength(2);
    expect(fake.digests[1].total).toBe(1);
  });

  it('bypassSeverity: critical alerts go out at once over the limit, the rest wait for the digest', async () => {
    const { m, n, fake } = setup({ maxPerMinute: 10, bypassSeverity: 'critical' });
    await storm(m, 20, 2000);
    await storm(m, 5, 500, () => ({ severity: 'critical' }));
    expect(fake.sent).toHaveLength(15);
    expect(fake.sent.slice(10).every((c) => c.alert.severity === 'critical')).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.digests[0]).toMatchObject({ total: 10, kinds: { opened: { bySeverity: { major: 10 } } } });
    expect(n.stats().noc).toMatchObject({ bypassed: 5, throttled: 10 });
  });

  it('bypass is off by default: a critical over the limit waits like the rest', async () => {
    const { m, fake } = setup({ maxPerMinute: 2 });
    await storm(m, 3, 300, () => ({ severity: 'critical' }));
    expect(fake.sent).toHaveLength(2);
  });

  it('maxPerMinute 0 is unlimited; a channel’s own throttle overrides notifications.throttle', async () => {
    const unlimited = setup({ maxPerMinute: 10 }, { throttle: { maxPerMinute: 0 } });
    await storm(unlimited.m, 50, 1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(unlimited.fake.sent).toHaveLength(50);
    expect(unlimited.fake.digests).toHaveLength(0);

    const strict = setup({ maxPerMinute: 10 }, { throttle: { maxPerMinute: 2 } });
    await storm(strict.m, 5, 1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(strict.fake.sent).toHaveLength(2);
    expect(strict.fake.digests[0].total).toBe(3);
  });

  it('a digest stays bounded: 1,000 alerts with 2 KiB messages on 1,000 devices', async () => {
    const { m, fake } = setup({ maxPerMinute: 1, digestMaxAlerts: 10 });
    const severities: Severity[] = ['info', 'warning', 'minor', 'major', 'critical'];
    await storm(m, 1000, 30_000, (i) => ({ device: `dev-${i}-${'x'.repeat(200)}`, severity: severities[i % 5], message: `m${i} ` + 'y'.repeat(2048) }));
    await vi.advanceTimersByTimeAsync(60_000);
    const d = fake.digests[0];
    expect(d.total).toBe(999);
    expect(d.alerts).toHaveLength(10);
    expect(d.alerts.every((a) => a.severity === 'critical' && a.message.length <= 200 && a.device!.length <= 64)).toBe(true);
    expect(d.topDevices).toHaveLength(5);
    expect(d.topDevices.every((t) => t.device.length <= 64)).toBe(true);
    const text = renderDigestText(d);
    // ten are kept, as many as fit the text budget are listed
    const listed = text.split('\n').filter((l) => l.startsWith('- [CRITICAL]')).length;
    expect(listed).toBeGreaterThanOrEqual(8);
    expect(text).toContain(`... and ${999 - listed} more not listed`);
    expect(text.length).toBeLessThan(4000);
    expect(JSON.stringify(d).length).toBeLessThan(6000);
  });

  it('a target that is down: one digest at a time, a bounded queue, counted drops logged by channel name only', async () => {
    const { m, n, fake, warnings } = setup({ maxPerMinute: 10 }, { queue: 20, retries: 20, backoff: '1s' });
    fake.down = true;
    // a storm lasting 10 minutes: 100 alerts a minute
    for (let minute = 0; minute < 10; minute++) await storm(m, 100, 60_000, (i) => ({ device: `sw${i % 20}` }));
    const s = n.stats().noc;
    expect(s.queued).toBeLessThanOrEqual(20);
    expect(s.digests).toBe(1); // the first digest still waits behind the retried message
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.sent).toBe(0);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(11); // at most one line a minute
    for (const w of warnings) {
      expect(w).toMatch(/^channel noc: queue full \(20\), dropped \d+ oldest notification\(s\), counted in the next digest/);
      expect(w).not.toContain('secret-token');
      expect(w).not.toContain('hooks.example.org');
    }

    fake.down = false;
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    await n.idle();
    const after = n.stats().noc;
    expect(after).toMatchObject({ failed: 0, queued: 0 });
    expect(n.held()).toEqual({ noc: 0 });
    // nothing was lost: every one of the 1,000 alerts went out alone or is counted in a digest
    const inDigests = fake.digests.reduce((sum, d) => sum + d.total, 0);
    expect(fake.sent.length + inDigests).toBe(1000);
    expect(fake.digests.length).toBeLessThanOrEqual(3);
    for (const d of fake.digests) expect(d.alerts.length).toBeLessThanOrEqual(10);
  });

  it('digests are retried with backoff like single messages', async () => {
    const { m, n, fake } = setup({ maxPerMinute: 1 }, { retries: 3, backoff: '1s' });
    await storm(m, 3, 1000);
    fake.down = true;
    await vi.advanceTimersByTimeAsync(59_500); // the window ends: the digest fails once
    expect(n.stats().noc).toMatchObject({ digests: 1, retries: 1 });
    fake.down = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fake.digests).toHaveLength(1);
    expect(fake.digests[0].total).toBe(2);
    expect(n.stats().noc).toMatchObject({ sent: 2, failed: 0, retries: 1 });
  });
});
