import { describe, expect, it } from 'vitest';
import {
  decodeFixedString, decodeInetAddress, decodeInteger, decodeIpAddress, decodeMac, decodeOidIndex, decodeString, parseIndexArcs,
} from '../../src/snmp/index-decode.ts';

const arcs = parseIndexArcs;

describe('index decoding', () => {
  it.each([
    ['5', 0, 5, 1],
    ['3.7', 1, 7, 2],
    ['4294967295', 0, 4294967295, 1],
  ])('integer %s @%i -> %i', (idx, pos, value, next) => expect(decodeInteger(arcs(idx), pos)).toEqual({ value, next }));

  it.each([
    ['3.115.119.49', false, 'sw1', 4],
    ['0', false, '', 1],
    ['115.119.49', true, 'sw1', 3],
  ])('string %s implied=%s -> %s', (idx, implied, text, next) => {
    const r = decodeString(arcs(idx), 0, implied);
    expect(r.value.toString()).toBe(text);
    expect(r.next).toBe(next);
  });

  it('fixed-length string', () => expect(decodeFixedString(arcs('97.98.99.100'), 2).value.toString()).toBe('ab'));

  it.each([
    ['10.0.0.1', 0, '10.0.0.1', 4],
    ['2.192.168.1.254', 1, '192.168.1.254', 5],
  ])('IpAddress %s @%i -> %s', (idx, pos, value, next) => expect(decodeIpAddress(arcs(idx), pos)).toEqual({ value, next }));

  it.each([
    ['0.26.43.60.77.94', '00:1a:2b:3c:4d:5e'],
    ['255.255.255.255.255.255', 'ff:ff:ff:ff:ff:ff'],
  ])('MAC %s -> %s', (idx, mac) => expect(decodeMac(arcs(idx)).value).toBe(mac));

  it.each([
    ['3.1.3.6', false, '1.3.6', 4],
    ['1.3.6', true, '1.3.6', 3],
  ])('OID index %s implied=%s', (idx, implied, value, next) => expect(decodeOidIndex(arcs(idx), 0, implied)).toEqual({ value, next }));

  it.each([
    ['1.4.10.0.0.1', { type: 1, address: '10.0.0.1' }],
    ['2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1', { type: 2, address: 'fe80:0:0:0:0:0:0:1' }],
  ])('InetAddress %s', (idx, value) => expect(decodeInetAddress(arcs(idx)).value).toEqual(value));

  it.each([
    ['1.2', () => decodeIpAddress(arcs('1.2'))],
    ['5.1', () => decodeString(arcs('5.1'))],
    ['300 in MAC', () => decodeMac(arcs('300.1.2.3.4.5'))],
    ['non-numeric', () => parseIndexArcs('1.a')],
    ['a sub-identifier of 2^32', () => parseIndexArcs('1.4294967296')],
    ['400 digits (Infinity as a number)', () => parseIndexArcs(`1.${'9'.repeat(400)}`)],
  ])('rejects %s with a clear error', (_, fn) => expect(fn).toThrow(/index|octet|numbers/));
});
