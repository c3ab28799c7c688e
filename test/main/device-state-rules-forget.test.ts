/** DeviceStateRules.forgetDevice(): a device removed has its raises waiting for their forMs cancelled; other devices' still fire. */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import type { RuleInput } from '../../src/api/services.ts';
import { DeviceStateRules } from '../../src/main/rules.ts';

const T0 = Date.parse('2026-12-04T21:00:00Z');
beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

const rule: RuleInput = { name: 'down a while', enabled: true, severity: 'major', match: {}, notify: [], condition: { type: 'device-state', states: ['down'], forMs: 3000 } };

it('the removed device\'s pending raise never opens; another device\'s does', () => {
  const m = new AlertManager(undefined, { logger: { warn: () => {}, info: () => {} } });
  const opened: string[] = [];
  m.onChange((c) => opened.push(`${c.kind} ${c.alert.key}`));
  const rules = new DeviceStateRules(m, () => ({}));
  rules.replace([{ id: 'api-7', rule }]);
  rules.handle({ device: 'gone', from: 'up', to: 'down', time: T0 });
  rules.handle({ device: 'kept', from: 'up', to: 'down', time: T0 });
  rules.forgetDevice('gone');
  vi.advanceTimersByTime(3000);
  expect(opened).toEqual(['opened rule:api-7:kept']);
  expect(vi.getTimerCount()).toBe(0);
});
