import { afterAll, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { LocalEngine } from '../../src/traps/engine.ts';
import { alertStoreFrom, BatchedTrapLog, engineIdStoreFrom, storedRules } from '../../src/traps/state-adapters.ts';

const state = new StateStore(':memory:');
afterAll(() => state.close());

describe('StateStore adapters', () => {
  it('alerts persist through the lifecycle', () => {
    const m = new AlertManager(alertStoreFrom(state));
    const a = m.raise({ action: 'raise', key: 'k', source: 'trap', rule: 'r', device: 'sw1', severity: 'major', message: 'x', time: 1 })!.alert;
    m.raise({ action: 'raise', key: 'k', source: 'trap', rule: 'r', device: 'sw1', severity: 'major', message: 'x', time: 2 });
    expect(state.alerts.active('k')).toMatchObject({ id: a.id, count: 2, lastSeen: 2 });
    m.acknowledge(a.id, 'noc', 3);
    m.handle({ action: 'clear', key: 'k', source: 'trap', rule: 'r', severity: 'major', message: 'x', time: 4 });
    expect(state.alerts.byId(a.id)).toMatchObject({ state: 'cleared', acknowledgedBy: 'noc', clearedBy: 'auto' });
  });

  it('engine IDs: learned senders and our engine boots survive a restart', () => {
    const store = engineIdStoreFrom(state);
    store.learn({ engineId: '8000000001aa', address: '127.0.0.9', user: 'u', firstSeen: 1, lastSeen: 1 });
    expect(store.get('8000000001aa')).toMatchObject({ address: '127.0.0.9' });
    expect(engineIdStoreFrom(state).get('8000000001aa')).toMatchObject({ address: '127.0.0.9', firstSeen: 1 });
    expect(engineIdStoreFrom(state).get('8000000001bb')).toBeUndefined();
    const e1 = LocalEngine.open(store);
    const e2 = LocalEngine.open(engineIdStoreFrom(state));
    expect(e2.engineId.equals(e1.engineId)).toBe(true);
    expect(e2.engineBoots).toBe(e1.engineBoots + 1);
  });

  it('the trap log commits in batches and resolves after commit', async () => {
    const log = new BatchedTrapLog(state, { flushMs: 5 });
    const rec = (i: number) => ({
      receivedAt: i, source: { address: '127.0.0.1', port: 9 }, version: '2c' as const, pdu: 'TrapV2' as const, community: 'lab',
      trapOid: '1.3.6.1.6.3.1.1.5.3', varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.1', type: 'Integer' as const, value: 1 }], rules: [],
    });
    await Promise.all([1, 2, 3].map((i) => log.append(rec(i))));
    const rows = state.traps.list();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ securityName: 'lab', source: '127.0.0.1:9', varbinds: [{ value: '1' }] });
  });

  it('loads API-edited rules from the store and reports bad ones', () => {
    state.rules.put('r-ok', 'trap', { trap: '1.3.6.1.4.1.9.*', severity: 'critical' });
    state.rules.put('r-bad', 'trap', { trap: '*', severity: 'urgent' });
    state.rules.put('t-cpu', 'threshold', { measurement: 'snmp_host', field: 'cpu_load_pct', op: 'gt', value: 90 });
    const r = storedRules(state);
    expect(r.trap.map((x) => x.id)).toEqual(['r-ok']);
    expect(r.threshold.map((x) => x.id)).toEqual(['t-cpu']);
    expect(r.problems.join()).toContain('rules[r-bad].severity');
  });
});
