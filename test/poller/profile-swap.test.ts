/** Poller.setProfiles and PollerRuntime's profile diff: a config reload swapping user poll profiles. */
import { describe, expect, it, vi } from 'vitest';
import type { UserPollProfile } from '../../src/config/types.ts';
import { MemorySink } from '../../src/model/sample.ts';
import { Poller } from '../../src/poller/poller.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import { diffProfiles } from '../../src/poller/runtime.ts';
import { FakeSnmpClient, device, systemMib, vb } from './fakes.ts';

const SETTINGS = { timeoutMs: 100, retries: 0, maxRepetitions: 10 };
const A = '1.3.6.1.4.1.99999.1.0';
const B = '1.3.6.1.4.1.99999.2.0';
const profile = (name: string, measurement: string, oid = A): UserPollProfile => ({ name, measurement, scalars: [{ name: 'v', oid }], tables: [] });

function setup() {
  const snmp = new FakeSnmpClient();
  snmp.agent('127.0.0.1', 161, [...systemMib(), vb(A, 'Integer', 1), vb(B, 'Integer', 2)]);
  const sink = new MemorySink();
  const poller = new Poller({ snmp, sink, profiles: buildProfileRegistry({ p: profile('p', 'm_old'), q: profile('q', 'q_old') }), concurrency: 2, snmpSettings: SETTINGS });
  return { snmp, sink, poller };
}
const measurements = (sink: MemorySink, dev: string) => sink.samples.filter((s) => s.tags.device === dev).map((s) => s.measurement).sort();

describe('Poller.setProfiles', () => {
  it('names the devices using a changed, added or removed profile; re-plans no job', () => {
    const { poller } = setup();
    poller.setDevices([device('uses-p', { profiles: ['system', 'p'] }), device('uses-q', { profiles: ['system', 'q'] }), device('builtin', { profiles: ['system', 'interfaces'] })]);
    const add = vi.spyOn(poller.scheduler, 'add');
    const remove = vi.spyOn(poller.scheduler, 'remove');
    expect(poller.setProfiles(buildProfileRegistry({ p: profile('p', 'm_new'), q: profile('q', 'q_old') }))).toEqual(['uses-p']);
    expect(poller.setProfiles(buildProfileRegistry({ p: profile('p', 'm_new') }))).toEqual(['uses-q']);
    expect(poller.setProfiles(buildProfileRegistry({ p: profile('p', 'm_new') }))).toEqual([]);
    expect(add).not.toHaveBeenCalled();
    expect(remove).not.toHaveBeenCalled();
  });

  it('the next poll uses the new definition; a poll in flight finishes on the one it started with', async () => {
    const { snmp, sink, poller } = setup();
    const d = device('d', { profiles: ['system', 'p', 'q'], icmp: false });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const get = snmp.get.bind(snmp);
    let gated = true;
    let waiting = false;
    snmp.get = async (t, oids) => {
      // p's GET waits while the definitions are swapped; q is looked up after it
      if (gated && oids.includes(A)) {
        waiting = true;
        await gate;
      }
      return get(t, oids);
    };
    const inFlight = poller.pollNow(d);
    await vi.waitFor(() => expect(waiting).toBe(true), { timeout: 10_000 });
    poller.setProfiles(buildProfileRegistry({ p: profile('p', 'm_new'), q: profile('q', 'q_new', B) }));
    release();
    expect((await inFlight).samples.map((s) => s.measurement).sort()).toEqual(['device_status', 'm_old', 'q_old', 'snmp_system']);
    gated = false;
    sink.samples.length = 0;
    const next = await poller.pollNow(d);
    expect(next.samples.map((s) => s.measurement).sort()).toEqual(['device_status', 'm_new', 'q_new', 'snmp_system']);
    expect(measurements(sink, 'd')).toEqual(['device_status', 'm_new', 'q_new', 'snmp_system']);
  });

  it('a scheduled device polls a removed profile as unknown, like one named at start-up without a definition', async () => {
    const { poller } = setup();
    const d = device('d', { profiles: ['system', 'q'], icmp: false });
    poller.setProfiles(buildProfileRegistry({ p: profile('p', 'm_old') }));
    const r = await poller.pollNow(d);
    expect(r.state).toBe('up');
    expect(r.errors).toEqual(['poller: device d: unknown poll profile "q"']);
  });
});

describe('diffProfiles', () => {
  const p = profile('p', 'm');
  it.each<[string, Record<string, UserPollProfile>, Record<string, UserPollProfile>, ReturnType<typeof diffProfiles>]>([
    ['nothing', { p }, { p: { ...p } }, { added: [], changed: [], removed: [] }],
    ['added', {}, { p }, { added: ['p'], changed: [], removed: [] }],
    ['removed', { p }, {}, { added: [], changed: [], removed: ['p'] }],
    ['an OID changed', { p }, { p: profile('p', 'm', B) }, { added: [], changed: ['p'], removed: [] }],
    ['only the interval changed', { p }, { p: { ...p, intervalMs: 5000 } }, { added: [], changed: ['p'], removed: [] }],
  ])('%s', (_, a, b, want) => {
    expect(diffProfiles(a, b)).toEqual(want);
  });
});
