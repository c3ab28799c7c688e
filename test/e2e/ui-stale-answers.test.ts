/**
 * A list asked again while an earlier fetch is in flight (a filter or range change, a live reload)
 * draws only the newest answer: the earlier request is held in the router until the newer one is
 * drawn, then let go, and what it carried must not replace what is shown (nor show an error).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useLiveUi } from './live-ui-harness.ts';
import { holdRequest } from './held-request.ts';

const ui = useLiveUi('stale-answers');

const ids = (page: Page, rows: string, key: string) => page.locator(rows).evaluateAll((els, k) => els.map((r) => (r as HTMLElement).dataset[k]), key);

describe('a slow earlier answer after a newer one', () => {
  it('does not replace the alerts of the newer filter', async () => {
    const { page } = ui;
    await page.goto(`${ui.server.url}/#/alerts`);
    await page.locator('#alerts tbody tr[data-alert]').first().waitFor();
    const slow = await holdRequest(page, (u) => u.pathname === '/api/v1/alerts' && u.searchParams.get('state') === 'open');
    try {
      await page.selectOption('#alert-state', 'open');
      await slow.reached;
      await page.selectOption('#alert-state', 'cleared');
      await expect.poll(() => ids(page, '#alerts tbody tr', 'alert')).toEqual(['a3']);
      await slow.release();
      expect(await ids(page, '#alerts tbody tr', 'alert')).toEqual(['a3']);
      expect(await page.locator('#alerts .error').count()).toBe(0);
    } finally { await slow.stop(); }
  });

  it('does not replace the traps of the newer device filter', async () => {
    const { page } = ui;
    await page.goto(`${ui.server.url}/#/traps`);
    await page.locator('#traps tbody tr[data-trap]').first().waitFor();
    const slow = await holdRequest(page, (u) => u.pathname === '/api/v1/traps' && u.searchParams.get('device') === 'core-rtr1');
    try {
      await page.fill('#trap-device', 'core-rtr1');
      await page.dispatchEvent('#trap-device', 'change');
      await slow.reached;
      await page.fill('#trap-device', 'dist-sw2');
      await page.dispatchEvent('#trap-device', 'change');
      await expect.poll(() => ids(page, '#traps tbody tr', 'trap')).toEqual(['t2']);
      await slow.release();
      expect(await ids(page, '#traps tbody tr', 'trap')).toEqual(['t2']);
    } finally { await slow.stop(); }
  });

  it("does not replace the device page's availability of the newer range", async () => {
    const { page } = ui;
    await page.goto(`${ui.server.url}/#/devices/dist-sw1`);
    await page.locator('#availability-body[data-range="24h"]').waitFor();
    const slow = await holdRequest(page, (u) => u.pathname === '/api/v1/devices/dist-sw1/availability' && u.searchParams.get('from') === '-7d');
    try {
      await page.selectOption('#availability-range', '7d');
      await slow.reached;
      await page.selectOption('#availability-range', '30d');
      await page.locator('#availability-body[data-range="30d"]').waitFor();
      const drawn = await page.textContent('#availability-body');
      await slow.release();
      expect(await page.getAttribute('#availability-body', 'data-range')).toBe('30d');
      expect(await page.textContent('#availability-body')).toBe(drawn);
    } finally { await slow.stop(); }
  });

  it("does not replace the device page's charts of the newer range", async () => {
    const { page } = ui;
    await page.goto(`${ui.server.url}/#/devices/core-rtr1`);
    // the charts of this device's page, not those of the page shown before it
    await page.locator('h1', { hasText: 'core-rtr1' }).waitFor();
    await page.locator('#charts[data-range="1h"]').waitFor();
    const slow = await holdRequest(page, (u) => u.pathname === '/api/v1/devices/core-rtr1/series' && u.searchParams.get('from') === '-6h');
    try {
      await page.selectOption('#chart-range', '6h');
      await slow.reached;
      await page.selectOption('#chart-range', '24h');
      await page.locator('#charts[data-range="24h"]').waitFor();
      await slow.release();
      expect(await page.getAttribute('#charts', 'data-range')).toBe('24h');
      expect(await page.locator('#main .panel.error').count()).toBe(0);
    } finally { await slow.stop(); }
  });

  it('does not replace the page navigated to with a slower page asked for before it', async () => {
    const { page } = ui;
    await page.goto(`${ui.server.url}/#/traps`);
    await page.locator('#traps tbody tr[data-trap]').first().waitFor();
    const slow = await holdRequest(page, (u) => u.pathname === '/api/v1/alerts');
    try {
      await page.goto(`${ui.server.url}/#/alerts`);
      await slow.reached;
      await page.goto(`${ui.server.url}/#/maintenance`);
      await page.locator('#maintenance tbody tr[data-window]').first().waitFor();
      await slow.release();
      expect(await page.locator('#maintenance').count()).toBe(1);
      expect(await page.locator('#alerts').count()).toBe(0);
    } finally { await slow.stop(); }
  });
});
