/**
 * The web UI under bursts of live events, in real headless Chromium against the app with fake services:
 * a burst of device-state events shows a few toasts and one summary, not one toast each; a burst of
 * alert events re-counts the open alerts at most twice; a `reset` on the maintenance page redraws
 * the list but keeps the create form and what is typed in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import type { ApiServer } from '../../src/api/server.ts';
import type { FakeServices } from '../api/fake-services.ts';
import { forceReset, RESET_TOAST, startLiveUi, stopLiveUi, type LiveUi } from './live-ui-harness.ts';

let ui: LiveUi;
let server: ApiServer;
let svc: FakeServices;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  ui = await startLiveUi('live-bursts');
  ({ server, svc, page, consoleErrors } = ui);
});

afterAll(() => stopLiveUi(ui));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const toastTexts = () => page.locator('#toasts .toast').allTextContents();

/** from now on the page records the most toasts it ever showed at once, in window.__maxToasts */
async function watchToastCount(): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const box = document.getElementById('toasts')!;
    const w = window as unknown as { __maxToasts: number };
    w.__maxToasts = box.children.length;
    new MutationObserver(() => { w.__maxToasts = Math.max(w.__maxToasts, box.children.length); }).observe(box, { childList: true });
  });
  return () => page.evaluate(() => (window as unknown as { __maxToasts: number }).__maxToasts);
}

describe('web UI under bursts of live events', () => {
  it('shows at most 5 toasts and one summary for a burst of 200 device state changes', async () => {
    await page.goto(`${server.url}/#/devices`);
    await page.locator('#device-table tbody tr').first().waitFor();
    await page.locator('#live.on').waitFor();
    const maxToasts = await watchToastCount();

    for (let n = 0; n < 200; n++) svc.emit({ type: 'device-state', device: 'dist-sw1', from: n % 2 ? 'down' : 'up', to: n % 2 ? 'up' : 'down', time: Date.now(), ...(n === 0 && { error: 'icmp: 127.0.0.2: 100% loss' }) });
    await expect.poll(() => page.locator('#toasts [data-summary]').textContent(), { timeout: 5_000 }).toBe('195 more device state changes');
    const texts = await toastTexts();
    expect(texts).toEqual([
      'dist-sw1: up → down (icmp: 127.0.0.2: 100% loss)', 'dist-sw1: down → up', 'dist-sw1: up → down', 'dist-sw1: down → up', 'dist-sw1: up → down',
      '195 more device state changes',
    ]);
    expect(await maxToasts()).toBeLessThanOrEqual(6);

    // later changes in the same burst count into the same summary, in place
    svc.emit({ type: 'device-state', device: 'core-rtr1', from: 'up', to: 'down', time: Date.now() });
    await expect.poll(() => page.locator('#toasts [data-summary]').textContent()).toBe('196 more device state changes');
    expect(await page.locator('#toasts .toast').count()).toBe(6);
    expect(await maxToasts()).toBeLessThanOrEqual(6);
  }, 20_000);

  it('after a quiet spell a single state change shows its own toast again', async () => {
    await expect.poll(() => page.locator('#toasts .toast').count(), { timeout: 8_000 }).toBe(0);
    svc.emit({ type: 'device-state', device: 'legacy-ups', from: 'up', to: 'down', time: Date.now() });
    await expect.poll(toastTexts).toEqual(['legacy-ups: up → down']);
  }, 15_000);

  it('re-counts the open alerts at most twice for a burst of alert events, and counts what the last one changed', async () => {
    await page.goto(`${server.url}/#/devices`);
    await page.locator('#device-table tbody tr').first().waitFor();
    await page.locator('#live.on').waitFor();
    await expect.poll(() => page.textContent('#alert-count')).toBe('2');
    await expect.poll(() => page.locator('#toasts .toast').count(), { timeout: 8_000 }).toBe(0);
    await sleep(1_200); // past the gap after the last count fetch

    let countFetches = 0;
    const isCount = (r: Request) => {
      const url = new URL(r.url());
      return r.method() === 'GET' && url.pathname === '/api/v1/alerts' && url.searchParams.get('limit') === '5000' && url.searchParams.get('suppressed') === 'false';
    };
    const onRequest = (r: Request) => { if (isCount(r)) countFetches++; };
    page.on('request', onRequest);
    try {
      const now = Date.now();
      for (let n = 0; n < 200; n++) {
        svc.emit({ type: 'alert', change: 'opened', alert: { id: `burst-${n}`, key: `burst-${n}`, source: 'device', rule: 'device-down', device: 'dist-sw1', severity: 'major', message: `burst ${n}`, state: 'open', firstSeen: now, lastSeen: now, count: 1, flapping: false, labels: {} } });
      }
      // the fake keeps each alert it emits: 2 open + 200, less a1 cleared by the burst's last event (a fetch after it)
      await svc.alerts.clear('a1', 'e2e');
      await expect.poll(() => page.textContent('#alert-count'), { timeout: 5_000 }).toBe('201');
      await sleep(2_000);
    } finally { page.off('request', onRequest); }
    expect(countFetches).toBeGreaterThanOrEqual(1);
    expect(countFetches).toBeLessThanOrEqual(2);
    expect(await page.locator('#toasts .toast').count()).toBeLessThanOrEqual(6);
    expect(await page.locator('#toasts [data-summary]').textContent()).toBe('195 more alerts opened');
  }, 20_000);

  it('keeps the maintenance form and what is typed in it through a reset, and refreshes the list', async () => {
    await page.goto(`${server.url}/#/maintenance`);
    await page.locator('#maintenance-form').waitFor();
    await page.locator('[data-window="ups-battery-swap"]').waitFor();
    await page.locator('#live.on').waitFor();
    await page.fill('#mw-name', 'typed before the reset');
    await page.selectOption('#mw-devices', ['dist-sw1']);
    await page.fill('#mw-comment', 'CHG-42');
    await page.click('#mw-globs');
    await page.keyboard.type('core-*');
    await page.evaluate(() => { (window as unknown as { __form: Element | null }).__form = document.getElementById('maintenance-form'); });

    const now = Date.now();
    await forceReset(ui, async () => {
      // neither sends a live event: only the refresh can show them
      await svc.maintenance.create({ name: 'made-while-away', devices: ['core-rtr1'], tags: {}, start: now, end: now + 3_600_000 }, 'e2e');
      await svc.devices.create({ name: 'e2e-late', address: '127.0.0.31', port: 161, credentials: 'lab-v2c', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: true });
    });
    await expect.poll(() => page.locator('.toast', { hasText: RESET_TOAST }).count(), { timeout: 5_000 }).toBeGreaterThan(0);
    await page.locator('[data-window="made-while-away"]').waitFor({ timeout: 5_000 });
    expect(await page.textContent('h1 .badge')).toBe('2');
    await page.locator('#mw-devices option[value="e2e-late"]').waitFor({ state: 'attached' });

    expect(await page.evaluate(() => (window as unknown as { __form: Element | null }).__form === document.getElementById('maintenance-form'))).toBe(true);
    expect(await page.inputValue('#mw-name')).toBe('typed before the reset');
    expect(await page.inputValue('#mw-comment')).toBe('CHG-42');
    expect(await page.inputValue('#mw-globs')).toBe('core-*');
    expect(await page.locator('#mw-devices').evaluate((s) => Array.from((s as HTMLSelectElement).selectedOptions).map((o) => o.value))).toEqual(['dist-sw1']);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.id)).toBe('mw-globs');

    // the kept form still creates, and empties itself after
    await page.fill('#mw-globs', '');
    await page.click('#mw-create');
    await page.locator('[data-window="typed before the reset"]').waitFor();
    expect(await page.textContent('[data-window="typed before the reset"]')).toContain('CHG-42');
    expect(await page.inputValue('#mw-name')).toBe('');
    expect(consoleErrors).toEqual([]);
  }, 30_000);
});
