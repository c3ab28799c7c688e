/** AlertsPort over the AlertManager (lifecycle, events) and its StateStore repository (queries). */
import type { AlertManager } from '../../alerts/manager.ts';
import type { Alert } from '../../alerts/types.ts';
import type { AlertsPort } from '../../api/services.ts';
import type { StateStore } from '../../storage/index.ts';

export function alertsPort(manager: AlertManager, state: StateStore): AlertsPort {
  return {
    list: async (f) => state.alerts.list({ state: f.state, severity: f.severity, device: f.device, suppressed: f.suppressed, limit: f.limit }) as Alert[],
    get: async (id) => state.alerts.byId(id) as Alert | undefined,
    ack: async (id, by) => manager.acknowledge(id, by),
    clear: async (id, by) => manager.clear(id, by),
  };
}
