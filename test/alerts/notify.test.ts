import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { Notifier } from '../../src/alerts/notify/notifier.ts';
import { NotificationsSchema, type NotificationsInput } from '../../src/alerts/notify/schema.ts';
import type { AlertEvent } from '../../src/alerts/types.ts';
import { waitFor } from '../traps/helpers.ts';
import { smtpSink, webhookServer } from './sinks.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function setup(cfg: NotificationsInput) {
  const m = new AlertManager();
  const n = new Notifier(NotificationsSchema.parse(cfg));
  n.attach(m);
  cleanups.push(() => n.close());
  return { m, n };
}
const ev = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key: 'k', source: 'trap', rule: 'linkDown', device: 'sw1', severity: 'major', message: 'sw1 interface Gi0/7 down', time: Date.now(), ...over,
});

describe('notification channels', () => {
  it('webhook: JSON POST with an HMAC-SHA256 signature', async () => {
    const hook = await webhookServer();
    cleanups.push(hook.close);
    const { m, n } = setup({ channels: [{ name: 'hook', type: 'webhook', url: hook.url(), secret: 'sig-secret', template: '{SEVERITY} {message}' }], routes: [{ channels: ['hook'] }] });
    m.raise(ev());
    await n.idle();
    expect(hook.hits).toHaveLength(1);
    const { body, headers } = hook.hits[0];
    const t = headers['x-netpulse-timestamp'];
    expect(t).toMatch(/^\d{10}$/);
    expect(headers['x-netpulse-signature']).toBe('v1=' + createHmac('sha256', 'sig-secret').update(`${t}.${body}`).digest('hex'));
    expect(JSON.parse(body)).toMatchObject({ event: 'opened', text: 'MAJOR sw1 interface Gi0/7 down', alert: { device: 'sw1', state: 'open', count: 1 } });
  });

  it.each([
    ['slack', { text: expect.stringContaining('[MAJOR] OPEN: sw1 interface Gi0/7 down') }],
    ['mattermost', { text: expect.stringContaining('sw1 interface Gi0/7 down') }],
    ['teams', { '@type': 'MessageCard', themeColor: 'F5A623', text: expect.stringContaining('OPEN') }],
  ])('%s incoming webhook body', async (type, want) => {
    const hook = await webhookServer();
    cleanups.push(hook.close);
    const { m, n } = setup({ channels: [{ name: 'chat', type: type as 'slack', url: hook.url() }], routes: [{ channels: ['chat'] }] });
    m.raise(ev());
    await n.idle();
    expect(JSON.parse(hook.hits[0].body)).toMatchObject(want);
  });

  it('email over SMTP (nodemailer) to a local sink, retrying a 451', async () => {
    let fails = 1;
    const smtp = await smtpSink({ failMail: () => fails-- > 0 });
    cleanups.push(smtp.close);
    const { m, n } = setup({
      channels: [{ name: 'mail', type: 'email', host: '127.0.0.1', port: smtp.port, from: 'netpulse@example.org', to: ['noc@example.org'], backoff: '50ms' }],
      routes: [{ minSeverity: 'major', channels: ['mail'] }],
    });
    m.raise(ev({ severity: 'minor', key: 'minor' }));
    m.raise(ev());
    await n.idle();
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].to).toEqual(['<noc@example.org>']);
    expect(smtp.mails[0].data).toContain('Subject: [netpulse] MAJOR OPEN: sw1 interface Gi0/7 down');
    expect(n.stats().mail).toMatchObject({ sent: 1, retries: 1, failed: 0 });
  });

  it('retries 5xx with backoff, gives up on 4xx', async () => {
    let flakyCalls = 0;
    const hook = await webhookServer((h) => (h.path === '/flaky' ? (++flakyCalls <= 2 ? 503 : 200) : 404));
    cleanups.push(hook.close);
    const { m, n } = setup({
      channels: [
        { name: 'flaky', type: 'webhook', url: hook.url('/flaky'), backoff: '20ms' },
        { name: 'gone', type: 'webhook', url: hook.url('/gone'), backoff: '20ms' },
      ],
      routes: [{ channels: ['flaky'] }],
    });
    m.raise(ev({ notify: ['gone'] }));
    await n.idle();
    expect(n.stats().flaky).toMatchObject({ sent: 1, retries: 2, failed: 0 });
    expect(n.stats().gone).toMatchObject({ sent: 0, retries: 0, failed: 1, lastError: expect.stringContaining('HTTP 404') });
    // the reason names the channel's host and port, not its path
    expect(n.stats().gone.lastError).toBe(`notify: channel gone: POST ${hook.url('/…')} answered HTTP 404`);
  });

  it('a refused connection: the reason, log line and stats name host and port, never the token in the path', async () => {
    const closed = await webhookServer();
    await closed.close(); // nothing listens on its port any more
    const token = 'q7Vx2LmB9tKc4RwZ8pHn3JdF';
    const url = closed.url(`/services/T0123/B0456/${token}`);
    const errors: string[] = [];
    const m = new AlertManager();
    const n = new Notifier(NotificationsSchema.parse({ channels: [{ name: 'slack', type: 'slack', url, retries: 0 }], routes: [{ channels: ['slack'] }] }), { onError: (e) => errors.push(e) });
    n.attach(m);
    cleanups.push(() => n.close());
    m.raise(ev());
    await n.idle();
    const reason = n.stats().slack.lastError!;
    expect(reason).toMatch(new RegExp(`^notify: channel slack: POST http://127\\.0\\.0\\.1:\\d+/… failed: fetch failed: .*ECONNREFUSED`));
    expect(errors).toEqual([`${reason} (giving up after 1 attempt(s))`]);
    for (const text of [reason, ...errors]) for (const secret of [token, '/services', 'T0123']) expect(text).not.toContain(secret);
  });

  it('a hanging channel never blocks the others; its queue is bounded', async () => {
    const hang = await webhookServer(() => 0);
    const ok = await webhookServer();
    cleanups.push(hang.close, ok.close);
    const { m, n } = setup({
      channels: [
        { name: 'hang', type: 'webhook', url: hang.url(), timeout: '5s', queue: 3, retries: 0 },
        { name: 'ok', type: 'webhook', url: ok.url() },
      ],
      routes: [{ channels: ['hang', 'ok'] }],
    });
    for (let i = 0; i < 10; i++) m.raise(ev({ key: `k${i}` }));
    await waitFor(() => ok.hits.length === 10, 30_000, '10 notifications on the healthy channel');
    // one in flight (its 5 s timeout not reached: nothing taken from the queue yet), three queued, six dropped
    expect(n.stats().hang).toMatchObject({ dropped: 6, queued: 3 });
  });

  it('routes clears, and sends nothing for unrouted severities', async () => {
    const hook = await webhookServer();
    cleanups.push(hook.close);
    const { m, n } = setup({ channels: [{ name: 'hook', type: 'webhook', url: hook.url() }], routes: [{ severities: ['critical'], channels: ['hook'] }] });
    m.raise(ev({ severity: 'minor', key: 'a' }));
    m.raise(ev({ severity: 'critical', key: 'b' }));
    m.handle(ev({ action: 'clear', key: 'b', severity: 'critical' }));
    await n.idle();
    expect(hook.hits.map((h) => JSON.parse(h.body).event)).toEqual(['opened', 'cleared']);
  });

  it('sends acknowledgements only to routes that ask for them', async () => {
    const hook = await webhookServer();
    cleanups.push(hook.close);
    const { m, n } = setup({ channels: [{ name: 'hook', type: 'webhook', url: hook.url() }], routes: [{ kinds: ['acknowledged'], channels: ['hook'] }] });
    const a = m.raise(ev())!.alert;
    m.acknowledge(a.id, 'noc');
    await n.idle();
    expect(hook.hits.map((h) => JSON.parse(h.body))).toMatchObject([{ event: 'acknowledged', alert: { acknowledgedBy: 'noc' } }]);
  });

  it('rejects unknown channels in routes and bad URLs', () => {
    const r = NotificationsSchema.safeParse({ channels: [{ name: 'x', type: 'webhook', url: 'not a url' }], routes: [{ channels: ['y'] }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join(';')).toMatch(/unknown channel "y"/);
  });
});
