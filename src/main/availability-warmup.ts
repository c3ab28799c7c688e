/**
 * Keeps the embedded store's availability day cache warm (src/storage/README.md, "Day cache"),
 * so that the first report over past days folds cached day summaries instead of reading every
 * sample: a nightly cron job (`availability-days`, 00:20 UTC, once yesterday is over by more
 * than the cache's 10-minute margin) warms yesterday for every inventory device, and start-up
 * warms the last WARMUP_DAYS days in the background, newest day first, paced. The config's
 * `storage.sqlite.availabilityWarmup` sets all of it (warmupSettings), `false` turns both off.
 *
 * Cache rows are keyed by maxGapMs: the warm-up derives it per device with deviceMaxGapMs, the
 * rule the API's reports use, or its rows would never be read. Both runs first forget the rows
 * no report reads any more (`forgetStale`): under a device's old maxGapMs (its interval changed)
 * and, of devices no longer in the inventory, under any other than the default one, which reports
 * with `includeRemoved` use. The store warms only the days it keeps whole
 * (its retention, 7 days by default, against 31 asked); the log line says so.
 */
import { AVAILABILITY_WARMUP_DEFAULTS as DEFAULTS, type AvailabilityWarmupConfig } from '../config/sections/storage.ts';
import type { Device } from '../model/device.ts';
import type { CronRegistry } from '../poller/cron.ts';
import { DAY_MS, dayOf, deviceMaxGapMs, deviceMaxGaps, type AvailabilityWarmRequest, type AvailabilityWarmResult, type Storage } from '../storage/index.ts';
import { errorMessage } from '../errors/index.ts';

export const AVAILABILITY_DAYS_JOB = { name: 'availability-days', expression: '20 0 * * *', timezone: 'UTC' } as const;
/** the longest common report range (a month); the API allows up to 92 days */
export const WARMUP_DAYS: number = DEFAULTS.days;
/** start-up's warm-up waits this long, so start-up and the first poll round go first */
export const WARMUP_DELAY_MS: number = DEFAULTS.delay;
/** at most half of the event loop's time; each step (one device-day) gives the loop a turn anyway */
export const WARMUP_PACE = { busyMs: DEFAULTS.busy, restMs: DEFAULTS.rest };

type Pace = NonNullable<AvailabilityWarmRequest['pace']>;

export interface AvailabilityWarmupSettings {
  /** the nightly availability-days job */
  nightly: boolean;
  /** start-up's warm-up; false: none */
  startup: false | { days: number; delayMs: number };
  pace: Pace;
}

/**
 * What the runtime runs: the config (undefined: no sqlite section, the defaults) and the runtime's
 * `availabilityWarmup` start option, whose fields replace the config's for start-up's warm-up
 * (false: none). A config of `false` means neither job nor warm-up, whatever the option says.
 */
export function warmupSettings(config: AvailabilityWarmupConfig | undefined, override?: false | { delayMs?: number; days?: number }): AvailabilityWarmupSettings | false {
  if (config === false) return false;
  const given = override || {};
  const startup = { days: given.days ?? config?.days ?? WARMUP_DAYS, delayMs: given.delayMs ?? config?.delay ?? WARMUP_DELAY_MS };
  return {
    nightly: config?.nightly ?? DEFAULTS.nightly,
    startup: override === false || startup.days === 0 ? false : startup,
    pace: config ? { busyMs: config.busy, restMs: config.rest } : WARMUP_PACE,
  };
}

/** registers the nightly job and starts start-up's warm-up as `settings` say; `signal` ends both */
export function scheduleAvailabilityWarming(cron: CronRegistry, w: AvailabilityWarming, settings: AvailabilityWarmupSettings | false, signal?: AbortSignal): void {
  if (settings === false) return;
  if (settings.nightly) addAvailabilityDaysJob(cron, w, { pace: settings.pace, signal });
  if (settings.startup) startAvailabilityWarmup(w, { ...settings.startup, pace: settings.pace, signal });
}

export interface AvailabilityWarming {
  warm: NonNullable<Storage['warmAvailabilityDays']>;
  /** the inventory's devices at the time of the run */
  devices: () => readonly Pick<Device, 'name' | 'intervalMs'>[];
  now: () => number;
  log: (line: string) => void;
}

/** the devices and their maxGapMs, as the API's reports compute them */
export function warmTargets(devices: readonly Pick<Device, 'name' | 'intervalMs'>[]): Pick<AvailabilityWarmRequest, 'devices' | 'maxGapByDevice'> {
  return { devices: devices.map((d) => d.name), maxGapByDevice: deviceMaxGaps(devices) };
}

const lastDays = (days: number): string => (days === 1 ? 'yesterday' : `the last ${days} days`);
const dayCount = (ms: number): string => {
  const n = Number((ms / DAY_MS).toFixed(2));
  return `${n} ${n === 1 ? 'day' : 'days'}`;
};

/**
 * Warms the `days` whole UTC days before today, those the store keeps whole (its retention may be
 * shorter), after forgetting the stale rows; logs what it did; never throws.
 */
export async function warmLastDays(w: AvailabilityWarming, days: number, opts: { pace?: AvailabilityWarmRequest['pace']; signal?: AbortSignal } = {}): Promise<AvailabilityWarmResult | undefined> {
  const today = dayOf(w.now());
  try {
    const targets = warmTargets(w.devices());
    const r = await w.warm({ ...targets, from: today - days * DAY_MS, to: today, forgetStale: true, removedMaxGapMs: deviceMaxGapMs(undefined), ...opts });
    const kept = Math.max(0, Math.min(days, (today - r.from) / DAY_MS));
    const what = kept < days ? `${lastDays(kept)} (${days} configured; the store keeps ${dayCount(r.retentionMs)} of samples)` : lastDays(days);
    const forgotten = r.forgotten ? `, ${r.forgotten} stale rows forgotten (device removed or interval changed)` : '';
    const failed = r.failed ? `, ${r.failed} FAILED (see the warnings above)` : '';
    w.log(`storage: availability warm-up of ${what}: ${targets.devices.length} devices, ${r.computed} device-days computed (${r.samples} samples), ${r.cached} already cached, ${r.empty} without data${forgotten}${failed} in ${(r.ms / 1000).toFixed(1)} s${r.stopped ? ' (stopped early)' : ''}`);
    return r;
  } catch (err) {
    w.log(`storage: warning: availability warm-up of ${lastDays(days)}: ${errorMessage(err)}`);
    return undefined;
  }
}

/**
 * Registers the nightly job; returns its function (what the cron runs). A run with failed
 * device-days ends in an error, so the job's lastError shows it.
 */
export function addAvailabilityDaysJob(cron: CronRegistry, w: AvailabilityWarming, opts: { pace?: Pace; signal?: AbortSignal } = {}): () => Promise<void> {
  const job = async (): Promise<void> => {
    const r = await warmLastDays(w, 1, { pace: opts.pace ?? WARMUP_PACE, signal: opts.signal });
    if (r?.failed) throw new Error(`availability warm-up of yesterday: ${r.failed} device-days failed`);
  };
  cron.add(AVAILABILITY_DAYS_JOB.name, AVAILABILITY_DAYS_JOB.expression, job, { timezone: AVAILABILITY_DAYS_JOB.timezone });
  return job;
}

/** start-up's warm-up of the last `days` days after `delayMs`, in the background; stop() ends it (or cancels it before it starts) */
export function startAvailabilityWarmup(w: AvailabilityWarming, opts: { delayMs?: number; days?: number; pace?: Pace; signal?: AbortSignal } = {}): { done: Promise<AvailabilityWarmResult | undefined>; stop(): void } {
  const ac = new AbortController();
  opts.signal?.addEventListener('abort', () => ac.abort(), { once: true });
  const done = new Promise<AvailabilityWarmResult | undefined>((resolve) => {
    const timer = setTimeout(() => {
      ac.signal.removeEventListener('abort', cancel);
      resolve(warmLastDays(w, opts.days ?? WARMUP_DAYS, { pace: opts.pace ?? WARMUP_PACE, signal: ac.signal }));
    }, opts.delayMs ?? WARMUP_DELAY_MS);
    timer.unref();
    const cancel = (): void => {
      clearTimeout(timer);
      resolve(undefined);
    };
    ac.signal.addEventListener('abort', cancel, { once: true });
  });
  return { done, stop: () => ac.abort() };
}
