/**
 * The expedited parent checks follow the chain (src/main/parent-checks.ts), against REAL snmpd
 * agents: leaf → mid → core. mid's agent is stopped while its host answers ping (snmp-unreachable,
 * ICMP on loopback); then core and leaf fail together. The leaf's failure has mid checked and,
 * mid being snmp-unreachable, core too: core's hourly poll is not awaited, and the leaf's held
 * alert ends suppressed behind core, never notified (a local webhook sink).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NetpulseRuntime } from '../../src/main/runtime.ts';
import type { webhookServer } from '../alerts/sinks.ts';
import { startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';
import { sentEvents, startHoldRuntime, untilWithLog } from './runtime-fixtures.ts';

let core: SnmpdHandle | undefined;
let mid: SnmpdHandle | undefined;
let leaf: SnmpdHandle | undefined;
let hook: Awaited<ReturnType<typeof webhookServer>> | undefined;
let rt: NetpulseRuntime | undefined;
let stop: (() => Promise<void>) | undefined;
const logLines: string[] = [];

const until = untilWithLog(logLines);

beforeAll(async () => {
  [core, mid, leaf] = await Promise.all([
    startSnmpd({ versions: ['2c'], community: 'chain-core', sysName: 'core' }),
    startSnmpd({ versions: ['2c'], community: 'chain-mid', sysName: 'mid' }),
    startSnmpd({ versions: ['2c'], community: 'chain-leaf', sysName: 'leaf' }),
  ]);
  // core and leaf without ICMP: a stopped agent is `down`; mid with ICMP: loopback answers ping, so `snmp-unreachable`
  ({ hook, rt, stop } = await startHoldRuntime('chain', `
  core: { version: 2c, community: chain-core }
  mid: { version: 2c, community: chain-mid }
  leaf: { version: 2c, community: chain-leaf }`, `
  - { name: core, address: 127.0.0.1, port: ${core.port}, credentials: core, interval: 1h, icmp: false, profiles: [system] }
  - { name: mid, address: 127.0.0.1, port: ${mid.port}, credentials: mid, interval: 1h, icmp: true, profiles: [system], parents: [core] }
  - { name: leaf, address: 127.0.0.1, port: ${leaf.port}, credentials: leaf, interval: 1s, icmp: false, profiles: [system], parents: [mid] }`, logLines));
}, 60_000);

afterAll(async () => {
  await stop?.();
  await Promise.all([core?.stop(), mid?.stop(), leaf?.stop()]);
});

describe('expedited parent checks up the chain', () => {
  it('a leaf failing behind a snmp-unreachable parent has the grandparent checked at once; its alert ends suppressed behind it', async () => {
    const reg = rt!.poller.registry;
    // the hourly devices' first regular polls are far away: check them now, as the runtime would
    expect(rt!.poller.expedite('core')).toBe('queued');
    expect(rt!.poller.expedite('mid')).toBe('queued');
    await until('all up', () => ['core', 'mid', 'leaf'].every((d) => reg.get(d)?.state === 'up'));

    // mid's agent stops, its host still answers ping
    await mid!.stop();
    mid = undefined;
    expect(rt!.poller.expedite('mid')).toBe('queued');
    await until('mid snmp-unreachable', () => reg.get('mid')?.state === 'snmp-unreachable');
    // mid's own change had core checked (it is up): wait for that check to end (polled seconds
    // ago, so this asks only: `recent` once done, never queues one)
    const coreBusy = () => rt!.poller.expedite('core', 60_000) === 'busy';
    await until('core checked after mid failed', () => !coreBusy());
    const corePolls = reg.get('core')!.pollsDone;
    const coreDue = rt!.poller.scheduler.nextDue('core@3600000')!;
    // the devices the runtime asks to check now (the test asks for none from here on)
    const expedite = vi.spyOn(rt!.poller, 'expedite');

    await Promise.all([core!.stop(), leaf!.stop()]);
    await until('leaf down', () => reg.get('leaf')?.state === 'down');
    await until('core down', () => reg.get('core')?.state === 'down');
    const asked = expedite.mock.calls.map(([d]) => d);
    expedite.mockRestore();
    // not its hourly poll: the leaf's failure had it checked, through mid
    expect(reg.get('core')!.pollsDone).toBe(corePolls + 1);
    expect(Date.now()).toBeLessThan(coreDue);
    expect(asked).toContain('core');
    expect(reg.get('mid')!.state).toBe('snmp-unreachable');

    const alert = await until('the leaf alert suppressed', () => {
      const a = rt!.alerts.store.active('device-state:leaf:down');
      // not the hold's own record (held since …), the suppression that ends it
      return a?.suppressed && a.suppressed.holdUntil === undefined && a;
    });
    expect(alert.suppressed).toMatchObject({ kind: 'parent', reason: 'parent mid unreachable behind core down', by: 'core' });
    expect(alert.suppressed!.until).toBeUndefined();
    await until('core notified', () => hook!.hits.some((h) => JSON.parse(h.body).alert.device === 'core'));
    await new Promise((r) => setTimeout(r, 500));
    const sent = sentEvents(hook!);
    expect(sent).not.toContain('opened leaf');
  });
});
