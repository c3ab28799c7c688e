/**
 * Shared set-up for the live-update UI tests: the app with fake services and a small SSE replay
 * ring (3 events), and real headless Chromium logged in with the test's token.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import type { TopologyGraph } from '../../src/api/services.ts';
import { createFakeServices, type FakeServices } from '../api/fake-services.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const RESET_TOAST = 'Live updates were interrupted; reloaded.';
/** events the server keeps for replay; missing more than this while the stream is down gets `reset` */
export const REPLAY_RING = 3;
/**
 * How long an `expect.poll` in these tests waits by default. Vitest's own 1 s is less than the page's
 * designed gaps (a coalesced reload waits up to 1 s after the previous one) plus a fetch on a loaded
 * 2-core CI machine running the suite in parallel; a poll still returns as soon as it matches.
 */
export const POLL_TIMEOUT_MS = 10_000;

/** gives every `expect.poll` of the calling test file POLL_TIMEOUT_MS unless it says otherwise */
export function patientPolls(): void {
  beforeAll(() => { vi.setConfig({ expect: { poll: { timeout: POLL_TIMEOUT_MS } } }); });
}

export interface LiveUi {
  server: ApiServer;
  svc: FakeServices;
  context: BrowserContext;
  page: Page;
  userDir: string;
  /** every uncaught error in the page */
  consoleErrors: string[];
}

export interface LiveUiOptions {
  /** fixes the browser's zone */
  timezoneId?: string;
  /** a live client's send budget (the server's default when absent) */
  sseMaxBufferedBytes?: number;
  /** the replay ring's byte bound (1 MiB when absent) */
  replayBytes?: number;
}

/** starts the app and Chromium for the test named `name` (its token and profile directory carry the name) */
export async function startLiveUi(name: string, { timezoneId, sseMaxBufferedBytes, replayBytes = 1024 * 1024 }: LiveUiOptions = {}): Promise<LiveUi> {
  if (!existsSync(CHROMIUM)) throw new Error(`e2e: ${CHROMIUM} is missing (apt-get install -y chromium, or bash test/ensure-peers.sh)`);
  const token = `e2e-token-${name}-abcdef`;
  const svc = createFakeServices();
  const server = await startApiServer(svc, {
    listen: '127.0.0.1:0', tokens: [token], openReads: false, cors: false, heartbeatMs: 5_000,
    sseReplay: { maxEvents: REPLAY_RING, maxBytes: replayBytes }, ...(sseMaxBufferedBytes ? { sseMaxBufferedBytes } : {}),
  });
  const userDir = mkdtempSync(join(tmpdir(), `netpulse-e2e-${name}-`));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1360, height: 900 },
      ...(timezoneId ? { timezoneId } : {}),
    });
    await context.addInitScript((t) => sessionStorage.setItem('netpulse.token', t), token);
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    return { server, svc, context, page, userDir, consoleErrors };
  } catch (err) {
    await stopLiveUi({ server, context, userDir });
    throw err;
  }
}

/** the harness for the test file that calls it: started before its tests, stopped after them (fields are set once `beforeAll` ran) */
export function useLiveUi(name: string, options: LiveUiOptions = {}): LiveUi {
  const ui = {} as LiveUi;
  patientPolls();
  beforeAll(async () => { Object.assign(ui, await startLiveUi(name, options)); });
  afterAll(() => stopLiveUi(ui));
  return ui;
}

/** closes whatever `startLiveUi` opened; safe on a partial or missing harness */
export async function stopLiveUi(ui: Partial<LiveUi> | undefined): Promise<void> {
  await ui?.context?.close().catch(() => {});
  await ui?.server?.close();
  if (ui?.userDir) rmSync(ui.userDir, { recursive: true, force: true });
}

/** the query of every GET to `path` the page sends from now on, until `stop()` */
export function watchGets(ui: LiveUi, path: string): { queries: URLSearchParams[]; stop: () => void } {
  const queries: URLSearchParams[] = [];
  const seen = (r: Request) => {
    const url = new URL(r.url());
    if (r.method() === 'GET' && url.pathname === path) queries.push(url.searchParams);
  };
  ui.page.on('request', seen);
  return { queries, stop: () => { ui.page.off('request', seen); } };
}

/** tags every element at `selector`, so that `redrawn` can wait for the page to have drawn them anew */
export async function tagDrawn(page: Page, selector: string): Promise<void> {
  await page.$$eval(selector, (els) => { for (const el of els) (el as HTMLElement).dataset.e2eOld = 'yes'; });
}
/** waits until an element at `selector` is one the page drew after `tagDrawn` (the UI re-renders rather than edits in place) */
export async function redrawn(page: Page, selector: string): Promise<void> {
  await page.locator(`${selector}:not([data-e2e-old])`).first().waitFor({ state: 'attached' });
}

/** cuts every connection (the stream among them) and waits until the UI has noticed */
export async function dropStream(ui: LiveUi): Promise<void> {
  ui.server.app.server.closeAllConnections();
  await ui.page.locator('#live:not(.on)').waitFor();
}

/** drops the stream, runs `change` and emits more traps than the ring holds while it is down, then waits for the reconnect (which gets `reset`) */
export async function forceReset(ui: LiveUi, change: () => void | Promise<void> = () => {}): Promise<void> {
  await dropStream(ui);
  await change();
  for (let n = 0; n <= REPLAY_RING; n++) ui.svc.emit({ type: 'trap', trap: { id: `reset-${Date.now()}-${n}`, time: Date.now(), source: '127.0.0.2:1', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: [] } });
  await ui.page.locator('#live.on').waitFor({ timeout: 10_000 });
}

/** a new page on the topology view of `graph`, once every node is drawn */
export async function openTopology(ui: LiveUi, graph: TopologyGraph): Promise<Page> {
  ui.svc.topology.graph = async () => structuredClone(graph);
  const page = await ui.context.newPage();
  page.on('pageerror', (e) => ui.consoleErrors.push(String(e)));
  await page.goto(`${ui.server.url}/#/topology`);
  await page.locator('#cy canvas').first().waitFor();
  await expect.poll(() => page.evaluate(() => (window as any).__netpulseCy?.nodes().length ?? 0)).toBe(graph.nodes.length);
  return page;
}
