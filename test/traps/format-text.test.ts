// trap listen's text output: a value a sender controls stays one line of plain text.
import { describe, expect, it } from 'vitest';
import { safeText, trapToText } from '../../src/traps/format.ts';
import type { TrapRecord } from '../../src/traps/trap-log.ts';

describe('safeText', () => {
  it.each([
    ['plain text', 'uplink to core-1', 'uplink to core-1'],
    ['UTF-8 text', 'Zürich 世界', 'Zürich 世界'],
    ['a terminal escape', 'red\u001b[31mX', 'red\\x1b[31mX'],
    ['a newline forging a line', 'a\n  IF-MIB::ifAlias.9 = OctetString: forged', 'a\\x0a  IF-MIB::ifAlias.9 = OctetString: forged'],
    ['BEL and DEL', '\u0007\u007f', '\\x07\\x7f'],
    ['a C1 control', 'x\u009by', 'x\\x9by'],
    ['a right-to-left override', 'abc\u202edef', 'abc\\u202edef'],
    ['a line separator', 'a\u2028b', 'a\\u2028b'],
  ])('%s', (_label, text, shown) => expect(safeText(text)).toBe(shown));
});

it('trapToText shows a display value with controls as escapes, one line per varbind', () => {
  const r: TrapRecord = {
    receivedAt: 0, source: { address: '127.0.0.1', port: 40000 }, version: '2c', pdu: 'TrapV2', community: 'lab',
    trapOid: '1.3.6.1.6.3.1.1.5.3', trapName: 'IF-MIB::linkDown', rules: [],
    varbinds: [{ oid: '1.3.6.1.2.1.31.1.1.1.18.2', type: 'OctetString', value: 'x', name: 'IF-MIB::ifAlias.2', display: 'evil\n\u001b[2J' }],
  };
  const lines = trapToText(r).split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('  IF-MIB::ifAlias.2 = OctetString: evil\\x0a\\x1b[2J');
});
