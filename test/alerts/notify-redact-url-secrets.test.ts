/** Failure reasons keep scheme, host, port and ordinary paths of the URLs they quote, never their secrets. */
import { describe, expect, it } from 'vitest';
import { isSecretParamName, isSecretPathSegment, redactUrlSecrets, urlHostOnly } from '../../src/alerts/notify/redact-url-secrets.ts';
import { redactReason } from '../../src/alerts/notify/undelivered.ts';

const R = '[redacted]';
/** random-looking tokens as webhook services issue them */
const SLACK_TOKEN = 'q7Vx2LmB9tKc4RwZ8pHn3JdF';
const DISCORD_TOKEN = 'kF3_x9LqT2vB-7mWcR4zYp8NdH1sJ6aG0uE5oQiK2lXb9VtC3rM7wZyA4nPe-8fDgS1hU6jO';
const HEX_KEY = '3f7a9c0b1e2d4f6a8b9c0d1e2f3a4b5c';

describe('redactUrlSecrets', () => {
  it.each([
    // no URL at all
    ['connect ECONNREFUSED 127.0.0.1:587', 'connect ECONNREFUSED 127.0.0.1:587'],
    ['SMTP mail.example.org:587: Invalid login', 'SMTP mail.example.org:587: Invalid login'],
    ['token=abc outside a URL', 'token=abc outside a URL'],
    ['', ''],
    // nothing secret: kept as written
    ['POST https://hooks.example.org:8443/netpulse failed', 'POST https://hooks.example.org:8443/netpulse failed'],
    ['GET http://127.0.0.1:8086/query?db=netpulse&epoch=ms', 'GET http://127.0.0.1:8086/query?db=netpulse&epoch=ms'],
    ['see https://example.org/a/@scope/pkg', 'see https://example.org/a/@scope/pkg'],
    ['smtp://mail.example.org:587', 'smtp://mail.example.org:587'],
    ['http://[::1]:8086/ping?verbose=true', 'http://[::1]:8086/ping?verbose=true'],
    // userinfo
    ['http://admin:s3cret@127.0.0.1:8086/write', `http://${R}@127.0.0.1:8086/write`],
    ['https://tok3n@example.org/x', `https://${R}@example.org/x`],
    ['smtps://user%40corp:p%40ss@mail.example.org:465', `smtps://${R}@mail.example.org:465`],
    ['http://u:p@ss@example.org/', `http://${R}@example.org/`],
    ['https://u:pw@[::1]:8443/hook?x=1', `https://${R}@[::1]:8443/hook?x=1`],
    // secret query and fragment parameters, any case, the others kept
    ['https://api.example.org/send?token=abc123&channel=noc', `https://api.example.org/send?token=${R}&channel=noc`],
    ['https://x.example.org/p?API_KEY=k1&page=2&Password=pw&sig=s%3D%3D', `https://x.example.org/p?API_KEY=${R}&page=2&Password=${R}&sig=${R}`],
    ['https://x.example.org/p?access_token=a&refresh_token=b&client_secret=c&auth=d', `https://x.example.org/p?access_token=${R}&refresh_token=${R}&client_secret=${R}&auth=${R}`],
    ['https://blob.example.org/c/f?sv=2021&se=2026&Signature=abc%2B%2F==&X-Amz-Credential=AK%2F1&X-Amz-Security-Token=t', `https://blob.example.org/c/f?sv=2021&se=2026&Signature=${R}&X-Amz-Credential=${R}&X-Amz-Security-Token=${R}`],
    ['https://x.example.org/p?apiKey=a&subscription-key=b&key=c&secret=d&pwd=e', `https://x.example.org/p?apiKey=${R}&subscription-key=${R}&key=${R}&secret=${R}&pwd=${R}`],
    ['https://x.example.org/p?token=&q=1', 'https://x.example.org/p?token=&q=1'],
    ['https://x.example.org/p?token', 'https://x.example.org/p?token'],
    ['https://app.example.org/cb#access_token=abc&state=s1', `https://app.example.org/cb#access_token=${R}&state=s1`],
    ['https://x.example.org/p?a=1;password=2', `https://x.example.org/p?a=1;password=${R}`],
    ['https://x.example.org/p?api%5Fkey=1', `https://x.example.org/p?api%5Fkey=${R}`],
    // both at once, several URLs in one text, URLs in quotes and brackets
    ['redirect from http://u:p@a.example.org/x?token=t1 to https://b.example.org/y?sig=s2&n=1 refused',
      `redirect from http://${R}@a.example.org/x?token=${R} to https://b.example.org/y?sig=${R}&n=1 refused`],
    ['fetch "https://a.example.org/?key=k" and <http://b.example.org:81/?password=p>',
      `fetch "https://a.example.org/?key=${R}" and <http://b.example.org:81/?password=${R}>`],
    // malformed URLs: an unescaped '/', '?' or '#' in the password, a bad escape, no host
    ['Failed to parse URL from http://admin:pa/ss@influx.example.org:8086', `Failed to parse URL from http://${R}@influx.example.org:8086`],
    ['Failed to parse URL from http://admin:pa?ss@influx.example.org', `Failed to parse URL from http://${R}@influx.example.org`],
    ['Failed to parse URL from http://admin:pa#ss@influx.example.org', `Failed to parse URL from http://${R}@influx.example.org`],
    ['bad http://x.example.org/p?%E0%A4%A=1&token=t', `bad http://x.example.org/p?%E0%A4%A=1&token=${R}`],
    ['bad http://x.example.org/p?%zz=1&secret=t', `bad http://x.example.org/p?%zz=1&secret=${R}`],
    ['http://', 'http://'],
    ['http://?token=t', `http://?token=${R}`],
    ['http://:pw@/x', `http://${R}@/x`],
    // credential-looking path segments: webhook tokens of Slack, Telegram, Discord, Teams, hex keys
    [`POST https://hooks.slack.com/services/T0123ABCD/B0456EFGH/${SLACK_TOKEN} failed`, `POST https://hooks.slack.com/services/T0123ABCD/B0456EFGH/${R} failed`],
    ['https://api.telegram.org/bot123456:ABC-DEF/sendMessage', `https://api.telegram.org/${R}/sendMessage`],
    ['https://api.telegram.org/bot110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe?x=1', `https://api.telegram.org/${R}/getMe?x=1`],
    [`https://discord.com/api/webhooks/112233445566778899/${DISCORD_TOKEN}`, `https://discord.com/api/webhooks/112233445566778899/${R}`],
    [`https://corp.webhook.office.com/webhookb2/c0ffee00-1234-4abc-9def-0123456789ab@0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/IncomingWebhook/${HEX_KEY}/d4c3b2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a`,
      `https://corp.webhook.office.com/webhookb2/${R}/IncomingWebhook/${R}/${R}`],
    [`https://x.example.org/hooks/${SLACK_TOKEN}/?token=t#${HEX_KEY}`, `https://x.example.org/hooks/${R}/?token=${R}#${R}`],
    [`https://u:p@x.example.org:8443/h/xoxb-1234-abcd`, `https://${R}@x.example.org:8443/h/${R}`],
    [`https://x.example.org/cb?${SLACK_TOKEN}&page=2`, `https://x.example.org/cb?${R}&page=2`],
    // ordinary paths stay
    ['https://x.example.org/docs#section-2-getDeviceStatus', 'https://x.example.org/docs#section-2-getDeviceStatus'],
    ['POST http://127.0.0.1:8086/api/v2/write?org=noc failed', 'POST http://127.0.0.1:8086/api/v2/write?org=noc failed'],
    ['https://hooks.example.org/services/alerts', 'https://hooks.example.org/services/alerts'],
    ['https://hooks.example.org/webhook/netpulse', 'https://hooks.example.org/webhook/netpulse'],
    ['https://discord.com/api/webhooks/112233445566778899', 'https://discord.com/api/webhooks/112233445566778899'],
    ['https://x.example.org/reports/2024-01-05T10:20:30Z/netpulse-alerts-production-2024', 'https://x.example.org/reports/2024-01-05T10:20:30Z/netpulse-alerts-production-2024'],
    ['https://dl.example.org/netpulse-1.4.2-linux-x64.tar.gz/v1.2.3-beta.4+build.20240105', 'https://dl.example.org/netpulse-1.4.2-linux-x64.tar.gz/v1.2.3-beta.4+build.20240105'],
    ['https://x.example.org/getDeviceStatusReport2/ifHCInOctets-ifHCOutOctets/Gi1-0-24-to-core-sw02-eth3', 'https://x.example.org/getDeviceStatusReport2/ifHCInOctets-ifHCOutOctets/Gi1-0-24-to-core-sw02-eth3'],
  ])('%s', (text, want) => {
    expect(redactUrlSecrets(text)).toBe(want);
  });
});

describe('isSecretPathSegment', () => {
  it.each([
    SLACK_TOKEN, DISCORD_TOKEN, HEX_KEY, 'c0ffee00-1234-4abc-9def-0123456789ab', 'bot123456:ABC-DEF', 'bot123456%3AABC-DEF',
    'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'aB3dE5fG7hI9jK1lM3nO5pQ7', 'MTIzNDU2Nzg5MDEy.Gx7kQp.v9RzT4mW2cL8bN1sY6dF0hJ3',
  ])('%s is secret', (segment) => {
    expect(isSecretPathSegment(segment)).toBe(true);
  });
  it.each([
    '', 'api', 'v2', 'write', 'services', 'alerts', 'webhook', 'netpulse', 'T0123ABCD', 'sendMessage', 'bot', 'robots', 'XXXXXXXXXXXXXXXXXXXXXXXX',
    '112233445566778899', 'netpulse-alerts-production-2024', 'getDeviceStatusReport2', 'ciscoEnvMonTemperatureStatusValue', 'ifHCInOctets-ifHCOutOctets',
    'SNMPv2-MIB-sysUpTime0-2024', 'dot1dTpFdbAddress-2024', 'site1-core-sw01-uplink02', 'Gi1-0-24-to-core-sw02-eth3', 'GigabitEthernet0%2F1%2F23',
    'v1.2.3-beta.4+build.20240105', '2024-01-05T10:20:30.123Z', '20240105T102030Z', 'report-2024-01-05-final-v2.pdf', 'ubuntu-22.04.3-live-server-amd64.iso',
  ])('%s is not', (segment) => {
    expect(isSecretPathSegment(segment)).toBe(false);
  });
});

describe('urlHostOnly', () => {
  it.each([
    ['https://hooks.example.org/services/T0/B0/tok', 'https://hooks.example.org/…'],
    ['https://hooks.example.org:8443/x?token=t#f', 'https://hooks.example.org:8443/…'],
    ['http://[::1]:8080/hook', 'http://[::1]:8080/…'],
    ['https://u:pw@hooks.example.org/x', 'https://hooks.example.org/…'],
    ['http://admin:pa/ss@influx.example.org:8086', 'http://influx.example.org:8086'],
    ['https://hooks.example.org/', 'https://hooks.example.org/'],
    ['https://hooks.example.org', 'https://hooks.example.org'],
    ['https://hooks.example.org?token=t', 'https://hooks.example.org/…'],
  ])('%s', (url, want) => {
    expect(urlHostOnly(url)).toBe(want);
  });
});

describe('isSecretParamName', () => {
  it.each([
    'token', 'TOKEN', 'key', 'secret', 'password', 'passwd', 'pass', 'pwd', 'sig', 'signature', 'auth', 'Authorization',
    'api_key', 'apikey', 'API-Key', 'access_token', 'accessToken', 'oauth_token', 'id_token', 'client_secret', 'private_key',
    'X-Amz-Signature', 'X-Goog-Credential', 'sessionid', 'code', 'jwt', 'api%5Fkey',
  ])('%s is secret', (name) => {
    expect(isSecretParamName(name)).toBe(true);
  });
  it.each(['db', 'q', 'page', 'channel', 'epoch', 'precision', 'chunk_size', 'user', 'host', 'sv', 'se', 'n', ''])('%s is not', (name) => {
    expect(isSecretParamName(name)).toBe(false);
  });
});

describe('redactReason', () => {
  it('removes the channel secrets first, then URL secrets, keeping hosts', () => {
    const r = redactReason('POST https://hooks.example.org/services/T0/B0/xoxb-tok failed; proxy http://u:p@proxy.example.org:3128/?auth=a said 407', ['xoxb-tok']);
    expect(r).toBe(`POST https://hooks.example.org/services/T0/B0/${R} failed; proxy http://${R}@proxy.example.org:3128/?auth=${R} said 407`);
  });
  it('shows a channel URL as scheme://host/…, also where other secrets overlap its host or scheme', () => {
    const url = 'https://webhook.example.org/webhook/http/T0/tok3n-value';
    const shownAs = 'https://webhook.example.org/…';
    const secrets = ['webhook', 'http', 'tok3n-value', { text: url, shownAs }, { text: shownAs, shownAs }];
    expect(redactReason(`POST ${url} failed: ECONNREFUSED, again POST ${shownAs} (webhook tok3n-value)`, secrets))
      .toBe(`POST ${shownAs} failed: ECONNREFUSED, again POST ${shownAs} (${R} ${R})`);
  });
  it('overlapping secrets become one [redacted], never a part of one', () => {
    expect(redactReason('x abcdefgh y', ['abcdef', 'defgh'])).toBe(`x ${R} y`);
    expect(redactReason('see https://h.example.org/… and more', ['.org/… and', { text: 'https://h.example.org/…', shownAs: 'https://h.example.org/…' }])).toBe(`see ${R} more`);
  });
  it('never leaves part of a secret when the cut falls inside a URL', () => {
    const r = redactReason(`${'x'.repeat(180)} https://u:longpassword@h.example.org/?token=abcdefghijkl`, []);
    expect(r.length).toBe(200);
    expect(r).not.toMatch(/longpassword|abcdef|u:/);
  });
});
