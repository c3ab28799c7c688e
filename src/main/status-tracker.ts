/**
 * What the API shows beyond the poller's registry: last success, consecutive failures and
 * the recent errors of each device, read from the `device_status` samples the poller writes
 * (a SampleSink in the poller's tee).
 */
import type { Sample, SampleSink } from '../model/sample.ts';

export interface TrackedStatus {
  lastSuccessAt?: number;
  consecutiveFailures: number;
  /** newest first */
  recentErrors: { time: number; message: string }[];
}

const KEEP_ERRORS = 10;

export class StatusTracker implements SampleSink {
  private readonly byDevice = new Map<string, TrackedStatus>();

  write(samples: Sample[]): void {
    for (const s of samples) {
      if (s.measurement !== 'device_status') continue;
      const device = s.tags.device;
      if (!device) continue;
      let t = this.byDevice.get(device);
      if (!t) this.byDevice.set(device, (t = { consecutiveFailures: 0, recentErrors: [] }));
      const error = typeof s.fields.error === 'string' ? s.fields.error : '';
      if (s.fields.state === 'up') {
        t.lastSuccessAt = s.time;
        t.consecutiveFailures = 0;
      } else {
        t.consecutiveFailures++;
      }
      if (error) {
        t.recentErrors.unshift({ time: s.time, message: error });
        if (t.recentErrors.length > KEEP_ERRORS) t.recentErrors.length = KEEP_ERRORS;
      }
    }
  }

  get(device: string): TrackedStatus | undefined {
    const t = this.byDevice.get(device);
    return t && { ...t, recentErrors: [...t.recentErrors] };
  }

  forget(device: string): void {
    this.byDevice.delete(device);
  }
}
