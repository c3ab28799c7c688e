/**
 * An event larger than a live client's send budget reaches the page as `too-large` with its URL:
 * the page fetches the whole event from /api/v1/events/{id} and handles it as if it came live
 * (its toast shows); once the server no longer holds it, the page re-reads its data instead.
 * The events after it wait for that fetch, so they are applied in the order they happened.
 */
import { describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { useLiveUi } from './live-ui-harness.ts';
import { holdRequest } from './held-request.ts';

const ui = useLiveUi('too-large', { sseMaxBufferedBytes: 64 * 1024, replayBytes: 8 * 1024 * 1024 });
const bigTrap = (id: string, trapName: string) => ({
  type: 'trap' as const,
  trap: {
    id, time: Date.now(), source: '127.0.0.2:40001', device: 'dist-sw1', version: '2c' as const, trapOid: '1.3.6.1.4.1.99.7', trapName,
    varbinds: [{ oid: '1.3.6.1.4.1.99.7.1', name: 'X::blob', type: 'OctetString', value: 'x'.repeat(200 * 1024) }],
  },
});

const smallTrap = (id: string) => ({
  type: 'trap' as const,
  trap: { id, time: Date.now(), source: '127.0.0.2:40001', device: 'dist-sw1', version: '2c' as const, trapOid: '1.3.6.1.4.1.99.8', trapName: 'SMALL-MIB::after', varbinds: [] },
});
/** the data-trap of the two rows on top of the traps list */
const newestTraps = (page: Page) => page.locator('#traps tbody tr').evaluateAll((rows) => rows.slice(0, 2).map((r) => (r as HTMLElement).dataset.trap));

describe('a live event too large for the stream', () => {
  it('is fetched by its URL and shown like a live one', async () => {
    await ui.page.goto(`${ui.server.url}/#/devices`);
    await ui.page.locator('#live.on').waitFor({ timeout: 10_000 });
    const fetched: string[] = [];
    const seen = (r: Request) => { const path = new URL(r.url()).pathname; if (/^\/api\/v1\/events\/\d+$/.test(path)) fetched.push(path); };
    ui.page.on('request', seen);
    try {
      ui.svc.emit(bigTrap('big-1', 'BIG-MIB::hugeTrap'));
      await expect.poll(() => ui.page.locator('#toasts .toast').allTextContents(), { timeout: 10_000 }).toContain('trap BIG-MIB::hugeTrap from dist-sw1');
      expect(fetched).toHaveLength(1);
    } finally {
      ui.page.off('request', seen);
    }
  });

  it('holds the events after it until it is fetched, then applies them in order', async () => {
    const { page } = ui;
    await page.goto(`${ui.server.url}/#/traps`);
    await page.locator('#traps tbody tr[data-trap]').first().waitFor();
    await page.locator('#live.on').waitFor({ timeout: 10_000 });
    const slow = await holdRequest(page, (u) => /^\/api\/v1\/events\/\d+$/.test(u.pathname));
    try {
      ui.svc.emit(bigTrap('big-first', 'BIG-MIB::first'));
      await slow.reached;
      ui.svc.emit(smallTrap('small-after'));
      // the later event has reached the page: held behind the fetch (or, unordered, already shown)
      await page.locator('#live[data-held="1"], #traps tr[data-trap="small-after"]').first().waitFor();
      await slow.release();
      await expect.poll(() => newestTraps(page)).toEqual(['small-after', 'big-first']);
    } finally { await slow.stop(); }
  });

  it('applies the held events when the fetch fails, and says the one event could not be shown', async () => {
    const { page } = ui;
    await page.goto(`${ui.server.url}/#/traps`);
    await page.locator('#traps tbody tr[data-trap]').first().waitFor();
    const slow = await holdRequest(page, (u) => /^\/api\/v1\/events\/\d+$/.test(u.pathname));
    try {
      ui.svc.emit(bigTrap('big-lost', 'BIG-MIB::lost'));
      await slow.reached;
      ui.svc.emit(smallTrap('small-kept'));
      await page.locator('#live[data-held="1"], #traps tr[data-trap="small-kept"]').first().waitFor();
      await slow.release({ status: 404, json: { error: 'Not Found', message: 'event 7 is no longer held' } });
      await expect.poll(() => page.locator('#toasts .toast').allTextContents())
        .toContain('A live trap event could not be shown: it was too large for the stream and fetching it failed (event 7 is no longer held); reloaded.');
      await expect.poll(() => page.locator('#traps tr[data-trap="small-kept"]').count()).toBe(1);
      expect(await page.locator('#live').getAttribute('data-held')).toBeNull();
    } finally { await slow.stop(); }
  });

  it('stops waiting for a fetch that does not answer: the held events are applied, the one event is said lost', async () => {
    // the page's own clock, moved on by the test: the wait for the fetch runs out without the test waiting for it
    const page = await ui.context.newPage();
    page.on('pageerror', (e) => ui.consoleErrors.push(String(e)));
    try {
      await page.clock.install();
      await page.goto(`${ui.server.url}/#/traps`);
      await page.locator('#traps tbody tr[data-trap]').first().waitFor();
      await page.locator('#live.on').waitFor({ timeout: 10_000 });
      const stuck = await holdRequest(page, (u) => /^\/api\/v1\/events\/\d+$/.test(u.pathname));
      ui.svc.emit(bigTrap('big-stuck', 'BIG-MIB::stuck'));
      await stuck.reached;
      ui.svc.emit(smallTrap('small-unstuck'));
      await page.locator('#live[data-held="1"]').waitFor();
      await page.clock.runFor(10_000);
      await expect.poll(() => page.locator('#toasts .toast').allTextContents())
        .toContain('A live trap event could not be shown: it was too large for the stream and fetching it failed (no answer in 10 s); reloaded.');
      await expect.poll(() => page.locator('#traps tr[data-trap="small-unstuck"]').count()).toBe(1);
      await stuck.stop();
    } finally { await page.close(); }
  });
});
