/** TrapsPort over the trap log (StateStore traps); the sender's security name is never returned. */
import type { TrapRecord, TrapsPort } from '../../api/services.ts';
import type { StateStore, StoredTrap } from '../../storage/index.ts';

export function trapView(t: StoredTrap): TrapRecord {
  return {
    id: t.id, time: t.time, source: t.source, device: t.device, version: t.version, trapOid: t.trapOid, trapName: t.trapName,
    severity: t.severity, varbinds: t.varbinds.map((v) => ({ oid: v.oid, name: v.name, type: v.type, value: v.value })),
  };
}

export function trapsPort(state: StateStore): TrapsPort {
  return {
    list: async (f) => state.traps.list({ device: f.device, oid: f.oid, from: f.from, to: f.to, limit: f.limit }).map(trapView),
  };
}
