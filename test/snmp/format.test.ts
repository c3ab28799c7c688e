import { describe, expect, it } from 'vitest';
import { formatValue, formatVarbind, hexString, isPrintable, timeticks } from '../../src/snmp/format.ts';
import type { Varbind } from '../../src/snmp/types.ts';

const vb = (type: Varbind['type'], value: Varbind['value']): Varbind => ({ oid: '1.3.6.1.2.1.1.5.0', type, value });

describe('formatValue (snmpwalk -On text)', () => {
  it.each([
    [vb('OctetString', Buffer.from('sw1')), 'STRING: "sw1"'],
    [vb('OctetString', Buffer.from('a"b\\c')), 'STRING: "a\\"b\\\\c"'],
    [vb('OctetString', Buffer.from('line1\nline2')), 'STRING: "line1\nline2"'],
    [vb('OctetString', Buffer.from('abc\0')), 'STRING: "abc"'],
    [vb('OctetString', Buffer.alloc(0)), '""'],
    [vb('OctetString', Buffer.from([0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e])), 'Hex-STRING: 00 1A 2B 3C 4D 5E '],
    [vb('OctetString', Buffer.from([0xc3, 0xa9])), 'Hex-STRING: C3 A9 '],
    [vb('Integer', 1), 'INTEGER: 1'],
    [vb('Integer', -5), 'INTEGER: -5'],
    [vb('Counter32', 4294967295), 'Counter32: 4294967295'],
    [vb('Gauge32', 7), 'Gauge32: 7'],
    [vb('Counter64', 18446744073709551615n), 'Counter64: 18446744073709551615'],
    [vb('TimeTicks', 12345), 'Timeticks: (12345) 0:02:03.45'],
    [vb('OID', '1.3.6.1.4.1.8072.3.2.10'), 'OID: .1.3.6.1.4.1.8072.3.2.10'],
    [vb('IpAddress', '10.1.2.3'), 'IpAddress: 10.1.2.3'],
    [vb('Null', null), 'NULL'],
    [vb('Opaque', Buffer.from([0x9f, 0x78])), 'OPAQUE: 9F 78 '],
    [vb('Opaque', Buffer.from([0x9f, 0x78, 0x04, 0x41, 0x2d, 0x24, 0x00])), 'Opaque: Float: 10.821289'],
    [vb('Opaque', Buffer.from('9f790840091eb851eb851f', 'hex')), 'Opaque: Double: 3.140000'],
    [vb('NoSuchObject', null), 'No Such Object available on this agent at this OID'],
    [vb('NoSuchInstance', null), 'No Such Instance currently exists at this OID'],
    [vb('EndOfMibView', null), 'No more variables left in this MIB View (It is past the end of the MIB tree)'],
  ])('%o -> %s', (v, text) => expect(formatValue(v)).toBe(text));

  it.each([
    [0, '(0) 0:00:00.00'],
    [12345, '(12345) 0:02:03.45'],
    [8_640_000, '(8640000) 1 day, 0:00:00.00'],
    [17_280_099, '(17280099) 2 days, 0:00:00.99'],
    [4294967295, '(4294967295) 497 days, 2:27:52.95'],
  ])('timeticks %i -> %s', (t, text) => expect(timeticks(t)).toBe(text));

  it('breaks hex strings after 16 octets like Net-SNMP', () => {
    const buf = Buffer.from(Array.from({ length: 18 }, (_, i) => i));
    expect(hexString(buf)).toBe('00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n10 11 ');
  });

  it.each([
    [Buffer.from('plain text'), true],
    [Buffer.from('tab\there'), true],
    [Buffer.from([0x41, 0x00]), true],
    [Buffer.from([0x00, 0x41]), false],
    [Buffer.from([0x7f]), false],
  ])('isPrintable(%o) = %s', (b, p) => expect(isPrintable(b)).toBe(p));

  it('uses the OID formatter hook for names and OID values', () => {
    const fmt = (oid: string) => (oid === '1.3.6.1.2.1.1.5.0' ? 'SNMPv2-MIB::sysName.0' : `.${oid}`);
    expect(formatVarbind(vb('OctetString', Buffer.from('sw1')), fmt)).toBe('SNMPv2-MIB::sysName.0 = STRING: "sw1"');
    expect(formatVarbind({ oid: '1.3.6.1.2.1.1.2.0', type: 'OID', value: '1.3.6.1.2.1.1.5.0' }, fmt)).toBe('.1.3.6.1.2.1.1.2.0 = OID: SNMPv2-MIB::sysName.0');
  });
});
