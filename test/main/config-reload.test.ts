/**
 * Config reload (SIGHUP): a real runtime on the embedded store and a real snmpd, its config file
 * rewritten and re-read through reload(); then the signal path through `bin/netpulse start`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_REMOVED } from '../../src/alerts/threshold.ts';
import { loadConfig } from '../../src/config/index.ts';
import { restartOnlyChanges } from '../../src/main/config-reload.ts';
import type { InventoryChange } from '../../src/main/inventory.ts';
import { startNetpulse, type NetpulseRuntime } from '../../src/main/runtime.ts';
import { startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';
import { untilWithLog } from './runtime-fixtures.ts';

const BIN = fileURLToPath(new URL('../../bin/netpulse', import.meta.url));
const COMMUNITY = 'reload-ro';
const SECRET = 'never-log-me-4711';
const dir = mkdtempSync(join(tmpdir(), 'netpulse-reload-'));
const file = join(dir, 'netpulse.yaml');
const logLines: string[] = [];
const until = untilWithLog(logLines);
let agent: SnmpdHandle;
let rt: NetpulseRuntime;

/** the config file: `devices` and `rules` are YAML flow items; `more` is appended as is */
function configText(o: { bad: string; devices: string[]; rules: string[]; more?: string }): string {
  return `
credentials:
  good: { version: 2c, community: ${COMMUNITY} }
  bad: { version: 2c, community: ${o.bad} }
devices:
${o.devices.map((d) => `  - ${d}`).join('\n') || '  []'}
defaults: { interval: 1s, timeout: 300ms, retries: 0, profiles: [system], icmp: { enabled: false } }
dataDir: ${JSON.stringify(join(dir, 'data'))}
mibDirs: [${JSON.stringify(join(dir, 'mibs'))}]
mibWarmup: false
traps:
  listen: 127.0.0.1:0
  defaultRules: false
  rules:
${o.rules.map((r) => `    - ${r}`).join('\n') || '    []'}
${o.more ?? ''}
`;
}
const dev = (name: string, credentials = 'good') => `{ name: ${name}, address: 127.0.0.1, port: ${agent.port}, credentials: ${credentials} }`;
const RULE = '{ id: port-down, trap: "1.3.6.1.6.3.1.1.5.3", severity: major }';
const stateOf = (d: string) => rt.poller.registry.get(d)?.state;

beforeAll(async () => {
  mkdirSync(join(dir, 'mibs'));
  agent = await startSnmpd({ versions: ['2c'], community: COMMUNITY, sysName: 'np-reload' });
  writeFileSync(file, configText({ bad: 'wrong-community', devices: [dev('keep', 'bad'), dev('gone')], rules: [RULE] }));
  rt = await startNetpulse(loadConfig(file, {}), { log: (l) => logLines.push(l), availabilityWarmup: false });
});

afterAll(async () => {
  await rt?.stop();
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('config reload of a running netpulse', () => {
  it('adds, changes and removes devices, clears a removed rule\'s alert, names restart-only settings', async () => {
    await until('gone polled up', () => stateOf('gone') === 'up');
    await until('keep polled with the wrong community', () => stateOf('keep') !== undefined && stateOf('keep') !== 'unknown' && stateOf('keep'));
    expect(stateOf('keep')).not.toBe('up');
    const raised = rt.alerts.raise({
      action: 'raise', key: 'port-down:keep', source: 'trap', rule: 'port-down', device: 'keep', severity: 'major', message: 'keep port down', labels: {}, time: Date.now(),
    });
    expect(raised?.alert.state).toBe('open');
    const changes: InventoryChange[] = [];
    const off = rt.inventory.onChange((c) => changes.push(c));

    // the `bad` profile now holds the right community: keep's credential changed, its definition did not
    writeFileSync(file, configText({ bad: COMMUNITY, devices: [dev('keep', 'bad'), dev('added')], rules: [], more: 'api: { listen: "127.0.0.1:0" }' }));
    const r = await rt.reload();
    off();

    expect(r).toMatchObject({ ok: true, devices: { added: ['added'], changed: ['keep'], removed: ['gone'] }, rules: { added: [], changed: [], removed: ['port-down'] } });
    expect(changes).toEqual([{ devices: ['added', 'keep', 'gone'] }]);
    expect(logLines).toContain('config: api.listen: changed; takes effect after a restart');
    expect(logLines).toContain(`config: reloaded ${file}: devices 1 added, 1 changed, 1 removed; rules 0 added, 0 changed, 1 removed; maintenance windows 0 added, 0 changed, 0 removed; profiles 0 added, 0 changed, 0 removed; notification channels 0 added, 0 changed, 0 removed; 1 setting wait for a restart`);
    expect(rt.alerts.store.list({ state: 'active' }).filter((a) => a.key === 'port-down:keep')).toEqual([]);
    expect(rt.alerts.store.list({}).find((a) => a.key === 'port-down:keep')?.clearedBy).toBe(RULE_REMOVED);
    expect(stateOf('gone')).toBeUndefined();
    await until('added polled up', () => stateOf('added') === 'up');
    await until('keep up with the changed credential', () => stateOf('keep') === 'up');
    expect(rt.poller.metrics().jobs).toBe(2);
  });

  it('an invalid file is logged by field, without its secret, and changes nothing', async () => {
    const before = rt.inventory.devices();
    writeFileSync(file, configText({ bad: COMMUNITY, devices: [dev('keep', 'nope'), `{ name: x, address: 127.0.0.1, credentials: good, secret: ${SECRET} }`], rules: [] }));
    const from = logLines.length;
    const r = await rt.reload();
    const lines = logLines.slice(from);
    expect(r.ok).toBe(false);
    expect(lines.some((l) => l.startsWith(`config: error: ${file}: devices[0].credentials: `))).toBe(true);
    expect(lines.some((l) => l.startsWith(`config: error: ${file}: devices[1]`))).toBe(true);
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(lines.at(-1)).toMatch(/^config: reload of .* failed: \d+ problems; still running on the previous config$/);
    expect(rt.inventory.devices()).toEqual(before);
  });

  it('a config device taking an API device\'s name hides it with a warning; it is back once the config one goes', async () => {
    rt.inventory.createDevice({ name: 'api-one', address: '127.0.0.2', port: 161, credentials: 'good', profiles: ['system'], intervalMs: 60_000, profileIntervalsMs: {}, tags: {}, icmp: false });
    writeFileSync(file, configText({ bad: COMMUNITY, devices: [dev('keep', 'bad'), dev('added'), dev('api-one')], rules: [] }));
    const r = await rt.reload();
    expect(r.devices).toEqual({ added: [], changed: ['api-one'], removed: [], shadowed: ['api-one'] });
    expect(logLines.some((l) => l.startsWith('inventory: warning: device api-one of the config file hides the API-created device'))).toBe(true);
    expect(rt.inventory.origin('api-one')).toBe('config');

    writeFileSync(file, configText({ bad: COMMUNITY, devices: [dev('keep', 'bad'), dev('added')], rules: [] }));
    expect((await rt.reload()).devices).toEqual({ added: [], changed: ['api-one'], removed: [], shadowed: [] });
    expect(rt.inventory.device('api-one')?.address).toBe('127.0.0.2');
    expect(rt.inventory.origin('api-one')).toBe('api');
  });

  it('reloads asked for during a reload share one more reload, never two at once', async () => {
    const from = logLines.length;
    const [a, b, c] = [rt.reload(), rt.reload(), rt.reload()];
    expect(b).toBe(c);
    expect(a).not.toBe(b);
    await Promise.all([a, b]);
    expect(logLines.slice(from).filter((l) => l.startsWith('config: reloaded '))).toHaveLength(2);
  });
});

describe('restartOnlyChanges', () => {
  const base = configText({ bad: 'x', devices: [], rules: [] });
  const parse = (text: string) => {
    writeFileSync(join(dir, 'case.yaml'), text);
    return loadConfig(join(dir, 'case.yaml'), {});
  };
  it.each<[string, (text: string) => string, string[]]>([
    ['nothing', (t) => t, []],
    ['a trap rule (live)', () => configText({ bad: 'x', devices: [], rules: [RULE] }), []],
    ['a credential and a device (live)', () => configText({ bad: 'y', devices: ['{ name: d, address: 127.0.0.9, credentials: good }'], rules: [] }), []],
    ['the poll interval (live: resolved into the devices)', (t) => t.replace('interval: 1s,', 'interval: 5s,'), []],
    ['the api listen address and tokens', (t) => `${t}api: { listen: "127.0.0.1:9", tokens: [abcdefghijklmnop] }\n`, ['api.listen', 'api.tokens']],
    ['the SNMP timeout', (t) => t.replace('timeout: 300ms', 'timeout: 900ms'), ['defaults.timeout']],
    ['the trap listen address', (t) => t.replace('listen: 127.0.0.1:0', 'listen: 127.0.0.1:1162'), ['traps.listen']],
    ['the data directory', (t) => t.replace(join(dir, 'data'), join(dir, 'data2')), ['dataDir']],
    ['the retention of cleared alerts and of the trap log', (t) => `${t.replace('  defaultRules: false', '  defaultRules: false\n  logRetention: 7d\n  logMaxRows: 5000')}alerts: { keepCleared: 30d }\n`,
      ['alerts.keepCleared', 'traps.logRetention', 'traps.logMaxRows']],
    ['a poll profile (live)', (t) => `${t}profiles: { p: { measurement: m, scalars: [{ name: x, oid: "1.3.6.1.2.1.1.3.0" }] } }\n`, []],
    ['a notification channel, route and throttle (live)', (t) => `${t}notifications: { channels: { h: { type: webhook, url: "http://127.0.0.1:9/h" } }, routes: [{ channels: [h] }], throttle: { maxPerMinute: 3 } }\n`, []],
  ])('%s', (_, edit, expected) => {
    expect(restartOnlyChanges(parse(base), parse(edit(base)))).toEqual(expected);
  });
});

describe('netpulse start and SIGHUP', () => {
  it('reloads the file on SIGHUP and keeps running; SIGTERM still stops cleanly', async () => {
    const cfg = join(dir, 'signal.yaml');
    const text = (devices: string) => `dataDir: ${JSON.stringify(join(dir, 'data-signal'))}\nmibDirs: [${JSON.stringify(join(dir, 'mibs'))}]\nmibWarmup: false\napi: { listen: "127.0.0.1:0" }\n` +
      `credentials: { c: { version: 2c, community: ${COMMUNITY} } }\ndevices: [${devices}]\ndefaults: { profiles: [system], icmp: { enabled: false } }\n`;
    writeFileSync(cfg, text(''));
    const child = spawn(process.execPath, [BIN, 'start', '--config', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let step = 0;
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (step === 0 && stderr.includes('netpulse: running')) {
        step = 1;
        writeFileSync(cfg, text(`{ name: r1, address: 127.0.0.1, port: ${agent.port}, credentials: c }`));
        child.kill('SIGHUP');
      } else if (step === 1 && stderr.includes('config: reloaded')) {
        step = 2;
        child.kill('SIGTERM');
      }
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stderr).toContain(`config: reloaded ${cfg}: devices 1 added, 0 changed, 0 removed`);
    expect(stderr).toContain('netpulse: SIGTERM: stopping');
    expect(stderr).toContain('netpulse: stopped');
  });
});
