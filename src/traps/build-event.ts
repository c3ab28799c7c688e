import { isIP } from 'node:net';
import type { Varbind } from '../snmp/types.ts';
import { unmapV4 } from './acl.ts';
import type { DeviceResolver, TrapEvent, TrapVarbind, Translator } from './event.ts';
import { SNMP_TRAP_ADDRESS_0, SNMP_TRAP_ENTERPRISE_0, SNMP_TRAP_OID_0, SYS_UPTIME_0, v1TrapOid } from './rfc3584.ts';
import type { Accepted } from './security.ts';

const PRINTABLE = /^[\t\n\r\x20-\x7e]*$/;

/** OCTET STRING as text when printable (UTF-8 included), else hex like snmptrapd's `Hex-STRING` */
export function octetsToDisplay(b: Buffer): string {
  const latin = b.toString('latin1');
  if (PRINTABLE.test(latin)) return latin;
  const utf8 = b.toString('utf8');
  if (!utf8.includes('\ufffd') && !/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(utf8)) return utf8;
  return b.toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');
}

export function toTrapVarbind(vb: Varbind): TrapVarbind {
  const raw = Buffer.isBuffer(vb.value) ? vb.value : undefined;
  let value: TrapVarbind['value'] = raw ? octetsToDisplay(raw) : (vb.value as Exclude<Varbind['value'], Buffer | boolean>);
  if (typeof vb.value === 'boolean') value = vb.value ? 1 : 0;
  return { oid: vb.oid, type: vb.type, value };
}

/**
 * The bytes of each OCTET STRING varbind, by its index in the event's varbinds: display hints
 * format these, not the text/hex `value`. Kept beside the event (which is JSON for the log and
 * the stream), copied out of the datagram so a worker thread posts only these bytes; empty when
 * no dictionary will format them.
 */
export type VarbindBytes = (Uint8Array | undefined)[];

function convert(vbs: Varbind[], keepBytes: boolean): { varbinds: TrapVarbind[]; bytes: VarbindBytes } {
  return {
    varbinds: vbs.map((v) => toTrapVarbind(v)),
    bytes: keepBytes ? vbs.map((v) => (Buffer.isBuffer(v.value) ? new Uint8Array(v.value) : undefined)) : [],
  };
}

/** adds `name` and `display` from the dictionary; `raw` is the OCTET STRING's bytes, for its display hint */
export function translateVarbind(v: TrapVarbind, translator: Translator, raw?: Uint8Array): TrapVarbind {
  const out: TrapVarbind = { ...v };
  const name = safe(() => translator.translate(v.oid));
  if (name !== undefined) out.name = name;
  const formatted = safe(() => translator.formatValue?.(v.oid, v.type, v.value, raw));
  const display = formatted ?? (v.type === 'OID' && typeof v.value === 'string' ? safe(() => translator.translate(v.value as string)) : undefined);
  if (display !== undefined) out.display = display;
  return out;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

export type BuildResult = { ok: true; event: TrapEvent; bytes: VarbindBytes } | { ok: false; detail: string };

/**
 * Turns an accepted PDU into a TrapEvent (RFC 3584 for v1), translated when `translator` is given.
 * The device is resolved later (`enrichEvent`), once the claimed address was checked against the allow-lists.
 * `keepBytes`: copy the OCTET STRINGs' bytes for a translator that names the event later.
 */
export function buildTrapEvent(
  a: Accepted,
  source: { address: string; port: number },
  receivedAt: number,
  translator?: Translator,
  keepBytes = translator !== undefined,
): BuildResult {
  const pdu = a.pdu;
  const address = unmapV4(source.address);
  let event: TrapEvent;
  let bytes: VarbindBytes;
  if (pdu.type === 'TrapV1') {
    // RFC 1157: generic-trap is 0–6; anything else would pass as an enterprise-specific trap
    if (!Number.isInteger(pdu.genericTrap) || pdu.genericTrap < 0 || pdu.genericTrap > 6) return { ok: false, detail: `v1 generic-trap ${pdu.genericTrap} outside 0–6` };
    if (pdu.genericTrap === 6 && pdu.specificTrap < 0) return { ok: false, detail: `v1 specific-trap ${pdu.specificTrap} is negative` };
    const trapOid = v1TrapOid(pdu.enterprise, pdu.genericTrap, pdu.specificTrap);
    const payload = convert([
      ...pdu.varbinds,
      { oid: SNMP_TRAP_ADDRESS_0, type: 'IpAddress', value: pdu.agentAddr },
      { oid: SNMP_TRAP_ENTERPRISE_0, type: 'OID', value: pdu.enterprise },
    ], keepBytes);
    bytes = payload.bytes;
    event = {
      receivedAt, source: { address, port: source.port }, version: '1', pdu: 'TrapV1', community: a.community,
      trapOid, uptime: pdu.timestamp,
      v1: { enterprise: pdu.enterprise, agentAddr: pdu.agentAddr, genericTrap: pdu.genericTrap, specificTrap: pdu.specificTrap },
      varbinds: payload.varbinds,
    };
  } else {
    if (pdu.type !== 'TrapV2' && pdu.type !== 'InformRequest') return { ok: false, detail: `${pdu.type} PDU` };
    const vbs = pdu.varbinds;
    // RFC 3416 §4.2.6: sysUpTime.0 then snmpTrapOID.0; tolerate a missing sysUpTime.0
    let i = 0;
    let uptime: number | undefined;
    if (vbs[0]?.oid === SYS_UPTIME_0) {
      uptime = typeof vbs[0].value === 'number' ? vbs[0].value : undefined;
      i = 1;
    }
    const trapVb = vbs[i];
    if (!trapVb || trapVb.oid !== SNMP_TRAP_OID_0 || typeof trapVb.value !== 'string') return { ok: false, detail: 'no snmpTrapOID.0 varbind' };
    const payload = convert(vbs.slice(i + 1), keepBytes);
    bytes = payload.bytes;
    event = {
      receivedAt, source: { address, port: source.port }, version: a.version, pdu: pdu.type,
      community: a.community, user: a.user, securityLevel: a.level, engineId: a.engineId?.toString('hex'),
      contextName: a.contextName || undefined, trapOid: trapVb.value, uptime,
      varbinds: payload.varbinds,
    };
  }
  enrichEvent(event, translator, undefined, bytes);
  return { ok: true, event, bytes };
}

/**
 * dictionary names and the device: done where the Translator and registry live (main thread).
 * `claimRefused`: the claimed originator address failed the allow-lists (`TrapSecurity.claimAllowed`)
 */
export function enrichEvent(event: TrapEvent, translator?: Translator, resolveDevice?: DeviceResolver, bytes: VarbindBytes = [], claimRefused = false): void {
  if (translator) {
    event.trapName = safe(() => translator.translate(event.trapOid));
    if (event.trapName === undefined) delete event.trapName;
    if (!event.varbinds.some((v) => v.name !== undefined)) event.varbinds = event.varbinds.map((v, i) => translateVarbind(v, translator, bytes[i]));
  }
  if (resolveDevice) {
    const device = deviceOf(event, resolveDevice, claimRefused);
    if (device !== undefined) event.device = device;
  }
}

/**
 * The originator's address as the notification claims it: a v1 agent-addr, else the first
 * snmpTrapAddress.0 (an IpAddress, set by forwarders and NAT-aware agents); 0.0.0.0 claims nothing.
 */
export function claimedAddress(event: Pick<TrapEvent, 'v1' | 'varbinds'>): string | undefined {
  const claimed = event.v1 ? event.v1.agentAddr : event.varbinds.find((v) => v.oid === SNMP_TRAP_ADDRESS_0 && v.type === 'IpAddress')?.value;
  return typeof claimed === 'string' && isIP(claimed) === 4 && claimed !== '0.0.0.0' ? claimed : undefined;
}

/**
 * The device a notification is about: the one its claimed originator address names, else the
 * one its UDP source names. A NAT gateway or forwarding snmptrapd that is itself a known device
 * thus keeps only its own traps. The claim only picks the device, and only when the allow-lists
 * accept the claimed address too (else `ignoreClaim`); the event's `source` stays the UDP source.
 */
export function deviceOf(event: Pick<TrapEvent, 'source' | 'v1' | 'varbinds'>, resolveDevice: DeviceResolver, ignoreClaim = false): string | undefined {
  const claimed = ignoreClaim ? undefined : claimedAddress(event);
  return (claimed === undefined ? undefined : safe(() => resolveDevice(claimed))) ?? safe(() => resolveDevice(event.source.address));
}
