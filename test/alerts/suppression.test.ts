import { afterEach, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import type { MaintenanceWindow } from '../../src/alerts/maintenance.ts';
import { Notifier } from '../../src/alerts/notify/notifier.ts';
import { NotificationsSchema } from '../../src/alerts/notify/schema.ts';
import { DeviceStateAlerts } from '../../src/alerts/device-state.ts';
import { cutOffBy, decideSuppression, parentCycles, suppressorFrom, type SuppressionContext } from '../../src/alerts/suppression.ts';
import type { AlertChange, AlertEvent } from '../../src/alerts/types.ts';
import { isPathUnreachable, PATH_UNREACHABLE_STATES, type DeviceState } from '../../src/model/device.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { webhookServer } from './sinks.ts';
import { deviceStateChanges } from './device-changes.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-12-06T22:00:00Z');
const window = (over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id: 'w1', name: 'core-upgrade', devices: ['core-*'], tags: {}, start: T0, end: T0 + 2 * H, origin: 'api', ...over,
});

function context(windows: MaintenanceWindow[], states: Record<string, DeviceState>, parents: Record<string, string[]> = {}, tags: Record<string, Record<string, string>> = {}): SuppressionContext {
  return { windows: () => windows, tagsOf: (d) => tags[d], parentsOf: (d) => parents[d] ?? [], stateOf: (d) => states[d] };
}

describe('the suppression decision', () => {
  const parents = { 'access-1': ['dist-1'], 'access-2': ['dist-1', 'dist-2'], 'dist-1': ['core-1'] };
  it.each([
    ['no window, no parents', [], { 'edge-1': 'down' }, 'edge-1', T0, undefined],
    ['covered device inside the window', [window()], {}, 'core-1', T0 + H, 'maintenance core-upgrade'],
    ['covered device after the window', [window()], {}, 'core-1', T0 + 2 * H, undefined],
    ['device not covered', [window()], {}, 'dist-1', T0 + H, undefined],
    ['covered by tag', [window({ devices: [], tags: { site: 'hq' } })], {}, 'edge-9', T0, 'maintenance core-upgrade'],
    ['down behind its down parent', [], { 'access-1': 'down', 'dist-1': 'down' }, 'access-1', T0, 'parent dist-1 down'],
    ['down, parent up', [], { 'access-1': 'down', 'dist-1': 'up' }, 'access-1', T0, undefined],
    ['down, parent snmp-unreachable (reachable): a problem of its own', [], { 'access-1': 'down', 'dist-1': 'snmp-unreachable' }, 'access-1', T0, undefined],
    ['snmp-unreachable child, parent down: the path explains it too', [], { 'access-1': 'snmp-unreachable', 'dist-1': 'down' }, 'access-1', T0, 'parent dist-1 down'],
    ['snmp-unreachable child, parent up', [], { 'access-1': 'snmp-unreachable', 'dist-1': 'up' }, 'access-1', T0, undefined],
    ['snmp-unreachable child, two parents, one down', [], { 'access-2': 'snmp-unreachable', 'dist-1': 'down', 'dist-2': 'up' }, 'access-2', T0, undefined],
    ['snmp-unreachable child, two parents, both down', [], { 'access-2': 'snmp-unreachable', 'dist-1': 'down', 'dist-2': 'down' }, 'access-2', T0, 'parent dist-1, dist-2 down'],
    ['auth-failed child, parent down: its own configuration problem', [], { 'access-1': 'auth-failed', 'dist-1': 'down' }, 'access-1', T0, undefined],
    ['up child, parent down', [], { 'access-1': 'up', 'dist-1': 'down' }, 'access-1', T0, undefined],
    ['unknown child, parent down', [], { 'access-1': 'unknown', 'dist-1': 'down' }, 'access-1', T0, undefined],
    ['child state unknown to the poller, parent down', [], { 'dist-1': 'down' }, 'access-1', T0, undefined],
    ['snmp-unreachable child, parent snmp-unreachable (reachable)', [], { 'access-1': 'snmp-unreachable', 'dist-1': 'snmp-unreachable' }, 'access-1', T0, undefined],
    ['two parents, one down', [], { 'access-2': 'down', 'dist-1': 'down', 'dist-2': 'up' }, 'access-2', T0, undefined],
    ['two parents, both down', [], { 'access-2': 'down', 'dist-1': 'down', 'dist-2': 'down' }, 'access-2', T0, 'parent dist-1, dist-2 down'],
    ['parent state unknown to the poller', [], { 'access-1': 'down' }, 'access-1', T0, undefined],
    ['maintenance wins over parent', [window({ devices: ['access-*'] })], { 'access-1': 'down', 'dist-1': 'down' }, 'access-1', T0, 'maintenance core-upgrade'],
    ['no device', [window({ devices: ['*'] })], {}, undefined, T0, undefined],
  ] as [string, MaintenanceWindow[], Record<string, DeviceState>, string | undefined, number, string | undefined][])('%s', (_n, windows, states, device, t, reason) => {
    const ctx = context(windows, states, parents, { 'edge-9': { site: 'hq' } });
    expect(decideSuppression(device, t, ctx)?.reason).toBe(reason);
  });

  it.each([
    ['down', true],
    ['snmp-unreachable', true],
    ['auth-failed', false],
    ['up', false],
    ['unknown', false],
    [undefined, false],
  ] as [DeviceState | undefined, boolean][])('a child %s is unreachable because of the path: %s', (state, expected) => {
    expect(isPathUnreachable(state)).toBe(expected);
    expect(state !== undefined && PATH_UNREACHABLE_STATES.has(state)).toBe(expected);
  });

  it('finds parent cycles', () => {
    expect(parentCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
    expect(parentCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
    expect(parentCycles(new Map([['a', ['b', 'x']], ['b', ['b']], ['x', []]]))).toEqual([['b', 'b']]);
  });
});

describe('suppression along the parent chain', () => {
  // host → acc → dist → core (3 levels); dual → acc and acc-b → dist (a diamond); loops; missing parents
  const parents = {
    host: ['acc'], acc: ['dist'], dist: ['core'], dual: ['acc', 'acc-b'], 'acc-b': ['dist'],
    la: ['lb'], lb: ['la'], self: ['self'], w: ['x'], x: ['y'], y: ['z'], z: ['y'], orphan: ['ghost'], lonely: ['stray'],
  };
  type Row = [string, string, Record<string, DeviceState>, string | undefined, string | undefined];
  it.each([
    ['1 level: parent down', 'acc', { acc: 'down', dist: 'down' }, 'parent dist down', 'dist'],
    ['1 level: parent snmp-unreachable and nothing down above it (it answers ping)', 'acc', { acc: 'down', dist: 'snmp-unreachable', core: 'up' }, undefined, undefined],
    ['2 levels: parent snmp-unreachable behind a down grandparent', 'acc', { acc: 'down', dist: 'snmp-unreachable', core: 'down' }, 'parent dist unreachable behind core down', 'core'],
    ['2 levels: snmp-unreachable grandchild, the same', 'acc', { acc: 'snmp-unreachable', dist: 'snmp-unreachable', core: 'down' }, 'parent dist unreachable behind core down', 'core'],
    ['2 levels: parent down, grandparent up (the parent is the cause)', 'acc', { acc: 'down', dist: 'down', core: 'up' }, 'parent dist down', 'dist'],
    ['3 levels: two snmp-unreachable, the top one down', 'host', { host: 'down', acc: 'snmp-unreachable', dist: 'snmp-unreachable', core: 'down' }, 'parent acc unreachable behind core down', 'core'],
    ['3 levels: the middle one down', 'host', { host: 'down', acc: 'snmp-unreachable', dist: 'down', core: 'up' }, 'parent acc unreachable behind dist down', 'dist'],
    ['3 levels: all snmp-unreachable, none down: a way in', 'host', { host: 'down', acc: 'snmp-unreachable', dist: 'snmp-unreachable', core: 'snmp-unreachable' }, undefined, undefined],
    ['3 levels: a middle one up', 'host', { host: 'down', acc: 'snmp-unreachable', dist: 'up', core: 'down' }, undefined, undefined],
    ['3 levels: a middle one auth-failed (it answered)', 'host', { host: 'down', acc: 'snmp-unreachable', dist: 'auth-failed', core: 'down' }, undefined, undefined],
    ['3 levels: a middle one unknown', 'host', { host: 'down', acc: 'snmp-unreachable', dist: 'unknown', core: 'down' }, undefined, undefined],
    ['3 levels: a middle one not known to the poller', 'host', { host: 'down', acc: 'snmp-unreachable', core: 'down' }, undefined, undefined],
    ['3 levels: the device itself auth-failed', 'host', { host: 'auth-failed', acc: 'snmp-unreachable', dist: 'down' }, undefined, undefined],
    ['3 levels: the device itself up', 'host', { host: 'up', acc: 'down' }, undefined, undefined],
    ['diamond: both parents snmp-unreachable behind one down device', 'dual', { dual: 'down', acc: 'snmp-unreachable', 'acc-b': 'snmp-unreachable', dist: 'down' }, 'parent acc, acc-b unreachable behind dist down', 'dist'],
    ['diamond: one parent down, the other behind it', 'dual', { dual: 'down', acc: 'down', 'acc-b': 'snmp-unreachable', dist: 'down' }, 'parent acc, acc-b unreachable behind acc, dist down', 'acc'],
    ['diamond: both parents down', 'dual', { dual: 'down', acc: 'down', 'acc-b': 'down' }, 'parent acc, acc-b down', 'acc'],
    ['diamond: one way in', 'dual', { dual: 'down', acc: 'snmp-unreachable', 'acc-b': 'up', dist: 'down' }, undefined, undefined],
    ['loop a → b → a: b snmp-unreachable leads back to a', 'la', { la: 'down', lb: 'snmp-unreachable' }, undefined, undefined],
    ['loop a → b → a: b down', 'la', { la: 'down', lb: 'down' }, 'parent lb down', 'lb'],
    ['loop: its own parent', 'self', { self: 'down' }, undefined, undefined],
    ['loop further up (y → z → y)', 'w', { w: 'down', x: 'snmp-unreachable', y: 'snmp-unreachable', z: 'snmp-unreachable' }, undefined, undefined],
    ['loop further up, but a device down before it', 'w', { w: 'down', x: 'snmp-unreachable', y: 'down', z: 'snmp-unreachable' }, 'parent x unreachable behind y down', 'y'],
    ['missing parent: not known to the poller', 'orphan', { orphan: 'down' }, undefined, undefined],
    ['missing parent: known down', 'orphan', { orphan: 'down', ghost: 'down' }, 'parent ghost down', 'ghost'],
    ['missing grandparent: snmp-unreachable parent without parents of its own', 'lonely', { lonely: 'down', stray: 'snmp-unreachable' }, undefined, undefined],
  ] as Row[])('%s', (_n, device, states, reason, by) => {
    const decision = decideSuppression(device, T0, context([], states, parents));
    expect(decision?.reason).toBe(reason);
    expect(decision?.by).toBe(by);
    if (decision) expect(decision.kind).toBe('parent');
  });

  it('asks each device once on a diamond', () => {
    const asked: string[] = [];
    const states: Record<string, DeviceState> = { dual: 'down', acc: 'snmp-unreachable', 'acc-b': 'snmp-unreachable', dist: 'down' };
    const ctx = { parentsOf: (d: string) => (asked.push(d), (parents as Record<string, string[]>)[d] ?? []), stateOf: (d: string) => states[d] };
    expect(cutOffBy('dual', ctx)).toEqual(['dist']);
    expect(asked).toEqual(['dual', 'acc', 'acc-b']);
  });

  it('neither overflows nor hangs on a very deep chain or a very long loop', () => {
    const n = 20_000; // beyond what recursion survives
    const chain = (d: string) => (d === `n${n}` ? [] : [`n${Number(d.slice(1)) + 1}`]);
    const deep = { parentsOf: chain, stateOf: (d: string): DeviceState => (d === `n${n}` ? 'down' : 'snmp-unreachable') };
    expect(cutOffBy('n0', deep)).toEqual([`n${n}`]);
    const loop = { parentsOf: (d: string) => [`n${(Number(d.slice(1)) + 1) % n}`], stateOf: (): DeviceState => 'snmp-unreachable' };
    expect(cutOffBy('n0', loop)).toBeUndefined();
  });
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** an AlertManager on the real state database, a Notifier with a webhook channel to a local sink */
async function setup(ctx: SuppressionContext) {
  const state = new StateStore(':memory:');
  const m = new AlertManager(alertStoreFrom(state), { suppressor: suppressorFrom(ctx) });
  const hook = await webhookServer();
  const n = new Notifier(NotificationsSchema.parse({ channels: [{ name: 'hook', type: 'webhook', url: hook.url() }], routes: [{ channels: ['hook'] }] }));
  n.attach(m);
  const changes: AlertChange[] = [];
  m.onChange((c) => changes.push({ ...c, alert: structuredClone(c.alert) }));
  cleanups.push(() => n.close(), hook.close, () => state.close());
  const sent = async () => {
    await n.idle();
    return hook.hits.map((h) => { const b = JSON.parse(h.body); return `${b.event} ${b.alert.device}`; });
  };
  return { m, state, changes, sent };
}

const ev = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  action: 'raise', key: 'trap:core-1:linkDown:3', source: 'trap', rule: 'linkDown', device: 'core-1', severity: 'major', message: 'core-1 Gi0/3 down', time: T0 + 10 * 60_000, ...over,
});

describe('AlertManager with maintenance windows', () => {
  it('records a covered alert silenced, does not notify it, and notifies it when the window ends while it is still active', async () => {
    const { m, state, changes, sent } = await setup(context([window()], {}));
    const a = m.raise(ev())!.alert;
    m.raise(ev({ time: T0 + 20 * 60_000 }));
    m.raise(ev({ time: T0 + 30 * 60_000, severity: 'critical' }));
    m.raise(ev({ key: 'trap:edge-1:linkDown:1', device: 'edge-1', message: 'edge-1 Gi0/1 down' }));
    // recorded, with the window's name, in the state database
    expect(state.alerts.byId(a.id)).toMatchObject({ state: 'open', count: 3, severity: 'critical', suppressed: { kind: 'maintenance', reason: 'maintenance core-upgrade', by: 'core-upgrade', since: T0 + 10 * 60_000 } });
    expect(state.alerts.list({ suppressed: true }).map((x) => x.device)).toEqual(['core-1']);
    expect(state.alerts.list({ suppressed: false }).map((x) => x.device)).toEqual(['edge-1']);
    expect(changes.map((c) => `${c.kind} ${c.alert.device} ${c.notify}`)).toEqual(['opened core-1 false', 'repeated core-1 false', 'escalated core-1 false', 'opened edge-1 true']);
    expect(await sent()).toEqual(['opened edge-1']);
    expect(m.stats.suppressedMaintenance).toBe(1);

    // still inside: nothing; at the end: notified once, as opened, with the suppression's end recorded
    expect(m.reevaluateSuppressed(T0 + H)).toEqual([]);
    const released = m.reevaluateSuppressed(T0 + 2 * H);
    expect(released.map((c) => [c.kind, c.notify, c.released])).toEqual([['opened', true, true]]);
    expect(await sent()).toEqual(['opened edge-1', 'opened core-1']);
    expect(state.alerts.byId(a.id)!.suppressed).toMatchObject({ until: T0 + 2 * H });
    expect(state.alerts.list({ suppressed: true })).toEqual([]);
    expect(m.reevaluateSuppressed(T0 + 3 * H)).toEqual([]);
    m.clearKey(a.key, 'auto', T0 + 3 * H);
    expect(await sent()).toEqual(['opened edge-1', 'opened core-1', 'cleared core-1']);
    expect(m.stats.released).toBe(1);
  });

  it('clears a silenced alert silently when it clears inside the window', async () => {
    const { m, state, sent } = await setup(context([window()], {}));
    const a = m.raise(ev())!.alert;
    m.clearKey(a.key, 'auto', T0 + H);
    expect(m.reevaluateSuppressed(T0 + 3 * H)).toEqual([]);
    expect(await sent()).toEqual([]);
    expect(state.alerts.byId(a.id)).toMatchObject({ state: 'cleared', suppressed: { reason: 'maintenance core-upgrade' } });
  });

  it('does not silence an alert opened before the window started', async () => {
    const { m, sent } = await setup(context([window()], {}));
    m.raise(ev({ time: T0 - 60_000 }));
    m.raise(ev({ time: T0 + 60_000 }));
    expect(await sent()).toEqual(['opened core-1']);
  });

  it('picks up suppressed alerts from the store after a restart', async () => {
    const state = new StateStore(':memory:');
    cleanups.push(() => state.close());
    const ctx = context([window()], {});
    new AlertManager(alertStoreFrom(state), { suppressor: suppressorFrom(ctx) }).raise(ev());
    const again = new AlertManager(alertStoreFrom(state), { suppressor: suppressorFrom(ctx) });
    expect(again.suppressedCount).toBe(1);
    expect(again.reevaluateSuppressed(T0 + 2 * H).map((c) => c.alert.device)).toEqual(['core-1']);
  });
});

describe('AlertManager with parent dependencies', () => {
  // snmp-unreachable (answers ping, SNMP silent) behind a down parent is the path's doing as much as down
  it.each(['down', 'snmp-unreachable'] as const)('holds back a child that turns %s behind its down parent and notifies it when the parent is back and it is still so', async (bad) => {
    const states: Record<string, DeviceState> = { 'core-1': 'up', 'access-1': 'up', 'access-2': 'up' };
    const { m, state, sent } = await setup(context([], states, { 'access-1': ['core-1'], 'access-2': ['core-1'] }));
    const change = deviceStateChanges(m, states);
    change('core-1', 'down', T0);
    change('access-1', bad, T0 + 60_000);
    change('access-2', bad, T0 + 60_000);
    expect(await sent()).toEqual(['opened core-1']);
    expect(state.alerts.list({ state: 'active', suppressed: true }).map((a) => [a.device, a.suppressed!.reason]).sort())
      .toEqual([['access-1', 'parent core-1 down'], ['access-2', 'parent core-1 down']]);
    // access-2 comes back while core-1 is still down: its alert clears without a word
    change('access-2', 'up', T0 + 5 * 60_000);
    // core-1 back: access-1 is still broken, a real problem of its own: notified now
    change('core-1', 'up', T0 + 10 * 60_000);
    expect(await sent()).toEqual(['opened core-1', 'cleared core-1', 'opened access-1']);
    expect(m.stats).toMatchObject({ suppressedParent: 2, released: 1 });
    expect(state.alerts.active(`device-state:access-1:${bad}`)!.suppressed).toMatchObject({
      kind: 'parent', by: 'core-1', until: T0 + 10 * 60_000, reason: 'parent core-1 down; released: no longer behind a down parent',
    });
  });

  it('holds back a grandchild behind a snmp-unreachable parent whose own parent is down; released with its cause when that one is back', async () => {
    const states: Record<string, DeviceState> = { core: 'up', dist: 'up', acc: 'up' };
    const { m, state, sent } = await setup(context([], states, { dist: ['core'], acc: ['dist'] }));
    const change = deviceStateChanges(m, states);
    change('core', 'down', T0);
    change('dist', 'snmp-unreachable', T0 + 60_000);
    change('acc', 'down', T0 + 60_000);
    expect(await sent()).toEqual(['opened core']);
    expect(state.alerts.active('device-state:acc:down')!.suppressed).toMatchObject({ kind: 'parent', by: 'core', reason: 'parent dist unreachable behind core down' });
    change('core', 'up', T0 + 10 * 60_000);
    expect(await sent()).toEqual(['opened core', 'cleared core', 'opened dist', 'opened acc']);
    expect(state.alerts.active('device-state:acc:down')!.suppressed).toMatchObject({
      until: T0 + 10 * 60_000, reason: 'parent dist unreachable behind core down; released: no longer behind a down parent',
    });
  });

  it('alerts an auth-failed child behind its down parent normally: its credentials are its own problem', async () => {
    const states: Record<string, DeviceState> = { 'core-1': 'down', 'access-1': 'up' };
    const { m, state, sent } = await setup(context([], states, { 'access-1': ['core-1'] }));
    states['access-1'] = 'auth-failed';
    new DeviceStateAlerts(m).handle({ device: 'access-1', from: 'up', to: 'auth-failed', time: T0 });
    expect(m.reevaluateSuppressed(T0)).toEqual([]);
    expect(await sent()).toEqual(['opened access-1']);
    expect(state.alerts.active('device-state:access-1:auth-failed')!.suppressed).toBeUndefined();
    // the parent back: nothing to release, no second notification
    states['core-1'] = 'up';
    expect(m.reevaluateSuppressed(T0 + 60_000)).toEqual([]);
    expect(await sent()).toEqual(['opened access-1']);
    expect(m.stats).toMatchObject({ suppressedParent: 0, released: 0 });
  });
});
