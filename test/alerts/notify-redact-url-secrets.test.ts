/** Failure reasons keep scheme, host, port and path of the URLs they quote, never their secrets. */
import { describe, expect, it } from 'vitest';
import { isSecretParamName, redactUrlSecrets } from '../../src/alerts/notify/redact-url-secrets.ts';
import { redactReason } from '../../src/alerts/notify/undelivered.ts';

const R = '[redacted]';

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
  ])('%s', (text, want) => {
    expect(redactUrlSecrets(text)).toBe(want);
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
  it('never leaves part of a secret when the cut falls inside a URL', () => {
    const r = redactReason(`${'x'.repeat(180)} https://u:longpassword@h.example.org/?token=abcdefghijkl`, []);
    expect(r.length).toBe(200);
    expect(r).not.toMatch(/longpassword|abcdef|u:/);
  });
});
