/**
 * The web UI at the API's limits, in real headless Chromium against the app with fake services:
 * the login box on 429 (this address is blocked after failed tokens), live updates refused with
 * 503 + Retry-After (the server's SSE clients are full), a trap storm on the traps page, 10,000
 * devices on the devices page, and the CSP on /ui/index.html.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import type { ApiOptions } from '../../src/api/options.ts';
import { createFakeServices, type FakeServices } from '../api/fake-services.ts';
import { CHROMIUM, patientPolls } from './live-ui-harness.ts';

const TOKEN = 'e2e-token-limits-abcdef';

interface Ui { server: ApiServer; svc: FakeServices; context: BrowserContext; page: Page; userDir: string }
let ui: Ui | undefined;

/** the app with `options` and Chromium; signed in unless `signedIn` is false; `setup` changes the fake services first */
async function start(options: Partial<ApiOptions>, { signedIn = true, setup }: { signedIn?: boolean; setup?: (svc: FakeServices) => void } = {}): Promise<Ui> {
  const svc = createFakeServices();
  setup?.(svc);
  const server = await startApiServer(svc, { listen: '127.0.0.1:0', tokens: [TOKEN], openReads: false, cors: false, heartbeatMs: 5_000, ...options });
  const userDir = mkdtempSync(join(tmpdir(), 'netpulse-e2e-limits-'));
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
  });
  if (signedIn) await context.addInitScript((t) => sessionStorage.setItem('netpulse.token', t), TOKEN);
  const page = context.pages()[0] ?? (await context.newPage());
  ui = { server, svc, context, page, userDir };
  return ui;
}

patientPolls();
afterEach(async () => {
  await ui?.context.close().catch(() => {});
  await ui?.server.close();
  if (ui) rmSync(ui.userDir, { recursive: true, force: true });
  ui = undefined;
});

describe('web UI at the API limits', () => {
  it('login: a 429 (address blocked after a failed token) is shown and does not pass for a good token', async () => {
    const { page, server } = await start({ authFailureLimit: { max: 1, timeWindowMs: 60_000 } }, { signedIn: false });
    await page.goto(`${server.url}/`);
    await page.locator('#login').waitFor({ state: 'visible' });
    await page.fill('#login-token', 'wrong-token-1');
    await page.click('#login-submit');
    await expect.poll(() => page.textContent('#login-error')).toContain('not accepted');
    await page.fill('#login-token', 'wrong-token-2');
    await page.click('#login-submit');
    await expect.poll(() => page.textContent('#login-error')).toMatch(/Too many failed tokens from this address: try again in \d+ s/);
    expect(await page.locator('#login').isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('netpulse.token'))).toBeNull();
  }, 30_000);

  it('live updates refused with 503 + Retry-After wait what the server asks and say why', async () => {
    const { page, server } = await start({ sseMaxClients: 1 });
    // another client holds the only live-update slot
    const holder = new AbortController();
    const held = await fetch(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: holder.signal });
    expect(held.status).toBe(200);
    try {
      await page.goto(`${server.url}/#/devices`);
      await page.locator('#device-table tbody tr').first().waitFor();
      await expect.poll(() => page.getAttribute('#live', 'data-retry-s')).toBe('30');
      expect(await page.getAttribute('#live', 'title')).toMatch(/503.*sseMaxClients.*retrying in 30 s/);
      expect(await page.textContent('#live')).toBe('offline');
    } finally {
      holder.abort();
    }
  }, 30_000);

  it('a trap storm keeps the newest 500 rows on the traps page', async () => {
    const { page, server, svc } = await start({});
    await page.goto(`${server.url}/#/traps`);
    await page.locator('#traps tbody tr').first().waitFor();
    await page.locator('#live.on').waitFor();
    for (let n = 0; n < 600; n++) svc.emit({ type: 'trap', trap: { id: `storm-${n}`, time: Date.now(), source: '127.0.0.2:1', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: [] } });
    await expect.poll(() => page.getAttribute('#traps tbody tr:first-child', 'data-trap')).toBe('storm-599');
    expect(await page.locator('#traps tbody tr').count()).toBe(500);
    expect(await page.getAttribute('#traps tbody tr:last-child', 'data-trap')).toBe('storm-100');
  }, 30_000);

  it('10,000 devices: 500 rows at a time, the filter searches them all', async () => {
    const { page, server } = await start({}, {
      setup: (svc) => {
        const list = svc.devices.list.bind(svc.devices);
        let many: Awaited<ReturnType<typeof list>> | undefined;
        svc.devices.list = async () => {
          const own = await list();
          many ??= Array.from({ length: 10_000 }, (_, i) => ({ ...own[0]!, name: `bulk-${String(i).padStart(5, '0')}`, tags: {} }));
          return [...own, ...many];
        };
      },
    });
    await page.goto(`${server.url}/#/devices`);
    await page.locator('#device-table tbody tr').first().waitFor();
    expect(await page.textContent('h1 .badge')).toBe('10006');
    expect(await page.locator('#device-table tbody tr').count()).toBe(500);
    expect(await page.textContent('#device-more')).toBe('Show 500 more (500 of 10006 shown)');
    await page.click('#device-more');
    await expect.poll(() => page.locator('#device-table tbody tr').count()).toBe(1000);
    await page.fill('#device-filter', 'bulk-09999');
    await expect.poll(() => page.locator('#device-table tbody tr').count()).toBe(1);
    expect(await page.getAttribute('#device-table tbody tr', 'data-device')).toBe('bulk-09999');
    expect(await page.locator('#device-more').isHidden()).toBe(true);
  }, 60_000);

  it('600 active alerts: the newest 500 are listed and the list says it is cut', async () => {
    const now = Date.now();
    const { page, server } = await start({}, {
      setup: (svc) => {
        for (let n = 0; n < 600; n++) {
          svc.emit({ type: 'alert', change: 'opened', alert: { id: `bulk-${n}`, key: `bulk-${n}`, source: 'threshold', rule: 'rtt', device: 'core-rtr1', severity: 'minor', message: `bulk alert ${n}`, state: 'open', firstSeen: now + n, lastSeen: now + n, count: 1, flapping: false, labels: {} } });
        }
      },
    });
    await page.goto(`${server.url}/#/alerts`);
    await page.locator('#alerts tbody tr[data-alert]').first().waitFor();
    expect(await page.locator('#alerts tbody tr[data-alert]').count()).toBe(500);
    expect(await page.getAttribute('#alerts tbody tr[data-alert]', 'data-alert')).toBe('bulk-599');
    expect(await page.textContent('#alerts-truncated')).toBe('The newest 500 shown; narrow the filters to see older ones.');
  }, 30_000);

  it('an OID node with 5,000 children lists 500 at a time', async () => {
    const { page, server } = await start({}, {
      setup: (svc) => {
        const children = svc.oids.children.bind(svc.oids);
        svc.oids.children = async (oid) => {
          const own = await children(oid);
          if (oid !== '1.3.6.1.2.1' || !own[0]) return own;
          return Array.from({ length: 5_000 }, (_, i) => ({ ...own[0]!, oid: `1.3.6.1.2.1.${1000 + i}`, name: `bulkNode${i}`, childCount: 0 }));
        };
      },
    });
    await page.goto(`${server.url}/#/oids/1.3.6.1.2.1`);
    await page.locator('#oid-children li').first().waitFor();
    expect(await page.textContent('#oid-detail h2')).toBe('Children (5000)');
    expect(await page.locator('#oid-children li').count()).toBe(500);
    await page.click('#oid-children-more');
    await expect.poll(() => page.locator('#oid-children li').count()).toBe(1000);
    expect(await page.textContent('#oid-children-more')).toBe('Show 500 more (1000 of 5000 shown)');
  }, 30_000);

  it('/ui/index.html carries the same CSP as /', async () => {
    const { page, server } = await start({});
    const root = await page.goto(`${server.url}/`);
    const direct = await page.goto(`${server.url}/ui/index.html`);
    expect(root?.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(direct?.headers()['content-security-policy']).toBe(root?.headers()['content-security-policy']);
  }, 30_000);
});
