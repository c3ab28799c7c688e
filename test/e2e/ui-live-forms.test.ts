/**
 * The web UI under live load, in real headless Chromium against the app with fake services:
 * a burst of device-state events re-fetches the device list at most once a second and never
 * twice at a time; removing a device asks in the page's own dialog (no native confirm); a `reset`
 * from the event stream refreshes the data but keeps an open form and what is typed in it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Request } from 'playwright-core';
import { forceReset, redrawn, RESET_TOAST, tagDrawn, useLiveUi, watchGets } from './live-ui-harness.ts';

const ui = useLiveUi('live-forms');
const nativeDialogs: string[] = [];

beforeAll(async () => {
  ui.page.on('dialog', (d) => { nativeDialogs.push(`${d.type()}: ${d.message()}`); void d.dismiss(); });
});

const stateOf = (device: string) => ui.page.textContent(`[data-device="${device}"] .badge[class*="state-"]`);

/** every GET /api/v1/devices the page sends from now on, and the most that were in flight at once */
function watchDeviceListFetches() {
  const seen = { count: 0, inFlight: 0, maxInFlight: 0 };
  const isList = (r: Request) => r.method() === 'GET' && new URL(r.url()).pathname === '/api/v1/devices';
  const started = (r: Request) => {
    if (!isList(r)) return;
    seen.count++;
    seen.maxInFlight = Math.max(seen.maxInFlight, ++seen.inFlight);
  };
  const ended = (r: Request) => { if (isList(r)) seen.inFlight--; };
  ui.page.on('request', started);
  ui.page.on('requestfinished', ended);
  ui.page.on('requestfailed', ended);
  return { seen, stop: () => { ui.page.off('request', started); ui.page.off('requestfinished', ended); ui.page.off('requestfailed', ended); } };
}

describe('web UI under live load', () => {
  it('re-fetches the device list at most once a second for a burst of state changes, and shows the last one', async () => {
    await ui.page.goto(`${ui.server.url}/#/devices`);
    await ui.page.locator('#device-table tbody tr').first().waitFor();
    await ui.page.locator('#live.on').waitFor();

    const burst = watchDeviceListFetches();
    // 300 changes at once (10,000 flapping devices send many more): one fetch for the first, one after the gap for the rest
    for (let n = 0; n < 300; n++) ui.svc.emit({ type: 'device-state', device: 'dist-sw1', from: n % 2 ? 'down' : 'up', to: n % 2 ? 'up' : 'down', time: Date.now() });
    ui.svc.emit({ type: 'device-state', device: 'core-rtr1', from: 'up', to: 'auth-failed', time: Date.now() });
    await expect.poll(() => stateOf('core-rtr1'), { timeout: 5_000 }).toBe('auth-failed');
    await sleep(2_000);
    burst.stop();
    expect(burst.seen.count).toBeGreaterThanOrEqual(1);
    expect(burst.seen.count).toBeLessThanOrEqual(2);
    expect(await stateOf('dist-sw1')).toBe('up');
  }, 20_000);

  it('never has two device-list fetches in flight, and fetches once more after a slow one for what changed meanwhile', async () => {
    const list = ui.svc.devices.list;
    ui.svc.devices.list = async () => { await sleep(1_500); return list(); };
    const trickle = watchDeviceListFetches();
    let emittingMs = 0;
    try {
      // one change every 50 ms for 3 s while each fetch takes 1.5 s
      const from = Date.now();
      for (let n = 0; n < 60; n++) {
        ui.svc.emit({ type: 'device-state', device: 'dist-sw1', from: n % 2 ? 'down' : 'up', to: n % 2 ? 'up' : 'down', time: Date.now() });
        await sleep(50);
      }
      emittingMs = Date.now() - from;
      ui.svc.emit({ type: 'device-state', device: 'legacy-ups', from: 'up', to: 'down', time: Date.now() });
      await expect.poll(() => stateOf('legacy-ups'), { timeout: 8_000 }).toBe('down');
      await expect.poll(() => trickle.seen.inFlight, { timeout: 5_000 }).toBe(0);
    } finally {
      ui.svc.devices.list = list;
      trickle.stop();
    }
    expect(trickle.seen.maxInFlight).toBe(1);
    // 61 events over ~4.5 s of 1.5 s fetches: a handful, not 61. A loaded machine stretches the 3 s of events,
    // and each 1.5 s they last can start one more fetch (one at the first event, one after the last)
    expect(trickle.seen.count).toBeGreaterThanOrEqual(2);
    expect(trickle.seen.count).toBeLessThanOrEqual(Math.max(5, 2 + Math.ceil(emittingMs / 1_500)));
    expect(await stateOf('dist-sw1')).toBe('up');
  }, 30_000);

  it('removes a device only after the page dialog is confirmed, never through a native dialog', async () => {
    await ui.svc.devices.create({ name: 'e2e-rm', address: '127.0.0.30', port: 161, credentials: 'lab-v2c', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: true });
    await ui.page.goto(`${ui.server.url}/#/devices/e2e-rm`);
    await ui.page.locator('h1', { hasText: 'e2e-rm' }).waitFor();

    await ui.page.click('#delete-device');
    await ui.page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await ui.page.textContent('#confirm')).toContain('Remove the device "e2e-rm"?');
    await ui.page.click('#confirm [data-action=cancel]');
    await expect.poll(() => ui.page.locator('#confirm').count()).toBe(0);
    expect(await ui.svc.devices.get('e2e-rm')).toBeDefined();
    expect(ui.page.url()).toContain('#/devices/e2e-rm');

    await ui.page.click('#delete-device');
    await ui.page.click('#confirm [data-action=confirm]');
    await expect.poll(() => ui.page.url()).toMatch(/#\/devices$/);
    expect(await ui.svc.devices.get('e2e-rm')).toBeUndefined();
    await ui.page.locator('#device-table tbody tr').first().waitFor();
    expect(await ui.page.locator('[data-device="e2e-rm"]').count()).toBe(0);
    expect(nativeDialogs).toEqual([]);
  });

  it('keeps the add-device form, what is typed in it and the focus through a reset, and shows the current state', async () => {
    await ui.page.goto(`${ui.server.url}/#/devices`);
    await ui.page.locator('#device-table tbody tr').first().waitFor();
    await ui.page.locator('#live.on').waitFor();
    await ui.page.fill('#add-device [name=name]', 'half-typed');
    await ui.page.selectOption('#add-device [name=credentials]', 'core-v3');
    await ui.page.click('#add-device [name=address]');
    await ui.page.keyboard.type('127.0.0.4');

    await forceReset(ui, () => ui.svc.emit({ type: 'device-state', device: 'core-rtr1', from: 'auth-failed', to: 'down', time: Date.now() }));
    await expect.poll(() => ui.page.locator('.toast', { hasText: RESET_TOAST }).count(), { timeout: 5_000 }).toBeGreaterThan(0);
    // the missed change is gone from the ring: only the refresh can show it
    await expect.poll(() => stateOf('core-rtr1'), { timeout: 5_000 }).toBe('down');
    expect(await ui.page.inputValue('#add-device [name=name]')).toBe('half-typed');
    expect(await ui.page.inputValue('#add-device [name=credentials]')).toBe('core-v3');
    expect(await ui.page.inputValue('#add-device [name=address]')).toBe('127.0.0.4');
    expect(await ui.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('address');
    await ui.page.keyboard.type('2');
    expect(await ui.page.inputValue('#add-device [name=address]')).toBe('127.0.0.42');
  }, 30_000);

  it('keeps the open device edit form and what is typed in it through a reset', async () => {
    await ui.page.goto(`${ui.server.url}/#/devices/dist-sw2`);
    await ui.page.locator('h1', { hasText: 'dist-sw2' }).waitFor();
    await ui.page.locator('#live.on').waitFor();
    await ui.page.click('#edit-device');
    await ui.page.locator('#device-form').waitFor();
    await ui.page.fill('#device-form [name=address]', '127.0.0.33');
    await ui.page.fill('#device-form [name=tags]', 'site=lab role=edge');

    await forceReset(ui, () => ui.svc.emit({ type: 'device-state', device: 'dist-sw2', from: 'snmp-unreachable', to: 'up', time: Date.now() }));
    await expect.poll(() => ui.page.textContent('h1 .badge[class*="state-"]'), { timeout: 5_000 }).toBe('up');
    expect(await ui.page.isVisible('#device-form')).toBe(true);
    expect(await ui.page.inputValue('#device-form [name=address]')).toBe('127.0.0.33');
    expect(await ui.page.inputValue('#device-form [name=tags]')).toBe('site=lab role=edge');
    await ui.page.click('#device-form button[type=submit]');
    await expect.poll(async () => (await ui.svc.devices.get('dist-sw2'))?.address).toBe('127.0.0.33');
  }, 30_000);

  it('keeps the rule editor and what is typed in it through a reset', async () => {
    await ui.page.goto(`${ui.server.url}/#/rules/new`);
    await ui.page.locator('#rule-form').waitFor();
    await ui.page.locator('#live.on').waitFor();
    await ui.page.fill('#rule-form [name=name]', 'typed before the reset');
    await ui.page.fill('#rule-form [name=measurement]', 'icmp');

    const ruleFetches = watchGets(ui, '/api/v1/rules');
    await tagDrawn(ui.page, '#rules tbody tr');
    try {
      await forceReset(ui, () => {});
      await expect.poll(() => ui.page.locator('.toast', { hasText: RESET_TOAST }).count()).toBeGreaterThan(0);
      await expect.poll(() => ruleFetches.queries.length, { timeout: 5_000 }).toBeGreaterThan(0);
    } finally { ruleFetches.stop(); }
    // the refresh has drawn the list anew: only now does the form show what it kept
    await redrawn(ui.page, '#rules tbody tr');
    expect(await ui.page.inputValue('#rule-form [name=name]')).toBe('typed before the reset');
    expect(await ui.page.inputValue('#rule-form [name=measurement]')).toBe('icmp');
    expect(nativeDialogs).toEqual([]);
    expect(ui.consoleErrors).toEqual([]);
  }, 30_000);
});
