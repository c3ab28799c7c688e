/**
 * The Reports and OIDs pages in real headless Chromium against the app with fake services:
 * "Include removed devices" asks the API for includeRemoved=true, and a `reset` from the event
 * stream re-fetches in place, keeping the report's filters and the OID search box and selection.
 */
import { describe, expect, it } from 'vitest';
import { forceReset as forceStreamReset, redrawn, RESET_TOAST, tagDrawn, useLiveUi, watchGets } from './live-ui-harness.ts';

const ui = useLiveUi('reports-oids');

/** forces a `reset` from the event stream and waits for the UI to say so */
async function forceReset(): Promise<void> {
  await forceStreamReset(ui);
  await expect.poll(() => ui.page.locator('.toast', { hasText: RESET_TOAST }).count(), { timeout: 5_000 }).toBeGreaterThan(0);
}

/** tags an element so a redraw (a new element) shows */
const mark = (selector: string) => ui.page.$eval(selector, (el) => { (el as HTMLElement).dataset.e2eKept = 'yes'; });
const marked = (selector: string) => ui.page.$eval(selector, (el) => (el as HTMLElement).dataset.e2eKept === 'yes');

describe('reports and OIDs pages', () => {
  it('asks for removed devices when the box is checked, and keeps the box and filters through a reset', async () => {
    await ui.page.goto(`${ui.server.url}/#/reports`);
    await ui.page.locator('#availability-report tbody tr').first().waitFor();
    await ui.page.locator('#live.on').waitFor();
    expect(await ui.page.isChecked('#report-include-removed')).toBe(false);

    const gets = watchGets(ui, '/api/v1/reports/availability');
    try {
      await tagDrawn(ui.page, '#availability-report');
      await ui.page.selectOption('#report-range', '30d');
      await expect.poll(() => gets.queries.length).toBe(1);
      expect(gets.queries[0].get('includeRemoved')).toBeNull();

      await redrawn(ui.page, '#availability-report');
      await tagDrawn(ui.page, '#availability-report');
      await ui.page.check('#report-include-removed');
      await expect.poll(() => gets.queries.length).toBe(2);
      expect(gets.queries[1].get('includeRemoved')).toBe('true');
      const from = gets.queries[1].get('from');
      expect(from).toBeTruthy();
      // the 30 d report is still up until the answer comes: wait for the report it asked for
      await redrawn(ui.page, '#availability-report');

      // typed but not committed (no Enter): only a page that is not redrawn keeps it
      await ui.page.fill('#report-tag', 'site:h');
      await mark('#report-include-removed');
      await tagDrawn(ui.page, '#availability-report');
      await forceReset();
      await expect.poll(() => gets.queries.length, { timeout: 5_000 }).toBe(3);
      expect(gets.queries[2].get('includeRemoved')).toBe('true');
      expect(gets.queries[2].get('from')).toBe(from);
      expect(gets.queries[2].get('tag')).toBeNull();
      // the refresh has drawn its report: only now does the toolbar show what it kept
      await redrawn(ui.page, '#availability-report');
    } finally { gets.stop(); }
    expect(await marked('#report-include-removed')).toBe(true);
    expect(await ui.page.isChecked('#report-include-removed')).toBe(true);
    expect(await ui.page.inputValue('#report-range')).toBe('30d');
    expect(await ui.page.inputValue('#report-tag')).toBe('site:h');
    expect(await ui.page.textContent('#report-error')).toBe('');
  }, 30_000);

  it('keeps the OID search text, its focus, the results and the selected node through a reset', async () => {
    await ui.page.goto(`${ui.server.url}/#/oids/1.3.6.1.2.1.2.2`);
    await ui.page.locator('#oid-detail').waitFor();
    await ui.page.locator('#live.on').waitFor();
    await expect.poll(() => ui.page.textContent('#oid-numeric')).toBe('1.3.6.1.2.1.2.2');
    await ui.page.click('#oid-search');
    await ui.page.keyboard.type('ifOper');
    await ui.page.locator('#oid-results a').first().waitFor();
    await mark('#oid-search');
    await tagDrawn(ui.page, '#oid-detail');

    const searches = watchGets(ui, '/api/v1/oids');
    try {
      await forceReset();
      await expect.poll(() => searches.queries.length, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(searches.queries.at(-1)?.get('q')).toBe('ifOper');
    } finally { searches.stop(); }
    // the refresh puts the node up anew once the search is answered too: only then does the page show what it kept
    await redrawn(ui.page, '#oid-detail');
    expect(await marked('#oid-search')).toBe(true);
    expect(await ui.page.inputValue('#oid-search')).toBe('ifOper');
    expect(await ui.page.evaluate(() => document.activeElement?.id)).toBe('oid-search');
    await expect.poll(() => ui.page.textContent('#oid-results')).toContain('ifOperStatus');
    expect(await ui.page.textContent('#oid-numeric')).toBe('1.3.6.1.2.1.2.2');
    expect(ui.page.url()).toContain('#/oids/1.3.6.1.2.1.2.2');

    // typing goes on in the same box
    await ui.page.keyboard.type('Status');
    expect(await ui.page.inputValue('#oid-search')).toBe('ifOperStatus');
    expect(ui.consoleErrors).toEqual([]);
  }, 30_000);
});
