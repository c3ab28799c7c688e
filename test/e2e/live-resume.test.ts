/**
 * The UI's live updates across a dropped stream, in real headless Chromium: it reconnects with
 * Last-Event-ID and shows the replayed events; when the server answers `reset` (the missed
 * events are gone) it re-fetches the page instead of looking current.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dropStream, useLiveUi } from './live-ui-harness.ts';

const ui = useLiveUi('resume');
const eventRequests: Record<string, string>[] = [];

beforeAll(async () => {
  ui.page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/events') eventRequests.push(r.headers()); });
});

const stateOf = (device: string) => ui.page.textContent(`[data-device="${device}"] .badge[class*="state-"]`);
const toasts = () => ui.page.locator('.toast').allTextContents();

describe('live updates across a dropped stream', () => {
  it('replays the missed events after a reconnect, and re-fetches the page after a reset', async () => {
    await ui.page.goto(`${ui.server.url}/#/devices`);
    await ui.page.locator('#device-table tbody tr').first().waitFor();
    await ui.page.locator('#live.on').waitFor();
    expect(eventRequests[0]['last-event-id']).toBeUndefined();

    // missed while away, still held: replayed, the device list follows it
    await dropStream(ui);
    ui.svc.emit({ type: 'device-state', device: 'dist-sw1', from: 'up', to: 'down', time: Date.now() });
    await ui.page.locator('#live.on').waitFor({ timeout: 10_000 });
    expect(eventRequests.at(-1)!['last-event-id']).toMatch(/^\d+$/);
    // the toast first: it shows when the event arrives and is gone 5 s later, the row waits for a re-fetch
    await expect.poll(toasts).toContain('dist-sw1: up → down');
    await expect.poll(() => stateOf('dist-sw1')).toBe('down');

    // missed while away and evicted (ring of 3): a reset, and the page shows the current state
    await dropStream(ui);
    ui.svc.emit({ type: 'device-state', device: 'core-rtr1', from: 'up', to: 'down', time: Date.now() });
    for (let n = 0; n < 4; n++) ui.svc.emit({ type: 'trap', trap: { id: `r${n}`, time: Date.now(), source: '127.0.0.2:1', version: '2c', trapOid: '1.3.6.1.6.3.1.1.5.4', varbinds: [] } });
    await ui.page.locator('#live.on').waitFor({ timeout: 10_000 });
    await expect.poll(toasts).toContain('Live updates were interrupted; reloaded.');
    await expect.poll(() => stateOf('core-rtr1')).toBe('down');
    expect((await toasts()).some((t) => t.includes('core-rtr1'))).toBe(false);
    expect(ui.consoleErrors).toEqual([]);
  }, 30_000);
});
