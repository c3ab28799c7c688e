import { describe, expect, it } from 'vitest';
import { DeviceKeyedQueue, PendingChanges } from '../../src/alerts/pending-changes.ts';

describe('DeviceKeyedQueue', () => {
  it('keeps the order queued, files keys by device, and forgets a key taken from both', () => {
    const q = new DeviceKeyedQueue<number>();
    q.add('a', 1, 'dev-1');
    q.add('b', 2, undefined);
    q.add('c', 3, 'dev-1');
    q.add('d', 4, 'dev-2');
    expect(q.firstKeys(3)).toEqual(['a', 'b', 'c']);
    expect(q.keysOf('dev-1')).toEqual(['a', 'c']);
    expect(q.take('a')).toBe(1);
    expect(q.take('a')).toBeUndefined();
    expect(q.keysOf('dev-1')).toEqual(['c']);
    expect(q.take('c')).toBe(3);
    expect(q.keysOf('dev-1')).toEqual([]);
    expect([q.size, q.has('b'), q.get('d')]).toEqual([2, true, 4]);
  });

  it('a key queued again keeps its place (as the manager kept it), with the new value, filed under its new device only', () => {
    const q = new DeviceKeyedQueue<string>();
    q.add('a', 'first', 'dev-1');
    q.add('b', 'other', 'dev-1');
    q.add('a', 'again', 'dev-2');
    expect(q.firstKeys(10)).toEqual(['a', 'b']);
    expect(q.keysOf('dev-1')).toEqual(['b']);
    expect(q.keysOf('dev-2')).toEqual(['a']);
    expect(q.get('a')).toBe('again');
  });
});

describe('PendingChanges', () => {
  it('is idle once neither queue holds anything; whenIdle() waits until then, close() ends the wait', async () => {
    const p = new PendingChanges();
    await p.whenIdle();
    p.graceEnds.add('a', { at: 0, outcome: 'x', decision: undefined }, 'dev-1');
    p.reevaluations.add('b', { at: 0 }, 'dev-1');
    let idle = false;
    void p.whenIdle().then(() => { idle = true; });
    p.graceEnds.take('a');
    p.wakeIfIdle();
    await Promise.resolve();
    expect(idle).toBe(false);
    p.close();
    await Promise.resolve();
    expect(idle).toBe(true);
    expect([p.graceEnds.size, p.reevaluations.size, p.idle()]).toEqual([0, 0, true]);
  });
});
