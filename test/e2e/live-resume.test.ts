/**
 * The UI's live updates across a dropped stream, in real headless Chromium: it reconnects with
 * Last-Event-ID and shows the replayed events; when the server answers `reset` (the missed
 * events are gone) it re-fetches the page instead of looking current.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import { createFakeServices, type FakeServices } from '../api/fake-services.ts';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'e2e-token-resume-abcdef';

let server: ApiServer;
let svc: FakeServices;
let context: BrowserContext;
let page: Page;
let userDir: string;
const eventRequests: Record<string, string>[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`e2e: ${CHROMIUM} is missing (apt-get install -y chromium, or bash test/ensure-peers.sh)`);
  svc = createFakeServices();
  server = await startApiServer(svc, {
    listen: '127.0.0.1:0', tokens: [TOKEN], openReads: false, cors: false, heartbeatMs: 5_000,
    sseReplay: { maxEvents: 3, maxBytes: 1024 * 1024 },
  });
  userDir = mkdtempSync(join(tmpdir(), 'netpulse-e2e-resume-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
  });
  await context.addInitScript((t) => sessionStorage.setItem('netpulse.token', t), TOKEN);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/events') eventRequests.push(r.headers()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
});

afterAll(async () => {
  await context?.close().catch(() => {});
  await server?.close();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

const stateOf = (device: string) => page.textContent(`[data-device="${device}"] .badge[class*="state-"]`);
const toasts = () => page.locator('.toast').allTextContents();

/** cuts every connection (the stream among them) and waits until the UI has noticed */
async function dropStream(): Promise<void> {
  server.app.server.closeAllConnections();
  await page.locator('#live:not(.on)').waitFor();
}

describe('live updates across a dropped stream', () => {
  it('replays the missed events after a reconnect, and re-fetches the page after a reset', async () => {
    await page.goto(`${server.url}/#/devices`);
    await page.locator('#device-table tbody tr').first().waitFor();
    await page.locator('#live.on').waitFor();
    expect(eventRequests[0]['last-event-id']).toBeUndefined();

    // missed while away, still held: replayed, the device list follows it
    await dropStream();
    svc.emit({ type: 'device-state', device: 'dist-sw1', from: 'up', to: 'down', time: Date.now() });
    await page.locator('#live.on').waitFor({ timeout: 10_000 });
    expect(eventRequests.at(-1)!['last-event-id']).toMatch(/^\d+$/);
    await expect.poll(() => stateOf('dist-sw1'), { timeout: 5_000 }).toBe('down');
    expect(await toasts()).toContain('dist-sw1: up → down');

    // missed while away and evicted (ring of 3): a reset, and the page shows the current state
    await dropStream();
    svc.emit({ type: 'device-state', device: 'core-rtr1', from: 'up', to: 'down', time: Date.now() });
    for (let n = 0; n < 4; n++) svc.emit({ type: 'trap', trap: { id: `r${n}`, time: Date.now(), source: '127.0.0.2:1', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: [] } });
    await page.locator('#live.on').waitFor({ timeout: 10_000 });
    await expect.poll(() => stateOf('core-rtr1'), { timeout: 5_000 }).toBe('down');
    const shown = await toasts();
    expect(shown).toContain('Live updates were interrupted; reloaded.');
    expect(shown.some((t) => t.includes('core-rtr1'))).toBe(false);
    expect(consoleErrors).toEqual([]);
  }, 30_000);
});
