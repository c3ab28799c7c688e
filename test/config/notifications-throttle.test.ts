import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { configProblems } from './config-problems.ts';

const SLACK = 'https://hooks.example.org/services/T0/B0/secret-token';

describe('config: notification throttling', () => {
  it('defaults: 10 a minute, no bypass, 10 alerts listed per digest, no UI link', () => {
    const n = parseConfig('{}', '', {}).notifications;
    expect(n.throttle).toEqual({ maxPerMinute: 10, bypassSeverity: 'none', digestMaxAlerts: 10 });
    expect(n.uiUrl).toBeUndefined();
  });

  it('takes defaults for all channels and per-channel overrides', () => {
    const n = parseConfig(`
notifications:
  throttle: { maxPerMinute: 20, bypassSeverity: critical }
  uiUrl: https://netpulse.example.org
  channels:
    noc: { type: slack, url: "${SLACK}", throttle: { maxPerMinute: 0 } }
    pager: { type: webhook, url: "${SLACK}", throttle: { bypassSeverity: none, digestMaxAlerts: 3 } }
    mail: { type: email, host: smtp.example.org, from: a@example.org, to: b@example.org, digestSubject: "[NOC] {summary}" }
`, '', {}).notifications;
    expect(n.throttle).toEqual({ maxPerMinute: 20, bypassSeverity: 'critical', digestMaxAlerts: 10 });
    expect(n.uiUrl).toBe('https://netpulse.example.org');
    expect(n.channels.map((c) => [c.name, c.throttle])).toEqual([['noc', { maxPerMinute: 0 }], ['pager', { bypassSeverity: 'none', digestMaxAlerts: 3 }], ['mail', undefined]]);
    expect(n.channels[2]).toMatchObject({ digestSubject: '[NOC] {summary}' });
  });

  it('errors name the path and never print the channel URL', () => {
    const problems = configProblems(`
notifications:
  throttle: { maxPerMinute: -1, bypassSeverity: fatal, digestMaxAlerts: 1000, maxPerHour: 5 }
  uiUrl: ftp://netpulse.example.org
`);
    // channels are checked once the section itself is valid
    problems.push(...configProblems(`
notifications:
  channels:
    noc: { type: slack, url: "${SLACK}", throttle: { maxPerMinute: 1.5, burst: 3 } }
`));
    const text = problems.join('\n');
    expect(text).toMatch(/notifications\.throttle\.maxPerMinute: /);
    expect(text).toMatch(/notifications\.throttle\.bypassSeverity: /);
    expect(text).toMatch(/notifications\.throttle\.digestMaxAlerts: /);
    expect(text).toMatch(/notifications\.throttle.*maxPerHour/);
    expect(text).toMatch(/notifications\.uiUrl: expected an http\(s\) URL/);
    expect(text).toMatch(/notifications\.channels\.noc\.throttle\.maxPerMinute: /);
    expect(text).toMatch(/notifications\.channels\.noc\.throttle.*burst/);
    expect(text).not.toContain('secret-token');
  });
});
