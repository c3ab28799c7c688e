import { describe, expect, it } from 'vitest';
import { IcmpBatcher } from '../../src/poller/icmp-batcher.ts';
import { FakeIcmp } from './fakes.ts';

describe('IcmpBatcher', () => {
  it('checks hosts asked for within the window in one call, once per host', async () => {
    const icmp = new FakeIcmp();
    icmp.up.add('127.0.0.1');
    const b = new IcmpBatcher(icmp, {}, 30);
    const rs = await Promise.all([b.check('127.0.0.1'), b.check('127.0.0.2'), b.check('127.0.0.1')]);
    expect(icmp.calls).toEqual([['127.0.0.1', '127.0.0.2']]);
    expect(rs.map((r) => r.up)).toEqual([true, false, true]);
  });

  it('a full batch goes at once; close() answers waiting checks without a new fping', async () => {
    const icmp = new FakeIcmp();
    const b = new IcmpBatcher(icmp, {}, 60_000, 2);
    await Promise.all([b.check('127.0.0.1'), b.check('127.0.0.2')]);
    expect(icmp.calls).toHaveLength(1);
    const waiting = b.check('127.0.0.3');
    b.close();
    const r = await waiting;
    expect(r.up).toBe(false);
    expect(r.error).toMatch(/not checked: the poller is stopping/);
    expect(icmp.calls).toHaveLength(1);
  });
});
