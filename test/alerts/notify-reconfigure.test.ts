// Notifier.reconfigure (config reload): channels kept, replaced, added and removed; routes swapped.
import { describe, expect, it, vi } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import type { ChannelConfig } from '../../src/alerts/notify/schema.ts';
import { Notifier } from '../../src/alerts/notify/notifier.ts';
import { NotificationsSchema, type NotificationsInput } from '../../src/alerts/notify/schema.ts';
import { ev, RecordingChannel, useFakeClock } from './notify-fixtures.ts';

const T0 = Date.UTC(2026, 11, 4, 8, 0, 0);
const cleanups = useFakeClock(T0);

const hook = (name: string, over: Record<string, unknown> = {}) => ({ name, type: 'webhook' as const, url: `http://127.0.0.1:9/${name}`, retries: 20, backoff: '1s', ...over });
const config = (n: NotificationsInput) => NotificationsSchema.parse(n);

/** a Notifier whose channels are RecordingChannels, every one it ever built kept by name in build order */
function setup(start: NotificationsInput) {
  const built = new Map<string, RecordingChannel[]>();
  const createChannel = (cfg: ChannelConfig) => {
    const ch = new RecordingChannel(cfg.name);
    built.set(cfg.name, [...(built.get(cfg.name) ?? []), ch]);
    return ch;
  };
  const warnings: string[] = [];
  const m = new AlertManager();
  const n = new Notifier(config(start), { createChannel, onWarn: (w) => warnings.push(w), onError: () => {} });
  n.attach(m);
  cleanups.push(() => n.close());
  const latest = (name: string) => built.get(name)!.at(-1)!;
  return { m, n, built, latest, warnings };
}

describe('Notifier.reconfigure', () => {
  it('an unchanged channel keeps its queued message, counters and throttle; an added one gets the next alert', async () => {
    const { m, n, built, latest } = setup({ channels: [hook('keep')], routes: [{ channels: ['keep'] }], throttle: { maxPerMinute: 1 } });
    latest('keep').down = true;
    m.raise(ev({ key: 'a' }));
    m.raise(ev({ key: 'b' })); // over the limit: held for a digest
    await vi.advanceTimersByTimeAsync(5000);
    const before = n.stats().keep;
    expect(before.retries).toBeGreaterThan(0);
    expect(n.held()).toEqual({ keep: 1 });

    const change = n.reconfigure(config({ channels: [hook('keep'), hook('added')], routes: [{ channels: ['keep', 'added'] }], throttle: { maxPerMinute: 1 } }));
    expect(change).toEqual({ added: ['added'], changed: [], removed: [], routes: true });
    expect(built.get('keep')).toHaveLength(1);
    expect(n.stats().keep.retries).toBe(before.retries);
    expect(n.held()).toEqual({ keep: 1, added: 0 });

    latest('keep').down = false;
    m.raise(ev({ key: 'c', severity: 'critical' }));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(latest('keep').sent.map((c) => c.alert.key)).toEqual(['a']);
    // b was held before the reload, c after it: one digest for both
    expect(latest('keep').digests.map((d) => d.total)).toEqual([2]);
    expect(latest('added').sent.map((c) => c.alert.key)).toEqual(['c']);
  });

  it('a removed channel gets nothing more; what it still holds after the drain time is dropped, counted and logged', async () => {
    const { m, n, latest, warnings } = setup({ channels: [hook('stay'), hook('gone')], routes: [{ channels: ['stay', 'gone'] }] });
    latest('gone').down = true;
    m.raise(ev({ key: 'a' }));
    m.raise(ev({ key: 'b' }));
    await vi.advanceTimersByTimeAsync(10);
    expect(n.reconfigure(config({ channels: [hook('stay')], routes: [{ channels: ['stay'] }] }), 3000)).toEqual({ added: [], changed: [], removed: ['gone'], routes: true });
    expect(n.channels()).toEqual(['stay']);
    m.raise(ev({ key: 'c' }));
    await vi.advanceTimersByTimeAsync(3000);
    latest('gone').down = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(latest('gone').sent).toEqual([]);
    expect(latest('stay').sent.map((c) => c.alert.key)).toEqual(['a', 'b', 'c']);
    expect(n.droppedOnReload).toBe(2);
    expect(warnings).toContain('channel gone: removed by a config reload; 2 notification(s) it still held were dropped after 3000 ms (2 dropped by reloads in all)');
  });

  it('a removed channel delivers what it holds within the drain time: nothing dropped', async () => {
    const { m, n, latest, warnings } = setup({ channels: [hook('gone')], routes: [{ channels: ['gone'] }] });
    latest('gone').down = true;
    m.raise(ev({ key: 'a' }));
    await vi.advanceTimersByTimeAsync(10);
    n.reconfigure(config({ channels: [], routes: [] }), 10_000);
    latest('gone').down = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(latest('gone').sent.map((c) => c.alert.key)).toEqual(['a']);
    expect(n.droppedOnReload).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('a changed channel: its waiting messages and held-back changes move to the new definition', async () => {
    const { m, n, built, warnings } = setup({ channels: [hook('ch')], routes: [{ channels: ['ch'] }], throttle: { maxPerMinute: 2 } });
    const [old] = built.get('ch')!;
    old.down = true;
    for (const key of ['a', 'b', 'c']) m.raise(ev({ key }));
    await vi.advanceTimersByTimeAsync(10);
    expect(n.reconfigure(config({ channels: [hook('ch', { url: 'http://127.0.0.1:9/moved' })], routes: [{ channels: ['ch'] }], throttle: { maxPerMinute: 2 } }), 2000))
      .toEqual({ added: [], changed: ['ch'], removed: [], routes: false });
    const fresh = built.get('ch')![1];
    await vi.advanceTimersByTimeAsync(60_000);
    // `a` was in flight on the old definition and stays there: dropped once the drain time is over
    expect(fresh.sent.map((c) => c.alert.key)).toEqual(['b']);
    expect(fresh.digests.map((d) => d.total)).toEqual([1]);
    expect(old.sent).toEqual([]);
    expect(n.droppedOnReload).toBe(1);
    expect(warnings).toContain('channel ch: replaced by a config reload; 1 notification(s) it still held were dropped after 2000 ms (1 dropped by reloads in all)');
  });

  it('a changed channel: a digest in flight on the old definition and given up there is counted in the new one\'s next digest', async () => {
    const limited = (url: string): NotificationsInput => ({ channels: [hook('ch', { url, retries: 1 })], routes: [{ channels: ['ch'] }], throttle: { maxPerMinute: 1 } });
    const { m, n, built } = setup(limited('http://127.0.0.1:9/old'));
    const [old] = built.get('ch')!;
    m.raise(ev({ key: 'a' }));
    m.raise(ev({ key: 'b' })); // over the limit: held for a digest
    await vi.advanceTimersByTimeAsync(10);
    old.down = true;
    await vi.advanceTimersByTimeAsync(60_000); // the window ends: the digest of b fails once, waits to retry
    expect(old.digests).toEqual([]);
    n.reconfigure(config(limited('http://127.0.0.1:9/new')));
    const fresh = built.get('ch')![1];
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fresh.digests.map((d) => d.undelivered?.total)).toEqual([1]);
  });

  it('a changed default throttle changes the channels that inherit it; uiUrl alone changes none', () => {
    const { n } = setup({ channels: [hook('own', { throttle: { maxPerMinute: 5 } }), hook('inherits')], routes: [{ channels: ['own'] }] });
    expect(n.reconfigure(config({ channels: [hook('own', { throttle: { maxPerMinute: 5 } }), hook('inherits')], routes: [{ channels: ['own'] }], throttle: { maxPerMinute: 3 } })).changed).toEqual(['inherits']);
    expect(n.reconfigure(config({ channels: [hook('own', { throttle: { maxPerMinute: 5 } }), hook('inherits')], routes: [{ channels: ['own'] }], throttle: { maxPerMinute: 3 }, uiUrl: 'http://ui.example' })))
      .toEqual({ added: [], changed: [], removed: [], routes: false });
  });

  it('routes swap: an alert goes by the new routes only', async () => {
    const { m, n, latest } = setup({ channels: [hook('x'), hook('y')], routes: [{ channels: ['x'] }] });
    n.reconfigure(config({ channels: [hook('x'), hook('y')], routes: [{ channels: ['y'], severities: ['critical'] }] }));
    m.raise(ev({ key: 'minor', severity: 'minor' }));
    m.raise(ev({ key: 'crit', severity: 'critical' }));
    await vi.advanceTimersByTimeAsync(10);
    expect(latest('x').sent).toEqual([]);
    expect(latest('y').sent.map((c) => c.alert.key)).toEqual(['crit']);
  });
});
