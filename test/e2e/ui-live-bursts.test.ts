/**
 * The web UI under bursts of live events, in real headless Chromium against the app with fake services:
 * a burst of device-state events shows a few toasts and one summary, not one toast each; a burst of
 * alert events re-counts the open alerts at most twice; a `reset` on the maintenance page redraws
 * the list but keeps the create form and what is typed in it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { forceReset, RESET_TOAST, useLiveUi, watchGets } from './live-ui-harness.ts';

const ui = useLiveUi('live-bursts');

const toastTexts = () => ui.page.locator('#toasts .toast').allTextContents();

/** from now on the page records the most toasts it ever showed at once, in window.__maxToasts */
async function watchToastCount(): Promise<() => Promise<number>> {
  await ui.page.evaluate(() => {
    const box = document.getElementById('toasts')!;
    const w = window as unknown as { __maxToasts: number };
    w.__maxToasts = box.children.length;
    new MutationObserver(() => { w.__maxToasts = Math.max(w.__maxToasts, box.children.length); }).observe(box, { childList: true });
  });
  return () => ui.page.evaluate(() => (window as unknown as { __maxToasts: number }).__maxToasts);
}

describe('web UI under bursts of live events', () => {
  it('shows at most 5 toasts and one summary for a burst of 200 device state changes', async () => {
    await ui.page.goto(`${ui.server.url}/#/devices`);
    await ui.page.locator('#device-table tbody tr').first().waitFor();
    await ui.page.locator('#live.on').waitFor();
    const maxToasts = await watchToastCount();

    for (let n = 0; n < 200; n++) ui.svc.emit({ type: 'device-state', device: 'dist-sw1', from: n % 2 ? 'down' : 'up', to: n % 2 ? 'up' : 'down', time: Date.now(), ...(n === 0 && { error: 'icmp: 127.0.0.2: 100% loss' }) });
    await expect.poll(() => ui.page.locator('#toasts [data-summary]').textContent(), { timeout: 5_000 }).toBe('195 more device state changes');
    const texts = await toastTexts();
    expect(texts).toEqual([
      'dist-sw1: up → down (icmp: 127.0.0.2: 100% loss)', 'dist-sw1: down → up', 'dist-sw1: up → down', 'dist-sw1: down → up', 'dist-sw1: up → down',
      '195 more device state changes',
    ]);
    expect(await maxToasts()).toBeLessThanOrEqual(6);

    // later changes in the same burst count into the same summary, in place
    ui.svc.emit({ type: 'device-state', device: 'core-rtr1', from: 'up', to: 'down', time: Date.now() });
    await expect.poll(() => ui.page.locator('#toasts [data-summary]').textContent()).toBe('196 more device state changes');
    expect(await ui.page.locator('#toasts .toast').count()).toBe(6);
    expect(await maxToasts()).toBeLessThanOrEqual(6);
  }, 20_000);

  it('after a quiet spell a single state change shows its own toast again', async () => {
    await expect.poll(() => ui.page.locator('#toasts .toast').count(), { timeout: 8_000 }).toBe(0);
    ui.svc.emit({ type: 'device-state', device: 'legacy-ups', from: 'up', to: 'down', time: Date.now() });
    await expect.poll(toastTexts).toEqual(['legacy-ups: up → down']);
  }, 15_000);

  it('re-counts the open alerts at most twice for a burst of alert events, and counts what the last one changed', async () => {
    await ui.page.goto(`${ui.server.url}/#/devices`);
    await ui.page.locator('#device-table tbody tr').first().waitFor();
    await ui.page.locator('#live.on').waitFor();
    await expect.poll(() => ui.page.textContent('#alert-count')).toBe('2');
    await expect.poll(() => ui.page.locator('#toasts .toast').count(), { timeout: 8_000 }).toBe(0);
    await sleep(1_200); // past the gap after the last count fetch

    const alertGets = watchGets(ui, '/api/v1/alerts/count');
    try {
      const now = Date.now();
      for (let n = 0; n < 200; n++) {
        ui.svc.emit({ type: 'alert', change: 'opened', alert: { id: `burst-${n}`, key: `burst-${n}`, source: 'device', rule: 'device-down', device: 'dist-sw1', severity: 'major', message: `burst ${n}`, state: 'open', firstSeen: now, lastSeen: now, count: 1, flapping: false, labels: {} } });
      }
      // the fake keeps each alert it emits: 2 open + 200, less a1 cleared by the burst's last event (a fetch after it)
      await ui.svc.alerts.clear('a1', 'e2e');
      // the summary before the count: it is up for 5 s after the burst's last event, the count waits for a fetch
      await expect.poll(() => ui.page.locator('#toasts [data-summary]').textContent()).toBe('195 more alerts opened');
      await expect.poll(() => ui.page.textContent('#alert-count'), { timeout: 5_000 }).toBe('201');
      await sleep(2_000);
    } finally { alertGets.stop(); }
    const countFetches = alertGets.queries.filter((q) => q.get('state') === 'open' && q.get('suppressed') === 'false').length;
    expect(countFetches).toBeGreaterThanOrEqual(1);
    expect(countFetches).toBeLessThanOrEqual(2);
    expect(await ui.page.locator('#toasts .toast').count()).toBeLessThanOrEqual(6);
  }, 20_000);

  it('keeps the maintenance form and what is typed in it through a reset, and refreshes the list', async () => {
    await ui.page.goto(`${ui.server.url}/#/maintenance`);
    await ui.page.locator('#maintenance-form').waitFor();
    await ui.page.locator('[data-window="ups-battery-swap"]').waitFor();
    await ui.page.locator('#live.on').waitFor();
    await ui.page.fill('#mw-name', 'typed before the reset');
    await ui.page.fill('#mw-devices', 'dist-sw1');
    await ui.page.press('#mw-devices', 'Enter');
    await ui.page.fill('#mw-comment', 'CHG-42');
    await ui.page.click('#mw-globs');
    await ui.page.keyboard.type('core-*');
    await ui.page.evaluate(() => { (window as unknown as { __form: Element | null }).__form = document.getElementById('maintenance-form'); });

    const now = Date.now();
    await forceReset(ui, async () => {
      // neither sends a live event: only the refresh can show them
      await ui.svc.maintenance.create({ name: 'made-while-away', devices: ['core-rtr1'], tags: {}, start: now, end: now + 3_600_000 }, 'e2e');
      await ui.svc.devices.create({ name: 'e2e-late', address: '127.0.0.31', port: 161, credentials: 'lab-v2c', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: true });
    });
    await expect.poll(() => ui.page.locator('.toast', { hasText: RESET_TOAST }).count(), { timeout: 5_000 }).toBeGreaterThan(0);
    await ui.page.locator('[data-window="made-while-away"]').waitFor({ timeout: 5_000 });
    expect(await ui.page.textContent('h1 .badge')).toBe('2');

    expect(await ui.page.evaluate(() => (window as unknown as { __form: Element | null }).__form === document.getElementById('maintenance-form'))).toBe(true);
    expect(await ui.page.inputValue('#mw-name')).toBe('typed before the reset');
    expect(await ui.page.inputValue('#mw-comment')).toBe('CHG-42');
    expect(await ui.page.inputValue('#mw-globs')).toBe('core-*');
    expect(await ui.page.locator('#mw-devices-chosen [data-chosen]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.chosen))).toEqual(['dist-sw1']);
    expect(await ui.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.id)).toBe('mw-globs');

    // the kept form still creates, and empties itself after
    await ui.page.fill('#mw-globs', '');
    await ui.page.click('#mw-create');
    await ui.page.locator('[data-window="typed before the reset"]').waitFor();
    expect(await ui.page.textContent('[data-window="typed before the reset"]')).toContain('CHG-42');
    expect(await ui.page.inputValue('#mw-name')).toBe('');
    expect(ui.consoleErrors).toEqual([]);
  }, 30_000);
});
