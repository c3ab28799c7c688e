/**
 * The parent hold wired in the runtime, against REAL snmpd agents: a parent polled rarely and its
 * child polled every second fail together. The child's poll concludes first; the runtime polls
 * the parent at once (Poller.expedite) and the child's held alert ends suppressed: only the
 * parent is notified (a local webhook sink).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NetpulseRuntime } from '../../src/main/runtime.ts';
import type { webhookServer } from '../alerts/sinks.ts';
import { startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';
import { sentEvents, startHoldRuntime, untilWithLog } from './runtime-fixtures.ts';

let core: SnmpdHandle | undefined;
let access: SnmpdHandle | undefined;
let hook: Awaited<ReturnType<typeof webhookServer>> | undefined;
let rt: NetpulseRuntime | undefined;
let stop: (() => Promise<void>) | undefined;
const logLines: string[] = [];

const until = untilWithLog(logLines);

beforeAll(async () => {
  [core, access] = await Promise.all([
    startSnmpd({ versions: ['2c'], community: 'hold-core', sysName: 'core' }),
    startSnmpd({ versions: ['2c'], community: 'hold-access', sysName: 'access' }),
  ]);
  // ICMP off: a stopped agent on loopback is then `down` (loopback always answers ping)
  ({ hook, rt, stop } = await startHoldRuntime('hold', `
  core: { version: 2c, community: hold-core }
  access: { version: 2c, community: hold-access }`, `
  - { name: core, address: 127.0.0.1, port: ${core.port}, credentials: core, interval: 1h, icmp: false, profiles: [system] }
  - { name: access, address: 127.0.0.1, port: ${access.port}, credentials: access, interval: 1s, icmp: false, profiles: [system], parents: [core] }`, logLines));
}, 60_000);

afterAll(async () => {
  await stop?.();
  await Promise.all([core?.stop(), access?.stop()]);
});

describe('parent hold in the runtime', () => {
  it('a parent and its child failing together: the parent is polled at once, the child held then suppressed, only the parent notified', async () => {
    const reg = rt!.poller.registry;
    // the parent's first regular poll is up to an hour away: poll it now, as the runtime would
    expect(rt!.poller.expedite('core')).toBe('queued');
    await until('both up', () => reg.get('core')?.state === 'up' && reg.get('access')?.state === 'up');
    const coreDue = rt!.poller.scheduler.nextDue('core@3600000')!;
    const corePolls = reg.get('core')!.pollsDone;
    // the devices the runtime asks to check now (the test asks for none from here on)
    const expedite = vi.spyOn(rt!.poller, 'expedite');

    await Promise.all([core!.stop(), access!.stop()]);
    await until('the child down', () => reg.get('access')?.state === 'down');
    await until('the parent down', () => reg.get('core')?.state === 'down');
    const asked = expedite.mock.calls.map(([d]) => d);
    expedite.mockRestore();
    // the parent's regular poll was not due: the child's failure had it polled
    expect(reg.get('core')!.pollsDone).toBe(corePolls + 1);
    expect(Date.now()).toBeLessThan(coreDue);
    expect(asked).toContain('core');

    const child = await until('the child alert suppressed', () => {
      const a = rt!.alerts.store.active('device-state:access:down');
      // not the hold's own record (held since …), the suppression that ends it
      return a?.suppressed && a.suppressed.holdUntil === undefined && a;
    });
    expect(child.suppressed).toMatchObject({ kind: 'parent', reason: 'parent core down', by: 'core' });
    expect(rt!.alerts.stats.heldForParents).toBe(1);
    expect(rt!.alerts.heldCount).toBe(0);
    await until('the parent notified', () => hook!.hits.length > 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(sentEvents(hook!)).toEqual(['opened core']);
  });

  it('the parent back, the child still down at its next check: released once, at that check, not at the end of the grace', async () => {
    const reg = rt!.poller.registry;
    const sent = () => sentEvents(hook!);
    // the parent's agent back on its port; the child's stays stopped
    core = await startSnmpd({ versions: ['2c'], community: 'hold-core', sysName: 'core', port: core!.port });
    expect(rt!.poller.expedite('core')).toBe('queued');
    await until('the parent up', () => reg.get('core')?.state === 'up');
    await until('the child released', () => rt!.alerts.stats.released === 1);
    // the child's check (its 1 s poll or the expedited one) ended the 8 s grace, not the grace's timer ('not back up within 8 s')
    expect(rt!.alerts.store.active('device-state:access:down')?.suppressed?.reason).toMatch(/; released: core back up and access still unreachable at its check$/);
    await until('the child notified', () => sent().includes('opened access'));
    await new Promise((r) => setTimeout(r, 500));
    expect(sent()).toEqual(['opened core', 'cleared core', 'opened access']);
    expect(rt!.alerts.recoveringCount).toBe(0);
    expect(rt!.alerts.stats.clearedAfterParentRecovery).toBe(0);
  });
});
