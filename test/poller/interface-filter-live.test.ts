/** Interface filters end to end: the config file's filter, the real SNMP engine, a real snmpd. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { MemorySink } from '../../src/model/sample.ts';
import type { ResolvedDevice } from '../../src/model/device.ts';
import { createSnmpClient } from '../../src/snmp/client.ts';
import { Poller } from '../../src/poller/poller.ts';
import { buildProfileRegistry } from '../../src/poller/profiles/index.ts';
import { startSnmpd, type SnmpdHandle } from '../peers/snmpd.ts';

let agent: SnmpdHandle;
const snmp = createSnmpClient();
let devices: ResolvedDevice[];

beforeAll(async () => {
  agent = await startSnmpd({ versions: ['2c'], community: 'filtercomm' });
  const dev = (name: string, filter?: string) =>
    `  - { name: ${name}, address: 127.0.0.1, port: ${agent.port}, credentials: c, icmp: false${filter ? `, interfaces: ${filter}` : ''} }`;
  devices = parseConfig(
    [
      'credentials: { c: { version: 2c, community: filtercomm } }',
      'devices:',
      dev('all'),
      dev('no-loopback', '{ exclude: { ifType: [softwareLoopback], adminDown: true } }'),
      dev('only-lo', '{ include: { ifName: [lo] } }'),
      dev('by-regex', '{ exclude: { ifDescr: ["/^LO$/i"] } }'),
    ].join('\n'),
    'live.yaml',
    {},
  ).devices;
});
afterAll(async () => {
  await snmp.close();
  await agent?.stop();
});

async function pollOnce(dev: ResolvedDevice) {
  const poller = new Poller({ snmp, sink: new MemorySink(), profiles: buildProfileRegistry(), concurrency: 1, snmpSettings: { timeoutMs: 2000, retries: 1, maxRepetitions: 25 } });
  const before = snmp.stats().wireBulkRequests;
  const r = await poller.pollNow(dev);
  await poller.stop(0);
  expect(r.state, r.error).toBe('up');
  expect(r.errors).toEqual([]);
  const ifs = r.samples.filter((s) => s.measurement === 'snmp_interface');
  return { r, ifs, names: ifs.map((s) => s.tags.ifName).sort(), bulkRequests: snmp.stats().wireBulkRequests - before };
}

it('a real agent\'s loopback and admin-down interfaces are absent from the samples, at no extra requests', async () => {
  const all = await pollOnce(devices[0]);
  expect(all.names).toContain('lo');
  expect(all.r.interfacesFiltered).toBeUndefined();
  const adminDown = all.ifs.filter((s) => s.fields.admin_status === 2n).map((s) => s.tags.ifName);

  const filtered = await pollOnce(devices[1]);
  expect(filtered.names).toEqual(all.names.filter((n) => n !== 'lo' && !adminDown.includes(n)));
  expect(filtered.r.interfacesFiltered).toBe(all.names.length - filtered.names.length);
  expect(filtered.bulkRequests).toBe(all.bulkRequests);

  const onlyLo = await pollOnce(devices[2]);
  expect(onlyLo.names).toEqual(['lo']);
  expect(onlyLo.ifs[0].fields.in_octets).toBeTypeOf('bigint');

  const regex = await pollOnce(devices[3]);
  expect(regex.names).toEqual(all.names.filter((n) => n !== 'lo'));
});
