/**
 * A trap that comes live while a reload of the traps list is in flight is not lost when that reload's
 * answer, made by the server before the trap existed, is drawn: the answer is held in the router and
 * answered with the list as it was, and the live traps since the reload was asked for stay on top of it
 * (those of the page's device filter, not older than the answer's newest row, within its 500 rows).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useLiveUi } from './live-ui-harness.ts';
import { holdRequest } from './held-request.ts';

const ui = useLiveUi('live-traps-reload');

const trapIds = (page: Page) => page.locator('#traps tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.trap));
const liveTrap = (id: string, device: string, time: number) => ({
  type: 'trap' as const,
  trap: { id, time, source: '127.0.0.3:50123', device, version: '2c' as const, trapOid: '1.3.6.1.6.3.1.1.5.3', trapName: 'IF-MIB::linkDown', varbinds: [] },
});

/** opens the traps page, asks for `device`'s traps and holds that request; `during` runs while it is held, then `answer()` is what the page gets */
async function reloadWith(device: string, during: () => Promise<void>, answer: () => unknown[]): Promise<void> {
  const { page } = ui;
  await page.goto(`${ui.server.url}/#/traps`);
  await page.locator('#traps tbody tr[data-trap]').first().waitFor();
  await page.locator('#live.on').waitFor({ timeout: 10_000 });
  const slow = await holdRequest(page, (u) => u.pathname === '/api/v1/traps' && u.searchParams.get('device') === device);
  try {
    await page.fill('#trap-device', device);
    await page.dispatchEvent('#trap-device', 'change');
    await slow.reached;
    await during();
    await slow.release({ status: 200, json: { items: answer() } });
  } finally { await slow.stop(); }
}

describe('a live trap during a reload of the traps list', () => {
  it("stays on top of the reload's older answer; one of another device or older than the answer does not", async () => {
    const { page } = ui;
    const answer = await ui.svc.traps.list({ device: 'dist-sw2', limit: 500 });
    expect(answer.map((t) => t.id)).toEqual(['t2']);
    await reloadWith('dist-sw2', async () => {
      ui.svc.emit(liveTrap('live-other-device', 'core-rtr1', Date.now()));
      ui.svc.emit(liveTrap('live-older', 'dist-sw2', answer[0]!.time - 1000));
      ui.svc.emit(liveTrap('live-new', 'dist-sw2', Date.now()));
      // shown live on the rows the reload will replace
      await page.locator('#traps tr[data-trap="live-new"]').waitFor();
    }, () => answer);
    await expect.poll(() => trapIds(page)).toEqual(['live-new', 't2']);
  });

  it('keeps no more than the 500 rows a load shows', async () => {
    const { page } = ui;
    const now = Date.now();
    const answer = Array.from({ length: 500 }, (_, n) => ({ ...liveTrap(`old-${n}`, 'access-sw3', now - 10_000 - n).trap }));
    await reloadWith('access-sw3', async () => {
      ui.svc.emit(liveTrap('live-a', 'access-sw3', Date.now()));
      ui.svc.emit(liveTrap('live-b', 'access-sw3', Date.now()));
      await page.locator('#traps tr[data-trap="live-b"]').waitFor();
    }, () => answer);
    await expect.poll(() => trapIds(page)).toEqual(['live-b', 'live-a', ...answer.slice(0, 498).map((t) => t.id)]);
  });

  it('shows a live trap the answer already has once, under one it lacks', async () => {
    const { page } = ui;
    let answer: unknown[] = [];
    await reloadWith('dist-sw1', async () => {
      ui.svc.emit(liveTrap('live-in-answer', 'dist-sw1', Date.now()));
      await page.locator('#traps tr[data-trap="live-in-answer"]').waitFor();
      answer = await ui.svc.traps.list({ device: 'dist-sw1', limit: 500 });
      ui.svc.emit(liveTrap('live-after-answer', 'dist-sw1', Date.now()));
      await page.locator('#traps tr[data-trap="live-after-answer"]').waitFor();
    }, () => answer);
    await expect.poll(() => trapIds(page)).toEqual(['live-after-answer', 'live-in-answer']);
  });
});
