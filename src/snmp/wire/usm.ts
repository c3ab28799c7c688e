/**
 * SNMPv3 User-based Security Model processing (RFC 3414 §3.1/§3.2) over decoded messages:
 * `unwrapV3` authenticates/decrypts an incoming message or names the usmStats error a real
 * agent reports; `encodeV3` builds, encrypts and signs an outgoing one.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AuthProtocol, PrivProtocol, SecurityLevel, V3Credential } from '../../model/credentials.ts';
import { BerWriter, TAG } from './ber.ts';
import { decodeScopedPdu, encodeScopedPdu } from './message.ts';
import type { MsgFlags, ScopedPdu, V3Message } from './types.ts';
import {
  AUTH_ALGORITHMS, decryptScopedPdu, encryptScopedPdu, hmac, localizedKey, privacyKey,
} from './usm-crypto.ts';

/** usmStats counters (SNMP-USER-BASED-SM-MIB) reported by an agent, by error. */
export const USM_STATS_OIDS = {
  unsupportedSecLevel: '1.3.6.1.6.3.15.1.1.1.0',
  notInTimeWindow: '1.3.6.1.6.3.15.1.1.2.0',
  unknownUserName: '1.3.6.1.6.3.15.1.1.3.0',
  unknownEngineId: '1.3.6.1.6.3.15.1.1.4.0',
  wrongDigest: '1.3.6.1.6.3.15.1.1.5.0',
  decryptionError: '1.3.6.1.6.3.15.1.1.6.0',
} as const;
export type UsmErrorKind = keyof typeof USM_STATS_OIDS;

/** A user's keys localised to one engine ID. */
export interface UsmUserKeys {
  userName: string;
  level: SecurityLevel;
  authProtocol?: AuthProtocol;
  authKey?: Buffer;
  privProtocol?: PrivProtocol;
  privKey?: Buffer;
}

const keyCache = new Map<string, UsmUserKeys>();

/** Derives (and caches) a user's localised keys for `engineId`. Throws on an incomplete credential. */
export function deriveUserKeys(cred: V3Credential, engineId: Buffer): UsmUserKeys {
  const cacheKey = [cred.user, cred.level, cred.authProtocol, cred.authKey, cred.privProtocol, cred.privKey, engineId.toString('hex')].join('\0');
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const keys: UsmUserKeys = { userName: cred.user, level: cred.level };
  if (cred.level !== 'noAuthNoPriv') {
    if (!cred.authProtocol || !cred.authKey) throw new Error(`v3 user "${cred.user}": ${cred.level} needs authProtocol and authKey`);
    keys.authProtocol = cred.authProtocol;
    keys.authKey = localizedKey(cred.authProtocol, cred.authKey, engineId);
    if (cred.level === 'authPriv') {
      if (!cred.privProtocol || !cred.privKey) throw new Error(`v3 user "${cred.user}": authPriv needs privProtocol and privKey`);
      keys.privProtocol = cred.privProtocol;
      keys.privKey = privacyKey(cred.authProtocol, cred.privProtocol, cred.privKey, engineId);
    }
  }
  if (keyCache.size > 20_000) keyCache.clear();
  keyCache.set(cacheKey, keys);
  return keys;
}

export function levelOf(flags: MsgFlags): SecurityLevel {
  return flags.priv ? 'authPriv' : flags.auth ? 'authNoPriv' : 'noAuthNoPriv';
}

const LEVEL_RANK: Record<SecurityLevel, number> = { noAuthNoPriv: 0, authNoPriv: 1, authPriv: 2 };

export interface LocalEngine {
  engineId: Buffer;
  engineBoots: number;
  /** seconds since the engine's last boot */
  engineTime: number;
}

export type UnwrapResult =
  | { ok: true; scopedPdu: ScopedPdu; level: SecurityLevel; keys: UsmUserKeys | undefined }
  | {
      ok: false;
      error: UsmErrorKind | 'malformed';
      reason: string;
      keys?: UsmUserKeys;
      /**
       * decryptionError only: the message was authenticated and decrypted, and the plaintext is
       * no scopedPDU. A request or trap like that usually means a wrong priv key; a response to
       * our own request (the agent read it, so the keys agree) is a malformed answer.
       */
      decrypted?: true;
    };

/**
 * Checks and opens an incoming v3 message. `lookupUser(name, engineId)` returns the user's keys
 * localised to `engineId` (the message's authoritative engine), or undefined if unknown.
 * Pass `local` when this side is authoritative (an agent receiving requests, a receiver getting
 * informs): the engine ID and time window are then checked against it. `onPlaintext` sees an
 * encrypted scopedPDU once it is authenticated and decrypted, before it is decoded. Never throws.
 */
export function unwrapV3(
  msg: V3Message,
  lookupUser: (userName: string, engineId: Buffer) => UsmUserKeys | undefined,
  local?: LocalEngine,
  onPlaintext?: (scopedPdu: Buffer) => void,
): UnwrapResult {
  const u = msg.usm;
  const level = levelOf(msg.flags);
  if (local && !u.engineId.equals(local.engineId)) {
    return { ok: false, error: 'unknownEngineId', reason: 'engine ID is not this engine (discovery)' };
  }
  let keys: UsmUserKeys | undefined;
  try {
    keys = lookupUser(u.userName.toString('latin1'), u.engineId);
  } catch (err) {
    return { ok: false, error: 'unknownUserName', reason: `user keys: ${(err as Error).message}` };
  }
  if (!keys) return { ok: false, error: 'unknownUserName', reason: 'unknown user name' };
  if (LEVEL_RANK[level] > LEVEL_RANK[keys.level]) {
    return { ok: false, error: 'unsupportedSecLevel', reason: `user is ${keys.level}, message asks ${level}`, keys };
  }
  if (msg.flags.auth) {
    const alg = AUTH_ALGORITHMS[keys.authProtocol!];
    if (u.authParams.length !== alg.macLength || msg.authParamsOffset < 0) {
      return { ok: false, error: 'wrongDigest', reason: `authentication parameters are ${u.authParams.length} bytes, expected ${alg.macLength}`, keys };
    }
    const mac = hmac(keys.authProtocol!, keys.authKey!, msg.raw, msg.authParamsOffset);
    if (!timingSafeEqual(mac, u.authParams)) return { ok: false, error: 'wrongDigest', reason: 'wrong digest (bad auth key?)', keys };
    if (local) {
      if (u.engineBoots !== local.engineBoots || Math.abs(u.engineTime - local.engineTime) > 150 || local.engineBoots === 2147483647) {
        return { ok: false, error: 'notInTimeWindow', reason: `boots/time ${u.engineBoots}/${u.engineTime} outside window of ${local.engineBoots}/${local.engineTime}`, keys };
      }
    }
  }
  let plain: Buffer;
  if (msg.flags.priv) {
    if (!msg.encryptedPdu) return { ok: false, error: 'decryptionError', reason: 'priv flag set but scopedPDU is not encrypted', keys };
    const p = decryptScopedPdu(keys.privProtocol!, keys.privKey!, u.engineBoots, u.engineTime, u.privParams, msg.encryptedPdu);
    if (!p) return { ok: false, error: 'decryptionError', reason: 'cannot decrypt (bad privacy parameters)', keys };
    plain = p;
    // authenticated and decrypted: a walk may look at it before it is decoded (peek.ts)
    onPlaintext?.(plain);
  } else {
    if (!msg.scopedPdu) return { ok: false, error: 'malformed', reason: 'encrypted scopedPDU without priv flag', keys };
    return { ok: true, scopedPdu: msg.scopedPdu, level, keys };
  }
  const sp = decodeScopedPdu(plain);
  if (!sp.ok) return { ok: false, error: 'decryptionError', reason: `decrypted scopedPDU is malformed: ${sp.error.reason} at byte ${sp.error.offset}`, keys, decrypted: true };
  return { ok: true, scopedPdu: sp.value, level, keys };
}

export interface EncodeV3Options {
  msgId: number;
  msgMaxSize?: number;
  reportable: boolean;
  level: SecurityLevel;
  /** authoritative engine: the agent for requests/responses/traps, the receiver for informs */
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  userName: string | Buffer;
  /** required for authNoPriv/authPriv, localised to `engineId` */
  keys?: UsmUserKeys;
  scopedPdu: ScopedPdu;
}

const NO_BYTES = Buffer.alloc(0);
/** zeros where the MAC goes until it is computed, by MAC length (never written to) */
const MAC_PLACEHOLDERS: Buffer[] = [];
/** msgFlags contents by value */
const MSG_FLAGS = Array.from({ length: 8 }, (_, f) => Buffer.from([f]));

/** Builds a v3 message, encrypting and signing it as `level` requires. Throws if keys are missing. */
export function encodeV3(o: EncodeV3Options): Buffer {
  const auth = o.level !== 'noAuthNoPriv';
  const priv = o.level === 'authPriv';
  if (auth && (!o.keys?.authKey || !o.keys.authProtocol)) throw new Error('encodeV3: auth keys required');
  if (priv && (!o.keys?.privKey || !o.keys.privProtocol)) throw new Error('encodeV3: priv keys required');
  const plain = encodeScopedPdu(o.scopedPdu);
  let privParams: Buffer = NO_BYTES;
  let data = plain;
  if (priv) {
    const e = encryptScopedPdu(o.keys!.privProtocol!, o.keys!.privKey!, o.engineBoots, o.engineTime, plain);
    privParams = e.privParams;
    data = e.data;
  }
  const macLength = auth ? AUTH_ALGORITHMS[o.keys!.authProtocol!].macLength : 0;
  const w = new BerWriter(data.length + 512);
  const m = w.mark;
  if (priv) w.tlv(TAG.OctetString, data);
  else w.bytes(data); // already a complete scopedPDU SEQUENCE
  const sm = w.mark;
  const um = w.mark;
  w.tlv(TAG.OctetString, privParams);
  w.tlv(TAG.OctetString, (MAC_PLACEHOLDERS[macLength] ??= Buffer.alloc(macLength)));
  const authTlvFromEnd = w.mark; // the authParams TLV starts here; its 2-byte header precedes the MAC
  w.tlv(TAG.OctetString, typeof o.userName === 'string' ? Buffer.from(o.userName) : o.userName);
  w.integer(o.engineTime);
  w.integer(o.engineBoots);
  w.tlv(TAG.OctetString, o.engineId);
  w.wrap(TAG.Sequence, um);
  w.wrap(TAG.OctetString, sm);
  const gm = w.mark;
  w.integer(3);
  w.tlv(TAG.OctetString, MSG_FLAGS[(auth ? 1 : 0) | (priv ? 2 : 0) | (o.reportable ? 4 : 0)]);
  w.integer(o.msgMaxSize ?? 65507);
  w.integer(o.msgId);
  w.wrap(TAG.Sequence, gm);
  w.integer(3);
  w.wrap(TAG.Sequence, m);
  const out = w.toBuffer();
  if (auth) {
    const offset = out.length - authTlvFromEnd + 2;
    const mac = hmac(o.keys!.authProtocol!, o.keys!.authKey!, out);
    mac.copy(out, offset);
  }
  return out;
}
