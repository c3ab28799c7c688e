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

it('CronRegistry: counts runs and failed runs; a success clears lastError but not the failure count; one run at a time', async () => {
  const lines: string[] = [];
  const cron = new CronRegistry((l) => lines.push(l));
  let fail = true;
  let release = (): void => {};
  cron.add('nightly', '20 0 * * *', async () => {
    await new Promise<void>((r) => { release = r; });
    if (fail) throw new Error('2 device-days failed');
  });
  const t0 = Date.now();
  const first = cron.run('nightly');
  const overlapping = cron.run('nightly');
  await Promise.resolve();
  release();
  await Promise.all([first, overlapping]);
  expect(cron.list()[0]).toMatchObject({ runs: 1, failures: 1, lastError: '2 device-days failed' });
  expect(cron.list()[0].lastRunAt).toBeGreaterThanOrEqual(t0);
  expect(lines).toEqual(['cron: job nightly: 2 device-days failed']);

  fail = false;
  const second = cron.run('nightly');
  await Promise.resolve();
  release();
  await second;
  expect(cron.list()[0]).toMatchObject({ runs: 2, failures: 1, lastError: undefined });
  expect(await cron.run('no-such-job')).toBe(false);
  await cron.stop();
});

it('CronRegistry: start() begins a run without waiting for it, shows it as running, refuses a second start while it runs', async () => {
  const cron = new CronRegistry();
  let release = (): void => {};
  let calls = 0;
  cron.add('nightly', '20 0 * * *', async () => {
    calls++;
    await new Promise<void>((r) => { release = r; });
  });
  expect(cron.list()[0].running).toBe(false);
  expect(cron.start('nightly')).toBe('started');
  expect(cron.list()[0]).toMatchObject({ running: true, runs: 1 });
  expect(cron.start('nightly')).toBe('running');
  const waiting = cron.run('nightly'); // joins the run in progress
  await Promise.resolve();
  expect(calls).toBe(1);
  release();
  await waiting;
  expect(cron.list()[0]).toMatchObject({ running: false, runs: 1, failures: 0 });
  expect(cron.start('no-such-job')).toBe('unknown');
  await cron.stop();
});
