/** AlertsPort over the AlertManager (lifecycle, events) and its StateStore repository (queries). */
import type { AlertManager } from '../../alerts/manager.ts';
import { NetpulseError } from '../../errors/index.ts';
import { SEVERITIES, type Alert, type Severity } from '../../alerts/types.ts';
import type { AlertsPort } from '../../api/services.ts';
import type { StateStore } from '../../storage/index.ts';

export function alertsPort(manager: AlertManager, state: StateStore): AlertsPort {
  return {
    list: async (f) => state.alerts.list({ state: f.state, severity: f.severity, device: f.device, suppressed: f.suppressed, limit: f.limit }) as Alert[],
    count: async (f) => {
      const found = state.alerts.countActiveBySeverity({ state: f.state, severity: f.severity, device: f.device, suppressed: f.suppressed });
      const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, found[s] ?? 0])) as Record<Severity, number>;
      return { count: Object.values(found).reduce((sum, n) => sum + n, 0), bySeverity };
    },
    get: async (id) => state.alerts.byId(id) as Alert | undefined,
    ack: async (id, by) => unsaved(id, 'acknowledge', () => manager.acknowledge(id, by)),
    clear: async (id, by) => unsaved(id, 'clear', () => manager.clear(id, by)),
  };
}

/** the manager leaves the alert as it was when the store cannot save it: the caller may try again (503) */
function unsaved(id: string, action: string, change: () => Alert | undefined): Alert | undefined {
  try {
    return change();
  } catch (err) {
    throw new NetpulseError({ scope: 'alerts', target: `alert ${id}`, action, reason: 'the state store could not save it; nothing changed, try again', kind: 'unavailable', cause: err });
  }
}
