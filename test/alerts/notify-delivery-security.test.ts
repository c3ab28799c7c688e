// Delivery gaps closed in notify/: no SMTP login in clear text, an SMTP deadline per message,
// Retry-After honoured, webhook signatures bound to a timestamp, Teams Markdown escaped.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelError, createChannel, type Channel } from '../../src/alerts/notify/channels.ts';
import { escapeTeams } from '../../src/alerts/notify/chat-escape.ts';
import { DigestCollector } from '../../src/alerts/notify/digest.ts';
import { ChannelQueue, retryDelay } from '../../src/alerts/notify/queue.ts';
import { parseRetryAfter } from '../../src/alerts/notify/retry-after.ts';
import { ChannelSchema, EmailChannelSchema } from '../../src/alerts/notify/schema.ts';
import type { AlertChange } from '../../src/alerts/types.ts';
import { smtpSession } from './sinks.ts';

const T0 = Date.UTC(2026, 11, 4, 8, 0, 0);

function change(over: { message?: string; device?: string } = {}): AlertChange {
  return {
    kind: 'opened', notify: true,
    alert: {
      id: 'a1', key: 'k1', source: 'trap', rule: 'linkDown', device: over.device ?? 'sw1', severity: 'major',
      message: over.message ?? 'sw1 Gi0/1 down', state: 'open', firstSeen: T0, lastSeen: T0, count: 1, flapping: false, labels: {},
    },
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  vi.useRealTimers();
});

const failure = (p: Promise<unknown>): Promise<ChannelError> =>
  p.then(() => { throw new Error('expected the send to fail'); }, (e: unknown) => e as ChannelError);

/**
 * An SMTP server on 127.0.0.1:0 that offers AUTH PLAIN LOGIN but no STARTTLS (and refuses it),
 * records every line it gets; `trickle` answers EHLO with an endless multi-line reply, a byte at a time.
 */
async function smtpServer(opts: { trickle?: boolean } = {}) {
  const lines: string[] = [];
  const mails: string[] = [];
  const sockets = new Set<Socket>();
  let closedByClient = 0;
  const server = createTcpServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => { sockets.delete(sock); closedByClient++; });
    sock.on('error', () => undefined);
    smtpSession(sock, '220 test ESMTP', (line, reply) => {
      const cmd = line.split(' ')[0].toUpperCase();
      if (cmd === 'EHLO' && opts.trickle) {
        const timer = setInterval(() => { if (!sock.destroyed) sock.write('2'); }, 10);
        sock.on('close', () => clearInterval(timer));
      } else if (cmd === 'EHLO') reply('250-test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME');
      else if (cmd === 'STARTTLS') reply('502 5.5.1 STARTTLS not supported');
      else if (cmd === 'AUTH') reply('235 2.7.0 authenticated');
      else reply('250 OK');
    }, (data) => mails.push(data), (line) => lines.push(line));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return { lines, mails, port: (server.address() as { port: number }).port, open: () => sockets.size, closed: () => closedByClient };
}

const mailChannel = (port: number, over: Record<string, unknown> = {}): Channel => {
  const ch = createChannel(ChannelSchema.parse({
    name: 'mail', type: 'email', host: '127.0.0.1', port, from: 'netpulse@example.org', to: 'noc@example.org', ...over,
  }));
  cleanups.push(() => ch.close?.());
  return ch;
};

describe('SMTP: no login over an unencrypted connection', () => {
  const PASSWORD = 'S3cr3t-p4ss';

  it('a server without STARTTLS gets no AUTH; the delivery fails permanently, naming channel and cause, not the password', async () => {
    const smtp = await smtpServer();
    const ch = mailChannel(smtp.port, { user: 'netpulse', password: PASSWORD });
    const err = await failure(ch.send(change()));
    expect(err).toBeInstanceOf(ChannelError);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^notify: channel mail: SMTP 127\.0\.0\.1:\d+: the server refused STARTTLS \(502\); not sending the login of user netpulse over an unencrypted connection/);
    expect(err.message).toContain('allowPlaintextAuth: true');
    const sent = smtp.lines.join('\n');
    expect(smtp.lines.some((l) => /^AUTH/i.test(l))).toBe(false);
    for (const secret of [PASSWORD, Buffer.from(`\0netpulse\0${PASSWORD}`).toString('base64'), Buffer.from(PASSWORD).toString('base64')]) {
      expect(sent).not.toContain(secret);
      expect(err.message).not.toContain(secret);
    }
    expect(smtp.mails).toHaveLength(0);
  });

  it('allowPlaintextAuth: true logs in without TLS and delivers', async () => {
    const smtp = await smtpServer();
    const ch = mailChannel(smtp.port, { user: 'netpulse', password: PASSWORD, allowPlaintextAuth: true });
    await ch.send(change());
    expect(smtp.lines.some((l) => /^AUTH (PLAIN|LOGIN)/i.test(l))).toBe(true);
    expect(smtp.mails).toHaveLength(1);
  });

  it('without a user nothing changes: no STARTTLS needed', async () => {
    const smtp = await smtpServer();
    await mailChannel(smtp.port).send(change());
    expect(smtp.lines).not.toContain('STARTTLS');
    expect(smtp.mails).toHaveLength(1);
  });

  it('schema defaults: allowPlaintextAuth false, deadline 60s', () => {
    const c = EmailChannelSchema.parse({ name: 'mail', type: 'email', host: 'smtp.example.org', from: 'a@b.c', to: 'd@e.f' });
    expect(c).toMatchObject({ allowPlaintextAuth: false, deadline: '60s' });
    expect(EmailChannelSchema.safeParse({ ...c, deadline: 'soon' }).success).toBe(false);
    expect(EmailChannelSchema.safeParse({ ...c, deadline: 0 }).success).toBe(false);
  });
});

describe('SMTP: a deadline per message', () => {
  it('a server trickling its EHLO reply a byte at a time is cut at the deadline (retryable), its connection closed', async () => {
    const smtp = await smtpServer({ trickle: true });
    // the idle timeout alone would never fire: a byte comes every 10 ms
    const ch = mailChannel(smtp.port, { timeout: '30s', deadline: '300ms' });
    const err = await failure(ch.send(change()));
    expect(err).toBeInstanceOf(ChannelError);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/^notify: channel mail: SMTP 127\.0\.0\.1:\d+: not delivered within the deadline of 300 ms \(the server answers too slowly\)$/);
    await vi.waitFor(() => expect(smtp.open()).toBe(0), { timeout: 10_000 });
    expect(smtp.closed()).toBe(1);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 11, 4, 20, 0, 0);
  it.each([
    ['120', 120_000],
    [' 5 ', 5_000],
    ['0', 0],
    [new Date(now + 90_000).toUTCString(), 90_000],
    ['Fri, 04 Dec 2026 19:00:00 GMT', 0],
    ['Friday, 04-Dec-26 20:00:30 GMT', 30_000],
    ['soon', undefined],
    ['1.5', undefined],
    ['-5', undefined],
    ['', undefined],
    [null, undefined],
  ])('%j -> %j ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([
    // backoff, attempt, Retry-After, wait
    [1000, 0, undefined, 1000],
    [1000, 0, 30_000, 30_000],
    [1000, 3, 2_000, 8_000],
    [1000, 0, 3_600_000, 300_000],
    [1000, 10, undefined, 300_000],
    [1000, 10, 3_600_000, 300_000],
  ])('backoff %d ms, attempt %d, Retry-After %j ms: waits %d ms', (backoff, attempt, after, want) => {
    expect(retryDelay(backoff, attempt, after)).toBe(want);
  });

  async function answering(status: number, retryAfter: string) {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(status, { 'retry-after': retryAfter }).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  }

  it('429 with delay-seconds: the error carries the wait', async () => {
    const ch = createChannel(ChannelSchema.parse({ name: 'hook', type: 'webhook', url: await answering(429, '7') }));
    const err = await failure(ch.send(change()));
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 7_000 });
    expect(err.message).toMatch(/answered HTTP 429 \(Retry-After: 7 s\)$/);
  });

  it('503 with an HTTP-date: the error carries the wait until then', async () => {
    const ch = createChannel(ChannelSchema.parse({ name: 'chat', type: 'slack', url: await answering(503, new Date(Date.now() + 120_000).toUTCString()) }));
    const err = await failure(ch.send(change()));
    expect(err.retryable).toBe(true);
    // the date has whole seconds: up to 1 s less than asked
    expect(err.retryAfterMs).toBeGreaterThan(100_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('the queue waits the Retry-After, not the shorter backoff', async () => {
    vi.useFakeTimers({ now: T0 });
    const attempts: number[] = [];
    const ch: Channel = {
      name: 'hook', type: 'fake',
      async send() {
        attempts.push(Date.now() - T0);
        if (attempts.length === 1) throw new ChannelError('hook', 'POST answered HTTP 429', true, undefined, 30_000);
      },
      async sendDigest() {},
    };
    const q = new ChannelQueue(ch, { capacity: 10, retries: 3, backoffMs: 1000 });
    cleanups.push(() => q.close());
    q.push(change());
    await vi.advanceTimersByTimeAsync(29_000);
    expect(attempts).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(attempts).toEqual([0, 30_000]);
    expect(q.stats).toMatchObject({ sent: 1, retries: 1, failed: 0 });
  });
});

describe('webhook signatures carry a signed timestamp', () => {
  /** what a receiver does (src/alerts/notify/README.md): tolerance 5 minutes */
  function verify(secret: string, headers: IncomingHttpHeaders, body: string, now: number, toleranceS = 300): boolean {
    const t = String(headers['x-netpulse-timestamp'] ?? '');
    const sig = String(headers['x-netpulse-signature'] ?? '');
    if (!/^\d+$/.test(t) || Math.abs(now / 1000 - Number(t)) > toleranceS || !sig.startsWith('v1=')) return false;
    const want = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
    const got = Buffer.from(sig.slice(3));
    return got.length === want.length && timingSafeEqual(got, want);
  }

  it('valid when fresh; a replay later, a changed timestamp or body fails', async () => {
    const hits: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => { hits.push({ headers: req.headers, body }); res.writeHead(200).end(); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    const ch = createChannel(ChannelSchema.parse({ name: 'hook', type: 'webhook', url, secret: 'sig-secret' }));
    const before = Date.now();
    await ch.send(change());
    const { headers, body } = hits[0];
    const t = Number(headers['x-netpulse-timestamp']);
    expect(t).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(headers['x-netpulse-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verify('sig-secret', headers, body, t * 1000)).toBe(true);
    expect(verify('sig-secret', headers, body, (t + 600) * 1000)).toBe(false);
    expect(verify('sig-secret', { ...headers, 'x-netpulse-timestamp': String(t + 600) }, body, (t + 600) * 1000)).toBe(false);
    expect(verify('sig-secret', headers, body.replace('major', 'minor'), t * 1000)).toBe(false);
    expect(verify('other-secret', headers, body, t * 1000)).toBe(false);
  });
});

describe('Teams: trap text cannot make Markdown', () => {
  it.each([
    ['plain Gi0/1 down (admin)', 'plain Gi0/1 down (admin)'],
    ['[click](https://evil.example)', '\\[click\\](https://evil.example)'],
    ['![x](https://t.example/p.gif)', '!\\[x\\](https://t.example/p.gif)'],
    ['**bold** _it_ `code` ~~s~~', '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~'],
    ['# head', '\\# head'],
    ['- item\n+ more\n  12. num\n-5 dBm', '\\- item\n\\+ more\n  12\\. num\n-5 dBm'],
    ['<a href="https://evil">x</a> & c:\\temp', '&lt;a href="https://evil"&gt;x&lt;/a&gt; &amp; c:\\\\temp'],
  ])('%j -> %j', (value, want) => {
    expect(escapeTeams(value)).toBe(want);
  });

  const hookServer = async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => { bodies.push(body); res.writeHead(200).end(); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
    return { bodies, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook` };
  };
  const evil = { message: 'link down [click here](https://evil.example) **now**', device: 'sw_[1](https://x.example)' };

  it('a message: the values escaped, the template kept', async () => {
    const hook = await hookServer();
    const ch = createChannel(ChannelSchema.parse({ name: 'teams', type: 'teams', url: hook.url, template: '**[NOC](https://noc.example)** {message} on {device}' }));
    await ch.send(change(evil));
    const { text } = JSON.parse(hook.bodies[0]) as { text: string };
    expect(text).toBe('**[NOC](https://noc.example)** link down \\[click here\\](https://evil.example) \\*\\*now\\*\\* on sw\\_\\[1\\](https://x.example)');
  });

  it('a digest: messages and devices escaped, its own lines and the UI link not', async () => {
    const hook = await hookServer();
    const ch = createChannel(ChannelSchema.parse({ name: 'teams', type: 'teams', url: hook.url }));
    const col = new DigestCollector(5);
    col.add(change(evil), T0);
    await ch.sendDigest(col.take('teams', 'https://netpulse.example.org/#/alerts'));
    const { text } = JSON.parse(hook.bodies[0]) as { text: string };
    expect(text).toContain('- [MAJOR] OPEN: link down \\[click here\\](https://evil.example) \\*\\*now\\*\\* (device sw\\_\\[1\\](https://x.example), ');
    expect(text).toContain('top devices: sw\\_\\[1\\](https://x.example) (1)');
    expect(text).toContain('see https://netpulse.example.org/#/alerts');
    expect(text).not.toMatch(/[^\\]\[click here\]/);
  });
});
