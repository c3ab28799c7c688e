/**
 * Config reload of poll profiles and notifications: a real runtime on the embedded store, a real
 * snmpd and a local webhook; the config file rewritten and re-read through reload().
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import type { Sample } from '../../src/model/sample.ts';
import { startNetpulse, type NetpulseRuntime } from '../../src/main/runtime.ts';
import { webhookServer } from '../alerts/sinks.ts';
import { startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';
import { untilWithLog } from './runtime-fixtures.ts';

const COMMUNITY = 'reload-live';
const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const dir = mkdtempSync(join(tmpdir(), 'netpulse-reload-live-'));
const file = join(dir, 'netpulse.yaml');
const logLines: string[] = [];
const until = untilWithLog(logLines);
let agent: SnmpdHandle;
let hook: Awaited<ReturnType<typeof webhookServer>>;
let rt: NetpulseRuntime;
/** what the storage sink was given */
const samples: Sample[] = [];
/** the webhook answers 503 on /keep while this is set */
let keepDown = false;
/** alert keys delivered (answered 200), by path */
const delivered: Record<string, string[]> = {};

/** `profiles` and `channels`: YAML flow maps/items; plain's profile list */
function configText(o: { profiles: string; plainProfiles: string; channels: string[]; routeTo: string[] }): string {
  const dev = (name: string, profiles: string) => `{ name: ${name}, address: 127.0.0.1, port: ${agent.port}, credentials: c, profiles: ${profiles} }`;
  return `
credentials: { c: { version: 2c, community: ${COMMUNITY} } }
devices:
  - ${dev('uses', '[system, up]')}
  - ${dev('plain', o.plainProfiles)}
profiles: ${o.profiles}
defaults: { interval: 1s, timeout: 300ms, retries: 0, profiles: [system], icmp: { enabled: false } }
dataDir: ${JSON.stringify(join(dir, 'data'))}
mibDirs: [${JSON.stringify(join(dir, 'mibs'))}]
mibWarmup: false
notifications:
  channels:
${o.channels.map((c) => `    ${c}: { type: webhook, url: "${hook.url(`/${c}`)}", retries: 20, backoff: 200ms }`).join('\n')}
  routes:
    - { channels: [${o.routeTo.join(', ')}] }
`;
}
const upProfile = (measurement: string) => `{ up: { measurement: ${measurement}, scalars: [{ name: ticks, oid: "${SYS_UPTIME}" }] }`;
const START = { profiles: `${upProfile('prof_a')} }`, plainProfiles: '[system]', channels: ['keep', 'gone'], routeTo: ['keep', 'gone'] };
const raise = (key: string) => rt.alerts.raise({ action: 'raise', key, source: 'trap', rule: 'r', device: 'uses', severity: 'major', message: key, labels: {}, time: Date.now() });
const polledInto = (device: string, measurement: string) => samples.some((s) => s.tags.device === device && s.measurement === measurement);

beforeAll(async () => {
  mkdirSync(join(dir, 'mibs'));
  agent = await startSnmpd({ versions: ['2c'], community: COMMUNITY, sysName: 'np-reload-live' });
  hook = await webhookServer((hit) => {
    if (hit.path === '/keep' && keepDown) return 503;
    (delivered[hit.path] ??= []).push(JSON.parse(hit.body).alert.key);
    return 200;
  });
  writeFileSync(file, configText(START));
  rt = await startNetpulse(loadConfig(file, {}), { log: (l) => logLines.push(l), availabilityWarmup: false });
  const sink = rt.storage.sink;
  const write = sink.write.bind(sink);
  sink.write = (s) => {
    samples.push(...s);
    write(s);
  };
});

afterAll(async () => {
  await rt?.stop();
  await hook?.close();
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('config reload: poll profiles', () => {
  it('a changed profile reaches the next poll of the device using it; only a device whose profile list changed is re-planned', async () => {
    await until('uses polled with the first definition', () => polledInto('uses', 'prof_a'));
    const add = vi.spyOn(rt.poller.scheduler, 'add');
    const from = logLines.length;
    writeFileSync(file, configText({ ...START, profiles: `${upProfile('prof_b')}, fresh: { measurement: prof_fresh, scalars: [{ name: ticks, oid: "${SYS_UPTIME}" }] } }`, plainProfiles: '[system, fresh]' }));
    const r = await rt.reload();
    const planned = add.mock.calls.map(([job]) => job.key);
    add.mockRestore();
    expect(r).toMatchObject({ ok: true, profiles: { added: ['fresh'], changed: ['up'], removed: [] }, devices: { added: [], changed: ['plain'], removed: [] }, restartOnly: [] });
    expect(planned).toEqual(['plain@1000']);
    const lines = logLines.slice(from);
    expect(lines.some((l) => l.includes('after a restart'))).toBe(false);
    expect(lines).toContain('poller: changed profile definitions reach 1 device at their next poll');
    expect(lines.at(-1)).toContain('; profiles 1 added, 1 changed, 0 removed; ');
    const mark = samples.length;
    await until('uses polled with the changed definition', () => samples.slice(mark).some((s) => s.tags.device === 'uses' && s.measurement === 'prof_b'));
    await until('plain polled with the new profile', () => polledInto('plain', 'prof_fresh'));
  });

  it('a config device naming a removed profile: the reload is refused; an API device naming it is warned about and polls it as unknown', async () => {
    rt.inventory.createDevice({ name: 'api-fresh', address: '127.0.0.1', port: agent.port, credentials: 'c', profiles: ['system', 'fresh'], intervalMs: 1000, profileIntervalsMs: {}, tags: {}, icmp: false });
    writeFileSync(file, configText({ ...START, plainProfiles: '[system, fresh]' }));
    const refused = await rt.reload();
    expect(refused.ok).toBe(false);
    expect(refused.problems.some((p) => p.startsWith('devices[1].profiles[1]: unknown poll profile "fresh"'))).toBe(true);

    writeFileSync(file, configText(START));
    const r = await rt.reload();
    expect(r).toMatchObject({ ok: true, profiles: { added: [], changed: ['up'], removed: ['fresh'] } });
    expect(logLines).toContain('config: warning: device api-fresh (API): poll profile "fresh" removed from the file; its polls report it unknown until it is defined again or the device is edited');
    await until('api-fresh polled without the profile', () => rt.poller.registry.get('api-fresh')?.lastError?.includes('unknown poll profile "fresh"'));
    expect(() => rt.inventory.createDevice({ name: 'api-2', address: '127.0.0.1', port: agent.port, credentials: 'c', profiles: ['fresh'], intervalMs: 1000, profileIntervalsMs: {}, tags: {}, icmp: false }))
      .toThrow(/unknown poll profile "fresh"/);
    rt.inventory.removeDevice('api-fresh');
  });
});

describe('config reload: notification channels', () => {
  it('an unchanged channel keeps its queued message; an added one gets the next alert; a removed one gets nothing more', async () => {
    keepDown = true;
    raise('before');
    await until('gone got the alert; keep is retrying it', () => delivered['/gone']?.includes('before') && hook.hits.some((h) => h.path === '/keep'));
    const from = logLines.length;
    writeFileSync(file, configText({ ...START, channels: ['keep', 'added'], routeTo: ['keep', 'added'] }));
    const r = await rt.reload();
    expect(r).toMatchObject({ ok: true, channels: { added: ['added'], changed: [], removed: ['gone'], routes: true }, restartOnly: [] });
    expect(logLines.slice(from).some((l) => l.startsWith('config: notifications'))).toBe(false);
    expect(logLines.at(-1)).toContain('; notification channels 1 added, 0 changed, 1 removed; notification routes replaced');
    keepDown = false;
    await until('keep delivered the message queued before the reload', () => delivered['/keep']?.includes('before'));

    raise('after');
    await until('added and keep got the next alert', () => delivered['/added']?.includes('after') && delivered['/keep']?.includes('after'));
    expect(delivered['/added']).toEqual(['after']);
    expect(delivered['/gone']).toEqual(['before']);
    expect(hook.hits.filter((h) => h.path === '/gone')).toHaveLength(1);
  });
});
