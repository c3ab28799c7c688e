// Review fixes in notify/: rule-removed clears told apart from recoveries, trap text escaped in
// chat markup, webhook redirects not followed.
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, createChannel } from '../../src/alerts/notify/channels.ts';
import { DigestCollector } from '../../src/alerts/notify/digest.ts';
import { escapeChat, escapeMattermost } from '../../src/alerts/notify/chat-escape.ts';
import { DEFAULT_TEXT, changeVars, digestLines, render } from '../../src/alerts/notify/render.ts';
import { ChannelSchema, WebhookChannelSchema } from '../../src/alerts/notify/schema.ts';
import type { AlertChange, AlertChangeKind } from '../../src/alerts/types.ts';
import { webhookServer } from './sinks.ts';

const T0 = Date.UTC(2026, 11, 4, 8, 0, 0);

function change(kind: AlertChangeKind, over: { message?: string; device?: string; clearedBy?: string } = {}): AlertChange {
  return {
    kind, notify: true,
    alert: {
      id: 'a1', key: 'k1', source: 'threshold', rule: 'if-errors', device: over.device ?? 'sw1', severity: 'major',
      message: over.message ?? 'sw1 Gi0/1 errors', state: kind === 'cleared' ? 'cleared' : 'open', firstSeen: T0, lastSeen: T0,
      clearedAt: kind === 'cleared' ? T0 : undefined, clearedBy: over.clearedBy, count: 1, flapping: false, labels: {},
    },
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('a clear because the rule was removed is not a recovery', () => {
  it.each([
    ['cleared', 'rule removed', 'rule removed', 'CLEARED (rule removed, not a recovery)'],
    ['cleared', 'auto', 'auto', 'CLEARED'],
    ['cleared', 'alice', 'alice', 'CLEARED'],
    ['cleared', undefined, '', 'CLEARED'],
    ['opened', undefined, '', 'OPEN'],
    ['acknowledged', 'rule removed', '', 'ACKNOWLEDGED'],
  ] as const)('%s by %s: clearedBy %j, state %j', (kind, by, clearedBy, state) => {
    const vars = changeVars(change(kind, { clearedBy: by }));
    expect(vars.clearedBy).toBe(clearedBy);
    expect(vars.state).toBe(state);
  });

  it('the default text and a digest line say so', () => {
    const c = change('cleared', { clearedBy: 'rule removed' });
    expect(render(DEFAULT_TEXT, c)).toMatch(/^\[MAJOR\] CLEARED \(rule removed, not a recovery\): sw1 Gi0\/1 errors/);
    const col = new DigestCollector(5);
    col.add(c, T0);
    col.add(change('cleared', { clearedBy: 'auto' }), T0);
    const lines = digestLines(col.take('noc')).filter((l) => l.startsWith('- '));
    expect(lines).toEqual([
      `- [MAJOR] CLEARED (rule removed, not a recovery): sw1 Gi0/1 errors (device sw1, ${new Date(T0).toISOString()})`,
      `- [MAJOR] CLEARED: sw1 Gi0/1 errors (device sw1, ${new Date(T0).toISOString()})`,
    ]);
  });
});

describe('trap text cannot inject chat markup', () => {
  it.each([
    ['plain Gi0/1 down (admin)', 'plain Gi0/1 down (admin)', 'plain Gi0/1 down (admin)'],
    ['<!channel> a & b', '&lt;!channel&gt; a &amp; b', '&lt;!channel&gt; a &amp; b'],
    ['[click](https://evil) ![x](https://t/p.gif)', '[click](https://evil) ![x](https://t/p.gif)', '\\[click\\](https://evil) !\\[x\\](https://t/p.gif)'],
    ['c:\\temp @all', 'c:\\temp @all', 'c:\\temp @\u200ball'],
    ['c:\\ *x*', 'c:\\ *x*', 'c:\\\\ \\*x\\*'],
    ['noc@example.org @ 5', 'noc@example.org @ 5', 'noc@\u200bexample.org @ 5'],
  ])('%j: chat %j, mattermost %j', (value, chat, mattermost) => {
    expect(escapeChat(value)).toBe(chat);
    expect(escapeMattermost(value)).toBe(mattermost);
  });

  const evil = { message: 'link down <!channel> <https://evil.example|click> & more', device: 'sw<b>1</b>' };

  it.each([
    ['slack', '|'],
    ['mattermost', '\\|'],
    ['teams', '|'],
  ] as const)('%s: <, >, & of the values escaped, the template kept', async (type, pipe) => {
    const hook = await webhookServer();
    cleanups.push(hook.close);
    const ch = createChannel(ChannelSchema.parse({ name: 'chat', type, url: hook.url(), template: '<https://noc.example|NOC> {message} on {device}' }));
    await ch.send(change('opened', evil));
    const { text } = JSON.parse(hook.hits[0].body) as { text: string };
    expect(text).toBe(`<https://noc.example|NOC> link down &lt;!channel&gt; &lt;https://evil.example${pipe}click&gt; &amp; more on sw&lt;b&gt;1&lt;/b&gt;`);
  });

  it('mattermost: an @channel in trap text does not notify the channel', async () => {
    const hook = await webhookServer();
    cleanups.push(hook.close);
    const ch = createChannel(ChannelSchema.parse({ name: 'chat', type: 'mattermost', url: hook.url(), template: '@oncall {message}' }));
    await ch.send(change('opened', { message: 'ping @channel @all and @here' }));
    const { text } = JSON.parse(hook.hits[0].body) as { text: string };
    expect(text).toBe('@oncall ping @\u200bchannel @\u200ball and @\u200bhere');
  });

  it('slack digest: escaped too', async () => {
    const hook = await webhookServer();
    cleanups.push(hook.close);
    const ch = createChannel(ChannelSchema.parse({ name: 'chat', type: 'slack', url: hook.url() }));
    const col = new DigestCollector(5);
    col.add(change('opened', evil), T0);
    await ch.sendDigest(col.take('chat'));
    const { text } = JSON.parse(hook.hits[0].body) as { text: string };
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toMatch(/<!channel>|<https:\/\/evil/);
  });
});

describe('webhook redirects are not followed', () => {
  it('a 307 to another server: nothing reaches it, no retry', async () => {
    const elsewhere = await webhookServer();
    cleanups.push(elsewhere.close);
    const redirector = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(307, { location: elsewhere.url('/steal') }).end());
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { redirector.closeAllConnections(); redirector.close(() => r()); }));
    const port = (redirector.address() as { port: number }).port;
    const ch = createChannel(ChannelSchema.parse({
      name: 'hook', type: 'webhook', url: `http://127.0.0.1:${port}/hook`, secret: 'hmac-secret', headers: { 'x-api-key': 'k3y-v4lue' },
    }));
    const err = await ch.send(change('opened')).then(() => undefined, (e: unknown) => e);
    expect(elsewhere.hits).toHaveLength(0);
    expect(err).toBeInstanceOf(ChannelError);
    expect((err as ChannelError).retryable).toBe(false);
    expect((err as Error).message).toContain('HTTP 307');
  });
});

describe('a webhook answer body is not read', () => {
  it('an endless 200 body is not downloaded into memory; the send succeeds', async () => {
    let written = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 120);
        const pump = (): void => {
          while (!res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
        };
        pump();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
    const port = (server.address() as { port: number }).port;
    const ch = createChannel(ChannelSchema.parse({ name: 'hook', type: 'webhook', url: `http://127.0.0.1:${port}/hook`, timeout: '1s' }));
    await ch.send(change('opened'));
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });
});

describe('webhook headers in the config', () => {
  const parse = (headers: Record<string, string>) =>
    WebhookChannelSchema.safeParse({ name: 'hook', type: 'webhook', url: 'https://hooks.example.org/x', headers });
  it.each([
    [{ authorization: 'Bearer t0ken' }, true],
    [{ 'x-api-key': 'abc' }, true],
    [{ authorization: 'Bearer t0ken\r\nX-Evil: 1' }, false],
    [{ 'x-a': 'v\n' }, false],
    [{ 'x-a': 'v\0' }, false],
    [{ 'x-a: b': 'v' }, false],
    [{ 'x a': 'v' }, false],
  ])('%j: valid %s', (headers, ok) => {
    const r = parse(headers);
    expect(r.success).toBe(ok);
    // the value (often a token) is not echoed in the error
    if (!r.success) expect(JSON.stringify(r.error.issues)).not.toContain('t0ken');
  });
});
