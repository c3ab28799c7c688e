// Durations in notification channels (timers) and trap rules (windows kept in memory): at most
// 24d, so a value of hundreds of digits (Infinity) or of years is refused, not a timer that fires
// at once or a window that never forgets.
import { describe, expect, it } from 'vitest';
import { ChannelSchema } from '../../src/alerts/notify/schema.ts';
import { TrapRuleSchema } from '../../src/alerts/rule-schema.ts';

const huge = `${'9'.repeat(400)}s`;
const channel = (field: string, v: unknown) => ChannelSchema.safeParse(field === 'deadline'
  ? { name: 'mail', type: 'email', host: '127.0.0.1', from: 'netpulse@example.org', to: 'noc@example.org', deadline: v }
  : { name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/x', [field]: v });
const rule = (flap: unknown) => TrapRuleSchema.safeParse({ id: 'r', trap: 'IF-MIB::linkDown', flap });

describe('notification channel timers', () => {
  it.each([
    ['timeout', '10s', true],
    ['timeout', '24d', true],
    ['timeout', '25d', false],
    ['timeout', huge, false],
    ['backoff', 1e308, false],
    ['backoff', '1s', true],
    ['deadline', '30d', false],
    ['deadline', '60s', true],
  ] as const)('%s %s accepted: %s', (field, v, ok) => {
    const r = channel(field, v);
    expect(r.success).toBe(ok);
    if (!ok) expect(r.error!.issues.map((i) => i.message)).toContain('expected at most 24d');
  });
});

describe('trap rule windows', () => {
  it.each([
    ['5m', true],
    ['24d', true],
    ['365d', false],
    [huge, false],
  ] as const)('flap window %s accepted: %s', (window, ok) => {
    const r = rule({ count: 3, window });
    expect(r.success).toBe(ok);
    if (!ok) expect(r.error!.issues.map((i) => i.message)).toContain('expected at most 24d');
  });
});

describe('the messages are the config file\'s (src/model/duration.ts checkDuration)', () => {
  const messages = (r: { error?: { issues: { message: string }[] } }) => r.error!.issues.map((i) => i.message);
  it.each([
    ['a trap rule window not a duration', () => rule({ count: 3, window: 'soon' }), 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a string of 4 characters'],
    ['a trap rule window of 0', () => rule({ count: 3, window: '0s' }), 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got a shorter one'],
    ['a channel timeout not a duration', () => channel('timeout', '10x'), 'expected a duration like 500ms, 30s, 5m, 1h (at least 100 ms), got a string of 3 characters'],
    ['a channel backoff not a duration (0 allowed)', () => channel('backoff', '10x'), 'expected a duration like 500ms, 30s, 5m, 1h, got a string of 3 characters'],
    ['a mail deadline of 0', () => channel('deadline', 0), 'expected a duration like 500ms, 30s, 5m, 1h (at least 1 ms), got 0'],
  ] as const)('%s', (_, parse, message) => {
    expect(messages(parse())).toEqual([message]);
  });

  // every POST timed out at once: a timeout of 0 was accepted
  it.each([
    [0, 'got 0'],
    ['0s', 'got a shorter one'],
    ['99ms', 'got a shorter one'],
    [0.05, 'got 0.05'],
  ] as const)('a channel timeout of %j is refused, naming the field and the minimum', (v, got) => {
    const r = channel('timeout', v);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['timeout', `expected a duration like 500ms, 30s, 5m, 1h (at least 100 ms), ${got}`]]);
  });

  it.each(['100ms', 0.1])('a channel timeout of %j (the minimum) is accepted and kept as written', (v) => {
    const r = channel('timeout', v);
    expect(r.success && 'timeout' in r.data && r.data.timeout).toBe(v);
  });

  it('a channel backoff of 0 (no wait) is still accepted', () => {
    const r = channel('backoff', 0);
    expect(r.success && r.data.backoff).toBe(0);
  });
});
