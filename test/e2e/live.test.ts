/**
 * The web UI in real headless Chromium against a RUNNING netpulse polling a simulated lab:
 * 12 devices in a ring (SNMP v1/v2c/v3), one silent device, one device flapping a linked port
 * (linkDown/linkUp traps to netpulse's trap receiver). Every page is clicked through and the
 * figures are checked against the lab's own truth. Screenshots: test-artifacts/live-*.png.
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { parseConfig } from '../../src/config/index.ts';
import { LAB_COMMUNITY, LAB_V3_USERS, startLab, type Lab, type LabDevice } from '../../src/lab/index.ts';
import { startNetpulse, type NetpulseRuntime } from '../../src/main/runtime.ts';
import { patientPolls } from './live-ui-harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const TOKEN = randomBytes(16).toString('hex');
const INTERVAL = '5s';

let lab: Lab | undefined;
let rt: NetpulseRuntime | undefined;
let context: BrowserContext | undefined;
let page: Page;
let base: string;
let dataDir: string | undefined;
let userDir: string | undefined;
let stopFlap = () => {};
let silent: LabDevice;
let flapper: LabDevice;
let flapPort: string;
const logs: string[] = [];
const consoleErrors: string[] = [];

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => { s.once('error', reject); s.bind(0, '127.0.0.1', () => resolve()); });
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function apiGet(path: string): Promise<any> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** polls `check` until it returns true; the error names what was awaited and the runtime's last log lines */
async function until(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`live e2e: ${what} not reached within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}\n  runtime log:\n    ${logs.slice(-15).join('\n    ')}`);
}

const linkedPort = (d: LabDevice) => [...d.peers.keys()].sort((a, b) => a - b)[0];
const portName = (d: LabDevice, ifIndex: number) => d.model.ports[ifIndex - 1].name;
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `live-${name}.png`), fullPage: true });

patientPolls();
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`e2e: ${CHROMIUM} is missing (apt-get install -y chromium, or bash test/ensure-peers.sh)`);
  mkdirSync(ARTIFACTS, { recursive: true });

  const trapPort = await freeUdpPort();
  lab = await startLab({ devices: 12, topology: 'ring', basePort: 0, seed: 1, interval: INTERVAL, trapsTo: `127.0.0.1:${trapPort}` });
  silent = lab.devices[4];
  flapper = lab.devices.find((d) => d.peers.size > 0 && d.version === '2c')!;
  flapPort = portName(flapper, linkedPort(flapper));

  dataDir = mkdtempSync(join(tmpdir(), 'netpulse-live-'));
  const doc = YAML.parse(lab.config) as Record<string, unknown>;
  Object.assign(doc, {
    dataDir,
    defaults: { ...(doc.defaults as object | undefined), interval: INTERVAL },
    api: { listen: '127.0.0.1:0', tokens: [TOKEN], openReads: false },
    traps: {
      listen: `127.0.0.1:${trapPort}`,
      communities: [{ name: 'lab', community: LAB_COMMUNITY }],
      users: LAB_V3_USERS.filter((u) => u.privProtocol !== 'DES').map(({ version: _v, ...u }) => u),
    },
  });
  const config = parseConfig(YAML.stringify(doc), '(live e2e)');
  lab.faults.silence(silent.name);
  rt = await startNetpulse(config, { log: (l) => logs.push(l), listenApi: true });
  base = rt.api!.url;

  // every answering device polled at least twice (two interface samples make a rate), the silent one failing
  const answering = lab.devices.filter((d) => d !== silent).map((d) => d.name);
  await until('every device polled twice, the silent one failing', 60_000, async () => {
    const { items } = await apiGet('/api/v1/devices');
    const state = new Map<string, string>(items.map((d: any) => [d.name, d.status.state]));
    if (!answering.every((n) => state.get(n) === 'up') || state.get(silent.name) === 'up' || state.get(silent.name) === 'unknown') return false;
    const q = new URLSearchParams({ measurement: 'snmp_interface', field: 'in_bps', from: '-1h' });
    const { series } = await apiGet(`/api/v1/devices/${encodeURIComponent(flapper.name)}/series?${q}`);
    return series.some((s: any) => s.points.filter((p: any) => typeof p.values.in_bps === 'number').length >= 2);
  });
  await rt.topology.discover();

  // traps are translated with the compiled MIBs: flap once they are in (a fresh data dir compiles in the background)
  await until('the MIB dictionary compiled', 60_000, () => rt!.dictionary.state() === 'ready');
  stopFlap = lab.faults.flapEvery(flapper.name, 20_000, linkedPort(flapper), 1500);
  await until('linkDown and linkUp traps from the flapping device', 15_000, async () => {
    const names = (await apiGet('/api/v1/traps?limit=50')).items.map((t: any) => t.trapName);
    return names.includes('IF-MIB::linkDown') && names.includes('IF-MIB::linkUp');
  });

  userDir = mkdtempSync(join(tmpdir(), 'netpulse-live-chromium-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
}, 100_000);

afterAll(async () => {
  stopFlap();
  await context?.close().catch(() => {});
  await rt?.stop();
  await lab?.stop();
  for (const d of [dataDir, userDir]) if (d) rmSync(d, { recursive: true, force: true });
}, 30_000);

describe('web UI in Chromium on a running netpulse polling the lab', () => {
  it('logs in with the token and shows the devices with the lab\'s SNMP version counts', async () => {
    await page.goto(`${base}/`);
    await page.locator('#login').waitFor({ state: 'visible' });
    await shot('login');
    await page.fill('#login-token', TOKEN);
    await page.click('#login-submit');
    await page.locator('#device-table tbody tr').first().waitFor();
    await page.locator('#live.on').waitFor();
    const truth = lab!.truth.byVersion;
    expect(await page.locator('#device-table tbody tr').count()).toBe(lab!.devices.length);
    expect(await page.textContent('[data-version="total"] .n')).toBe(String(lab!.devices.length));
    expect(await page.textContent('[data-version="v1"] .n')).toBe(String(truth['1']));
    expect(await page.textContent('[data-version="v2c"] .n')).toBe(String(truth['2c']));
    expect(await page.textContent('[data-version="v3"] .n')).toBe(String(truth['3']));
    expect(await page.textContent(`[data-version="v${silent.version === '2c' ? '2c' : silent.version}"]`)).toContain('1 failing');
    expect(await page.textContent('[data-version="total"]')).toContain(`${lab!.devices.length - 1} ok`);
    const row = await page.textContent(`[data-device="${silent.name}"]`);
    expect(row).toContain('snmp-unreachable');
    expect(row).toContain('timeout');
    // failing devices are listed first
    expect(await page.getAttribute('#device-table tbody tr', 'data-device')).toBe(silent.name);
    await shot('devices');
  });

  it('shows a device with its interfaces and charts holding the polled points', async () => {
    await page.click(`[data-device="${flapper.name}"] a`);
    await page.locator('#interfaces tbody tr').first().waitFor();
    const ifNames = await page.locator('#interfaces tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.ifname));
    expect(ifNames).toEqual(expect.arrayContaining(flapper.model.ports.map((p) => p.name)));
    expect(await page.textContent('h1')).toContain(`v${flapper.version}`);
    expect(await page.textContent('#poll-status')).toContain('0 in a row');
    const traffic = portName(flapper, [...flapper.peers.keys()].sort((a, b) => a - b)[1] ?? linkedPort(flapper));
    await page.click(`#interfaces [data-ifname="${traffic}"]`);
    await expect.poll(() => page.textContent('#charts')).toContain(`Traffic ${traffic}`);
    // a path with at least one segment: two or more points
    const segments = () => page.locator('#charts .chart-panel').evaluateAll((panels) => panels.map((p) =>
      Array.from(p.querySelectorAll('path')).reduce((n, el) => Math.max(n, (el.getAttribute('d')?.match(/L/g) ?? []).length), 0)));
    await expect.poll(async () => (await segments())[0], { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const s = await segments();
    expect(s[1], 'ICMP latency chart').toBeGreaterThanOrEqual(1);
    expect(await page.locator(`#interfaces [data-ifname="${traffic}"]`).textContent()).toContain('up');
    await shot('device');
  });

  it('finds ifHCInOctets in the OID dictionary and opens its node', async () => {
    await page.click('#nav a[data-page=oids]');
    await page.locator('#oid-detail').waitFor();
    await page.fill('#oid-search', 'ifHCInOctets');
    await page.locator('#oid-results a:text-is("IF-MIB::ifHCInOctets")').click();
    await expect.poll(() => page.textContent('#oid-detail h1')).toContain('IF-MIB::ifHCInOctets');
    expect(await page.textContent('#oid-numeric')).toBe('1.3.6.1.2.1.31.1.1.1.6');
    expect(await page.textContent('#oid-detail')).toContain('Counter64');
    expect(await page.textContent('#oid-detail .crumbs')).toContain('ifXEntry');
    await shot('oids');
  });

  it('draws the discovered topology: the lab\'s devices and links', async () => {
    await page.click('#nav a[data-page=topology]');
    await page.locator('#cy canvas').first().waitFor();
    await expect.poll(() => page.evaluate(() => (window as any).__netpulseCy?.nodes().length ?? 0)).toBeGreaterThan(0);
    const graph = await page.evaluate(() => {
      const cy = (window as any).__netpulseCy;
      return {
        devices: cy.nodes().map((n: any) => n.data('device')).filter(Boolean).sort(),
        edges: cy.edges().map((e: any) => [e.data('source'), e.data('target')].sort().join(' ')).sort(),
      };
    });
    expect(graph.devices).toEqual(lab!.devices.map((d) => d.name).sort());
    const truthEdges = lab!.truth.links.map((l) => [l.a, l.b].sort().join(' ')).sort();
    expect(graph.edges.length).toBe(lab!.truth.links.length);
    expect(graph.edges).toEqual(truthEdges);
    expect(await page.textContent('#topology-info')).toContain(`${lab!.devices.length} nodes, ${lab!.truth.links.length} links`);
    // fit() returns the cytoscape core: return nothing, or Playwright serializes the whole object graph (seconds to minutes)
    await page.evaluate(() => { (window as any).__netpulseCy.fit(undefined, 30); });
    await shot('topology');
  });

  it('shows the silent device\'s alert, acknowledges it, then clears it', async () => {
    await page.click('#nav a[data-page=alerts]');
    const row = page.locator('#alerts tbody tr', { hasText: `${silent.name} does not answer SNMP` });
    await row.waitFor();
    const id = await row.getAttribute('data-alert');
    expect(id).toBeTruthy();
    const sel = `[data-alert="${id}"]`;
    expect(await page.textContent(sel)).toContain('open');
    await shot('alerts');
    // the default rules hold numeric trap OIDs; the rules page names them from the dictionary
    await page.click('#nav a[data-page=rules]');
    await expect.poll(() => page.textContent('#rules').catch(() => '')).toContain('trap IF-MIB::linkDown, cleared by IF-MIB::linkUp');
    await page.click('#nav a[data-page=alerts]');
    await row.waitFor();
    await page.click(`${sel} [data-action=ack]`);
    await expect.poll(() => page.textContent(sel)).toContain('acknowledged');
    expect(await page.locator(`${sel} [data-action=ack]`).count()).toBe(0);
    expect((await apiGet('/api/v1/alerts?state=acknowledged')).items.some((a: any) => a.id === id)).toBe(true);
    await shot('alerts-acknowledged');
    await page.click(`${sel} [data-action=clear]`);
    await expect.poll(() => page.locator(sel).count()).toBe(0);
    await page.selectOption('#alert-state', 'cleared');
    await expect.poll(() => page.textContent(sel).catch(() => '')).toContain('cleared by');
    expect(await page.textContent(sel)).toContain('acked by');
    expect((await apiGet('/api/v1/alerts?state=cleared')).items.some((a: any) => a.id === id)).toBe(true);
    await shot('alerts-cleared');
  });

  it('lists the linkDown/linkUp traps of the flapping device with translated names', async () => {
    await page.click('#nav a[data-page=traps]');
    await page.locator('#traps tbody tr').first().waitFor();
    const text = await page.textContent('#traps');
    expect(text).toContain('IF-MIB::linkDown');
    expect(text).toContain('IF-MIB::linkUp');
    expect(text).toContain(`IF-MIB::ifDescr.${linkedPort(flapper)} = ${flapPort}`);
    expect(text).toContain(`IF-MIB::ifOperStatus.${linkedPort(flapper)} = down(2)`);
    expect(text).not.toContain('1.3.6.1.6.3.1.1.5.3');
    await shot('traps');
  });

  it('logs no script errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
