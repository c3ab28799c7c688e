// The search's vocabulary: its table, and how a name holds an abbreviation.
import { describe, expect, it } from 'vitest';
import { Dictionary, type MibNode } from '../../src/mib/index.ts';
import { ALL_ABBREVIATIONS, nodesAbbreviating, vocabularyOf, vocabularyStems, type NameAbbreviation } from '../../src/mib/search-vocabulary.ts';
import { searchStem } from '../../src/mib/word-index.ts';

describe('the vocabulary table', () => {
  it('holds stems (query words are looked up by theirs) and abbreviations as names write them', () => {
    for (const stem of vocabularyStems()) {
      expect(searchStem(stem), stem).toBe(stem);
      for (const w of vocabularyOf(stem)!.same) expect(searchStem(w), w).toBe(w);
    }
    for (const a of ALL_ABBREVIATIONS) {
      // a name's first word is lower case; an inner one starts with a capital
      expect(a.text, JSON.stringify(a)).toMatch(a.first ? /^[a-z]+$/ : /^[A-Z][a-z]*([A-Z][a-z]*)*$/);
      if (a.within !== undefined) expect(a.within).toMatch(/^[a-z0-9]+$/);
    }
  });
  it('gives words meaning the same thing each other\'s abbreviations', () => {
    expect(vocabularyOf('neighbour')!.same).toEqual(['neighbor', 'neighbour']);
    expect(vocabularyOf('neighbour')!.abbreviations).toEqual(vocabularyOf('neighbor')!.abbreviations);
    // neighbour is neighbor spelled another way, a processor no cpu spelled so
    expect(vocabularyOf('neighbour')!.spellings).toEqual(['neighbor', 'neighbour']);
    expect(vocabularyOf('cpu')!.spellings).toEqual(['cpu']);
    expect(vocabularyOf('ifinerrors')).toBeUndefined();
  });
});

const NAMES = [
  'ospfNbrState', 'rsvpIfNbrs', 'fooNbra', 'nbrFirst', 'lldpRemSysName', 'lldpRemoteThing', 'tcpConnRemAddress',
  'ifInErrors', 'iftab', 'if2Foo', 'ipNetToMediaTable', 'ipNetToMediaXyz', 'ipNetToMedian', 'otherNetToMedia',
];

/** the nodes of NAMES holding `a` */
function holding(a: NameAbbreviation): string[] {
  const names = NAMES.map((n) => n.toLowerCase());
  const starts = new Int32Array(names.length);
  for (let i = 1; i < names.length; i++) starts[i] = starts[i - 1] + names[i - 1].length + 1;
  return [...nodesAbbreviating(a, { joined: names.join('\n'), starts, names }, (i) => NAMES[i])].map((i) => NAMES[i]);
}

describe('a name holds an abbreviation', () => {
  it('inside it: a capitalised word, maybe plural, then no lower-case letter', () => {
    expect(holding({ text: 'Nbr' })).toEqual(['ospfNbrState', 'rsvpIfNbrs']);
    expect(holding({ text: 'NetToMedia' })).toEqual(['ipNetToMediaTable', 'ipNetToMediaXyz', 'otherNetToMedia']);
  });
  it('within names holding a text', () => {
    expect(holding({ text: 'Rem' })).toEqual(['lldpRemSysName', 'tcpConnRemAddress']);
    expect(holding({ text: 'Rem', within: 'lldp' })).toEqual(['lldpRemSysName']);
    expect(holding({ text: 'NetToMedia', within: 'ip' })).toEqual(['ipNetToMediaTable', 'ipNetToMediaXyz']);
  });
  it('first: at the start, then a capital or a digit', () => {
    expect(holding({ text: 'if', first: true })).toEqual(['ifInErrors', 'if2Foo']);
    expect(holding({ text: 'nbr', first: true })).toEqual(['nbrFirst']);
    expect(holding({ text: 'ospf', first: true })).toEqual(['ospfNbrState']);
  });
});

describe('search with the vocabulary', () => {
  const nodes = (): MibNode[] => [
    { name: 'ospfNbrState', oid: '1.3.6.1.2.1.14.10.1.6', module: 'OSPF-MIB', kind: 'object-type', description: 'the state of the relationship' },
    { name: 'ospfVirtIfNeighbor', oid: '1.3.6.1.2.1.14.9.1.3', module: 'OSPF-MIB', kind: 'object-type', description: 'the router id' },
    { name: 'lldpRemSysName', oid: '1.0.8802.1.1.2.1.4.1.1.9', module: 'LLDP-MIB', kind: 'object-type', description: 'the remote system name' },
    { name: 'tcpConnRemAddress', oid: '1.3.6.1.2.1.6.13.1.4', module: 'TCP-MIB', kind: 'object-type', description: 'the remote address' },
    { name: 'hrProcessorLoad', oid: '1.3.6.1.2.1.25.3.3.1.2', module: 'HOST-RESOURCES-MIB', kind: 'object-type', description: 'busy time' },
  ];
  const names = (d: Dictionary, q: string) => d.search(q).hits.map((h) => h.node.name);

  it('finds a word through its abbreviations and the words meaning the same', () => {
    const d = new Dictionary(nodes());
    expect(names(d, 'ospf neighbors')).toEqual(['ospfNbrState', 'ospfVirtIfNeighbor']);
    expect(names(d, 'neighbours')).toEqual(['ospfVirtIfNeighbor', 'ospfNbrState', 'lldpRemSysName']);
    expect(names(d, 'neighbors')).toEqual(names(d, 'neighbours'));
    expect(names(d, 'cpu')).toEqual(['hrProcessorLoad']);
    expect(names(d, 'host cpu load')).toEqual(['hrProcessorLoad']);
  });
  // a query of one word: the word as written (singular, plural, another spelling) first, however long the
  // name; a query of several: the names holding most of the words first, an abbreviation counting as the word
  const ranked = (): MibNode[] => [
    { name: 'ifInErrors', oid: '1.3.6.1.2.1.2.2.1.14', module: 'IF-MIB', kind: 'object-type', description: 'inbound packets with errors' },
    { name: 'pwInboundLabel', oid: '1.3.6.1.2.1.10.246.1.2.1.7', module: 'PW-STD-MIB', kind: 'object-type', description: 'the label' },
    { name: 'ssSwapIn', oid: '1.3.6.1.4.1.2021.11.3', module: 'UCD-SNMP-MIB', kind: 'object-type', description: 'swapped' },
    { name: 'mtxrInterfaceStatsRxFCSError', oid: '1.3.6.1.4.1.14988.1.1.14.1.1.50', module: 'MIKROTIK-MIB', kind: 'object-type', description: 'received errors' },
    { name: 'hrFSFat', oid: '1.3.6.1.2.1.25.3.9.5', module: 'HOST-RESOURCES-TYPES', kind: 'object-identity', description: 'fat' },
    { name: 'mteResourceSampleMinimum', oid: '1.3.6.1.2.1.88.1.1.1', module: 'DISMAN-EVENT-MIB', kind: 'object-type', description: 'samples' },
    { name: 'nsCpu', oid: '1.3.6.1.4.1.3375.2.1.1', module: 'NS-MIB', kind: 'object-type', description: 'cpu' },
    { name: 'hrProcessorLoad', oid: '1.3.6.1.2.1.25.3.3.1.2', module: 'HOST-RESOURCES-MIB', kind: 'object-type', description: 'busy time' },
  ];
  it.each([
    ['inbound', ['pwInboundLabel', 'ssSwapIn', 'ifInErrors']],
    ['input', ['ssSwapIn', 'ifInErrors']],
    // `hr` starts the name, but only abbreviates resources
    ['resources', ['mteResourceSampleMinimum', 'hrFSFat', 'hrProcessorLoad']],
    ['processor', ['hrProcessorLoad', 'nsCpu']],
    ['cpus', ['nsCpu', 'hrProcessorLoad']],
    ['interface errors', ['ifInErrors', 'mtxrInterfaceStatsRxFCSError']],
    ['inbound errors', ['ifInErrors']],
    ['host resources', ['hrFSFat', 'hrProcessorLoad']],
  ])('%s → %j', (query, expected) => {
    expect(names(new Dictionary(ranked()), query)).toEqual(expected);
  });
  // a word starting a word of the name (its start, a capital, a digit) before one only inside a word
  const arp = (): MibNode[] => [
    { name: 'aarpTable', oid: '1.3.6.1.2.1.13.1.1', module: 'APPLETALK-MIB', kind: 'object-type', description: 'the AppleTalk address map' },
    { name: 'charPortTable', oid: '1.3.6.1.2.1.19.2', module: 'CHARACTER-MIB', kind: 'object-type', description: 'a list of port entries' },
    { name: 'ipoaArpSrvrTable', oid: '1.3.6.1.2.1.62.1.6', module: 'IPOA-MIB', kind: 'object-type', description: 'the servers' },
    { name: 'ipNetToMediaTable', oid: '1.3.6.1.2.1.4.22', module: 'IP-MIB', kind: 'object-type', description: 'the IPv4 address translation table' },
  ];
  it.each([
    ['arp', ['ipoaArpSrvrTable', 'aarpTable', 'charPortTable', 'ipNetToMediaTable']],
    ['arp table', ['ipNetToMediaTable', 'ipoaArpSrvrTable', 'aarpTable', 'charPortTable']],
  ])('%s → %j', (query, expected) => {
    expect(names(new Dictionary(arp()), query)).toEqual(expected);
  });
  it('answers alike after prepare(\'search\') found every abbreviation in slices', async () => {
    const prepared = new Dictionary(nodes());
    await prepared.prepare('search', 1);
    for (const q of ['ospf neighbors', 'neighbours', 'remote address', 'cpu load']) expect(names(prepared, q)).toEqual(names(new Dictionary(nodes()), q));
  });
});
