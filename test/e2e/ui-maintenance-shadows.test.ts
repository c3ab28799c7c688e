/**
 * The maintenance page in real headless Chromium: a config window that hides an API-created
 * window of its name (`shadows: "api"`) carries a badge saying so, with the why in its title, as
 * the device page does for a config device hiding an API one; the other windows carry none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { MaintenanceWindowSpec } from '../../src/alerts/maintenance-schema.ts';
import { MaintenanceWindows, maintenancePort } from '../../src/main/maintenance.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { useLiveUi } from './live-ui-harness.ts';

const ui = useLiveUi('maintenance-shadows');

const spec = (name: string, devices: string[]): MaintenanceWindowSpec => ({ name, devices, tags: {}, schedule: '0 2 * * *', duration: 3_600_000 });
const state = new StateStore(':memory:');
afterAll(() => state.close());

/** API windows "nightly" and "weekly" in the store, config windows "nightly" (hiding the API one) and "monthly"; served in place of the fake's */
function serveWindows(): MaintenanceWindows {
  const api = new MaintenanceWindows([], state);
  api.create(spec('nightly', ['core-rtr1']), 'ops');
  api.create(spec('weekly', ['dist-sw1']), 'ops');
  const windows = new MaintenanceWindows([spec('nightly', ['dist-sw2']), spec('monthly', ['dist-sw1'])], state);
  // the routes hold the port object they were built with: its methods are swapped in place
  Object.assign(ui.svc.maintenance, maintenancePort(windows, () => [{ name: 'core-rtr1', tags: {} }, { name: 'dist-sw1', tags: {} }, { name: 'dist-sw2', tags: {} }]));
  return windows;
}

const row = (name: string) => `#maintenance tbody tr[data-window="${name}"]`;
const drawnWindows = () => ui.page.locator('#maintenance tbody tr[data-window]').evaluateAll((els) => els.map((r) => (r as HTMLElement).dataset.window));

describe('maintenance page: a config window hiding an API one', () => {
  it('carries a "hides an API window" badge with the why in its title; the others do not', async () => {
    const windows = serveWindows();
    const { page } = ui;
    await page.goto(`${ui.server.url}/#/maintenance`);
    await expect.poll(drawnWindows).toEqual(['nightly', 'monthly', 'weekly']);
    const badge = page.locator(`${row('nightly')} [data-shadows="api"]`);
    expect(await badge.count()).toBe(1);
    expect(await badge.textContent()).toBe('hides an API window');
    expect(await badge.getAttribute('title')).toBe('an API-created window of this name is hidden: neither listed nor applied until this one is renamed or removed in the config file');
    expect(await page.textContent(`${row('nightly')} td:nth-child(6)`)).toContain('config file');
    expect(await page.locator(`${row('monthly')} [data-shadows]`).count()).toBe(0);
    expect(await page.locator(`${row('weekly')} [data-shadows]`).count()).toBe(0);

    // a reload of the file without the config window: the API one is back, no badge anywhere
    windows.setConfigWindows([spec('monthly', ['dist-sw1'])]);
    await page.reload();
    await expect.poll(async () => (await drawnWindows()).sort()).toEqual(['monthly', 'nightly', 'weekly']);
    expect(await page.textContent(`${row('nightly')} td:nth-child(6)`)).toContain('API (ops)');
    expect(await page.locator('#maintenance [data-shadows]').count()).toBe(0);
    expect(ui.consoleErrors).toEqual([]);
  });
});
