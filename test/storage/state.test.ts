import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../../src/model/index.ts';
import { StateStore } from '../../src/storage/index.ts';
import type { StoredAlert } from '../../src/storage/index.ts';
import { MIGRATIONS } from '../../src/storage/state/migrations.ts';
import { linkId } from '../../src/storage/state/topology.ts';

const dir = mkdtempSync(join(tmpdir(), 'netpulse-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let state: StateStore;
beforeEach(() => { state = new StateStore(join(dir, `state${++n}.db`)); });
afterEach(() => state.close());

const device = (name: string): Device => ({
  name, address: '127.0.0.1', port: 161, credentials: 'lab-v2c', profiles: ['system'], intervalMs: 60_000,
  profileIntervalsMs: {}, tags: { site: 'lab' }, icmp: true,
});

describe('StateStore', () => {
  it('upgrades a version-1 database to the latest version, keeping its rows', () => {
    const file = join(dir, 'old.db');
    const db = new Database(file);
    db.exec(MIGRATIONS[0]);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO engine_ids (source, engine_id, first_seen, last_seen) VALUES ('a', '8000', 1, 1)").run();
    db.close();
    const upgraded = new StateStore(file);
    expect(upgraded.schemaVersion).toBe(MIGRATIONS.length);
    expect(upgraded.engineIds.findByEngineId('8000')).toHaveLength(1);
    upgraded.close();
  });

  it('migrates a new file to the latest version, 0600, and reopens it', () => {
    expect(state.schemaVersion).toBe(MIGRATIONS.length);
    expect(statSync(state.file).mode & 0o777).toBe(0o600);
    state.devices.create(device('a'));
    state.close();
    state = new StateStore(state.file);
    expect(state.devices.get('a')?.name).toBe('a');
  });

  it('refuses a database from a newer netpulse', () => {
    const file = state.file;
    state.close();
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new StateStore(file)).toThrow(/schema version .* is newer/);
    state = new StateStore(':memory:');
  });

  it('opens an up-to-date database while another connection holds a write transaction', () => {
    const other = new Database(state.file);
    other.exec('BEGIN IMMEDIATE');
    try {
      new StateStore(state.file).close();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('devices: create, conflict, update/rename, remove', () => {
    state.devices.create(device('r1'));
    expect(() => state.devices.create(device('r1'))).toThrow(expect.objectContaining({ kind: 'conflict' }));
    state.devices.update('r1', { ...device('r2'), port: 1161 });
    expect(state.devices.get('r1')).toBeUndefined();
    expect(state.devices.get('r2')?.port).toBe(1161);
    expect(() => state.devices.update('zz', device('zz'))).toThrow(expect.objectContaining({ kind: 'not-found' }));
    expect(state.devices.list().map((d) => d.name)).toEqual(['r2']);
    expect(state.devices.remove('r2')).toBe(true);
    expect(state.devices.remove('r2')).toBe(false);
  });

  it('credentials keep secrets for the poller', () => {
    state.credentials.put('v3', { version: '3', user: 'u', level: 'authPriv', authProtocol: 'SHA', authKey: 'secret1', privProtocol: 'AES', privKey: 'secret2' });
    expect(state.credentials.get('v3')).toMatchObject({ authKey: 'secret1' });
    expect(state.credentials.list().map((c) => c.name)).toEqual(['v3']);
  });

  it('alerts: one active alert per key, list filters, prune of cleared ones', () => {
    const a: StoredAlert = {
      id: 'a1', key: 'r1/linkDown/3', source: 'trap', rule: 'link', device: 'r1', severity: 'major', message: 'link down',
      state: 'open', firstSeen: 1000, lastSeen: 1000, count: 1, flapping: false, labels: { ifIndex: '3' },
    };
    state.alerts.save(a);
    state.alerts.save({ ...a, count: 2, lastSeen: 2000, state: 'acknowledged', acknowledgedBy: 'ops', acknowledgedAt: 1500 });
    expect(state.alerts.active(a.key)).toMatchObject({ id: 'a1', count: 2, state: 'acknowledged', acknowledgedBy: 'ops', labels: { ifIndex: '3' } });
    expect(() => state.alerts.save({ ...a, id: 'a2' })).toThrow(/UNIQUE/);
    state.alerts.save({ ...a, state: 'cleared', clearedAt: 3000, clearedBy: 'auto', lastSeen: 3000 });
    expect(state.alerts.active(a.key)).toBeUndefined();
    state.alerts.save({ ...a, id: 'a2', firstSeen: 4000, lastSeen: 4000 });
    expect(state.alerts.list().map((x) => x.id)).toEqual(['a2', 'a1']);
    expect(state.alerts.list({ state: 'active' }).map((x) => x.id)).toEqual(['a2']);
    expect(state.alerts.list({ state: 'cleared', device: 'r1', limit: 5 }).map((x) => x.id)).toEqual(['a1']);
    expect(state.alerts.byId('a1')).toMatchObject({ clearedBy: 'auto', clearedAt: 3000 });
    expect(state.alerts.pruneCleared(3500)).toBe(1);
    expect(state.alerts.byId('a1')).toBeUndefined();
  });

  it('alerts: saveAll saves every one in one transaction, or none when one fails', () => {
    const a = (id: string, key: string, message = 'down'): StoredAlert => ({
      id, key, source: 'device', rule: 'device-down', device: key, severity: 'critical', message,
      state: 'open', firstSeen: 1000, lastSeen: 1000, count: 1, flapping: false, labels: {},
      suppressed: { kind: 'parent', reason: 'parent core-1 down', by: 'core-1', since: 1000 },
    });
    state.alerts.saveAll([a('a1', 'k1'), a('a2', 'k2')]);
    expect(state.alerts.list({ state: 'active' }).map((x) => x.id).sort()).toEqual(['a1', 'a2']);
    expect(state.alerts.active('k2')?.suppressed).toEqual({ kind: 'parent', reason: 'parent core-1 down', by: 'core-1', since: 1000 });
    // the third breaks the one-active-alert-per-key rule: the first two changes are rolled back with it
    expect(() => state.alerts.saveAll([a('a1', 'k1', 'changed'), a('a3', 'k3'), a('a4', 'k2')])).toThrow(/UNIQUE/);
    expect(state.alerts.byId('a1')?.message).toBe('down');
    expect(state.alerts.byId('a3')).toBeUndefined();
    expect(state.alerts.list().map((x) => x.id).sort()).toEqual(['a1', 'a2']);
    state.alerts.saveAll([]);
  });

  it('traps: newest first, filters by device, OID prefix (number or name) and time', () => {
    const base = { source: '127.0.0.1:50000', version: '2c', securityName: 'public', varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.3', type: 'Integer', value: '3' }] };
    state.traps.add({ ...base, time: 1, device: 'r1', trapOid: '1.3.6.1.6.3.1.1.5.3', trapName: 'IF-MIB::linkDown', severity: 'major' });
    state.traps.add({ ...base, time: 2, device: 'r1', trapOid: '1.3.6.1.6.3.1.1.5.4', trapName: 'IF-MIB::linkUp' });
    const t3 = state.traps.add({ ...base, time: 3, trapOid: '1.3.6.1.4.1.9.9.1', trapName: undefined });
    expect(t3.id).toMatch(/^\d+$/);
    expect(state.traps.list().map((t) => t.time)).toEqual([3, 2, 1]);
    expect(state.traps.list({ device: 'r1', limit: 1 }).map((t) => t.time)).toEqual([2]);
    expect(state.traps.list({ oid: '.1.3.6.1.6.3.1.1.5' }).map((t) => t.time)).toEqual([2, 1]);
    expect(state.traps.list({ oid: 'IF-MIB::linkD' })[0]).toMatchObject({ time: 1, severity: 'major', varbinds: base.varbinds });
    expect(state.traps.list({ from: 2, to: 2 }).map((t) => t.time)).toEqual([2]);
    expect(state.traps.prune(3)).toBe(2);
    expect(state.traps.count()).toBe(1);
  });

  it('rules: JSON documents by kind', () => {
    const r = state.rules.create('alert', { name: 'cpu high', threshold: 90 });
    state.rules.put('fixed', 'trap', { match: 'linkDown' });
    expect(state.rules.get<{ threshold: number }>(r.id)?.doc.threshold).toBe(90);
    expect(state.rules.list('trap').map((x) => x.id)).toEqual(['fixed']);
    state.rules.put(r.id, 'alert', { name: 'cpu high', threshold: 95 });
    expect(state.rules.get<{ threshold: number }>(r.id)?.doc.threshold).toBe(95);
    expect(state.rules.remove(r.id)).toBe(true);
    expect(state.rules.list().length).toBe(1);
  });

  it('topology: sources merge, a link seen from both ends is one link, stale ones go', () => {
    state.topology.upsertNode({ id: 'r1', label: 'core' }, 'config', 100);
    state.topology.upsertNode({ id: 'r1', label: 'core' }, 'lldp', 200);
    state.topology.upsertNode({ id: 'r2' }, 'lldp', 200);
    state.topology.upsertLink({ a: 'r2', aPort: 'Gi0/2', b: 'r1', bPort: 'Gi0/1' }, 'lldp', 200);
    state.topology.upsertLink({ a: 'r1', aPort: 'Gi0/1', b: 'r2', bPort: 'Gi0/2' }, 'cdp', 300);
    expect(state.topology.nodes()[0]).toMatchObject({ id: 'r1', sources: ['config', 'lldp'], firstSeen: 100, lastSeen: 200, attrs: { label: 'core' } });
    const links = state.topology.links();
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ a: 'r1', aPort: 'Gi0/1', b: 'r2', bPort: 'Gi0/2', sources: ['cdp', 'lldp'], firstSeen: 200, lastSeen: 300 });
    expect(linkId({ a: 'x', b: 'y' })).toBe(linkId({ a: 'y', b: 'x' }));
    state.topology.upsertNode({ id: 'r1' }, 'lldp', 400);
    expect(state.topology.removeStale(250)).toEqual({ nodes: 1, links: 1 });
  });

  it('engine ids: per source, normalized hex, firstSeen reset when it changes', () => {
    state.engineIds.put('127.0.0.1:161', '0x80001F8880AABB', { engineBoots: 3, now: 10 });
    state.engineIds.put('127.0.0.1:161', '80:00:1f:88:80:aa:bb', { engineBoots: 4, now: 20 });
    expect(state.engineIds.get('127.0.0.1:161')).toEqual({ source: '127.0.0.1:161', engineId: '80001f8880aabb', engineBoots: 4, firstSeen: 10, lastSeen: 20 });
    state.engineIds.put('127.0.0.1:161', '80001f8880ccdd', { now: 30 });
    expect(state.engineIds.get('127.0.0.1:161')?.firstSeen).toBe(30);
    expect(state.engineIds.list()).toHaveLength(1);
    state.engineIds.put('trap-sender:127.0.0.2', '80001F8880CCDD');
    expect(state.engineIds.findByEngineId('0x80001f8880ccdd').map((e) => e.source)).toEqual(['127.0.0.1:161', 'trap-sender:127.0.0.2']);
  });
});
