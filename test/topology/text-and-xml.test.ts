/**
 * Case tables for the text rules: octet strings are text when valid UTF-8 without control
 * characters (as snmpwalk shows them), and both GraphML exporters (CLI and API) share one XML rule
 * that escapes markup and drops what XML 1.0 cannot carry.
 */
import { describe, expect, it } from 'vitest';
import { toGraphml as apiGraphml } from '../../src/api/topology-format.ts';
import { toApiGraph } from '../../src/topology/api-view.ts';
import { toGraphml, xmlText } from '../../src/topology/export.ts';
import { buildGraph } from '../../src/topology/graph.ts';
import { chassisIdText, octetText, portIdText, printable } from '../../src/topology/normalize.ts';
import { sw } from './fixtures.ts';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('printable', () => {
  it.each([
    ['ASCII', Buffer.from('sw1.lab'), 'sw1.lab'],
    ['empty', Buffer.alloc(0), ''],
    ['NUL padding', Buffer.from('sw1\0\0'), 'sw1'],
    ['UTF-8 sysName', utf8('Zürich-core1'), 'Zürich-core1'],
    ['UTF-8 port description', utf8('Uplink → Kern 東京'), 'Uplink → Kern 東京'],
    ['4-byte UTF-8', utf8('rack 🖧 7'), 'rack 🖧 7'],
    ['C0 control', Buffer.from('sw\x01x'), undefined],
    ['tab', Buffer.from('a\tb'), undefined],
    ['DEL', Buffer.from('a\x7fb'), undefined],
    ['C1 control in UTF-8', utf8('a\u0085b'), undefined],
    ['latin-1, not UTF-8', Buffer.from('Z\xfcrich', 'latin1'), undefined],
    ['truncated UTF-8', utf8('Zür').subarray(0, 2), undefined],
    ['binary', Buffer.from([0x00, 0x1a, 0x2b, 0xff, 0xfe, 0x01]), undefined],
    ['encoded surrogate', Buffer.from([0x61, 0xed, 0xa0, 0x80]), undefined],
  ])('%s', (_, input, expected) => {
    expect(printable(input)).toBe(expected);
  });

  it.each([
    ['octetText', () => octetText(utf8('Zürich-core1')), 'Zürich-core1'],
    ['octetText of binary is hex', () => octetText(Buffer.from([0xff, 0x01])), 'ff01'],
    ['LLDP chassis ID, local', () => chassisIdText(7, utf8('Zürich-core1')), 'Zürich-core1'],
    ['LLDP port ID, name', () => portIdText(5, utf8('Port Süd 1')), 'Port Süd 1'],
  ])('%s', (_, f, expected) => {
    expect(f()).toBe(expected);
  });
});

describe('xmlText', () => {
  it.each([
    ['plain', 'sw1', 'sw1'],
    ['markup', `<a href="x">&'</a>`, '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;'],
    ['C0 controls dropped', 'sw\u0001x\u001f', 'swx'],
    ['tab, LF and CR kept', 'a\tb\nc\rd', 'a\tb\nc\rd'],
    ['lone surrogates dropped', 'a\ud800b\udc00c', 'abc'],
    ['U+FFFE and U+FFFF dropped', 'a\ufffeb\uffffc', 'abc'],
    ['non-ASCII kept', 'Zürich 🖧', 'Zürich 🖧'],
    ['an entity is escaped again', '&amp;', '&amp;amp;'],
  ])('%s', (_, input, expected) => {
    expect(xmlText(input)).toBe(expected);
  });

  it('leaves no character XML 1.0 forbids in either exporter, whatever the names', () => {
    const a = sw(1);
    a.device = 'sw\u0001<1>&"\''; // the config accepts a control character in a device name
    a.sysName = 'sw1\ufffe';
    a.lldp.push({ localPortNum: 4, localIfIndex: 4, localPort: 'Gi0/4', chassisIdSubtype: 7, chassisId: 'x', portIdSubtype: 5, portId: ']]><x a="1">\u0008', sysName: 'peer\u001b', managementAddresses: [] });
    const g = buildGraph([a], 1);
    for (const out of [toGraphml(g), apiGraphml(toApiGraph(g))]) {
      expect(out).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
      expect(out).toContain('sw&lt;1&gt;&amp;&quot;&apos;');
      expect(out).not.toContain(']]>');
    }
  });
});
