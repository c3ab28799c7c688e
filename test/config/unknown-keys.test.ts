// Unknown keys are errors in every section, notification channels, routes and trap rules included.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { configProblems } from './config-problems.ts';

const MAIL = 'type: email, host: smtp.example.com, from: a@b.c, to: ops@b.c';
const notifications = (channel: string, route = '{ channels: [mail] }') => `notifications:\n  channels:\n    mail: { ${MAIL}${channel} }\n  routes:\n    - ${route}\n`;
const trapRule = (fields: string) => `traps:\n  rules:\n    - { id: r, trap: "IF-MIB::linkDown"${fields} }\n`;

describe('config unknown keys', () => {
  it.each([
    ['a channel key in the wrong case', notifications(', requireTls: true'), ['notifications.channels.mail.requireTls: unknown key; did you mean "requireTLS"?']],
    ['a misspelt channel password', notifications(', pasword: x'), ['notifications.channels.mail.pasword: unknown key; did you mean "password"?']],
    ['a webhook key on a chat channel', 'notifications:\n  channels:\n    s: { type: slack, url: "https://hooks.example.com/x", secret: abc }\n',
      ['notifications.channels.s.secret: unknown key; expected one of template, queue, retries, backoff, timeout, throttle, type, url']],
    ['a name inside a channel', notifications(', name: other'), ['notifications.channels.mail.name: unknown key; a channel is named by its key under channels']],
    ['a misspelt route filter', notifications('', '{ minSeverty: critical, channels: [mail] }'), ['notifications.routes[0].minSeverty: unknown key; did you mean "minSeverity"?']],
    ['a misspelt trap rule field', trapRule(', devise: "core*"'), ['traps.rules[0].devise: unknown key; did you mean "device"?']],
    ['a misspelt clearedBy', trapRule(', clearedby: "IF-MIB::linkUp"'), ['traps.rules[0].clearedby: unknown key; did you mean "clearedBy"?']],
    ['a misspelt condition key', trapRule(', when: [{ varbind: ifIndex, op: eq, vaule: 3 }]'), expect.arrayContaining(['traps.rules[0].when[0].vaule: unknown key; did you mean "value"?'])],
    ['a misspelt key inside clearedBy', trapRule(', clearedBy: { trap: "IF-MIB::linkUp", wen: [] }'), ['traps.rules[0].clearedBy.wen: unknown key; did you mean "when"?']],
    ['a misspelt flap key', trapRule(', flap: { count: 3, windw: 5m }'), expect.arrayContaining(['traps.rules[0].flap.windw: unknown key; did you mean "window"?'])],
  ])('%s is refused', (_what, yaml, problems) => {
    expect(configProblems(yaml)).toEqual(problems);
  });

  it('the same sections with known keys load', () => {
    const c = parseConfig(notifications(', requireTLS: true, password: x', '{ minSeverity: critical, channels: [mail] }') + trapRule(', device: "core*", clearedBy: { trap: "IF-MIB::linkUp" }'), 'k.yaml', {});
    expect(c.notifications.channels[0]).toMatchObject({ name: 'mail', requireTLS: true, password: 'x' });
    expect(c.notifications.routes[0].minSeverity).toBe('critical');
    expect(c.traps!.rules[0]).toMatchObject({ device: 'core*', clearedBy: { trap: 'IF-MIB::linkUp', when: [] } });
  });
});
