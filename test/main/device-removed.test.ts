/**
 * A device that leaves the inventory (config reload, API delete) takes its alerts with it: the
 * built-in device-state alert and an API device-state rule's are cleared as `device removed` (not a
 * recovery), a rule's raise waiting for its forMs is cancelled, and its tracked status is forgotten.
 * A real runtime polling a closed port (down within one 200 ms timeout, ICMP off).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ForTimer } from '../../src/alerts/for-timer.ts';
import { DEVICE_REMOVED } from '../../src/alerts/threshold.ts';
import type { RuleInput } from '../../src/api/services.ts';
import { loadConfig } from '../../src/config/index.ts';
import { startNetpulse, type NetpulseRuntime } from '../../src/main/runtime.ts';
import { untilWithLog } from './runtime-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'netpulse-device-removed-'));
const file = join(dir, 'netpulse.yaml');
const logLines: string[] = [];
const until = untilWithLog(logLines);
let rt: NetpulseRuntime;

const DEAD = '  - { name: dead, address: 127.0.0.1, port: 9, credentials: c }';
const configText = (devices: string) => `
credentials:
  c: { version: 2c, community: public }
devices:
${devices || '  []'}
defaults: { interval: 1s, timeout: 200ms, retries: 0, profiles: [system], icmp: { enabled: false } }
dataDir: ${JSON.stringify(join(dir, 'data'))}
mibDirs: [${JSON.stringify(join(dir, 'mibs'))}]
mibWarmup: false
`;
const BAD_STATES = ['down', 'snmp-unreachable'] as const;
const stateRule = (name: string, forMs: number): RuleInput => ({
  name, enabled: true, severity: 'major', match: {}, notify: [], condition: { type: 'device-state', states: [...BAD_STATES], forMs },
});
const activeOf = (device: string) => rt.alerts.store.list({ state: 'active', device }).map((a) => a.key).sort();
const clearedByOf = (keys: string[]) => keys.map((k) => rt.alerts.store.list({ state: 'cleared' }).find((a) => a.key === k)?.clearedBy);

let now0: string;

beforeAll(async () => {
  mkdirSync(join(dir, 'mibs'));
  writeFileSync(file, configText(DEAD));
  rt = await startNetpulse(loadConfig(file, {}), { log: (l) => logLines.push(l), availabilityWarmup: false });
  now0 = (await rt.services.rules.create(stateRule('bad now', 0))).id;
  // its raise waits 10 minutes: pending while the device is removed
  await rt.services.rules.create(stateRule('bad a while', 600_000));
});

afterAll(async () => {
  vi.restoreAllMocks();
  await rt?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const failuresOf = async (device: string) => (await rt.services.devices.get(device))?.status.consecutiveFailures ?? 0;

/** waits until `device` is down (no SNMP answer, ICMP off) with the built-in alert and the immediate rule's open, and returns their keys */
async function deviceAlertsOpen(device: string): Promise<string[]> {
  const keys = [`device-state:${device}:down`, `rule:${now0}:${device}`].sort();
  await until(`${device}'s alerts open`, () => keys.every((k) => activeOf(device).includes(k)));
  return keys;
}

describe('a device removed from the inventory', () => {
  it('by a config reload: its alerts cleared as device removed, its pending rule raise cancelled, its status forgotten', async () => {
    const keys = await deviceAlertsOpen('dead');
    expect(activeOf('dead')).toEqual(keys);
    while ((await failuresOf('dead')) < 2) await new Promise((r) => setTimeout(r, 100));
    const cancel = vi.spyOn(ForTimer.prototype, 'cancel');

    writeFileSync(file, configText(''));
    const r = await rt.reload();

    expect(r).toMatchObject({ ok: true, devices: { removed: ['dead'] } });
    expect(activeOf('dead')).toEqual([]);
    expect(clearedByOf(keys)).toEqual([DEVICE_REMOVED, DEVICE_REMOVED]);
    // the 10-minute raise of `bad a while` was the only timer of the device's: cancelled, not left to fire
    expect(cancel).toHaveBeenCalledTimes(1);
    cancel.mockRestore();
    expect(logLines.some((l) => l.includes(`alerts: 2 alerts of devices removed cleared (${DEVICE_REMOVED}): `))).toBe(true);
    // added again under its name: no failures carried over from the device removed
    rt.inventory.createDevice({ name: 'dead', address: '127.0.0.1', port: 9, credentials: 'c', profiles: ['system'], intervalMs: 1000, profileIntervalsMs: {}, tags: {}, icmp: false });
    expect(await failuresOf('dead')).toBe(0);
  });

  it('by an API delete: its alerts cleared as device removed, its status forgotten', async () => {
    const keys = await deviceAlertsOpen('dead');
    while ((await failuresOf('dead')) < 2) await new Promise((r) => setTimeout(r, 100));
    expect(await rt.services.devices.remove('dead')).toBe(true);
    expect(activeOf('dead')).toEqual([]);
    expect(clearedByOf(keys)).toEqual([DEVICE_REMOVED, DEVICE_REMOVED]);
    // forgotten by the runtime's inventory hook (the devices port no longer does it itself)
    rt.inventory.createDevice({ name: 'dead', address: '127.0.0.1', port: 9, credentials: 'c', profiles: ['system'], intervalMs: 1000, profileIntervalsMs: {}, tags: {}, icmp: false });
    expect(await failuresOf('dead')).toBe(0);
  });
});
