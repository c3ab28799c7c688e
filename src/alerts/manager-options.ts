import type { DeviceState } from '../model/device.ts';
import type { Suppressor } from './suppression.ts';
import type { AlertChange } from './types.ts';

export type AlertListener = (change: AlertChange) => void;

export interface AlertManagerStats {
  opened: number;
  /** new alerts not opened because `maxActive` alerts were active */
  rejectedFull: number;
  /** active (open or acknowledged) alerts now, the meta-alert not included */
  active: number;
  repeated: number;
  cleared: number;
  suppressedFlapping: number;
  suppressedRateLimit: number;
  /** alerts opened silenced by a maintenance window / held back by a down parent */
  suppressedMaintenance: number;
  suppressedParent: number;
  /** suppressed alerts notified because their suppression ended while they were active */
  released: number;
  /**
   * alerts whose notification waited `parentHold` for their parents; those suppressed when it
   * ended count in suppressedParent (or suppressedMaintenance) too
   */
  heldForParents: number;
  /**
   * parent-suppressed alerts that cleared during the recovery grace (their parents back, the
   * device up again at its next check): never notified, never released
   */
  clearedAfterParentRecovery: number;
  /** source changes (raise, clear) not saved and not kept for a retry because `maxActive` already wait (logged once) */
  droppedUnsaved: number;
}

export interface AlertManagerOptions {
  /** active alerts at most; beyond it new keys are counted in `rejectedFull`, not opened (default 50,000) */
  maxActive?: number;
  logger?: { warn(msg: string): void; info(msg: string): void };
  /** maintenance windows and parent dependencies (suppression.ts); none by default */
  suppressor?: Suppressor;
  /**
   * Parent hold: the notification of an alert raised with `holdForParents` (device down or
   * snmp-unreachable) of a device with parents waits `ms`, so a parent failing in the same poll
   * round is known to be down; then the suppressor is asked again. `ms` 0 or absent: no hold.
   */
  parentHold?: {
    ms: number;
    /**
     * also (whatever `ms`) what reevaluateSuppressed(now, device) uses to find the alerts a device's
     * change can affect: the suppressor must decide from the states of the alert's device and its
     * ancestors (suppression.ts), and from time (maintenance windows: the full re-evaluation's part)
     */
    parentsOf(device: string): readonly string[];
    /**
     * Recovery grace: when a parent comes back, the parent-suppressed alerts of a child whose
     * state is path-unreachable (default: assumed so) are not released at once but after `ms`, or
     * when a check of the child started after the parent's recovery concludes (devicePolled()),
     * whichever comes first; a child up by then has its device-state alert cleared silently.
     */
    stateOf?(device: string): DeviceState | undefined;
    /** asks for that check of the child now (src/main: Poller.expedite); errors are logged */
    recheck?(device: string): void;
  };
  /** the clock of the parent hold's timer (default Date.now); event times come from the events */
  now?: () => number;
  /** a monotonic clock in ms for close()'s deadline (default performance.now; a wall-clock step must not stretch or cut it) */
  monotonicNow?: () => number;
  /**
   * suppressed alerts re-evaluated in one event-loop turn, their changes saved in one transaction
   * (AlertStore.saveAll) and announced once saved; a re-evaluation of more (a core back up in front
   * of thousands of devices) does the rest in further turns (default 128: about 5 ms a turn on SQLite)
   */
  sliceSize?: number;
}

export type AlertManagerLogger = NonNullable<AlertManagerOptions['logger']>;
export type ParentHoldOptions = NonNullable<AlertManagerOptions['parentHold']>;

export const DEFAULT_MAX_ACTIVE_ALERTS = 50_000;
/** the meta-alert raised while the table is full */
export const TABLE_FULL_KEY = 'netpulse:alert-table-full';
