import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannel } from '../../src/alerts/notify/channels.ts';
import { DigestCollector, type Digest } from '../../src/alerts/notify/digest.ts';
import { digestLines, digestSummary, renderDigestSubject } from '../../src/alerts/notify/render.ts';
import { ChannelSchema, type ChannelConfig } from '../../src/alerts/notify/schema.ts';
import type { AlertChange, AlertChangeKind, Severity } from '../../src/alerts/types.ts';
import { smtpSink, webhookServer } from './sinks.ts';

const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);

function change(i: number, kind: AlertChangeKind, severity: Severity, device: string): AlertChange {
  return {
    kind, notify: true,
    alert: {
      id: `a${i}`, key: `device-state:${device}:down:${i}`, source: 'device', rule: 'device-down', device, severity,
      message: `${device} port ${i} down`, state: kind === 'cleared' ? 'cleared' : 'open', firstSeen: T0 + i * 1000, lastSeen: T0 + i * 1000,
      clearedAt: kind === 'cleared' ? T0 + i * 1000 : undefined, count: 1, flapping: false, labels: {},
    },
  };
}

/** the brief's example: 37 held back, 30 opened (critical 5, major 25), 7 cleared, over 4 devices */
function storyDigest(): Digest {
  const c = new DigestCollector(3);
  for (let i = 0; i < 30; i++) c.add(change(i, 'opened', i < 5 ? 'critical' : 'major', `site1-sw${i % 4}`), T0 + i * 1000);
  for (let i = 30; i < 37; i++) c.add(change(i, 'cleared', 'major', 'site1-sw0'), T0 + i * 1000);
  return c.take('noc', 'https://netpulse.example.org/#/alerts');
}

const SUMMARY = '37 more alerts: 30 opened (critical 5, major 25), 7 cleared';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('digest text', () => {
  it('summary, the worst alerts, how many are not listed, top devices, the window, the link', () => {
    expect(digestLines(storyDigest())).toEqual([
      SUMMARY,
      '- [CRITICAL] OPEN: site1-sw0 port 0 down (device site1-sw0, 2026-12-03T08:00:00.000Z)',
      '- [CRITICAL] OPEN: site1-sw1 port 1 down (device site1-sw1, 2026-12-03T08:00:01.000Z)',
      '- [CRITICAL] OPEN: site1-sw2 port 2 down (device site1-sw2, 2026-12-03T08:00:02.000Z)',
      '... and 34 more not listed',
      'top devices: site1-sw0 (15), site1-sw1 (8), site1-sw2 (7), site1-sw3 (7)',
      'held back between 2026-12-03T08:00:00.000Z and 2026-12-03T08:00:36.000Z (limit of channel noc)',
      'see https://netpulse.example.org/#/alerts',
    ]);
  });

  it.each([
    [['opened'], 'critical', '1 more alert: 1 opened (critical 1)'],
    [['cleared', 'cleared'], 'minor', '2 more alerts: 2 cleared'],
    [['escalated', 'acknowledged', 'repeated'], 'major', '3 more alerts: 1 escalated (major 1), 1 acknowledged, 1 repeated'],
  ] as [AlertChangeKind[], Severity, string][])('summary of %j', (kinds, severity, want) => {
    const c = new DigestCollector(10);
    kinds.forEach((k, i) => c.add(change(i, k, severity, 'r1'), T0));
    expect(digestSummary(c.take('noc'))).toBe(want);
  });

  it('a digest with nothing but clears and no UI link', () => {
    const c = new DigestCollector(10);
    c.add(change(1, 'cleared', 'major', 'r1'), T0);
    const lines = digestLines(c.take('noc'));
    expect(lines.some((l) => l.startsWith('see '))).toBe(false);
    expect(lines[1]).toBe('- [MAJOR] CLEARED: r1 port 1 down (device r1, 2026-12-03T08:00:01.000Z)');
  });

  it('email subject placeholders', () => {
    expect(renderDigestSubject('[NOC] {total} held on {channel}: {summary}', storyDigest())).toBe(`[NOC] 37 held on noc: ${SUMMARY}`);
  });
});

type Check = (got: { body: string; headers: Record<string, unknown> }) => void;
const textCheck = (text: string) => {
  expect(text.split('\n')[0]).toBe(SUMMARY);
  expect(text).toContain('top devices: site1-sw0 (15)');
  expect(text).toContain('see https://netpulse.example.org/#/alerts');
};

describe('digest per channel kind', () => {
  it.each<[string, Record<string, unknown>, Check]>([
    ['webhook', { type: 'webhook', secret: 'sig-secret' }, ({ body, headers }) => {
      expect(headers['x-netpulse-signature']).toBe('v1=' + createHmac('sha256', 'sig-secret').update(`${headers['x-netpulse-timestamp']}.${body}`).digest('hex'));
      const b = JSON.parse(body);
      expect(b).toMatchObject({ event: 'digest', digest: { channel: 'noc', total: 37, kinds: { opened: { total: 30, bySeverity: { critical: 5, major: 25 } }, cleared: { total: 7 } } } });
      expect(b.digest.alerts).toHaveLength(3);
      textCheck(b.text);
    }],
    ['webhook with a template (single alerts only)', { type: 'webhook', template: '{SEVERITY} {message}' }, ({ body }) => {
      textCheck(JSON.parse(body).text);
    }],
    ['slack', { type: 'slack' }, ({ body }) => {
      const b = JSON.parse(body);
      expect(Object.keys(b)).toEqual(['text', 'blocks']);
      textCheck(b.text);
      // shown from plain_text sections (no mrkdwn), the same text
      expect(b.blocks).toEqual([{ type: 'section', text: { type: 'plain_text', text: b.text, emoji: false } }]);
    }],
    ['mattermost', { type: 'mattermost' }, ({ body }) => textCheck(JSON.parse(body).text)],
    ['teams', { type: 'teams' }, ({ body }) => {
      const b = JSON.parse(body);
      expect(b).toMatchObject({ '@type': 'MessageCard', summary: SUMMARY, themeColor: 'D0021B' });
      textCheck(b.text.replaceAll('\n\n', '\n'));
    }],
  ])('%s', async (_, cfg, check) => {
    const hook = await webhookServer();
    cleanups.push(hook.close);
    const ch = createChannel(ChannelSchema.parse({ name: 'noc', url: hook.url(), ...cfg }) as ChannelConfig);
    await ch.sendDigest(storyDigest());
    expect(hook.hits).toHaveLength(1);
    check(hook.hits[0]);
  });

  it('teams: green when the digest only clears', async () => {
    const hook = await webhookServer();
    cleanups.push(hook.close);
    const c = new DigestCollector(10);
    c.add(change(1, 'cleared', 'critical', 'r1'), T0);
    await createChannel(ChannelSchema.parse({ name: 'noc', type: 'teams', url: hook.url() })).sendDigest(c.take('noc'));
    expect(JSON.parse(hook.hits[0].body)).toMatchObject({ themeColor: '7ED321', summary: '1 more alert: 1 cleared' });
  });

  it.each([
    [{}, `Subject: [netpulse] DIGEST: ${SUMMARY}`],
    [{ digestSubject: '[NOC] {summary}' }, `Subject: [NOC] ${SUMMARY}`],
  ])('email %j', async (over, subject) => {
    const smtp = await smtpSink();
    cleanups.push(smtp.close);
    const ch = createChannel(ChannelSchema.parse({ name: 'noc', type: 'email', host: '127.0.0.1', port: smtp.port, from: 'netpulse@example.org', to: 'noc@example.org', ...over }));
    cleanups.push(() => ch.close?.());
    await ch.sendDigest(storyDigest());
    expect(smtp.mails).toHaveLength(1);
    // unfold header lines and soft line breaks of quoted-printable bodies
    const data = smtp.mails[0].data.replace(/\r\n(?=[ \t])/g, '').replace(/=\r\n/g, '').replaceAll('\r\n', '\n');
    expect(data).toContain(subject);
    textCheck(data.slice(data.indexOf('\n\n') + 2));
  });
});
