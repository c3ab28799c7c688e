// Case table after Prometheus snmp_exporter's collector/display_hint_test.go (RFC 2579 §3.1).
import { describe, expect, it } from 'vitest';
import { formatIntegerHint, formatOctetHint } from '../../src/mib/display-hint.ts';

const b = (...x: number[]) => Uint8Array.from(x);
const s = (t: string) => Uint8Array.from(Buffer.from(t, 'utf8'));

describe('formatOctetHint', () => {
  it.each([
    ['InetAddressIPv4', '1d.1d.1d.1d', b(192, 168, 1, 1), '192.168.1.1'],
    ['InetAddressIPv4z', '1d.1d.1d.1d%4d', b(192, 168, 1, 1, 0, 0, 0, 3), '192.168.1.1%3'],
    ['MAC, implicit repetition', '1x:', b(0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e), '00:1A:2B:3C:4D:5E'],
    ['InetAddressIPv6', '2x:2x:2x:2x:2x:2x:2x:2x', b(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), '2001:0DB8:0000:0000:0000:0000:0000:0001'],
    ['InetAddressIPv6z', '2x:2x:2x:2x:2x:2x:2x:2x%4d', b(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5), 'FE80:0000:0000:0000:0000:0000:0000:0001%5'],
    ['DisplayString', '255a', s('Hello, World!'), 'Hello, World!'],
    ['DisplayString holding UTF-8 (ifAlias)', '255a', s('Zürich uplink'), 'Zürich uplink'],
    ['DisplayString holding bytes that are not UTF-8: one character each', '255a', b(0x5a, 0xfc, 0x72), 'Z\u00fcr'],
    ['single decimal', '1d', b(42), '42'],
    ['multi-byte decimal', '4d', b(0, 1, 0, 0), '65536'],
    ['octal', '1o', b(8), '10'],
    ['hex with dash', '1x-', b(0xaa, 0xbb, 0xcc), 'AA-BB-CC'],
    ['star repeat', '*1x:', b(3, 0xaa, 0xbb, 0xcc), 'AA:BB:CC'],
    ['star with terminator', '*1d./1d', b(3, 10, 20, 30, 40), '10.20.30/40'],
    ['trailing separator suppressed', '1d.', b(1, 2, 3), '1.2.3'],
    ['DateAndTime (8 octets)', '2d-1d-1d,1d:1d:1d.1d', b(0x07, 0xe6, 8, 15, 8, 1, 15, 0), '2022-8-15,8:1:15.0'],
    ['DateAndTime (11 octets)', '2d-1d-1d,1d:1d:1d.1d,1a1d:1d', b(0x07, 0xe6, 8, 15, 8, 1, 15, 0, 0x2b, 2, 0), '2022-8-15,8:1:15.0,+2:0'],
    ['data shorter than spec', '1d.1d.1d.1d', b(10, 20), '10.20'],
    ['UTF-8', '10t', s('hello'), 'hello'],
    ['UTF-8 multibyte', '20t', s('Hello, 世界!'), 'Hello, 世界!'],
    ['UUID', '4x-2x-2x-1x1x-6x', b(0x12, 0x34, 0x56, 0x78, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0, 0x11, 0x22, 0x33, 0x44, 0x55), '12345678-ABCD-EF01-2345-001122334455'],
    ['IPv4 prefix', '1d.1d.1d.1d/1d', b(10, 0, 0, 0, 24), '10.0.0.0/24'],
    ['wide take', '10d', b(0, 0, 0, 0, 0, 0, 0, 1), '1'],
    ['zero-padded hex', '1x', b(0x0f), '0F'],
    ['single byte, separator suppressed', '1d.', b(42), '42'],
    ['implicit repetition, longer data', '1d.', b(1, 2, 3, 4, 5), '1.2.3.4.5'],
    ['last spec repeats after a fixed prefix', '1d-1d.', b(1, 2, 3, 4, 5, 6), '1-2.3.4.5.6'],
    ['zero-width bracket prefix', '0a[1a]1a', b(0x41, 0x42), '[A]B'],
    ['zero-width prefix, trailing suppressed', '0a[1a', b(0x41), '[A'],
    ['TransportAddressIPv6 style', '0a[2x]0a:2d', b(0x20, 0x01, 0x00, 0x50), '[2001]:80'],
    ['zero-width prefix only', '0a<1d-1d-1d', b(1, 2, 3), '<1-2-3'],
    ['zero-width mid-hint', '1d-0a.1d', b(10, 20), '10-.20'],
    // a take that ends inside a multi-byte character: the plain hint decodes the value whole
    ['UTF-8 longer than the take, a character cut at byte 255', '255a', s(`${'x'.repeat(254)}ü tail`), `${'x'.repeat(254)}ü tail`],
    ['UTF-8 cut in a short take', '2a', s('aü€b'), 'aü€b'],
    ['UTF-8 cut, t hint', '2t', s('aü€b'), 'aü€b'],
    ['bytes that are not UTF-8, past the take', '2a', b(0x41, 0xc3, 0xa9, 0xfc), 'A\u00c3\u00a9\u00fc'],
    ['UTF-8 cut by a hint with a separator: per take', '2a-', s('aü'), 'aÃ-\u00bc'],
  ])('%s: %s', (_name, hint, data, want) => {
    expect(formatOctetHint(hint, data)).toBe(want);
  });

  it.each([
    ['empty hint', '', b(1, 2, 3)],
    ['empty data', '1d', b()],
    ['invalid format character', '1z', b(1, 2, 3)],
    ['missing format character', '1', b(1, 2, 3)],
    ['missing take value', 'd', b(1, 2, 3)],
    ['zero take value', '0d', b(1, 2, 3)],
    ['decimal take too large for 64 bits', '9d', b(1, 0, 0, 0, 0, 0, 0, 0, 0)],
    ['octal take too large for 64 bits', '9o', b(1, 0, 0, 0, 0, 0, 0, 0, 0)],
    ['overflow in second spec', '1d9223372036854775807d', b(1, 2, 3)],
    ['huge take after some data', '2d9999999999999999999d', b(0, 1, 2, 3, 4)],
    ['zero-width hex trailing', '0x', b(0x41, 0x42)],
    ['zero-width decimal trailing', '0d', b(1, 2, 3)],
    ['zero-width octal trailing', '0o', b(8, 9)],
    ['zero-width ascii trailing', '0a.', b(1, 2, 3)],
  ])('rejects %s (%s)', (_name, hint, data) => {
    expect(formatOctetHint(hint, data)).toBeUndefined();
  });
});

describe('formatIntegerHint', () => {
  it.each([
    ['d', 1234, '1234'],
    ['d-2', 1234, '12.34'],
    ['d-2', 5, '0.05'],
    ['d-2', -5, '-0.05'],
    ['d-1', -1234, '-123.4'],
    ['d-3', 1000n, '1.000'],
    ['x', 255, 'ff'],
    ['o', 8, '10'],
    ['b', 5, '101'],
  ] as [string, number | bigint, string][])('%s of %s → %s', (hint, v, want) => {
    expect(formatIntegerHint(hint, v)).toBe(want);
  });
  it.each(['', '1d', 'q', 'd-x'])('rejects %j', (hint) => {
    expect(formatIntegerHint(hint, 1)).toBeUndefined();
  });
});
