import { isPathUnreachable, type DeviceState } from '../model/device.ts';
import type { AlertManager } from './manager.ts';
import type { Severity } from './types.ts';

/** What the poller emits when a device changes state. */
export interface DeviceStateChange {
  device: string;
  from: DeviceState;
  to: DeviceState;
  error?: string;
  time?: number;
}

const BAD_STATES: Partial<Record<DeviceState, { severity: Severity; text: string }>> = {
  down: { severity: 'critical', text: 'is down (no ICMP or SNMP response)' },
  'snmp-unreachable': { severity: 'major', text: 'does not answer SNMP' },
  'auth-failed': { severity: 'major', text: 'rejects our SNMP credentials' },
};
const BAD_STATE_NAMES = Object.keys(BAD_STATES) as DeviceState[];

/**
 * Turns poller state changes into alerts: one alert per device and bad state
 * (`device-state:<device>:down`), all cleared when the device is back up.
 */
export class DeviceStateAlerts {
  constructor(private readonly alerts: AlertManager, private readonly notify?: string[]) {}

  handle(change: DeviceStateChange): void {
    const time = change.time ?? Date.now();
    const prefix = `device-state:${change.device}:`;
    // the keys are known (one per bad state): look each up rather than list the whole store
    for (const state of BAD_STATE_NAMES) {
      if (state !== change.to) this.alerts.clearKey(prefix + state, 'auto', time);
    }
    const bad = BAD_STATES[change.to];
    if (!bad) return;
    this.alerts.raise({
      action: 'raise',
      key: prefix + change.to,
      source: 'device',
      rule: `device-${change.to}`,
      device: change.device,
      severity: bad.severity,
      message: `${change.device} ${bad.text}${change.error ? `: ${change.error}` : ''}`,
      labels: { state: change.to, from: change.from },
      time,
      notify: this.notify,
      holdForParents: isPathUnreachable(change.to),
    });
  }
}
