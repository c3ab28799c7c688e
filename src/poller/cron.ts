/**
 * Cron-style jobs (nightly retention, daily discovery) on node-cron. Device polls never go
 * here: they run on the Scheduler's single timer.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { errorMessage } from '../errors/index.ts';

export interface CronJobInfo {
  name: string;
  expression: string;
  lastRunAt: number | undefined;
  lastError: string | undefined;
  runs: number;
  /** runs that threw */
  failures: number;
  /** a run is in progress */
  running: boolean;
  nextRunAt: number | undefined;
}

type JobInfo = Omit<CronJobInfo, 'nextRunAt' | 'running'>;

interface Job {
  task: ScheduledTask;
  info: JobInfo;
  /** a run is in progress */
  running: () => boolean;
  /** starts a run, or returns the one in progress */
  fire: () => Promise<void>;
}

export class CronRegistry {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  /** Registers `fn` under `name` (replacing a job of that name). Throws on an invalid expression. */
  add(name: string, expression: string, fn: () => unknown | Promise<unknown>, opts: { timezone?: string } = {}): void {
    if (!cron.validate(expression)) throw new Error(`cron: job ${name}: invalid cron expression "${expression}"`);
    this.remove(name);
    const info: JobInfo = { name, expression, lastRunAt: undefined, lastError: undefined, runs: 0, failures: 0 };
    const runOnce = async (): Promise<void> => {
      info.lastRunAt = Date.now();
      info.runs++;
      try {
        await fn();
        info.lastError = undefined;
      } catch (err) {
        info.failures++;
        info.lastError = errorMessage(err);
        this.log(`cron: job ${name}: ${info.lastError}`);
      }
    };
    // one run at a time, whether the schedule, run() or start() starts it
    let running: Promise<void> | undefined;
    const fire = (): Promise<void> => (running ??= runOnce().finally(() => { running = undefined; }));
    const task = cron.schedule(expression, fire, { name, noOverlap: true, timezone: opts.timezone });
    this.jobs.set(name, { task, info, fire, running: () => running !== undefined });
  }

  /** runs the job now, as its schedule would (or waits for the run in progress); false when there is no such job */
  async run(name: string): Promise<boolean> {
    const j = this.jobs.get(name);
    if (!j) return false;
    await j.fire();
    return true;
  }

  /** starts a run now without waiting for it to end, unless one is in progress */
  start(name: string): 'started' | 'running' | 'unknown' {
    const j = this.jobs.get(name);
    if (!j) return 'unknown';
    if (j.running()) return 'running';
    void j.fire();
    return 'started';
  }

  remove(name: string): void {
    const j = this.jobs.get(name);
    if (j) {
      void j.task.destroy();
      this.jobs.delete(name);
    }
  }

  list(): CronJobInfo[] {
    return [...this.jobs.values()].map(({ task, info, running }) => ({ ...info, running: running(), nextRunAt: task.getNextRun()?.getTime() }));
  }

  async stop(): Promise<void> {
    for (const { task } of this.jobs.values()) await task.destroy();
    this.jobs.clear();
  }
}
