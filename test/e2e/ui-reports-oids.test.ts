/**
 * The Reports and OIDs pages in real headless Chromium against the app with fake services:
 * "Include removed devices" asks the API for includeRemoved=true, and a `reset` from the event
 * stream re-fetches in place, keeping the report's filters and the OID search box and selection.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import { createFakeServices, type FakeServices } from '../api/fake-services.ts';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'e2e-token-reports-oids-abcdef';
const RESET_TOAST = 'Live updates were interrupted; reloaded.';

let server: ApiServer;
let svc: FakeServices;
let context: BrowserContext;
let page: Page;
let userDir: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`e2e: ${CHROMIUM} is missing (apt-get install -y chromium, or bash test/ensure-peers.sh)`);
  svc = createFakeServices();
  // a ring of 3 events: a few events missed while the stream is down make the server answer `reset`
  server = await startApiServer(svc, {
    listen: '127.0.0.1:0', tokens: [TOKEN], openReads: false, cors: false, heartbeatMs: 5_000,
    sseReplay: { maxEvents: 3, maxBytes: 1024 * 1024 },
  });
  userDir = mkdtempSync(join(tmpdir(), 'netpulse-e2e-reports-oids-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
  });
  await context.addInitScript((t) => sessionStorage.setItem('netpulse.token', t), TOKEN);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
});

afterAll(async () => {
  await context?.close().catch(() => {});
  await server?.close();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

/** the query of every GET to `path` the page sends from now on */
function watchGets(path: string) {
  const queries: URLSearchParams[] = [];
  const seen = (r: Request) => {
    const url = new URL(r.url());
    if (r.method() === 'GET' && url.pathname === path) queries.push(url.searchParams);
  };
  page.on('request', seen);
  return { queries, stop: () => page.off('request', seen) };
}

/** the server keeps 3 events: drop the stream and emit 4 traps while it is down, so the reconnect gets `reset` */
async function forceReset(): Promise<void> {
  server.app.server.closeAllConnections();
  await page.locator('#live:not(.on)').waitFor();
  for (let n = 0; n < 4; n++) svc.emit({ type: 'trap', trap: { id: `reset-${Date.now()}-${n}`, time: Date.now(), source: '127.0.0.2:1', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: [] } });
  await page.locator('#live.on').waitFor({ timeout: 10_000 });
  await expect.poll(() => page.locator('.toast', { hasText: RESET_TOAST }).count(), { timeout: 5_000 }).toBeGreaterThan(0);
}

/** tags an element so a redraw (a new element) shows */
const mark = (selector: string) => page.$eval(selector, (el) => { (el as HTMLElement).dataset.e2eKept = 'yes'; });
const marked = (selector: string) => page.$eval(selector, (el) => (el as HTMLElement).dataset.e2eKept === 'yes');

describe('reports and OIDs pages', () => {
  it('asks for removed devices when the box is checked, and keeps the box and filters through a reset', async () => {
    await page.goto(`${server.url}/#/reports`);
    await page.locator('#availability-report tbody tr').first().waitFor();
    await page.locator('#live.on').waitFor();
    expect(await page.isChecked('#report-include-removed')).toBe(false);

    const gets = watchGets('/api/v1/reports/availability');
    try {
      await page.selectOption('#report-range', '30d');
      await expect.poll(() => gets.queries.length).toBe(1);
      expect(gets.queries[0].get('includeRemoved')).toBeNull();

      await page.check('#report-include-removed');
      await expect.poll(() => gets.queries.length).toBe(2);
      expect(gets.queries[1].get('includeRemoved')).toBe('true');
      const from = gets.queries[1].get('from');
      expect(from).toBeTruthy();
      await page.locator('#availability-report tbody tr').first().waitFor();

      // typed but not committed (no Enter): only a page that is not redrawn keeps it
      await page.fill('#report-tag', 'site:h');
      await mark('#report-include-removed');
      await forceReset();
      await expect.poll(() => gets.queries.length, { timeout: 5_000 }).toBe(3);
      expect(gets.queries[2].get('includeRemoved')).toBe('true');
      expect(gets.queries[2].get('from')).toBe(from);
      expect(gets.queries[2].get('tag')).toBeNull();
    } finally { gets.stop(); }
    expect(await marked('#report-include-removed')).toBe(true);
    expect(await page.isChecked('#report-include-removed')).toBe(true);
    expect(await page.inputValue('#report-range')).toBe('30d');
    expect(await page.inputValue('#report-tag')).toBe('site:h');
    await page.locator('#availability-report tbody tr').first().waitFor();
    expect(await page.textContent('#report-error')).toBe('');
  }, 30_000);

  it('keeps the OID search text, its focus, the results and the selected node through a reset', async () => {
    await page.goto(`${server.url}/#/oids/1.3.6.1.2.1.2.2`);
    await page.locator('#oid-detail').waitFor();
    await page.locator('#live.on').waitFor();
    await expect.poll(() => page.textContent('#oid-numeric')).toBe('1.3.6.1.2.1.2.2');
    await page.click('#oid-search');
    await page.keyboard.type('ifOper');
    await page.locator('#oid-results a').first().waitFor();
    await mark('#oid-search');

    const searches = watchGets('/api/v1/oids');
    try {
      await forceReset();
      await expect.poll(() => searches.queries.length, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(searches.queries.at(-1)?.get('q')).toBe('ifOper');
    } finally { searches.stop(); }
    expect(await marked('#oid-search')).toBe(true);
    expect(await page.inputValue('#oid-search')).toBe('ifOper');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('oid-search');
    await expect.poll(() => page.textContent('#oid-results')).toContain('ifOperStatus');
    expect(await page.textContent('#oid-numeric')).toBe('1.3.6.1.2.1.2.2');
    expect(page.url()).toContain('#/oids/1.3.6.1.2.1.2.2');

    // typing goes on in the same box
    await page.keyboard.type('Status');
    expect(await page.inputValue('#oid-search')).toBe('ifOperStatus');
    expect(consoleErrors).toEqual([]);
  }, 30_000);
});
