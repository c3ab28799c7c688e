// The same index sub-identifiers through both public index decoders: mib's decodeIndex (the text
// a translation prints, `MODULE::name.index`) and snmp's chained decoders (the typed values
// topology reads). Both read the encoding with mib/index-arcs.ts: they accept and refuse the same
// indexes and give each INDEX field the same sub-identifiers; only the rendering differs, and each
// case says where and why.
import { describe, expect, it } from 'vitest';
import { decodeIndex, type IndexObject, type Syntax } from '../../src/mib/index.ts';
import {
  decodeFixedString, decodeInetAddress, decodeInteger, decodeIpAddress, decodeMac, decodeOidIndex, decodeString, parseIndexArcs,
} from '../../src/snmp/index.ts';

type Read = (arcs: number[], pos: number) => { value: unknown; next: number };

const INTEGER: Syntax = { type: 'InterfaceIndex', base: 'INTEGER' };
const UNSIGNED: Syntax = { type: 'VlanIndex', base: 'Unsigned32' };
const INET_TYPE: Syntax = { type: 'InetAddressType', base: 'INTEGER', enums: [{ label: 'ipv4', value: '1' }, { label: 'ipv6', value: '2' }] };
const IP: Syntax = { type: 'IpAddress', base: 'IpAddress' };
const STRING: Syntax = { type: 'SnmpAdminString', base: 'OCTET STRING', displayHint: '255t' };
const INET_ADDRESS: Syntax = { type: 'InetAddress', base: 'OCTET STRING' };
const MAC: Syntax = { type: 'MacAddress', base: 'OCTET STRING', displayHint: '1x:', sizes: [{ min: '6', max: '6' }] };
const OID: Syntax = { type: 'OBJECT IDENTIFIER', base: 'OBJECT IDENTIFIER' };

const int: Read = (a, p) => decodeInteger(a, p);
const ip: Read = (a, p) => decodeIpAddress(a, p);
const text = (implied = false): Read => (a, p) => {
  const { value, next } = decodeString(a, p, implied);
  return { value: value.toString('latin1'), next };
};
const oid = (implied = false): Read => (a, p) => decodeOidIndex(a, p, implied);
const mac: Read = (a, p) => decodeMac(a, p);
const inet: Read = (a, p) => decodeInetAddress(a, p);

interface Field { name: string; syntax: Syntax; implied?: boolean }
/** one snmp decoder over one INDEX field (two for InetAddressType + InetAddress) */
interface Step {
  fields: string[];
  read: Read;
  value: unknown;
  /** what decodeIndex prints for these fields */
  text: string[];
  /** why the text is not the value's String() (unset: it is) */
  textDiffers?: string;
}
interface Case { table: string; index: string; fields: Field[]; steps: Step[]; rest?: number[] }

const cases: Case[] = [
  {
    table: 'ifTable', index: '7',
    fields: [{ name: 'ifIndex', syntax: INTEGER }],
    steps: [{ fields: ['ifIndex'], read: int, value: 7, text: ['7'] }],
  },
  {
    table: 'ifTable (sub-identifiers past the INDEX)', index: '2.99', rest: [99],
    fields: [{ name: 'ifIndex', syntax: INTEGER }],
    steps: [{ fields: ['ifIndex'], read: int, value: 2, text: ['2'] }],
  },
  {
    table: 'ipAddrTable', index: '192.168.1.254',
    fields: [{ name: 'ipAdEntAddr', syntax: IP }],
    steps: [{ fields: ['ipAdEntAddr'], read: ip, value: '192.168.1.254', text: ['192.168.1.254'] }],
  },
  {
    table: 'ipNetToMediaTable', index: '2.10.0.0.1',
    fields: [{ name: 'ipNetToMediaIfIndex', syntax: INTEGER }, { name: 'ipNetToMediaNetAddress', syntax: IP }],
    steps: [
      { fields: ['ipNetToMediaIfIndex'], read: int, value: 2, text: ['2'] },
      { fields: ['ipNetToMediaNetAddress'], read: ip, value: '10.0.0.1', text: ['10.0.0.1'] },
    ],
  },
  {
    table: 'ospfNbrTable', index: '10.0.0.2.0',
    fields: [{ name: 'ospfNbrIpAddr', syntax: IP }, { name: 'ospfNbrAddressLessIndex', syntax: INTEGER }],
    steps: [
      { fields: ['ospfNbrIpAddr'], read: ip, value: '10.0.0.2', text: ['10.0.0.2'] },
      { fields: ['ospfNbrAddressLessIndex'], read: int, value: 0, text: ['0'] },
    ],
  },
  {
    table: 'ipAddressTable', index: '1.4.10.0.0.1',
    fields: [{ name: 'ipAddressAddrType', syntax: INET_TYPE }, { name: 'ipAddressAddr', syntax: INET_ADDRESS }],
    steps: [{
      fields: ['ipAddressAddrType', 'ipAddressAddr'], read: inet, value: { type: 1, address: '10.0.0.1' }, text: ['ipv4', '10.0.0.1'],
      textDiffers: 'the text names the type by its enum label; snmp gives type and address in one value',
    }],
  },
  {
    table: 'snmpCommunityTable', index: '112.117.98.108.105.99',
    fields: [{ name: 'snmpCommunityIndex', syntax: STRING, implied: true }],
    steps: [{
      fields: ['snmpCommunityIndex'], read: text(true), value: 'public', text: ["'public'"],
      textDiffers: 'an IMPLIED string prints in single quotes (as Net-SNMP)',
    }],
  },
  {
    table: 'vacmSecurityToGroupTable', index: '2.6.112.117.98.108.105.99',
    fields: [{ name: 'vacmSecurityModel', syntax: INTEGER }, { name: 'vacmSecurityName', syntax: STRING }],
    steps: [
      { fields: ['vacmSecurityModel'], read: int, value: 2, text: ['2'] },
      { fields: ['vacmSecurityName'], read: text(), value: 'public', text: ['"public"'], textDiffers: 'a string prints in double quotes' },
    ],
  },
  {
    table: 'vacmViewTreeFamilyTable', index: '3.97.108.108.4.1.3.6.1',
    fields: [{ name: 'vacmViewTreeFamilyViewName', syntax: STRING }, { name: 'vacmViewTreeFamilySubtree', syntax: OID }],
    steps: [
      { fields: ['vacmViewTreeFamilyViewName'], read: text(), value: 'all', text: ['"all"'], textDiffers: 'a string prints in double quotes' },
      { fields: ['vacmViewTreeFamilySubtree'], read: oid(), value: '1.3.6.1', text: ['1.3.6.1'] },
    ],
  },
  {
    table: 'snmpNotifyFilterTable', index: '2.112.49.1.3.6.1',
    fields: [{ name: 'snmpNotifyFilterProfileName', syntax: STRING }, { name: 'snmpNotifyFilterSubtree', syntax: OID, implied: true }],
    steps: [
      { fields: ['snmpNotifyFilterProfileName'], read: text(), value: 'p1', text: ['"p1"'], textDiffers: 'a string prints in double quotes' },
      { fields: ['snmpNotifyFilterSubtree'], read: oid(true), value: '1.3.6.1', text: ['1.3.6.1'] },
    ],
  },
  {
    table: 'dot1dTpFdbTable', index: '0.80.86.1.2.171',
    fields: [{ name: 'dot1dTpFdbAddress', syntax: MAC }],
    steps: [{
      fields: ['dot1dTpFdbAddress'], read: mac, value: '00:50:56:01:02:ab', text: ['00:50:56:01:02:AB'],
      textDiffers: 'the text follows the DISPLAY-HINT 1x: (upper-case hex); snmp gives lower case',
    }],
  },
  {
    table: 'dot1qTpFdbTable', index: '10.0.26.43.60.77.94',
    fields: [{ name: 'dot1qFdbId', syntax: UNSIGNED }, { name: 'dot1qTpFdbAddress', syntax: MAC }],
    steps: [
      { fields: ['dot1qFdbId'], read: int, value: 10, text: ['10'] },
      { fields: ['dot1qTpFdbAddress'], read: mac, value: '00:1a:2b:3c:4d:5e', text: ['00:1A:2B:3C:4D:5E'], textDiffers: 'DISPLAY-HINT upper-case hex' },
    ],
  },
];

const objectsOf = (fields: Field[]): IndexObject[] => fields.map((f) => ({ name: f.name, syntax: f.syntax, implied: f.implied ?? false }));

describe('mib decodeIndex and the snmp decoders read an index alike', () => {
  it.each(cases)('$table $index', ({ index, fields, steps, rest = [] }) => {
    const arcs = parseIndexArcs(index);
    const objects = objectsOf(fields);
    const decoded = decodeIndex(arcs, objects);
    expect(decoded, 'decodeIndex').toEqual({ parts: steps.flatMap((s) => s.text), rest });
    let pos = 0;
    let done = 0;
    for (const step of steps) {
      const { value, next } = step.read(arcs, pos);
      const names = step.fields.join(' + ');
      expect(value, `snmp value of ${names}`).toEqual(step.value);
      // the sub-identifiers these fields take: where decodeIndex stops after them
      done += step.fields.length;
      expect(next, `sub-identifiers of ${names}`).toBe(arcs.length - decodeIndex(arcs, objects.slice(0, done))!.rest.length);
      if (!step.textDiffers) expect(step.text.join('.'), `text of ${names}`).toBe(String(value));
      pos = next;
    }
    expect(arcs.slice(pos), 'sub-identifiers past the INDEX').toEqual(rest);
  });
});

/** indexes both refuse: decodeIndex answers undefined (the translation prints the raw sub-identifiers), snmp throws naming the field's kind */
const refused: [string, string, Field[], (arcs: number[]) => unknown, RegExp][] = [
  ['ipNetToMediaTable, address short', '2.10.0.0', [{ name: 'ipNetToMediaIfIndex', syntax: INTEGER }, { name: 'ipNetToMediaNetAddress', syntax: IP }],
    (a) => decodeIpAddress(a, decodeInteger(a).next), /index too short for IpAddress/],
  // decodeIndex printed 10.0.0.300 before: Net-SNMP refuses it ("Index out of range"), as both did for a string octet
  ['ipAddrTable, an address octet of 300', '10.0.0.300', [{ name: 'ipAdEntAddr', syntax: IP }],
    (a) => decodeIpAddress(a), /IpAddress: arc 300 is not an octet/],
  ['ipAddrTable then a string after an octet of 300', '10.0.0.300.3.97.98.99', [{ name: 'ipAdEntAddr', syntax: IP }, { name: 'name', syntax: STRING }],
    (a) => decodeString(a, decodeIpAddress(a).next), /IpAddress: arc 300 is not an octet/],
  ['vacmSecurityToGroupTable, name longer than the index', '2.6.112.117', [{ name: 'vacmSecurityModel', syntax: INTEGER }, { name: 'vacmSecurityName', syntax: STRING }],
    (a) => decodeString(a, decodeInteger(a).next), /index too short for fixed string of 6/],
  ['vacmSecurityToGroupTable, a name octet of 300', '2.2.97.300', [{ name: 'vacmSecurityModel', syntax: INTEGER }, { name: 'vacmSecurityName', syntax: STRING }],
    (a) => decodeString(a, decodeInteger(a).next), /string: arc 300 is not an octet/],
  ['dot1dTpFdbTable, MAC short', '0.80.86.1.2', [{ name: 'dot1dTpFdbAddress', syntax: MAC }],
    (a) => decodeMac(a), /index too short for MAC address/],
  // a MIB's SIZE that is no count (an upload can hold one): decodeIndex printed 'ab' for 97.98.99 and left 99 over before
  ['a fixed-size string of SIZE(-1)', '97.98.99', [{ name: 'bad', syntax: { type: 'Bad', base: 'OCTET STRING', sizes: [{ min: '-1', max: '-1' }] } }],
    (a) => decodeFixedString(a, -1), /fixed string of -1: -1 is not a count of sub-identifiers/],
  ['a fixed-size string of SIZE(named)', '97.98.99', [{ name: 'bad', syntax: { type: 'Bad', base: 'OCTET STRING', sizes: [{ min: 'named', max: 'named' }] } }],
    (a) => decodeFixedString(a, Number('named')), /fixed string of NaN: NaN is not a count of sub-identifiers/],
  ['vacmViewTreeFamilyTable, subtree longer than the index', '1.97.9.1.3', [{ name: 'vacmViewTreeFamilyViewName', syntax: STRING }, { name: 'vacmViewTreeFamilySubtree', syntax: OID }],
    (a) => decodeOidIndex(a, decodeString(a).next), /index too short for OID of 9 arcs/],
];

describe('both refuse the same bad indexes', () => {
  it.each(refused)('%s (%s)', (_, index, fields, read, error) => {
    const arcs = parseIndexArcs(index);
    expect(decodeIndex(arcs, objectsOf(fields)), 'decodeIndex').toBeUndefined();
    expect(() => read(arcs), 'snmp decoders').toThrow(error);
  });
});

describe('where they differ on purpose', () => {
  it('an empty IMPLIED string at the end: decodeIndex wants a sub-identifier for every field, the snmp decoder reads an empty string', () => {
    const fields: Field[] = [{ name: 'ifIndex', syntax: INTEGER }, { name: 'name', syntax: STRING, implied: true }];
    const arcs = parseIndexArcs('5');
    expect(decodeIndex(arcs, objectsOf(fields))).toBeUndefined();
    const { next } = decodeInteger(arcs);
    expect(decodeString(arcs, next, true)).toEqual({ value: Buffer.alloc(0), next: 1 });
  });
});
