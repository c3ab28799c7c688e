/** Readiness checks: storage writable, scheduler running, trap sockets bound, OID dictionary state, cron jobs. */
import type { CronJobView, HealthCheck, HealthPort } from '../../api/services.ts';
import type { CronJobInfo } from '../../poller/index.ts';

export interface HealthSources {
  storage: () => { healthy: boolean; detail?: string; backend: string };
  scheduler: () => { running: boolean; jobs: number };
  /** undefined: no trap receiver configured */
  traps?: () => { bound: string[]; error?: string };
  dictionary: () => { state: string; nodes: number };
  configFile: string;
  cron: () => CronJobInfo[];
}

export const cronJobView = (j: CronJobInfo): CronJobView => ({
  name: j.name, expression: j.expression, lastRunAt: j.lastRunAt ?? null, nextRunAt: j.nextRunAt ?? null,
  runs: j.runs, failures: j.failures, lastError: j.lastError ?? null, running: j.running,
});

export function healthPort(src: HealthSources): HealthPort {
  return {
    async checks() {
      const out: HealthCheck[] = [{ name: 'config', ok: true, detail: src.configFile || '(text)' }];
      const s = src.storage();
      out.push({ name: 'storage', ok: s.healthy, detail: `${s.backend}${s.detail ? `: ${s.detail}` : ''}` });
      const p = src.scheduler();
      out.push({ name: 'scheduler', ok: p.running, detail: `${p.jobs} jobs` });
      if (src.traps) {
        const t = src.traps();
        out.push({ name: 'traps', ok: t.bound.length > 0, detail: t.error ?? `udp ${t.bound.join(', ')}` });
      }
      const d = src.dictionary();
      // a dictionary still compiling does not make netpulse unready: OIDs show numerically meanwhile
      out.push({ name: 'oid-dictionary', ok: d.state !== 'failed', detail: `${d.state}, ${d.nodes} nodes` });
      const jobs = src.cron();
      const failed = jobs.filter((j) => j.lastError !== undefined).map((j) => `; ${j.name}: last run failed: ${j.lastError}`);
      // a failed job run does not make netpulse unready: the check says so, the job runs again on its schedule
      out.push({ name: 'cron', ok: true, detail: `${jobs.length} job${jobs.length === 1 ? '' : 's'}${failed.join('')}` });
      return out;
    },
    async cronJobs() {
      return src.cron().map(cronJobView);
    },
  };
}
