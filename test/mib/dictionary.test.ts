// Translation, resolution, formatting and search on the whole shipped corpus.
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMibs, loadDictionary, type Dictionary } from '../../src/mib/index.ts';
import { repoMibsDir } from '../../src/mib/paths.ts';
import { GOOD_MODULE, smallCorpus } from './fixtures.ts';

let dict: Dictionary;
beforeAll(() => {
  dict = compileMibs([repoMibsDir()]).dictionary;
}, 120_000);

describe('translate: numeric OID → MODULE::name.index', () => {
  it.each([
    ['1.3.6.1.2.1.2.2.1.2.2', 'IF-MIB::ifDescr.2'],
    ['.1.3.6.1.2.1.2.2.1.2.2', 'IF-MIB::ifDescr.2'],
    ['1.3.6.1.2.1.1.5.0', 'SNMPv2-MIB::sysName.0'],
    ['1.3.6.1.2.1.4.22.1.2.2.10.0.0.1', 'IP-MIB::ipNetToMediaPhysAddress.2.10.0.0.1'],
    ['1.3.6.1.2.1.31.1.1.1.1.5', 'IF-MIB::ifName.5'],
    ['1.3.6.1.2.1.4.34.1.3.1.4.10.0.0.1', 'IP-MIB::ipAddressIfIndex.ipv4.10.0.0.1'],
    ['1.3.6.1.6.3.18.1.1.1.2.112.117.98.108.105.99', "SNMP-COMMUNITY-MIB::snmpCommunityName.'public'"],
    ['1.3.6.1.6.3.16.1.2.1.3.2.6.112.117.98.108.105.99', 'SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.2."public"'],
    ['1.3.6.1.2.1.17.4.3.1.2.0.80.86.1.2.3', 'BRIDGE-MIB::dot1dTpFdbPort.00:50:56:01:02:03'],
    ['1.3.6.1.2.1.2.2.1', 'IF-MIB::ifEntry'],
    ['1.3.6.1.4.1.9.9.23.1.2.1.1.6.3.1', 'CISCO-CDP-MIB::cdpCacheDeviceId.3.1'],
    ['1.3.6.1.2.1.2.2.1.2.2.99', 'IF-MIB::ifDescr.2.99'],
    ['1.3.6.1.6.3.1.1.5.3', 'IF-MIB::linkDown'],
    ['1.3.6.1.4.1.23.2.5.5.0.1', 'IPX::ipxTrapCircuitDown'],
  ])('%s → %s', (oid, want) => {
    expect(dict.translate(oid)?.text).toBe(want);
  });
  it('returns undefined for non-OIDs', () => {
    expect(dict.translate('not.an.oid')).toBeUndefined();
  });
  it('a sub-identifier is at most 2^32 - 1: above it, not an OID (400 digits read as Infinity before)', () => {
    expect(dict.translate('1.3.6.1.2.1.2.2.1.2.4294967295')?.text).toBe('IF-MIB::ifDescr.4294967295');
    expect(dict.translate('1.3.6.1.2.1.2.2.1.2.4294967296')).toBeUndefined();
    expect(dict.resolve('1.3.6.1.4294967296')).toBeUndefined();
    expect(dict.resolve(`1.3.${'9'.repeat(400)}`)).toBeUndefined();
  });
});

describe('resolve: name → OID', () => {
  it.each([
    ['IF-MIB::ifDescr', '1.3.6.1.2.1.2.2.1.2'],
    ['ifDescr', '1.3.6.1.2.1.2.2.1.2'],
    ['ifDescr.2', '1.3.6.1.2.1.2.2.1.2.2'],
    ['IF-MIB::ifDescr.2', '1.3.6.1.2.1.2.2.1.2.2'],
    ['.1.3.6.1.2.1', '1.3.6.1.2.1'],
    ['sysUpTime.0', '1.3.6.1.2.1.1.3.0'],
    ['vacmGroupName.2."public"', '1.3.6.1.6.3.16.1.2.1.3.2.6.112.117.98.108.105.99'],
    ['enterprises', '1.3.6.1.4.1'],
  ])('%s → %s', (name, want) => {
    expect(dict.resolve(name)).toBe(want);
  });
  it.each(['NO-SUCH-MIB::ifDescr', 'noSuchObjectAnywhere', 'ifDescr.x'])('%s → undefined', (name) => {
    expect(dict.resolve(name)).toBeUndefined();
  });
  it('a name\'s index: sub-identifiers up to 2^32 - 1 and 128 in the whole OID (before: Infinity printed, a long string threw RangeError)', () => {
    expect(dict.resolve('ifDescr.4294967295')).toBe('1.3.6.1.2.1.2.2.1.2.4294967295');
    expect(dict.resolve('ifDescr.4294967296')).toBeUndefined();
    expect(dict.resolve(`ifDescr.${'9'.repeat(400)}`)).toBeUndefined();
    // vacmGroupName has 11 sub-identifiers: 117 left for the index
    expect(dict.resolve(`vacmGroupName.2."${'a'.repeat(115)}"`)?.split('.')).toHaveLength(128);
    expect(dict.resolve(`vacmGroupName.2.'${'a'.repeat(116)}'`)?.split('.')).toHaveLength(128);
    expect(dict.resolve(`vacmGroupName.2."${'a'.repeat(116)}"`)).toBeUndefined();
    expect(dict.resolve(`vacmGroupName.2${'.1'.repeat(116)}`)?.split('.')).toHaveLength(128);
    expect(dict.resolve(`vacmGroupName.2${'.1'.repeat(117)}`)).toBeUndefined();
    expect(dict.resolve(`vacmGroupName.2."${'a'.repeat(200_000)}"`)).toBeUndefined();
  });
  it('a quoted index: one octet a character, latin1; a character above U+00FF is refused (before: its low byte, "中" read as "-")', () => {
    expect(dict.resolve('vacmGroupName.2."\u00e9"')).toBe('1.3.6.1.6.3.16.1.2.1.3.2.1.233');
    expect(dict.resolve('vacmGroupName.2."\u4e2d"')).toBeUndefined();
    expect(dict.resolve("vacmGroupName.2.'a\u{1f600}'")).toBeUndefined();
  });
  it('a numeric OID: at most 128 sub-identifiers too (before: any length)', () => {
    expect(dict.resolve(`1${'.1'.repeat(127)}`)?.split('.')).toHaveLength(128);
    expect(dict.resolve(`1${'.1'.repeat(128)}`)).toBeUndefined();
    expect(dict.resolve(`.1${'.1'.repeat(128)}`)).toBeUndefined();
  });
});

describe('nodes carry the definition', () => {
  it('ifOperStatus: enums, access, status, parent row INDEX', () => {
    const n = dict.node('IF-MIB::ifOperStatus')!;
    expect(n.kind).toBe('object-type');
    expect(n.syntax?.enums?.slice(0, 2)).toEqual([{ label: 'up', value: '1' }, { label: 'down', value: '2' }]);
    expect(n.access).toBe('read-only');
    expect(n.status).toBe('current');
    expect(dict.node('ifEntry')!.index).toEqual([{ node: 'IF-MIB::ifIndex', implied: false }]);
  });
  it('textual conventions resolve to the base type with DISPLAY-HINT and sizes', () => {
    const s = dict.node('IF-MIB::ifPhysAddress')!.syntax!;
    expect(s).toMatchObject({ type: 'PhysAddress', base: 'OCTET STRING', displayHint: '1x:' });
    const d = dict.node('IF-MIB::ifDescr')!.syntax!;
    expect(d).toMatchObject({ type: 'DisplayString', base: 'OCTET STRING', displayHint: '255a', sizes: [{ min: '0', max: '255' }] });
  });
  it('notifications carry OBJECTS, AUGMENTS rows point at the base row', () => {
    expect(dict.node('IF-MIB::linkDown')!.objects).toEqual(['IF-MIB::ifIndex', 'IF-MIB::ifAdminStatus', 'IF-MIB::ifOperStatus']);
    expect(dict.node('IF-MIB::ifXEntry')!.augments).toBe('IF-MIB::ifEntry');
  });
  it('children lists the subtree one level down, one node per OID', () => {
    const names = dict.children('1.3.6.1.2.1.1').map((n) => n.name);
    expect(names.slice(0, 3)).toEqual(['sysDescr', 'sysObjectID', 'sysUpTime']);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('formatValue: snmpwalk-style values', () => {
  it.each([
    ['1.3.6.1.2.1.2.2.1.8.2', 'INTEGER: up(1)', { type: 'Integer', value: 1 }],
    ['1.3.6.1.2.1.2.2.1.8.2', 'INTEGER: 42', { type: 'Integer', value: 42 }],
    ['1.3.6.1.2.1.2.2.1.6.2', 'STRING: 00:1A:2B:3C:4D:5E', { type: 'OctetString', value: Buffer.from([0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e]) }],
    ['1.3.6.1.2.1.1.1.0', 'STRING: Linux box', { type: 'OctetString', value: Buffer.from('Linux box') }],
    ['1.3.6.1.2.1.1.2.0', 'OID: IF-MIB::ifDescr', { type: 'OID', value: '1.3.6.1.2.1.2.2.1.2' }],
    ['1.3.6.1.2.1.1.3.0', 'Timeticks: (8640123) 1 day, 0:00:01.23', { type: 'TimeTicks', value: 8640123 }],
    ['1.3.6.1.2.1.2.2.1.10.1', 'Counter32: 5', { type: 'Counter32', value: 5 }],
    ['1.3.6.1.2.1.31.1.1.1.6.1', 'Counter64: 12345678901234', { type: 'Counter64', value: 12345678901234n }],
    ['1.3.6.1.2.1.4.20.1.1.10.0.0.1', 'IpAddress: 10.0.0.1', { type: 'IpAddress', value: '10.0.0.1' }],
    ['1.3.6.1.2.1.25.1.2.0', 'STRING: 2022-8-15,8:1:15.0', { type: 'OctetString', value: Buffer.from([0x07, 0xe6, 8, 15, 8, 1, 15, 0]) }],
    ['1.3.6.1.9.9.9', 'Hex-STRING: 01 02 FF', { type: 'OctetString', value: Buffer.from([1, 2, 255]) }],
    ['1.3.6.1.2.1.1.5.0', 'No Such Instance currently exists at this OID', { type: 'NoSuchInstance', value: null }],
  ] as [string, string, { type: string; value: never }][])('%s → %s', (oid, want, vb) => {
    expect(dict.formatValue(oid, vb)).toBe(want);
  });
  it('formatVarbind prints a whole snmpwalk line', () => {
    expect(dict.formatVarbind({ oid: '1.3.6.1.2.1.2.2.1.7.3', type: 'Integer', value: 2 })).toBe('IF-MIB::ifAdminStatus.3 = INTEGER: down(2)');
  });
});

describe('search', () => {
  it('ranks the exact name first', () => {
    const r = dict.search('ifOperStatus', { limit: 3 });
    expect(`${r.hits[0].node.module}::${r.hits[0].node.name}`).toBe('IF-MIB::ifOperStatus');
  });
  it('matches numeric OID prefixes', () => {
    const r = dict.search('1.3.6.1.2.1.2.2.1', { limit: 500 });
    expect(r.hits[0].node.name).toBe('ifEntry');
    expect(r.hits.every((h) => h.node.oid.startsWith('1.3.6.1.2.1.2.2.1'))).toBe(true);
  });
  it('matches description words and pages with offset', () => {
    const a = dict.search('bgp peer state', { limit: 5 });
    expect(a.total).toBeGreaterThan(5);
    expect(a.hits.some((h) => h.node.name === 'bgpPeerState')).toBe(true);
    const b = dict.search('bgp peer state', { limit: 5, offset: 5 });
    expect(b.hits[0].node).toBe(dict.search('bgp peer state', { limit: 6 }).hits[5].node);
    expect(dict.search('zzzznotaword').total).toBe(0);
  });
  it('ranks by how many query words the name holds, and finds plurals and singulars alike', () => {
    expect(dict.search('bgp peer state', { limit: 1 }).hits[0].node.name).toBe('bgpPeerState');
    const errors = dict.search('interface errors', { limit: 20 }).hits.map((h) => h.node);
    // IF-MIB's names say "if" for interface: ifInErrors holds both words in its name
    expect(`${errors[0].module}::${errors[0].name}`).toBe('IF-MIB::ifInErrors');
    for (const n of errors) expect(`${n.name} ${n.description}`.toLowerCase()).toMatch(/^if[a-z0-9]*error|interface[\s\S]*error|error[\s\S]*interface/);
    expect(dict.search('interface speed', { limit: 1 }).hits[0].node.name).toBe('ifSpeed');
    expect(dict.search('system uptime', { limit: 1 }).hits[0].node.name).toBe('sysUpTime');
    expect(dict.search('interfaces error').total).toBe(dict.search('interface errors').total);
    expect(dict.search('entries', { limit: 3 }).hits[0].node.name).toMatch(/Entry$/);
    // a name holds the plural as written, not its stem: ifNumber's neighbours named ...Entries
    const numEntries = dict.nodes.filter((n) => /numentries/i.test(n.name)).length;
    expect(numEntries).toBeGreaterThan(0);
    expect(dict.search('numentries', { limit: 1 }).total).toBeGreaterThanOrEqual(numEntries);
  });
  // the vocabulary (src/mib/search-vocabulary.ts): names read as a network engineer reads them
  it.each([
    // neighbours: LLDP's remote systems, CDP's cache, OSPF's Nbr, BGP's peers, IS-IS adjacencies
    ['lldp neighbors', ['LLDP-MIB::lldpRemTable', 'LLDP-MIB::lldpRemEntry', 'LLDP-MIB::lldpRemIndex', 'LLDP-MIB::lldpRemPortId', 'LLDP-MIB::lldpRemSysName']],
    ['lldp neighbours', ['LLDP-MIB::lldpRemTable', 'LLDP-MIB::lldpRemEntry', 'LLDP-MIB::lldpRemIndex', 'LLDP-MIB::lldpRemPortId', 'LLDP-MIB::lldpRemSysName']],
    ['cdp neighbors', ['CISCO-CDP-MIB::cdpCache', 'CISCO-CDP-MIB::cdpCacheMTU', 'CISCO-CDP-MIB::cdpCacheTable', 'CISCO-CDP-MIB::cdpCacheEntry']],
    ['ospf neighbors', ['OSPF-MIB::ospfNbrTable', 'OSPF-MIB::ospfNbrEntry', 'OSPF-MIB::ospfNbrRtrId', 'OSPF-MIB::ospfNbrState']],
    ['bgp neighbors', ['BGP4-MIB::bgpPeerTable', 'BGP4-MIB::bgpPeerEntry', 'BGP4-MIB::bgpPeerState']],
    ['isis neighbors', ['ISIS-MIB::isisISAdj']],
    // the MIB prefixes: ent (ENTITY-MIB), hr (HOST-RESOURCES-MIB), if, and cpu = processor
    ['entity serial number', ['ENTITY-MIB::entPhysicalSerialNum']],
    ['storage used', ['HOST-RESOURCES-MIB::hrStorageUsed']],
    ['host storage', ['HOST-RESOURCES-MIB::hrStorage']],
    ['cpu load', ['HOST-RESOURCES-MIB::hrProcessorLoad']],
    ['interface description', ['IF-MIB::ifDescr']],
    ['interface unicast packets', ['IF-MIB::ifInUcastPkts']],
    // In/Out, drops = discards, dsk, Man(agement) Addr(ess)
    ['input errors', ['IF-MIB::ifInErrors']],
    ['output drops', ['IF-MIB::ifOutDiscards']],
    ['disk used', ['UCD-SNMP-MIB::dskUsed']],
    ['lldp management address', ['LLDP-MIB::lldpLocManAddr', 'LLDP-MIB::lldpRemManAddr']],
    // arp = IP-MIB's net-to-media table, before names holding "arp" inside a word (aarpTable, charPortTable)
    ['arp table', ['IP-MIB::ipNetToMediaTable', 'RFC1213-MIB::ipNetToMediaTable']],
    // the rules before the vocabulary still rank these first
    ['interface errors', ['IF-MIB::ifInErrors']],
    ['system uptime', ['SNMPv2-MIB::sysUpTime']],
    ['bgp peer state', ['BGP4-MIB::bgpPeerState']],
  ])('%s → %j first', (query, first) => {
    const hits = dict.search(query, { limit: first.length }).hits.map((h) => `${h.node.module}::${h.node.name}`);
    expect(hits).toEqual(first);
  });
  // one word: the names holding it as written (or its plural or singular) before those holding only
  // an abbreviation of it or a word meaning the same, however short (`ssSwapIn` for inbound)
  it.each([
    ['inbound', /inbound/i, 'ifInErrors'],
    ['transmit', /transmit/i, 'lldpStatsTxPortFramesTotal'],
    ['resources', /resource/i, 'hrStorageUsed'],
    ['configuration', /configuration/i, 'lldpConfigManAddrTable'],
    ['temperature', /temperature/i, 'jnxFruTemp'],
    ['processor', /processor/i, 'cpmCPUTotal5min'],
    ['statistics', /statistic/i, 'lldpStatsRxPortFramesTotal'],
    ['input', /input/i, 'ifInDiscards'],
  ])('%s → the names holding %s first, then the abbreviated ones (%s)', (query, asWritten, abbreviated) => {
    const hits = dict.search(query, { limit: 100_000 }).hits.filter((h) => h.match === 'name').map((h) => h.node.name);
    const firstOther = hits.findIndex((n) => !asWritten.test(n));
    expect(hits[0]).toMatch(asWritten);
    expect(hits.slice(firstOther).filter((n) => asWritten.test(n))).toEqual([]);
    expect(hits.slice(firstOther)).toContain(abbreviated);
  });
  it('finds cpus as cpu, with its vocabulary (processor)', () => {
    const names = (q: string) => dict.search(q, { limit: 50 }).hits.map((h) => h.node.name);
    expect(dict.search('cpus').total).toBe(dict.search('cpu').total);
    expect(names('cpus')).toEqual(names('cpu'));
    expect(names('cpus load')[0]).toBe('hrProcessorLoad');
  });
  it('reads an abbreviation only where the vocabulary puts it', () => {
    const names = (q: string) => dict.search(q, { limit: 10_000 }).hits.map((h) => h.node.name);
    // Rem is a neighbour in LLDP names only: TCP-MIB's remote address is no neighbour
    expect(names('neighbors')).not.toContain('tcpConnRemAddress');
    expect(names('remote address')).toContain('tcpConnRemAddress');
    // the ARP table is IP-MIB's net-to-media table
    expect(names('arp table').slice(0, 5)).toContain('ipNetToMediaTable');
  });
  it('lists every node as MODULE::name<TAB>OID', () => {
    const lines = dict.listLines();
    expect(lines.length).toBe(dict.size);
    expect(lines).toContain('IF-MIB::ifDescr\t1.3.6.1.2.1.2.2.1.2');
  });
});

describe('cache and uploads', () => {
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('writes a cache, loads it, rebuilds when a source file changes', () => {
    const src = smallCorpus();
    const cacheDir = mkdtempSync(join(tmpdir(), 'netpulse-mibcache-'));
    dirs.push(src, cacheDir);
    // a version 1 cache's texts file: removed by the next write
    writeFileSync(join(cacheDir, 'texts.json'), '{"key":"old","nodes":[],"types":[]}');
    const a = compileMibs([src], { cacheDir });
    expect(a.fromCache).toBe(false);
    expect(readdirSync(cacheDir).sort()).toEqual(['dictionary.json', 'texts.jsonl']);
    const b = compileMibs([src], { cacheDir });
    expect(b.fromCache).toBe(true);
    expect(b.dictionary.size).toBe(a.dictionary.size);
    expect(b.dictionary.node('IF-MIB::ifDescr')!.description).toMatch(/textual string/);
    expect(b.dictionary.node('IF-MIB::ifDescr')!.syntax!.displayHint).toBe('255a');
    expect(loadDictionary(cacheDir)!.dictionary.translate('1.3.6.1.2.1.2.2.1.2.7')!.text).toBe('IF-MIB::ifDescr.7');
    const f = join(src, 'std', 'IF-MIB.txt');
    utimesSync(f, new Date(), new Date(Date.now() + 5000));
    expect(compileMibs([src], { cacheDir }).fromCache).toBe(false);
    writeFileSync(join(src, 'GOOD-MIB.my'), GOOD_MODULE);
    const c = compileMibs([src], { cacheDir });
    expect(c.fromCache).toBe(false);
    expect(c.dictionary.resolve('goodState')).toBe('1.3.6.1.4.1.99999.2.1.1');
  });

  it('addModule compiles an upload against the dictionary; a broken upload changes nothing', () => {
    const src = smallCorpus();
    dirs.push(src);
    const d = compileMibs([src]).dictionary;
    const before = d.size;
    const ok = d.addModule(GOOD_MODULE);
    expect(ok.ok, JSON.stringify(ok.errors)).toBe(true);
    expect(ok.modules).toEqual(['GOOD-MIB']);
    expect(d.translate('1.3.6.1.4.1.99999.2.1.1.3')!.text).toBe('GOOD-MIB::goodState.3');
    expect(d.formatValue('1.3.6.1.4.1.99999.2.1.1.3', { type: 'Integer', value: 2 })).toBe('INTEGER: off-line(2)');
    expect(d.node('goodName')!.syntax).toMatchObject({ base: 'OCTET STRING', displayHint: '255a', sizes: [{ min: '0', max: '32' }] });
    const after = d.size;
    expect(after).toBeGreaterThan(before);

    const broken = GOOD_MODULE.replace('goodName OBJECT-TYPE', 'goodName OBJECT-TYPE ( ( (').replace('{ goodMib 1 }', '{ noSuchParent 1 }');
    const bad = d.addModule(broken);
    expect(bad.ok).toBe(false);
    expect(bad.errors.length).toBeGreaterThan(0);
    expect(d.size).toBe(after);
    expect(d.resolve('GOOD-MIB::goodName')).toBe('1.3.6.1.4.1.99999.1');
    expect(d.addModule('hello world').ok).toBe(false);
    expect(d.size).toBe(after);
  });

  it('addModule with saveDir keeps the upload for the next full compile', () => {
    const src = smallCorpus();
    dirs.push(src);
    const d = compileMibs([src]).dictionary;
    const saveDir = join(src, 'uploads');
    expect(d.addModule(GOOD_MODULE, { saveDir }).ok).toBe(true);
    expect(compileMibs([src]).dictionary.resolve('GOOD-MIB::goodName')).toBe('1.3.6.1.4.1.99999.1');
  });
});
