/** DevicesPort and CredentialsPort over the Inventory (config + API devices) and the poller's status. */
import type { CredentialSummary, CredentialsPort, DevicesPort, DeviceStatus, DeviceView } from '../../api/services.ts';
import type { Credential, Device } from '../../model/index.ts';
import type { DeviceStatusRegistry, DeviceStatus as RegistryStatus } from '../../poller/index.ts';
import type { Inventory, Origin } from '../inventory.ts';
import type { StatusTracker, TrackedStatus } from '../status-tracker.ts';
import { deviceFromInput } from './device-input.ts';

/** the non-secret side of a credential profile */
export function credentialSummary(name: string, c: Credential): CredentialSummary {
  return c.version === '3'
    ? { name, version: '3', user: c.user, level: c.level, authProtocol: c.authProtocol, privProtocol: c.privProtocol, context: c.context }
    : { name, version: c.version };
}

export function deviceStatus(name: string, registry: DeviceStatusRegistry, tracker: StatusTracker): DeviceStatus {
  return statusView(registry.get(name), tracker.get(name));
}

function statusView(s: RegistryStatus | undefined, t: TrackedStatus | undefined): DeviceStatus {
  if (!s) return { state: 'unknown', missedPolls: 0, consecutiveFailures: 0, recentErrors: [] };
  return {
    state: s.state, since: s.since, lastPollAt: s.lastPollAt, lastSuccessAt: t?.lastSuccessAt, lastPollDurationMs: s.lastPollDurationMs,
    missedPolls: s.missedPolls, pollsDone: s.pollsDone, consecutiveFailures: t?.consecutiveFailures ?? 0, lastError: s.lastError,
    recentErrors: t?.recentErrors ?? [], interfacesFiltered: s.interfacesFiltered,
  };
}

/** the device's own copy: its arrays and maps hold only strings and numbers (the interface filter is shared: nobody mutates it) */
function copyDevice(d: Device): Device {
  const copy: Device = { ...d, profiles: [...d.profiles], profileIntervalsMs: { ...d.profileIntervalsMs }, tags: { ...d.tags } };
  if (d.parents) copy.parents = [...d.parents];
  return copy;
}

/** same own keys with identical (===) values, arrays element by element; both undefined counts as equal */
function sameFlat(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => {
    const x: unknown = (a as Record<string, unknown>)[k];
    const y: unknown = (b as Record<string, unknown>)[k];
    return x === y || (Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((e, i) => e === y[i]));
  });
}

/** what a view was built from: the inventory's objects (replaced on every change) and the registry's and tracker's flat copies */
interface Built {
  device: Device;
  credential: Credential | undefined;
  status: RegistryStatus | undefined;
  tracked: TrackedStatus | undefined;
  view: DeviceView;
}

export function devicesPort(inventory: Inventory, registry: DeviceStatusRegistry, tracker: StatusTracker): DevicesPort {
  const view = (d: Device, origin: Origin, credential = inventory.credential(d.credentials), status = registry.get(d.name), tracked = tracker.get(d.name)): DeviceView =>
    ({ ...copyDevice(d), origin, ...(origin === 'config' && inventory.shadows(d.name) ? { shadows: 'api' as const } : {}), snmp: credential ? credentialSummary(d.credentials, credential) : undefined, status: statusView(status, tracked) });

  // list() snapshot: a view is rebuilt only when what it was built from changed, and the array
  // is the same object until one was; the inventory is read again only after it changed
  let devices: { device: Device; origin: Origin }[] | undefined;
  const credentials = new Map<string, Credential | undefined>();
  inventory.onChange(() => { devices = undefined; credentials.clear(); });
  const built = new Map<string, Built>();
  let snapshot: DeviceView[] = [];

  const current = ({ device, origin }: { device: Device; origin: Origin }): DeviceView => {
    if (!credentials.has(device.credentials)) credentials.set(device.credentials, inventory.credential(device.credentials));
    const credential = credentials.get(device.credentials);
    const status = registry.get(device.name);
    const tracked = tracker.get(device.name);
    // whether it hides an API-created device changes without the device (removeHidden): the view says what it was built with
    const shadows = origin === 'config' && inventory.shadows(device.name);
    const old = built.get(device.name);
    if (old && old.device === device && old.credential === credential && (old.view.shadows !== undefined) === shadows && sameFlat(old.status, status) && sameFlat(old.tracked, tracked)) return old.view;
    const v = view(device, origin, credential, status, tracked);
    built.set(device.name, { device, credential, status, tracked, view: v });
    return v;
  };

  const list = (): DeviceView[] => {
    if (!devices) {
      devices = inventory.devices();
      const names = new Set(devices.map(({ device }) => device.name));
      for (const name of built.keys()) if (!names.has(name)) built.delete(name);
    }
    const next = devices.map(current);
    if (next.length !== snapshot.length || next.some((v, i) => v !== snapshot[i])) snapshot = next;
    return snapshot;
  };

  return {
    list: async () => list(),
    get: async (name) => {
      const d = inventory.device(name);
      return d && view(d, inventory.origin(name) ?? 'api');
    },
    create: async (d) => view(inventory.createDevice(deviceFromInput(d)), 'api'),
    update: async (name, d) => view(inventory.updateDevice(name, deviceFromInput({ ...d, name: d.name ?? name })), 'api'),
    // the runtime's inventory hook forgets a removed device's tracked status and clears its alerts
    remove: async (name) => inventory.removeDevice(name),
    hidden: async (name) => {
      const d = inventory.hiddenDevice(name);
      return d && view(d, 'api');
    },
    removeHidden: async (name) => inventory.removeHiddenDevice(name),
  };
}

export function credentialsPort(inventory: Inventory): CredentialsPort {
  return {
    list: async () => inventory.credentials().map(({ name, credential }) => credentialSummary(name, credential)),
    get: async (name) => {
      const credential = inventory.credential(name);
      return credential && credentialSummary(name, credential);
    },
    put: async (name, credential) => {
      inventory.putCredential(name, credential);
      return credentialSummary(name, credential);
    },
    remove: async (name) => inventory.removeCredential(name),
  };
}
