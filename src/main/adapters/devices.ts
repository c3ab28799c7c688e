/** DevicesPort and CredentialsPort over the Inventory (config + API devices) and the poller's status. */
import type { CredentialSummary, CredentialsPort, DevicesPort, DeviceStatus, DeviceView } from '../../api/services.ts';
import type { Credential, Device } from '../../model/index.ts';
import type { DeviceStatusRegistry } from '../../poller/index.ts';
import type { Inventory } from '../inventory.ts';
import type { StatusTracker } from '../status-tracker.ts';

/** the non-secret side of a credential profile */
export function credentialSummary(name: string, c: Credential): CredentialSummary {
  return c.version === '3'
    ? { name, version: '3', user: c.user, level: c.level, authProtocol: c.authProtocol, privProtocol: c.privProtocol, context: c.context }
    : { name, version: c.version };
}

export function deviceStatus(name: string, registry: DeviceStatusRegistry, tracker: StatusTracker): DeviceStatus {
  const s = registry.get(name);
  const t = tracker.get(name);
  if (!s) return { state: 'unknown', missedPolls: 0, consecutiveFailures: 0, recentErrors: [] };
  return {
    state: s.state, since: s.since, lastPollAt: s.lastPollAt, lastSuccessAt: t?.lastSuccessAt, lastPollDurationMs: s.lastPollDurationMs,
    missedPolls: s.missedPolls, pollsDone: s.pollsDone, consecutiveFailures: t?.consecutiveFailures ?? 0, lastError: s.lastError,
    recentErrors: t?.recentErrors ?? [],
  };
}

export function devicesPort(inventory: Inventory, registry: DeviceStatusRegistry, tracker: StatusTracker): DevicesPort {
  const view = (d: Device): DeviceView => {
    const c = inventory.credential(d.credentials);
    return { ...structuredClone(d), snmp: c ? credentialSummary(d.credentials, c) : undefined, status: deviceStatus(d.name, registry, tracker) };
  };
  return {
    list: async () => inventory.devices().map(({ device }) => view(device)),
    get: async (name) => {
      const d = inventory.device(name);
      return d && view(d);
    },
    create: async (d) => view(inventory.createDevice(d)),
    update: async (name, d) => view(inventory.updateDevice(name, { ...d, name: d.name ?? name })),
    remove: async (name) => {
      const removed = inventory.removeDevice(name);
      if (removed) tracker.forget(name);
      return removed;
    },
  };
}

export function credentialsPort(inventory: Inventory): CredentialsPort {
  return {
    list: async () => inventory.credentials().map(({ name, credential }) => credentialSummary(name, credential)),
    put: async (name, credential) => {
      inventory.putCredential(name, credential);
      return credentialSummary(name, credential);
    },
    remove: async (name) => inventory.removeCredential(name),
  };
}
