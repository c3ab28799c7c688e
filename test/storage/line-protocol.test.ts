import { describe, expect, it } from 'vitest';
import {
  escapeKey, escapeMeasurement, escapeStringField, formatFieldValue, toInt64, toLine, INT64_MAX,
} from '../../src/storage/line-protocol.ts';

describe('escapeMeasurement', () => {
  it.each([
    ['cpu', 'cpu'],
    ['my cpu', 'my\\ cpu'],
    ['a,b', 'a\\,b'],
    ['a=b', 'a=b'],
    ['a"b', 'a"b'],
    ['a\\b', 'a\\b'],
    ['a\\', 'a'],
    ['line\nbreak', 'line\\nbreak'],
  ])('%j -> %j', (input, out) => expect(escapeMeasurement(input)).toBe(out));
});

describe('escapeKey (tag keys, tag values, field keys)', () => {
  it.each([
    ['Gi0/1', 'Gi0/1'],
    ['uplink to core', 'uplink\\ to\\ core'],
    ['a,b', 'a\\,b'],
    ['k=v', 'k\\=v'],
    ['say "hi"', 'say\\ "hi"'],
    ['C:\\dir', 'C:\\dir'],
    ['x\\,y', 'x\\\\,y'],
    ['trailing\\', 'trailing'],
    ['trailing\\\\', 'trailing'],
    ['two\nlines', 'two\\nlines'],
    ['crlf\r\nend', 'crlf\\nend'],
    ['', ''],
  ])('%j -> %j', (input, out) => expect(escapeKey(input)).toBe(out));
});

describe('escapeStringField', () => {
  it.each([
    ['plain', '"plain"'],
    ['with space, comma=equals', '"with space, comma=equals"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['multi\nline', '"multi\nline"'],
    ['', '""'],
  ])('%j -> %j', (input, out) => expect(escapeStringField(input)).toBe(out));
});

describe('formatFieldValue', () => {
  it.each([
    [5n, '5i'],
    [-3n, '-3i'],
    [0n, '0i'],
    [INT64_MAX, '9223372036854775807i'],
    [18446744073709551615n, '9223372036854775807i'],
    [1n << 63n, '0i'],
    [1.5, '1.5'],
    [3, '3'],
    [1e21, '1e+21'],
    [true, 'true'],
    [false, 'false'],
    ['x', '"x"'],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
  ] as const)('%s -> %s', (v, out) => expect(formatFieldValue(v)).toBe(out));
});

describe('toInt64: Counter64 above 2^63-1 is stored modulo 2^63', () => {
  it.each([
    [0n, 0n, false],
    [INT64_MAX, INT64_MAX, false],
    [INT64_MAX + 1n, 0n, true],
    [INT64_MAX + 100n, 99n, true],
    [(1n << 64n) - 1n, INT64_MAX, true],
    [-(1n << 63n), -(1n << 63n), false],
    [-(1n << 64n), -(1n << 63n), true],
  ])('%s -> %s (wrapped %s)', (v, value, wrapped) => expect(toInt64(v)).toEqual({ value, wrapped }));
});

describe('toLine', () => {
  it('sorts tags, types fields, ms timestamp', () => {
    expect(toLine({
      measurement: 'snmp_interface',
      tags: { ifName: 'Gi0/1', device: 'core 1', ifAlias: '' },
      fields: { in_octets: 12n, in_bps: 1.25, descr: 'a "b"', up: true },
      time: 1_700_000_000_123,
    })).toBe('snmp_interface,device=core\\ 1,ifName=Gi0/1 in_octets=12i,in_bps=1.25,descr="a \\"b\\"",up=true 1700000000123');
  });
  it('drops unwritable fields and counts them', () => {
    const stats = { wrapped: 0, droppedFields: 0 };
    expect(toLine({ measurement: 'm', tags: {}, fields: { a: Number.NaN, b: 1n << 64n }, time: 1 }, stats)).toBe('m b=0i 1');
    expect(stats).toEqual({ wrapped: 1, droppedFields: 1 });
  });
  it('returns null without a writable field', () => {
    expect(toLine({ measurement: 'm', tags: {}, fields: { a: Number.NaN }, time: 1 })).toBeNull();
    expect(toLine({ measurement: 'm', tags: {}, fields: {}, time: 1 })).toBeNull();
    expect(toLine({ measurement: '', tags: {}, fields: { a: 1 }, time: 1 })).toBeNull();
    // a comment line to InfluxDB 1.x: silently not stored
    expect(toLine({ measurement: '#m', tags: {}, fields: { a: 1 }, time: 1 })).toBeNull();
  });
});
