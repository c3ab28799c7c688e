/**
 * The web UI in real headless Chromium with its time zone fixed to Europe/Berlin: every absolute
 * time it shows names its zone; at 10,000 devices the parent and maintenance device pickers are
 * type-aheads that offer at most 50 names; past the alert list's cap (5000) the open-alert badge
 * still says the true count (GET /alerts/count); a config device hiding an API device of its name
 * says so.
 */
import { describe, expect, it } from 'vitest';
import { useLiveUi, watchGets } from './live-ui-harness.ts';
import type { DeviceView } from '../../src/api/services.ts';

const ui = useLiveUi('zones-scale', { timezoneId: 'Europe/Berlin' });
/** Berlin's short zone name as Chromium's en-US formatter writes it (winter or summer time) */
const BERLIN = String.raw`GMT\+[12]`;
/** `2026-12-04 21:41:07`: `ms` on a Berlin wall clock */
const berlin = (ms: number) => new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' });
const chosen = (input: string) => ui.page.locator(`${input}-chosen [data-chosen]`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.chosen));

describe('web UI: time zones, 10,000 devices, many alerts', () => {
  it('shows every absolute time with its zone, in the browser\'s zone', async () => {
    const start = Date.UTC(2030, 0, 15, 10, 0, 0);
    ui.svc.maintenance.create({ name: 'zone-check', devices: ['core-rtr1'], tags: {}, start, end: start + 9_000_000 }, 'e2e');
    await ui.page.goto(`${ui.server.url}/#/maintenance`);
    await ui.page.locator('[data-window="zone-check"]').waitFor();
    // a one-off window: its times in Berlin winter time, and the form says which zone its inputs are in
    expect(await ui.page.textContent('[data-window="zone-check"] td:nth-child(3)')).toBe('2030-01-15 11:00:00 GMT+1 – 2030-01-15 13:30:00 GMT+1');
    expect(await ui.page.textContent('[data-window="zone-check"] td:nth-child(4)')).toBe('next 2030-01-15 11:00:00 GMT+1');
    expect(await ui.page.textContent('[data-window="ups-battery-swap"] td:nth-child(4)')).toMatch(new RegExp(`^activeuntil \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ${BERLIN}$`));
    expect(await ui.page.textContent('#maintenance-form [data-field="start"]')).toContain('Start (GMT+1)');
    expect(await ui.page.textContent('#maintenance-form [data-field="end"]')).toContain('End (GMT+1)');

    // a device's recent errors, and its charts' time axis
    const errorAt = (await ui.svc.devices.get('dist-sw2'))!.status.recentErrors![0]!.time;
    await ui.page.goto(`${ui.server.url}/#/devices/dist-sw2`);
    await ui.page.locator('#recent-errors li').first().waitFor();
    expect(await ui.page.textContent('#recent-errors li .muted')).toMatch(new RegExp(`^${berlin(errorAt)} ${BERLIN}$`));
    await ui.page.locator('#charts svg path').first().waitFor();
    const axis = await ui.page.locator('#charts svg text[text-anchor="start"]').allTextContents();
    expect(axis.length).toBeGreaterThan(0);
    for (const label of axis) expect(label).toMatch(new RegExp(`^\\d\\d:\\d\\d ${BERLIN}$`));

    // alerts: first and last seen as hover titles
    await ui.page.goto(`${ui.server.url}/#/alerts`);
    await ui.page.locator('#alerts tbody tr[data-alert]').first().waitFor();
    const titles = await ui.page.locator('#alerts tbody tr[data-alert] td[title]').evaluateAll((tds) => tds.map((td) => td.getAttribute('title')));
    expect(titles.length).toBeGreaterThan(0);
    for (const t of titles) expect(t).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ${BERLIN}$`));
    expect(ui.consoleErrors).toEqual([]);
  }, 30_000);

  it('at 10,000 devices, offers at most 50 names in the maintenance and parent pickers, found by the API\'s name filter', async () => {
    const list = ui.svc.devices.list;
    let many: DeviceView[] | undefined;
    ui.svc.devices.list = async () => {
      const own = await list();
      many ??= Array.from({ length: 10_000 }, (_, i) => ({ ...own[0]!, name: `bulk-${String(i).padStart(5, '0')}`, tags: {} }));
      return [...own, ...many];
    };
    const gets = watchGets(ui, '/api/v1/devices');
    try {
      await ui.page.goto(`${ui.server.url}/#/maintenance`);
      await ui.page.locator('#maintenance-form').waitFor();
      await ui.page.click('#mw-devices');
      await expect.poll(() => ui.page.locator('#mw-devices-list option').count()).toBe(50);
      expect(await ui.page.textContent('#mw-devices-matches')).toBe('50 of 10006 matches offered: type more of the name');
      await ui.page.fill('#mw-devices', 'bulk-0999');
      await expect.poll(() => ui.page.locator('#mw-devices-list option').count()).toBe(10);
      expect(await ui.page.textContent('#mw-devices-matches')).toBe('');
      // a suggestion picked from the list (Chromium sends it as a replacement, not typing) is taken at once
      await ui.page.locator('#mw-devices').evaluate((input: HTMLInputElement) => {
        input.value = 'bulk-09990';
        input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText' }));
      });
      await expect.poll(() => chosen('#mw-devices')).toEqual(['bulk-09990']);
      expect(await ui.page.inputValue('#mw-devices')).toBe('');
      // a typed name is taken with Enter, without submitting the form
      await ui.page.fill('#mw-devices', 'bulk-09999');
      await ui.page.press('#mw-devices', 'Enter');
      await expect.poll(() => chosen('#mw-devices')).toEqual(['bulk-09990', 'bulk-09999']);
      await ui.page.click('#mw-devices-chosen [data-chosen="bulk-09990"] button');
      expect(await chosen('#mw-devices')).toEqual(['bulk-09999']);
      await ui.page.fill('#mw-name', 'bulk-window');
      await ui.page.click('#mw-create');
      await ui.page.locator('[data-window="bulk-window"]').waitFor();
      expect((await ui.svc.maintenance.list()).find((w) => w.name === 'bulk-window')?.devices).toEqual(['bulk-09999']);

      // the add form's parents: the same type-ahead
      await ui.page.goto(`${ui.server.url}/#/devices`);
      await ui.page.locator('#add-device').waitFor();
      await ui.page.fill('#add-parents', 'DIST-');
      await expect.poll(() => ui.page.locator('#add-parents-list option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['dist-sw1', 'dist-sw2']);
      expect(await ui.page.locator('#add-device option').count()).toBeLessThan(60);
    } finally {
      ui.svc.devices.list = list;
      gets.stop();
    }
    // the pickers ask for a page of matches, never the whole list
    const picker = gets.queries.filter((q) => q.has('q'));
    expect(picker.length).toBeGreaterThan(0);
    for (const q of picker) expect(Number(q.get('limit'))).toBeLessThanOrEqual(52);
    expect(ui.consoleErrors).toEqual([]);
  }, 60_000);

  it('says on a config device\'s page and in the device list that it hides an API-created device of its name', async () => {
    const get = ui.svc.devices.get;
    const list = ui.svc.devices.list;
    ui.svc.devices.get = async (n) => { const d = await get(n); return d && n === 'legacy-ups' ? { ...d, shadows: 'api' } : d; };
    ui.svc.devices.list = async () => (await list()).map((d) => (d.name === 'legacy-ups' ? { ...d, shadows: 'api' as const } : d));
    try {
      // a fresh load: the page may already show the list, fetched before the override
      await ui.page.goto('about:blank');
      await ui.page.goto(`${ui.server.url}/#/devices`);
      // one page of the list is drawn at a time: the filter brings the device into it
      await ui.page.locator('#device-filter').fill('legacy-ups');
      await expect.poll(() => ui.page.locator('tr[data-device="legacy-ups"] [data-shadows="api"]').count(), { timeout: 10_000 }).toBe(1);
      expect(await ui.page.textContent('tr[data-device="legacy-ups"] [data-shadows="api"]')).toBe('hides an API device');
      expect(await ui.page.locator('tr[data-device] [data-shadows]').count()).toBe(1);
      await ui.page.goto(`${ui.server.url}/#/devices/legacy-ups`);
      await ui.page.locator('#device-origin').waitFor();
      expect(await ui.page.textContent('#device-shadows')).toBe('hides an API device');
      await ui.page.goto(`${ui.server.url}/#/devices/dist-sw1`);
      await ui.page.locator('#edit-device').waitFor();
      expect(await ui.page.locator('#device-shadows').count()).toBe(0);
    } finally {
      ui.svc.devices.get = get;
      ui.svc.devices.list = list;
    }
  }, 30_000);

  it('says the true count of open alerts past the list\'s cap of 5000, asking for the count only', async () => {
    await ui.page.goto('about:blank');
    const now = Date.now();
    for (let n = 0; n < 5001; n++) {
      ui.svc.emit({ type: 'alert', change: 'opened', alert: { id: `cap-${n}`, key: `cap-${n}`, source: 'threshold', rule: 'rtt', device: 'core-rtr1', severity: 'minor', message: `cap alert ${n}`, state: 'open', firstSeen: now + n, lastSeen: now + n, count: 1, flapping: false, labels: {} } });
    }
    const lists = watchGets(ui, '/api/v1/alerts');
    const counts = watchGets(ui, '/api/v1/alerts/count');
    try {
      await ui.page.goto(`${ui.server.url}/#/devices`);
      await ui.page.locator('#live.on').waitFor();
      // 2 open alerts of the fake's own (not silenced) and 5001: more than the list answers at most
      await expect.poll(() => ui.page.textContent('#alert-count'), { timeout: 10_000 }).toBe('5003');
      expect(await ui.page.getAttribute('#alert-count', 'title')).toBe('5003 open alerts (not silenced)');
      for (let n = 0; n < 4; n++) await ui.svc.alerts.clear(`cap-${n}`, 'e2e');
      await expect.poll(() => ui.page.textContent('#alert-count'), { timeout: 10_000 }).toBe('4999');
    } finally { lists.stop(); counts.stop(); }
    // the badge asks for the count, never for the alerts themselves (the devices page lists none)
    expect(lists.queries).toEqual([]);
    expect(counts.queries.map((q) => q.toString())).toContain('state=open&suppressed=false');
  }, 60_000);
});
