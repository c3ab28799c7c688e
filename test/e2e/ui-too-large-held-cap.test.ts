/**
 * The events that wait behind a `too-large` one while it is fetched are capped: past 1,000 of them the
 * page drops them and the fetch, says so and re-reads its data, as when it cannot apply events in order.
 */
import { describe, expect, it } from 'vitest';
import { useLiveUi } from './live-ui-harness.ts';
import { holdRequest } from './held-request.ts';

const ui = useLiveUi('too-large-held-cap', { sseMaxBufferedBytes: 64 * 1024, replayBytes: 8 * 1024 * 1024 });
const MAX_HELD = 1000;
/** held events emitted before the test waits for the page to have them all: well under the stream's send budget */
const BATCH = 50;

const trap = (id: string, trapName: string, varbinds: { oid: string; type: string; value: string }[] = []) => ({
  type: 'trap' as const,
  trap: { id, time: Date.now(), source: '127.0.0.2:40001', device: 'dist-sw1', version: '2c' as const, trapOid: '1.3.6.1.4.1.99.8', trapName, varbinds },
});

describe('the events held behind a too-large one', () => {
  it('are skipped past the cap: the page is re-read and says so', async () => {
    const { page } = ui;
    await page.goto(`${ui.server.url}/#/traps`);
    await page.locator('#traps tbody tr[data-trap]').first().waitFor();
    await page.locator('#live.on').waitFor({ timeout: 10_000 });
    const slow = await holdRequest(page, (u) => /^\/api\/v1\/events\/\d+$/.test(u.pathname));
    const reloads: string[] = [];
    const seen = (r: { url(): string; method(): string }) => { if (r.method() === 'GET' && new URL(r.url()).pathname === '/api/v1/traps') reloads.push(r.url()); };
    try {
      ui.svc.emit(trap('big-held', 'BIG-MIB::held', [{ oid: '1.3.6.1.4.1.99.7.1', type: 'OctetString', value: 'x'.repeat(200 * 1024) }]));
      await slow.reached;
      for (let n = 0; n < MAX_HELD; n += BATCH) {
        for (let i = n; i < n + BATCH; i++) ui.svc.emit(trap(`held-${i}`, 'SMALL-MIB::held'));
        await page.locator(`#live[data-held="${n + BATCH}"]`).waitFor();
      }
      page.on('request', seen);
      ui.svc.emit(trap('one-too-many', 'SMALL-MIB::over'));
      await expect.poll(() => page.locator('#toasts .toast').allTextContents())
        .toContain(`${MAX_HELD + 1} live events were skipped (more than ${MAX_HELD} waited behind a too-large one); reloaded.`);
      expect(await page.locator('#live').getAttribute('data-held')).toBeNull();
      // the re-read list has what was skipped
      await expect.poll(() => page.locator('#traps tr[data-trap="one-too-many"]').count()).toBe(1);
      expect(reloads.length).toBeGreaterThan(0);
      // the skipped fetch does not report itself as failed
      expect(await page.locator('#toasts .toast', { hasText: 'could not be shown' }).count()).toBe(0);
    } finally {
      page.off('request', seen);
      await slow.stop();
    }
  });
});
