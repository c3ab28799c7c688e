/** Review fixes: an error while a parent hold ends must not escape the hold's timer (it would end the process). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { MemoryAlertStore } from '../../src/alerts/store.ts';
import type { AlertChange, AlertEvent } from '../../src/alerts/types.ts';

const T0 = Date.parse('2026-12-06T22:00:00Z');
const HOLD = 30_000;

beforeEach(() => { vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

const down = (device: string): AlertEvent => ({
  action: 'raise', key: `device-state:${device}:down`, source: 'device', rule: 'device-down', device, severity: 'critical',
  message: `${device} is down`, time: Date.now(), holdForParents: true,
});

function setup(store = new MemoryAlertStore()) {
  let failing = false;
  const warnings: string[] = [];
  const m = new AlertManager(store, {
    logger: { warn: (w) => warnings.push(w), info: () => {} },
    suppressor: () => {
      if (failing) throw new Error('inventory gone');
      return undefined;
    },
    parentHold: { ms: HOLD, parentsOf: () => ['core'] },
  });
  const changes: string[] = [];
  m.onChange((c: AlertChange) => changes.push(`${c.kind} ${c.alert.device} notify=${c.notify}`));
  return { m, warnings, changes, fail: () => { failing = true; } };
}

describe('parent hold timer errors', () => {
  it('a suppressor failing when the hold ends: logged, the alert notified (not lost), the timer does not throw', () => {
    const { m, warnings, changes, fail } = setup();
    m.raise(down('access-1'));
    fail();
    expect(() => vi.advanceTimersByTime(HOLD)).not.toThrow();
    expect(m.heldCount).toBe(0);
    expect(changes).toEqual(['opened access-1 notify=false', 'opened access-1 notify=true']);
    expect(warnings.join('\n')).toMatch(/device-state:access-1:down.*inventory gone/);
  });

  it('a store failing when a hold ends: logged once, the other holds still end, that one stays held and is retried, the timer does not throw', () => {
    const store = new MemoryAlertStore();
    const { m, warnings, changes } = setup(store);
    m.raise(down('access-1'));
    m.raise(down('access-2'));
    const active = store.active.bind(store);
    store.active = (key: string) => {
      if (key.includes('access-1')) throw new Error('database is locked');
      return active(key);
    };
    expect(() => vi.advanceTimersByTime(HOLD)).not.toThrow();
    expect(m.heldCount).toBe(1);
    expect(changes).toContain('opened access-2 notify=true');
    expect(changes).not.toContain('opened access-1 notify=true');
    expect(warnings).toEqual([expect.stringMatching(/device-state:access-1:down.*database is locked/)]);
    expect(vi.getTimerCount()).toBe(1);
    expect(() => vi.advanceTimersByTime(10 * HOLD)).not.toThrow();
    expect(warnings).toHaveLength(1);
    store.active = active;
    vi.advanceTimersByTime(60_000);
    expect(m.heldCount).toBe(0);
    expect(changes.filter((c) => c === 'opened access-1 notify=true')).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('re-evaluating suppressed alerts (the runtime runs it on a timer)', () => {
  it('a suppressor failing keeps the alert suppressed (not released), logs, and does not throw', () => {
    let failing = false;
    const warnings: string[] = [];
    const m = new AlertManager(new MemoryAlertStore(), {
      logger: { warn: (w) => warnings.push(w), info: () => {} },
      suppressor: () => {
        if (failing) throw new Error('inventory gone');
        return { kind: 'maintenance', reason: 'maintenance night', by: 'night' };
      },
    });
    m.raise({ ...down('edge'), holdForParents: false });
    failing = true;
    expect(() => m.reevaluateSuppressed(Date.now())).not.toThrow();
    expect(m.suppressedCount).toBe(1);
    expect(m.stats.released).toBe(0);
    expect(warnings.join('\n')).toMatch(/device-state:edge:down.*inventory gone/);
  });
});

describe('a suppressor failing when an alert is raised', () => {
  it('opens, escalates and notifies the alert, keeps the active count right, logs the failure', () => {
    const warnings: string[] = [];
    const m = new AlertManager(new MemoryAlertStore(), {
      logger: { warn: (w) => warnings.push(w), info: () => {} },
      suppressor: () => { throw new Error('inventory gone'); },
    });
    const changes: string[] = [];
    m.onChange((c: AlertChange) => changes.push(`${c.kind} notify=${c.notify}`));
    const ev: AlertEvent = { ...down('edge-1'), severity: 'major', holdForParents: false };
    expect(() => m.raise(ev)).not.toThrow();
    expect(() => m.raise({ ...ev, severity: 'critical', time: ev.time + 1 })).not.toThrow();
    expect(changes).toEqual(['opened notify=true', 'escalated notify=true']);
    expect(m.stats.active).toBe(1);
    expect(m.store.active(ev.key)?.suppressed).toBeUndefined();
    expect(warnings.join('\n')).toContain('inventory gone');
  });
});
