/** Runs a cron job now on an operator's request (POST /api/v1/cron-jobs/{name}/run). */
import type { CronPort } from '../../api/services.ts';
import type { CronRegistry } from '../../poller/index.ts';
import { NetpulseError } from '../../errors/index.ts';
import { cronJobView } from './health.ts';

export function cronPort(cron: Pick<CronRegistry, 'start' | 'list'>): CronPort {
  return {
    async run(name) {
      const outcome = cron.start(name);
      if (outcome === 'unknown') return undefined;
      if (outcome === 'running') {
        throw new NetpulseError({ scope: 'cron', target: `job "${name}"`, reason: 'a run is already in progress', kind: 'conflict' });
      }
      const job = cron.list().find((j) => j.name === name);
      return job && cronJobView(job);
    },
  };
}
