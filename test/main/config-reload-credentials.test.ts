/**
 * A config reload and the credential profiles API devices poll with (Inventory.reloadProblems):
 * removing a config profile they use, or adding one named like the API profile they use, is
 * refused with nothing applied; a config profile hiding an API one is warned about.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { reloadConfig, type ReloadTargets } from '../../src/main/config-reload.ts';
import { Inventory } from '../../src/main/inventory.ts';
import { MaintenanceWindows } from '../../src/main/maintenance.ts';
import type { Credential, Device, ResolvedDevice } from '../../src/model/index.ts';
import { StateStore } from '../../src/storage/state/store.ts';

const c1: Credential = { version: '2c', community: 'c1-secret' };
const c2: Credential = { version: '2c', community: 'c2-secret' };
const device = (name: string, credentials: string, extra: Partial<Device> = {}): Device => ({
  name, address: '10.0.0.1', port: 161, credentials, profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: false, ...extra,
});
type Cfg = { devices: ResolvedDevice[]; credentials: Record<string, Credential> };
const cfg = (credentials: Record<string, Credential>, devices: Device[] = []): Cfg =>
  ({ devices: devices.map((d) => ({ ...d, credential: credentials[d.credentials] })), credentials });

let state: StateStore | undefined;
afterEach(() => state?.close());

/** an inventory started on `start`, with API profiles and devices in its store */
function setup(start: Cfg, api: { credentials?: Record<string, Credential>; devices?: Device[] } = {}) {
  state = new StateStore(':memory:');
  for (const [name, c] of Object.entries(api.credentials ?? {})) state.credentials.put(name, c);
  for (const d of api.devices ?? []) state.devices.create(d);
  const log: string[] = [];
  const inventory = new Inventory(start, state, () => ['system'], (l) => log.push(l));
  return { inventory, log };
}

describe('Inventory.reloadProblems', () => {
  it.each<[string, Cfg, { credentials?: Record<string, Credential>; devices?: Device[] }, Cfg, string[]]>([
    ['a config profile API devices use, removed', cfg({ core: c1, other: c2 }), { devices: [device('a1', 'core'), device('a2', 'core'), device('a3', 'other')] }, cfg({ other: c2 }),
      ['credentials.core: removed from the file, but API devices use it: a1, a2 (they would no longer be polled); point them at another credential profile through the API first, or keep it in the file']],
    ['a config profile no API device uses, removed', cfg({ core: c1, other: c2 }), { devices: [device('a3', 'other')] }, cfg({ other: c2 }), []],
    ['removed, its only API user hidden by a config device of its name', cfg({ core: c1, other: c2 }), { devices: [device('a1', 'core')] }, cfg({ other: c2 }, [device('a1', 'other')]), []],
    ['removed, an API profile of that name backs its API users', cfg({ core: c1 }), { credentials: { core: c2 }, devices: [device('a1', 'core')] }, cfg({}), []],
    ['a config profile added over an API profile API devices use', cfg({}), { credentials: { core: c2 }, devices: [device('a1', 'core')] }, cfg({ core: c1 }),
      ['credentials.core: an API-created credential profile of this name is used by API devices a1; the file\'s would replace it for them: rename the file\'s profile, or point those devices at another profile through the API first']],
    ['a config profile added over an API profile no API device uses', cfg({}), { credentials: { core: c2 } }, cfg({ core: c1 }), []],
    ['a config profile hiding an API one since start-up, its secret changed', cfg({ core: c1 }), { credentials: { core: c2 }, devices: [device('a1', 'core')] }, cfg({ core: c2 }), []],
    ['many API users: five named, the rest counted', cfg({ core: c1 }), { devices: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'].map((n) => device(n, 'core')) }, cfg({}),
      ['credentials.core: removed from the file, but API devices use it: d1, d2, d3, d4, d5 and 2 more (they would no longer be polled); point them at another credential profile through the API first, or keep it in the file']],
  ])('%s', (_, start, api, next, expected) => {
    const { inventory } = setup(start, api);
    expect(inventory.reloadProblems(next)).toEqual(expected);
  });
});

describe('Inventory.reloadProblems: an API device a dropped config device hid comes back checked as one the reload brings in', () => {
  const back = (name: string) => `devices: ${name}: removed from the file, so the API-created device of that name it hid would be polled again, but its `;
  it.each<[string, Cfg, { credentials?: Record<string, Credential>; devices?: Device[] }, Cfg, string[]]>([
    ['its config profile leaves the file with the device', cfg({ core: c1, other: c2 }, [device('a1', 'other')]), { devices: [device('a1', 'core')] }, cfg({ other: c2 }),
      [`${back('a1')}credential profile "core" leaves the file too (it would not be polled): keep the device in the file, or create profile "core" (in the file or through the API) first`]],
    ['its API profile was deleted while it was hidden', cfg({ other: c2 }, [device('a1', 'other')]), { devices: [device('a1', 'gone')] }, cfg({ other: c2 }),
      [`${back('a1')}credential profile "gone" does not exist (it would not be polled): keep the device in the file, or create profile "gone" (in the file or through the API) first`]],
    ['the file has a profile named like the API profile it was created with', cfg({ other: c2 }, [device('a1', 'other')]), { credentials: { core: c2 }, devices: [device('a1', 'core')] }, cfg({ other: c2, core: c1 }),
      [`${back('a1')}credential profile "core" would be the file's, not the API-created profile of that name: rename the file's profile, or keep the device in the file`]],
    ['the file\'s profile of that name hid the API one before the reload too', cfg({ core: c1 }, [device('a1', 'core')]), { credentials: { core: c2 }, devices: [device('a1', 'core')] }, cfg({ core: c1 }),
      [`${back('a1')}credential profile "core" would be the file's, not the API-created profile of that name: rename the file's profile, or keep the device in the file`]],
    ['its parents close a cycle with an API device that named the config one', cfg({ core: c1 }, [device('a1', 'core')]), { devices: [device('a1', 'core', { parents: ['a2'] }), device('a2', 'core', { parents: ['a1'] })] }, cfg({ core: c1 }),
      [`${back('a1')}parents: parent cycle a1 -> a2 -> a1: keep the device in the file, or edit the parents of the devices in the cycle`]],
    ['its API profile is there: none', cfg({ other: c2 }, [device('a1', 'other')]), { credentials: { core: c2 }, devices: [device('a1', 'core')] }, cfg({ other: c2 }), []],
    ['its config profile stays in the file: none', cfg({ core: c1 }, [device('a1', 'core')]), { devices: [device('a1', 'core')] }, cfg({ core: c1 }), []],
    ['a parent gone (warned at replaceConfig, not refused): none', cfg({ core: c1 }, [device('a1', 'core'), device('p', 'core')]), { devices: [device('a1', 'core', { parents: ['p'] })] }, cfg({ core: c1 }), []],
    ['still hidden (the file keeps the device), its profile gone: none', cfg({ core: c1, other: c2 }, [device('a1', 'other')]), { devices: [device('a1', 'core')] }, cfg({ other: c2 }, [device('a1', 'other')]), []],
  ])('%s', (_, start, api, next, expected) => {
    const { inventory } = setup(start, api);
    expect(inventory.reloadProblems(next)).toEqual(expected);
  });

  it('one that comes back naming a poll profile not defined is warned about (as an API device whose profile a reload removes)', () => {
    const { inventory, log } = setup(cfg({ core: c1 }, [device('a1', 'core')]), { devices: [device('a1', 'core', { profiles: ['system', 'gone'] })] });
    log.length = 0;
    expect(inventory.reloadProblems(cfg({ core: c1 }))).toEqual([]);
    expect(inventory.replaceConfig(cfg({ core: c1 }))).toMatchObject({ changed: ['a1'] });
    expect(log).toEqual(['inventory: warning: device a1 (API, back now that the config device of its name left the file): poll profile "gone" not defined; its polls report it unknown until it is defined again or the device is edited']);
  });
});

describe('a config credential profile named like an API-created one', () => {
  it('is warned about at start-up, naming the API devices that poll with the config one', () => {
    const { inventory, log } = setup(cfg({ core: c1 }), { credentials: { core: c2 }, devices: [device('sw1', 'core')] });
    expect(log).toEqual(['inventory: warning: credential profile core of the config file hides the API-created profile of that name (API devices sw1 poll with the config one); rename or remove one of them']);
    expect(inventory.resolved().find((d) => d.name === 'sw1')?.credential).toEqual(c1);
  });

  it('is warned about when a reload adds it (no API device using the API one), and when it leaves the file', () => {
    const { inventory, log } = setup(cfg({}), { credentials: { core: c2 } });
    inventory.replaceConfig(cfg({ core: c1 }));
    expect(log).toEqual(['inventory: warning: credential profile core of the config file hides the API-created profile of that name; rename or remove one of them']);
    expect(inventory.credential('core')).toEqual(c1);
    log.length = 0;
    inventory.replaceConfig(cfg({}));
    expect(log).toEqual(['inventory: warning: credential profile core left the config file: the API-created profile of that name is used again']);
    expect(inventory.credential('core')).toEqual(c2);
  });
});

describe('reloadConfig refuses a file that changes what API devices poll with', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpulse-reload-creds-'));
  const file = join(dir, 'netpulse.yaml');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = (credentials: string, extra = '') => `
credentials: { ${credentials} }
devices: []
profiles: { extra: { measurement: extra, scalars: [{ name: up, oid: "1.3.6.1.2.1.1.3.0" }] } }
dataDir: ${JSON.stringify(join(dir, 'data'))}
mibDirs: []
mibWarmup: false
${extra}`;

  function targets(inventory: Inventory, maintenance: MaintenanceWindows) {
    const setProfiles = vi.fn<ReloadTargets['setProfiles']>(() => ({ added: [], changed: [], removed: [], problems: [], devices: [] }));
    const setNotifications = vi.fn<ReloadTargets['setNotifications']>(() => ({ added: [], changed: [], removed: [], routes: false }));
    const setConfigRules = vi.fn(() => ({ added: [], changed: [], removed: [] }));
    const t = { inventory, maintenance, rules: { setConfigRules } as never, setProfiles, setNotifications } satisfies ReloadTargets;
    return { t, setProfiles, setNotifications, setConfigRules };
  }

  it('a removed config profile an API device uses: not ok, the problem names both, nothing applied, the device still polled', () => {
    writeFileSync(file, text('good: { version: 2c, community: c1 }, other: { version: 2c, community: c2 }'));
    const running = loadConfig(file, {});
    const { inventory } = setup(running, { devices: [device('api-dev', 'other')] });
    const maintenance = new MaintenanceWindows([], state!);
    const { t, setProfiles, setNotifications, setConfigRules } = targets(inventory, maintenance);
    const replace = vi.spyOn(inventory, 'replaceConfig');
    writeFileSync(file, text('good: { version: 2c, community: c1 }'));
    const log: string[] = [];
    const r = reloadConfig(running, t, (l) => log.push(l));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.stringMatching(/^credentials\.other: removed from the file, but API devices use it: api-dev /)]);
    expect(log).toEqual([
      `config: error: ${file}: ${r.problems[0]}`,
      `config: reload of ${file} failed: 1 problem; still running on the previous config`,
    ]);
    expect([setProfiles, setNotifications, setConfigRules, replace].map((f) => f.mock.calls.length)).toEqual([0, 0, 0, 0]);
    expect(inventory.resolved().find((d) => d.name === 'api-dev')?.credential).toEqual({ version: '2c', community: 'c2' });
  });

  it('a config profile named like the API profile an API device uses: not ok, nothing applied', () => {
    writeFileSync(file, text('good: { version: 2c, community: c1 }'));
    const running = loadConfig(file, {});
    const { inventory } = setup(running, { credentials: { core: c2 }, devices: [device('sw1', 'core')] });
    const { t, setProfiles } = targets(inventory, new MaintenanceWindows([], state!));
    writeFileSync(file, text('good: { version: 2c, community: c1 }, core: { version: 2c, community: file-core }'));
    const r = reloadConfig(running, t, () => {});
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.stringMatching(/^credentials\.core: an API-created credential profile of this name is used by API devices sw1;/)]);
    expect(setProfiles).not.toHaveBeenCalled();
    expect(inventory.resolved().find((d) => d.name === 'sw1')?.credential).toEqual(c2);
  });

  it('a config device dropped with the profile the API device it hid uses: not ok, nothing applied, the config device still polled', () => {
    writeFileSync(file, text('good: { version: 2c, community: c1 }, other: { version: 2c, community: c2 }').replace('devices: []', 'devices: [{ name: sw1, address: 127.0.0.1, credentials: good }]'));
    const running = loadConfig(file, {});
    const { inventory } = setup(running, { devices: [device('sw1', 'other', { address: '10.9.9.9' })] });
    const { t, setProfiles } = targets(inventory, new MaintenanceWindows([], state!));
    const replace = vi.spyOn(inventory, 'replaceConfig');
    writeFileSync(file, text('good: { version: 2c, community: c1 }'));
    const log: string[] = [];
    const r = reloadConfig(running, t, (l) => log.push(l));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.stringMatching(/^devices: sw1: removed from the file, so the API-created device of that name it hid would be polled again, but its credential profile "other" leaves the file too/)]);
    expect(log.at(-1)).toBe(`config: reload of ${file} failed: 1 problem; still running on the previous config`);
    expect([setProfiles, replace].map((f) => f.mock.calls.length)).toEqual([0, 0]);
    expect(inventory.origin('sw1')).toBe('config');
    expect(inventory.resolved().map((d) => [d.name, d.address])).toEqual([['sw1', '127.0.0.1']]);
  });

  it('a config maintenance window named like an API window: applied, the API one hidden and warned about', () => {
    writeFileSync(file, text('good: { version: 2c, community: c1 }'));
    const running = loadConfig(file, {});
    const { inventory } = setup(running);
    const maintenance = new MaintenanceWindows([], state!);
    maintenance.create({ name: 'nightly', devices: ['sw1'], tags: {}, schedule: '0 2 * * *', duration: 3_600_000 }, 'ops');
    writeFileSync(file, text('good: { version: 2c, community: c1 }', 'maintenance:\n  - { name: nightly, devices: [sw2], schedule: "0 3 * * *", duration: 1h }'));
    const log: string[] = [];
    const r = reloadConfig(running, targets(inventory, maintenance).t, (l) => log.push(l));
    expect(r.ok).toBe(true);
    expect(r.maintenance).toEqual({ added: ['nightly'], changed: [], removed: [] });
    expect(log).toContain('alerts: warning: maintenance window "nightly" of the config file hides the API-created window of that name (only the config one is listed and applied; rename or remove one of them)');
    expect(maintenance.windows().map((w) => [w.name, w.origin, w.devices])).toEqual([['nightly', 'config', ['sw2']]]);
  });
});

describe('no reload log line carries a community or a v3 key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpulse-reload-secrets-'));
  const file = join(dir, 'netpulse.yaml');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const SECRET = 'Zq9secret';
  const text = (credentials: string, traps: string) => `
credentials: { ${credentials} }
devices: [{ name: sw1, address: 127.0.0.1, credentials: v3 }]
traps: { listen: "127.0.0.1:1162", ${traps} }
dataDir: ${JSON.stringify(join(dir, 'data'))}
mibDirs: []
mibWarmup: false
`;
  const v3 = (auth: string, priv: string, privProtocol = 'AES') =>
    `v3: { version: 3, user: u, level: authPriv, authProtocol: SHA, authKey: ${auth}, privProtocol: ${privProtocol}, privKey: ${priv} }, c: { version: 2c, community: ${SECRET}-c }`;
  const trapUsers = (community: string, key: string) =>
    `communities: [${community}], users: [{ user: t, level: authPriv, authProtocol: SHA, authKey: ${key}, privProtocol: AES, privKey: ${key}-p }]`;

  it.each([
    ['valid: every secret changed (device credential live, trap secrets restart-only)', v3(`${SECRET}-a2`, `${SECRET}-p2`), trapUsers(`${SECRET}-tc2`, `${SECRET}-tk2`), true],
    ['invalid: a v3 key too short', v3(`${SECRET}-a1`, 'Zq9'), trapUsers(`${SECRET}-tc1`, `${SECRET}-tk1`), false],
    ['invalid: a v3 key given as the privacy protocol', v3(`${SECRET}-a1`, `${SECRET}-p1`, `${SECRET}-x`), trapUsers(`${SECRET}-tc1`, `${SECRET}-tk1`), false],
    ['invalid: YAML broken on a secret\'s line', v3(`${SECRET}-a1: x`, `${SECRET}-p1`), trapUsers(`${SECRET}-tc1`, `${SECRET}-tk1`), false],
  ])('%s', (_, credentials, traps, ok) => {
    writeFileSync(file, text(v3(`${SECRET}-a1`, `${SECRET}-p1`), trapUsers(`${SECRET}-tc1`, `${SECRET}-tk1`)));
    const running = loadConfig(file, {});
    const { inventory } = setup(running);
    const t = {
      inventory, maintenance: new MaintenanceWindows([], state!), rules: { setConfigRules: () => ({ added: [], changed: [], removed: [] }) } as never,
      setProfiles: () => ({ added: [], changed: [], removed: [], problems: [], devices: [] }), setNotifications: () => ({ added: [], changed: [], removed: [], routes: false }),
    } satisfies ReloadTargets;
    writeFileSync(file, text(credentials, traps));
    const log: string[] = [];
    const r = reloadConfig(running, t, (l) => log.push(l));
    expect(r.ok).toBe(ok);
    if (ok) expect(r.devices.changed).toEqual(['sw1']);
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((l) => l.includes(SECRET))).toEqual([]);
  });
});
