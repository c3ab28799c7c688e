import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/topology/graph.ts';
import { collectDevice } from '../../src/topology/collect.ts';
import { OID } from '../../src/topology/oids.ts';
import { SnmpWalkError } from '../../src/snmp/errors.ts';
import { NetpulseError } from '../../src/errors/index.ts';
import type { DeviceReport } from '../../src/topology/report.ts';
import { fakeClient, octets, target } from './fake-client.ts';
import { linkEvents, lldp, mac, sw } from './fixtures.ts';


/** sw1 sees three servers by LLDP on Gi0/1..3; `failed` marks tables failed, `keep` the LLDP rows still read */
function servers(failed: string[] = [], keep = [1, 2, 3]): DeviceReport[] {
  const a = sw(1);
  for (const p of keep) {
    a.lldp.push({ localPortNum: p, localIfIndex: p, localPort: `Gi0/${p}`, chassisIdSubtype: 4, chassisId: `0a:00:00:00:00:0${p}`, portIdSubtype: 5, portId: 'eth0', sysName: `server${p}`, managementAddresses: [] });
  }
  a.failedTables = failed;
  a.problems = failed.map((t) => `${t}: snmp: agent 127.0.1.1:161: walk: timeout after 1 retries`);
  if (failed.includes('ifTable')) a.interfaces = [];
  return [a];
}

describe('a table that fails keeps the links only it reported', () => {
  it.each([
    ['lldpRemTable fails outright', ['lldpRemTable'], [], 3],
    ['lldpRemTable stops part way (rows before the cut kept)', ['lldpRemTable'], [1], 2],
    ['the ifTable fails (port names unknown)', ['ifTable'], [1, 2, 3], 3],
  ])('%s: no events, kept links stale with their old lastSeen', (_, failed, keep, stale) => {
    const g1 = buildGraph(servers(), 1000);
    const g2 = buildGraph(servers(failed, keep), 2000, g1);
    expect(linkEvents(g1, g2)).toEqual([]);
    expect(g2.links.filter((l) => l.stale).map((l) => l.lastSeen)).toEqual(Array(stale).fill(1000));
    expect(g2.links).toHaveLength(3);
    expect(g2.anomalies.map((x) => x.kind)).toEqual(['table-error']);
    const g3 = buildGraph(servers(), 3000, g2);
    expect(linkEvents(g2, g3)).toEqual([]);
    expect(g3.links.map((l) => [l.firstSeen, l.lastSeen, l.stale])).toEqual(Array(3).fill([1000, 3000, undefined]));
  });

  it('a table that answered and no longer lists a neighbour still gives link-down', () => {
    const g1 = buildGraph(servers(), 1000);
    const g2 = buildGraph(servers(['cdpCacheTable'], [1, 2]), 2000, g1);
    expect(linkEvents(g1, g2)).toEqual(['link-down lldp:0a:00:00:00:00:03#eth0|sw1#gi0/3']);
  });

  it('an inferred link is kept when one of its two forwarding tables failed', () => {
    const run = (fail: boolean) => {
      const [a, b] = [sw(1), sw(2)];
      a.fdb.push({ mac: mac(2, 2), bridgePort: 1, ifIndex: 1 });
      b.fdb.push({ mac: mac(1, 1), bridgePort: 2, ifIndex: 2 });
      if (fail) { b.fdb = []; b.failedTables = ['dot1qTpFdbTable']; }
      return [a, b];
    };
    const g1 = buildGraph(run(false), 1000);
    const g2 = buildGraph(run(true), 2000, g1);
    expect(g1.links).toHaveLength(1);
    expect(linkEvents(g1, g2)).toEqual([]);
    expect(g2.links.map((l) => l.stale)).toEqual([true]);
  });

  it('a one-sided anomaly is not raised against a device whose LLDP table failed', () => {
    const [a, b] = [sw(1), sw(2)];
    lldp(a, 1, b, 2);
    lldp(b, 3, sw(9), 1);
    b.failedTables = ['lldpRemTable'];
    expect(buildGraph([a, b], 1).anomalies.map((x) => x.kind)).toEqual([]);
  });
});

describe('collectDevice', () => {
  const rem = (col: string, p: number) => `${col}.0.${p}.1`;
  const agent = {
    [OID.sysName]: octets('sw1'),
    [`${OID.ifName}.1`]: octets('Gi0/1'), [`${OID.ifName}.2`]: octets('Gi0/2'), [`${OID.ifName}.3`]: octets('Gi0/3'),
    [`${OID.lldpLocPortIdSubtype}.1`]: 7, [`${OID.lldpLocPortId}.1`]: octets('1'), [`${OID.lldpLocPortDesc}.1`]: octets('x'),
    ...Object.fromEntries([1, 2, 3].flatMap((p) => [
      [rem(OID.lldpRemChassisIdSubtype, p), 4], [rem(OID.lldpRemChassisId, p), Buffer.from([10, 0, 0, 0, 0, p])],
      [rem(OID.lldpRemPortIdSubtype, p), 5], [rem(OID.lldpRemPortId, p), octets('eth0')],
      [rem(OID.lldpRemPortDesc, p), octets('eth0')], [rem(OID.lldpRemSysName, p), octets(`server${p}`)],
    ])),
    // CDP: an empty device ID (legal) and a binary 6-octet one
    [`${OID.cdpCacheDeviceId}.1.1`]: Buffer.alloc(0), [`${OID.cdpCacheDevicePort}.1.1`]: octets('Port 1'),
    [`${OID.cdpCacheAddressType}.1.1`]: 1, [`${OID.cdpCacheAddress}.1.1`]: Buffer.from([10, 0, 0, 9]),
    [`${OID.cdpCacheDeviceId}.2.1`]: Buffer.from([0x00, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f]), [`${OID.cdpCacheDevicePort}.2.1`]: octets('Port 2'),
  };

  it('keeps the complete rows of a walk that stopped at its cap and names the failed table', async () => {
    const client = fakeClient(agent, (cols, rows) => {
      if (cols[0] !== OID.lldpRemChassisIdSubtype) return undefined;
      // stopped inside row 0.2.1: every column of row 0.1.1, two columns of row 0.2.1
      const partial = rows.flatMap((r, i) => (i === 0 ? [...r.values.values()] : i === 1 ? [...r.values.values()].slice(0, 2) : []));
      return new SnmpWalkError('agent 127.0.0.1:161', 'table', 'stopped after 8 varbinds (cap 8)', 'walk-cap', partial);
    });
    const r = await collectDevice(client, 'sw1', target);
    expect(r.failedTables).toEqual(['lldpRemTable']);
    expect(r.lldp.map((n) => n.sysName)).toEqual(['server1']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^lldpRemTable: .*cap 8/);
  });

  it('a table that times out is named in failedTables and read as empty', async () => {
    const client = fakeClient(agent, (cols) => cols[0] === OID.cdpCacheAddressType
      ? new NetpulseError({ scope: 'snmp', target: 'agent 127.0.0.1:161', action: 'table', reason: 'timeout after 0 retries', kind: 'timeout' }) : undefined);
    const r = await collectDevice(client, 'sw1', target);
    expect(r.failedTables).toEqual(['cdpCacheTable']);
    expect(r.cdp).toEqual([]);
    expect(r.lldp).toHaveLength(3);
  });

  it('takes empty and binary CDP device IDs without a table error, and keeps lldpLocPortTable', async () => {
    const r = await collectDevice(fakeClient(agent), 'sw1', target);
    expect(r.problems).toEqual([]);
    expect(r.failedTables).toBeUndefined();
    expect(r.cdp.map((n) => [n.localIfIndex, n.deviceId, n.address])).toEqual([[1, '', '10.0.0.9'], [2, '00:1b:2c:3d:4e:5f', undefined]]);
    expect(r.lldpLocalPorts).toEqual([{ portNum: 1, portIdSubtype: 7, portId: '1', ifIndex: 1 }]);
  });
});
