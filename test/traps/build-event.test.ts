import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMibs } from '../../src/mib/index.ts';
import type { Varbind } from '../../src/snmp/types.ts';
import { buildTrapEvent } from '../../src/traps/build-event.ts';
import type { Translator } from '../../src/traps/event.ts';
import { SNMP_TRAP_OID_0 } from '../../src/traps/rfc3584.ts';
import type { Accepted } from '../../src/traps/security.ts';
import { dictionaryTranslator } from '../../src/traps/translator.ts';

const dir = mkdtempSync(join(tmpdir(), 'netpulse-build-event-'));
let translator: Translator;
beforeAll(() => {
  for (const m of ['SNMPv2-SMI', 'SNMPv2-TC', 'SNMPv2-CONF', 'SNMPv2-MIB', 'IANAifType-MIB', 'IF-MIB']) copyFileSync(join('mibs/standard', `${m}.txt`), join(dir, `${m}.txt`));
  translator = dictionaryTranslator(compileMibs([dir]).dictionary);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function accepted(version: '1' | '2c', vb: Varbind): Accepted {
  if (version === '1') {
    return { version, community: 'lab', pdu: { type: 'TrapV1', enterprise: '1.3.6.1.6.3.1.1.5', agentAddr: '127.0.0.1', genericTrap: 2, specificTrap: 0, timestamp: 5, varbinds: [vb] } };
  }
  const trapOid: Varbind = { oid: SNMP_TRAP_OID_0, type: 'OID', value: '1.3.6.1.6.3.1.1.5.3' };
  return { version, community: 'lab', pdu: { type: 'TrapV2', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [trapOid, vb] } };
}

const bytes = (...b: number[]) => Buffer.from(b);

describe('buildTrapEvent: dictionary display of the payload', () => {
  it.each<[string, '1' | '2c', Varbind, string, string]>([
    ['MAC: the hint formats the bytes, not their hex text', '2c', { oid: '1.3.6.1.2.1.2.2.1.6.2', type: 'OctetString', value: bytes(0x00, 0x11, 0x22, 0x33, 0x44, 0x55) }, 'IF-MIB::ifPhysAddress.2', '00:11:22:33:44:55'],
    ['MAC whose bytes read as UTF-8 text', '2c', { oid: '1.3.6.1.2.1.2.2.1.6.3', type: 'OctetString', value: bytes(0xc3, 0xa9, 0xc3, 0xa9, 0xc3, 0xa9) }, 'IF-MIB::ifPhysAddress.3', 'C3:A9:C3:A9:C3:A9'],
    ['MAC of printable bytes', '2c', { oid: '1.3.6.1.2.1.2.2.1.6.4', type: 'OctetString', value: Buffer.from('ABCDEF') }, 'IF-MIB::ifPhysAddress.4', '41:42:43:44:45:46'],
    ['MAC in a v1 trap (agent-addr and enterprise appended after it)', '1', { oid: '1.3.6.1.2.1.2.2.1.6.2', type: 'OctetString', value: bytes(0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e) }, 'IF-MIB::ifPhysAddress.2', '00:1A:2B:3C:4D:5E'],
    ['DisplayString', '2c', { oid: '1.3.6.1.2.1.2.2.1.2.2', type: 'OctetString', value: Buffer.from('eth0') }, 'IF-MIB::ifDescr.2', 'eth0'],
    ['DisplayString holding UTF-8 (ifAlias)', '2c', { oid: '1.3.6.1.2.1.31.1.1.1.18.2', type: 'OctetString', value: Buffer.from('Zürich uplink') }, 'IF-MIB::ifAlias.2', 'Zürich uplink'],
    ['enum', '2c', { oid: '1.3.6.1.2.1.2.2.1.8.2', type: 'Integer', value: 2 }, 'IF-MIB::ifOperStatus.2', 'down(2)'],
  ])('%s', (_label, version, vb, name, display) => {
    const built = buildTrapEvent(accepted(version, vb), { address: '127.0.0.1', port: 162 }, 0, translator);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.event.varbinds[0]).toMatchObject({ name, display });
  });
});

describe('buildTrapEvent: the OCTET STRINGs\' bytes are copied only for a dictionary', () => {
  const payload: Varbind[] = [
    { oid: '1.3.6.1.2.1.2.2.1.1.2', type: 'Integer', value: 2 },
    { oid: '1.3.6.1.2.1.2.2.1.6.2', type: 'OctetString', value: bytes(0x00, 0x11) },
  ];
  const trap: Accepted = { version: '2c', community: 'lab', pdu: { type: 'TrapV2', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: SNMP_TRAP_OID_0, type: 'OID', value: '1.3.6.1.6.3.1.1.5.3' }, ...payload] } };
  it.each<[string, Translator | undefined, boolean | undefined, (Uint8Array | undefined)[]]>([
    ['no translator (--no-mib): none', undefined, undefined, []],
    ['no translator, kept for one that names the event later', undefined, true, [undefined, new Uint8Array([0x00, 0x11])]],
    ['a translator: kept', { translate: () => undefined }, undefined, [undefined, new Uint8Array([0x00, 0x11])]],
  ])('%s', (_label, tr, keep, expected) => {
    const built = buildTrapEvent(trap, { address: '127.0.0.1', port: 162 }, 0, tr, keep);
    expect(built.ok && built.bytes).toEqual(expected);
  });
});

describe('buildTrapEvent: v1 generic/specific trap out of range (hostile or broken agents)', () => {
  const v1 = (genericTrap: number, specificTrap: number): Accepted => ({
    version: '1', community: 'lab', pdu: { type: 'TrapV1', enterprise: '1.3.6.1.4.1.9', agentAddr: '10.0.0.1', genericTrap, specificTrap, timestamp: 5, varbinds: [] },
  });
  it.each<[number, number, string | undefined]>([
    [0, 0, '1.3.6.1.6.3.1.1.5.1'],
    [6, 0, '1.3.6.1.4.1.9.0.0'],
    [6, 2147483647, '1.3.6.1.4.1.9.0.2147483647'],
    [7, 1, undefined],
    [-1, 1, undefined],
    [2147483647, 1, undefined],
    [6, -5, undefined],
  ])('generic %i specific %i → %s', (g, sp, want) => {
    const r = buildTrapEvent(v1(g, sp), { address: '10.0.0.1', port: 162 }, 0);
    expect(r.ok ? r.event.trapOid : undefined).toBe(want);
  });
});
