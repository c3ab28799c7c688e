/**
 * The device page in real headless Chromium: a config device that hides an API-created device of
 * its name offers "remove the hidden API copy" (DELETE ?hidden=true, after the page's dialog),
 * through the real Inventory and devices port; the badge and the button are gone afterwards.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { devicesPort } from '../../src/main/adapters/devices.ts';
import { Inventory } from '../../src/main/inventory.ts';
import { StatusTracker } from '../../src/main/status-tracker.ts';
import type { Credential, Device, ResolvedDevice } from '../../src/model/index.ts';
import { DeviceStatusRegistry } from '../../src/poller/status-registry.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { patientPolls, useLiveUi } from './live-ui-harness.ts';

const ui = useLiveUi('device-hidden');
patientPolls();

const lab: Credential = { version: '2c', community: 'pub-secret' };
const device = (name: string, address: string): Device => ({
  name, address, port: 161, credentials: 'lab', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: false,
});
const state = new StateStore(':memory:');
afterAll(() => state.close());

/** an API device edge1 in the store, config devices edge1 (hiding it) and core1; served in place of the fake's */
function serveDevices(): void {
  state.devices.create(device('edge1', '127.0.0.9'));
  const config = { devices: [device('core1', '127.0.0.1'), device('edge1', '127.0.0.2')].map((d): ResolvedDevice => ({ ...d, credential: lab })), credentials: { lab } };
  // the routes hold the port object they were built with: its methods are swapped in place
  Object.assign(ui.svc.devices, devicesPort(new Inventory(config, state, () => ['system']), new DeviceStatusRegistry(), new StatusTracker()));
}

describe('device page: a config device hiding an API one', () => {
  it('removes the hidden API copy once the dialog is confirmed; a config device hiding none has no such button', async () => {
    serveDevices();
    const { page } = ui;
    await page.goto(`${ui.server.url}/#/devices/core1`);
    await page.locator('#device-origin').waitFor();
    expect(await page.locator('#remove-hidden-device').count()).toBe(0);

    await page.goto(`${ui.server.url}/#/devices/edge1`);
    await page.locator('#remove-hidden-device').waitFor();
    await page.click('#remove-hidden-device');
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await page.textContent('#confirm')).toContain('Remove the API-created device "edge1" this config device hides?');
    await page.click('#confirm [data-action=cancel]');
    await expect.poll(() => page.locator('#confirm').count()).toBe(0);
    expect(state.devices.list().map((d) => d.name)).toEqual(['edge1']);

    await page.click('#remove-hidden-device');
    await page.click('#confirm [data-action=confirm]');
    await expect.poll(() => page.locator('#device-shadows, #remove-hidden-device').count()).toBe(0);
    expect(state.devices.list()).toEqual([]);
    expect(await page.locator('#device-origin').count()).toBe(1);
    expect(ui.consoleErrors).toEqual([]);
  }, 60_000);
});
