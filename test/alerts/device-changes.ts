// What src/main does on each poller state change, for the tests of parent suppression and holds.
import { DeviceStateAlerts } from '../../src/alerts/device-state.ts';
import type { AlertManager } from '../../src/alerts/manager.ts';
import type { DeviceState } from '../../src/model/device.ts';

/**
 * A `change(device, to, time?)` that records the new state in `states` (what the suppressor
 * reads), raises or clears the device-state alert and re-evaluates the suppressed alerts;
 * a device not in `states` yet was `up`; `time` defaults to now.
 */
export function deviceStateChanges(m: AlertManager, states: Record<string, DeviceState>): (device: string, to: DeviceState, time?: number) => void {
  const deviceAlerts = new DeviceStateAlerts(m);
  return (device, to, time = Date.now()) => {
    const from = states[device] ?? 'up';
    states[device] = to;
    deviceAlerts.handle({ device, from, to, time });
    m.reevaluateSuppressed(time);
  };
}
