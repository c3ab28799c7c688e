// `api.tokens` a client can send, once each; `api.cors` entries that can match a browser's Origin, or "*" alone (warned).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { originProblem } from '../../src/config/sections/api.ts';
import { configProblems } from './config-problems.ts';

const TOKEN = 'abcdefghijklmnop';
const EXPECTED = 'expected an origin like https://ui.example.com (scheme://host[:port], no path or trailing slash) or "*"';

describe('config api section', () => {
  it.each([
    ['a trailing space', `"${TOKEN} "`],
    ['a space inside', `"abcdefgh ijklmnop"`],
    ['a newline', `"${TOKEN}\\n"`],
    ['a tab', `"abcdefgh\\tijklmnop"`],
    ['a control character', `"abcdefgh\\x01ijklmnop"`],
  ])('a token with %s is refused', (_what, token) => {
    expect(configProblems(`api: { tokens: [${token}] }`)).toEqual(['api.tokens[0]: must not contain white space or control characters (an Authorization header cannot carry them)']);
  });

  it('a token listed twice is refused without printing it', () => {
    expect(configProblems(`api: { tokens: ["${TOKEN}", "other-token-0123456", "${TOKEN}"] }`)).toEqual(['api.tokens[2]: duplicate token (the same as tokens[0])']);
  });

  it.each([
    ['https://ui.example.com', undefined],
    ['http://127.0.0.1:8080', undefined],
    ['http://[::1]:3000', undefined],
    ['*', undefined],
    ['https://ui.example.com/', `${EXPECTED}; did you mean "https://ui.example.com"?`],
    ['https://ui.example.com/app', `${EXPECTED}; did you mean "https://ui.example.com"?`],
    ['https://UI.example.com', `${EXPECTED}; did you mean "https://ui.example.com"?`],
    ['https://ui.example.com:443', `${EXPECTED}; did you mean "https://ui.example.com"?`],
    ['null', EXPECTED],
    ['', EXPECTED],
    ['ui.example.com', EXPECTED],
    ['file:///home/me/ui.html', `${EXPECTED}; only http and https pages have an origin to allow`],
  ])('cors entry %j: %s', (entry, problem) => {
    expect(originProblem(entry)).toBe(problem);
  });

  it('cors entries are checked where they stand', () => {
    expect(configProblems('api: { cors: ["https://a.example", "null", "https://b.example/"] }')).toEqual([
      `api.cors[1]: ${EXPECTED}`,
      `api.cors[2]: ${EXPECTED}; did you mean "https://b.example"?`,
    ]);
    expect(configProblems('api: { cors: ["*", "https://a.example"] }')).toEqual(['api.cors[0]: "*" allows every origin: list it alone (or set cors: true)']);
  });

  it('["*"] is any origin, accepted with a warning, as is true; a list of origins is not warned about', () => {
    const warning = 'api.cors: every origin may call the API from a browser page (cors is true or "*"); list the UI\'s origins instead unless that is meant';
    for (const cors of ['["*"]', 'true']) {
      const c = parseConfig(`api: { cors: ${cors} }`, 'c.yaml', {});
      expect(c.api.cors).toBe(true);
      expect(c.warnings).toEqual([warning]);
    }
    const c = parseConfig('api: { cors: ["https://ui.example.com"] }', 'c.yaml', {});
    expect(c.api.cors).toEqual(['https://ui.example.com']);
    expect(c.warnings).toEqual([]);
  });

  it.each([
    ['trustProxy: 3', 'api.trustProxy: expected false, true (any proxy) or a list of proxy addresses or CIDR blocks'],
    ['trustProxy: [10.0.0.0/33]', 'api.trustProxy[0]: expected an address or CIDR block like 127.0.0.0/8, got a string of 11 characters'],
    ['sseMaxClients: 0', 'api.sseMaxClients: expected a whole number of clients, at least 1'],
    ['sseMaxBufferedBytes: 1024', 'api.sseMaxBufferedBytes: expected a whole number of bytes, at least 65536'],
    ['readRateLimit: { max: 0 }', 'api.readRateLimit.max: expected a whole number of requests, at least 1'],
    ['authFailureLimit: { window: 10ms }', 'api.authFailureLimit.window: expected a duration like 500ms, 30s, 5m, 1h (at least 1s), got a shorter one'],
    ['authFailureLimit: { nax: 3 }', 'api.authFailureLimit.nax: unknown key; did you mean "max"?'],
  ])('%s is refused', (setting, problem) => {
    expect(configProblems(`api: { ${setting} }`)).toEqual([problem]);
  });

  it('trustProxy: one address is a list of one; true (any proxy) is accepted with a warning', () => {
    expect(parseConfig('api: { trustProxy: "::1" }', 'c.yaml', {}).api.trustProxy).toEqual(['::1']);
    const c = parseConfig('api: { trustProxy: true }', 'c.yaml', {});
    expect(c.api.trustProxy).toBe(true);
    expect(c.warnings).toEqual([expect.stringMatching(/^api\.trustProxy: any client may name its own address in X-Forwarded-For/)]);
  });
});
