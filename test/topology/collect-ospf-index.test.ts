/**
 * ospfNbrTable's row index as collectDevice reads it: ospfNbrIpAddr, then ospfNbrAddressLessIndex
 * (InterfaceIndexOrZero, 0..2147483647). A hostile or broken agent's index out of that range is a
 * problem of the row, not an interface.
 */
import { describe, expect, it } from 'vitest';
import { collectDevice } from '../../src/topology/collect.ts';
import { OID } from '../../src/topology/oids.ts';
import { fakeClient, target } from './fake-client.ts';

describe('collectDevice: the ospfNbrTable index', () => {
  it.each<[string, string, { ospf: unknown[]; problems: number }]>([
    ['numbered (0)', '10.9.0.2.0', { ospf: [{ ip: '10.9.0.2', routerId: '2.2.2.2', state: 8 }], problems: 0 }],
    ['no address-less arc', '10.9.0.2', { ospf: [{ ip: '10.9.0.2', routerId: '2.2.2.2', state: 8 }], problems: 0 }],
    ['unnumbered', '10.255.0.2.5', { ospf: [{ ip: '10.255.0.2', routerId: '2.2.2.2', state: 8, addressLessIndex: 5 }], problems: 0 }],
    ['the largest ifIndex', '10.255.0.2.2147483647', { ospf: [{ ip: '10.255.0.2', routerId: '2.2.2.2', state: 8, addressLessIndex: 2147483647 }], problems: 0 }],
    ['beyond InterfaceIndexOrZero', '10.255.0.2.4294967296', { ospf: [], problems: 1 }],
    ['a 400-digit arc', `10.255.0.2.${'9'.repeat(400)}`, { ospf: [], problems: 1 }],
  ])('%s', async (_, index, want) => {
    const r = await collectDevice(fakeClient({ [`${OID.ospfNbrRtrId}.${index}`]: '2.2.2.2', [`${OID.ospfNbrState}.${index}`]: 8 }), 'r1', target);
    expect({ ospf: r.ospf, problems: r.problems.filter((p) => p.startsWith('ospfNbrTable')).length }).toEqual(want);
  });
});
