import { expect, it } from 'vitest';
import { CronRegistry } from '../../src/poller/cron.ts';

it('CronRegistry: validates expressions, lists next runs, removes and stops jobs', async () => {
  const cron = new CronRegistry();
  expect(() => cron.add('bad', 'not a cron', () => {})).toThrow('cron: job bad: invalid cron expression "not a cron"');
  cron.add('retention', '0 3 * * *', () => {});
  cron.add('every-minute', '* * * * *', () => {});
  const list = cron.list();
  expect(list.map((j) => j.name)).toEqual(['retention', 'every-minute']);
  expect(list[0]).toMatchObject({ expression: '0 3 * * *', runs: 0, lastRunAt: undefined });
  expect(list[1].nextRunAt! - Date.now()).toBeLessThanOrEqual(60_000);
  cron.remove('every-minute');
  expect(cron.list()).toHaveLength(1);
  await cron.stop();
  expect(cron.list()).toHaveLength(0);
});
