import { describe, expect, it } from 'vitest';
import { octetsToDisplay } from '../../src/traps/build-event.ts';
import { v1TrapOid } from '../../src/traps/rfc3584.ts';

describe('RFC 3584 v1 → v2 trap OID', () => {
  it.each([
    ['1.3.6.1.4.1.8072.2.3', 0, 0, '1.3.6.1.6.3.1.1.5.1'],
    ['1.3.6.1.4.1.8072.2.3', 1, 0, '1.3.6.1.6.3.1.1.5.2'],
    ['1.3.6.1.4.1.9', 2, 0, '1.3.6.1.6.3.1.1.5.3'],
    ['1.3.6.1.4.1.9', 3, 99, '1.3.6.1.6.3.1.1.5.4'],
    ['1.3.6.1.4.1.9', 4, 0, '1.3.6.1.6.3.1.1.5.5'],
    ['1.3.6.1.4.1.9', 5, 0, '1.3.6.1.6.3.1.1.5.6'],
    ['1.3.6.1.4.1.9.9.41.2', 6, 1, '1.3.6.1.4.1.9.9.41.2.0.1'],
    ['.1.3.6.1.4.1.2636', 6, 17, '1.3.6.1.4.1.2636.0.17'],
    ['1.3.6.1.4.1.8072.4', 6, 0, '1.3.6.1.4.1.8072.4.0.0'],
  ])('enterprise %s generic %i specific %i → %s', (ent, gen, spec, want) => {
    expect(v1TrapOid(ent, gen, spec)).toBe(want);
  });
});

describe('OCTET STRING display', () => {
  it.each([
    [Buffer.from('eth0'), 'eth0'],
    [Buffer.from('line1\nline2'), 'line1\nline2'],
    [Buffer.from('Grüße', 'utf8'), 'Grüße'],
    [Buffer.from([0x00, 0x1b, 0x21, 0xff]), '00 1B 21 FF'],
    [Buffer.alloc(0), ''],
  ])('%o → %s', (b, want) => {
    expect(octetsToDisplay(b)).toBe(want);
  });
});
