// The search's word-boundary rule: a query word starting a word of the name outranks the same word inside one.
import { describe, expect, it } from 'vitest';
import { Dictionary, type MibNode } from '../../src/mib/index.ts';
import { Grade, gradeScale, startsWord } from '../../src/mib/search-score.ts';

const names = (nodes: MibNode[], q: string) => new Dictionary(nodes).search(q).hits.map((h) => h.node.name);
const node = (name: string, oid: string, module = 'TEST-MIB'): MibNode => ({ name, oid, module, kind: 'object-type', description: 'a value' });

describe('startsWord', () => {
  it.each([
    ['ifPortIndex', 2, true],
    ['if-port', 3, true],
    ['dot1port', 4, true],
    ['dot1port', 3, true],
    ['ifMACPortIndex', 5, true],
    ['ifMACPortIndex', 4, false],
    ['sportIdx', 1, false],
    ['ifHCInOctets', 5, false],
  ] as const)('%s at %d → %s', (name, at, want) => {
    expect(startsWord(name, at)).toBe(want);
  });
});

describe('a word at a word boundary of the name ranks above the same word inside a word', () => {
  // the rival holds `port` inside a word; it is shorter and first in OID order, so only the boundary rule ranks it second
  const rival = node('sportIdx', '1.3.6.1.4.1.9999.1');
  it.each([
    ['the start of the name', 'port', 'portIndexValue'],
    ['after a capital', 'port', 'ifPortIndexValue'],
    ['after a hyphen', 'port', 'if-port-index-value'],
    ['after a digit', 'port', 'dot1portIndexValue'],
    ['the capital ending an acronym', 'port', 'ifMACPortIndexValue'],
  ])('%s (%s: %s first)', (_where, query, atBoundary) => {
    expect(names([rival, node(atBoundary, '1.3.6.1.4.1.9999.2')], query)).toEqual([atBoundary, 'sportIdx']);
  });
  it('in a query of several words', () => {
    const nodes = [node('sportStatus', '1.3.6.1.4.1.9999.1'), node('ifPortOperStatusValue', '1.3.6.1.4.1.9999.2')];
    expect(names(nodes, 'port status')).toEqual(['ifPortOperStatusValue', 'sportStatus']);
  });
  it('arp table: IP-MIB\'s net-to-media table, then Arp as a word, then arp inside a word', () => {
    const nodes = [
      node('ipNetToMediaTable', '1.3.6.1.2.1.4.22', 'IP-MIB'),
      node('aarpTable', '1.3.6.1.2.1.13.1.1', 'APPLETALK-MIB'),
      node('charPortTable', '1.3.6.1.2.1.19.2', 'CHARACTER-MIB'),
      node('ipoaArpSrvrTable', '1.3.6.1.2.1.62.1.6', 'IPOA-MIB'),
    ];
    expect(names(nodes, 'arp table')).toEqual(['ipNetToMediaTable', 'ipoaArpSrvrTable', 'aarpTable', 'charPortTable']);
  });
});

describe('the grade weights', () => {
  it.each([['one word', true], ['several words', false]] as const)('%s: at a word boundary outweighs inside a word by more than the length term (100) moves; a name grade weighs > 0', (_shape, oneWord) => {
    const { weight } = gradeScale(oneWord);
    expect(weight[Grade.WRITTEN_AT_BOUNDARY] - weight[Grade.WRITTEN_MID_WORD]).toBeGreaterThan(100);
    expect(weight[Grade.ABBREVIATED_AT_BOUNDARY] - weight[Grade.ABBREVIATED_MID_WORD]).toBeGreaterThan(100);
    expect(weight[Grade.ABBREVIATED_MID_WORD]).toBeGreaterThan(0);
    expect(weight[Grade.IN_DESCRIPTION_ONLY]).toBe(0);
  });
});
