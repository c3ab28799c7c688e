import type { SecurityLevel, V3Credential } from '../model/credentials.ts';
import {
  buildReport, decodeMessage, deriveUserKeys, encodeV3, levelOf, unwrapV3,
  type AnyPdu, type UsmErrorKind, type UsmUserKeys, type V3Message,
} from '../snmp/wire/index.ts';
import { AllowList, unmapV4 } from './acl.ts';
import type { TrapsConfig, TrapUser } from './config.ts';
import type { RejectReason } from './counters.ts';
import type { EngineSighting, LocalEngine } from './engine.ts';
import type { EngineClock } from './engine-times.ts';

/** A datagram that passed every check. */
export interface Accepted {
  version: '1' | '2c' | '3';
  pdu: AnyPdu;
  /** community label, or user name for v3 */
  community?: string;
  communitySecret?: Buffer;
  user?: string;
  level?: SecurityLevel;
  engineId?: Buffer;
  contextEngineId?: Buffer;
  contextName?: string;
  /** an authenticated v3 trap's sender engine clock, for the per-sender time window (`EngineTimes`) */
  senderClock?: EngineClock;
  /** the community's or user's allow-list the source passed (`claimAllowed`) */
  allow?: AllowList;
  /** an authenticated trap's sender engine ID not configured for its user: `learnEngine` once the trap passes its time window */
  learn?: EngineSighting;
  /** v3 reply material */
  v3?: { msgId: number; msgMaxSize: number; keys: UsmUserKeys | undefined; level: SecurityLevel; engineId: Buffer; userName: Buffer };
}

export type CheckResult =
  | { ok: true; value: Accepted }
  /** `reply`: a Report to send back (discovery, or a failed check on a reportable message) */
  | { ok: false; reason: RejectReason | 'discovery'; detail: string; reply?: Buffer };

const USM_REASON: Record<UsmErrorKind | 'malformed', RejectReason> = {
  unknownEngineId: 'unknown-engine',
  unknownUserName: 'unknown-user',
  unsupportedSecLevel: 'unsupported-sec-level',
  wrongDigest: 'wrong-digest',
  notInTimeWindow: 'not-in-time-window',
  decryptionError: 'decryption-error',
  malformed: 'malformed',
};

const LEVEL_RANK: Record<SecurityLevel, number> = { noAuthNoPriv: 0, authNoPriv: 1, authPriv: 2 };

interface CompiledUser {
  cfg: TrapUser;
  /** this configured entry (a user name may have several, each with its own keys) */
  id: string;
  cred: V3Credential;
  engineIds: Set<string>;
  allow: AllowList;
}

/**
 * Decides whether a datagram is an acceptable notification: community or USM user
 * (per-sender engine IDs, configured or learned), digest, privacy, time window for informs,
 * allow-lists. Never throws; builds the Reports a v3 sender needs for informs.
 */
export class TrapSecurity {
  private readonly globalAllow: AllowList;
  private readonly communities = new Map<string, { label: string; allow: AllowList }>();
  private readonly users = new Map<string, CompiledUser[]>();
  private readonly usmStats: Record<UsmErrorKind, number> = {
    unsupportedSecLevel: 0, notInTimeWindow: 0, unknownUserName: 0, unknownEngineId: 0, wrongDigest: 0, decryptionError: 0,
  };

  constructor(
    private readonly cfg: Pick<TrapsConfig, 'communities' | 'users' | 'allow' | 'learnEngineIds'>,
    private readonly local: LocalEngine,
  ) {
    this.globalAllow = new AllowList(cfg.allow);
    // keyed by the wire bytes (UTF-8 from the config) read as latin1, as the datagram's are
    cfg.communities.forEach((c, i) => this.communities.set(wireKey(c.community), { label: c.name ?? `community#${i + 1}`, allow: new AllowList(c.allow) }));
    cfg.users.forEach((u, i) => {
      const cred: V3Credential = { version: '3', user: u.user, level: u.level, authProtocol: u.authProtocol, authKey: u.authKey, privProtocol: u.privProtocol, privKey: u.privKey };
      const list = this.users.get(wireKey(u.user)) ?? [];
      list.push({ cfg: u, id: `${u.user}#${i + 1}`, cred, engineIds: new Set(u.engineIds.map((e) => e.toLowerCase())), allow: new AllowList(u.allow) });
      this.users.set(wireKey(u.user), list);
    });
  }

  check(buf: Buffer, address: string): CheckResult {
    const addr = unmapV4(address);
    if (!this.globalAllow.allows(addr)) return { ok: false, reason: 'source-not-allowed', detail: 'source outside traps.allow' };
    const dec = decodeMessage(buf);
    if (!dec.ok) return { ok: false, reason: 'malformed', detail: `${dec.error.reason} at byte ${dec.error.offset}` };
    const msg = dec.value;
    if (msg.version !== '3') {
      const c = this.communities.get(msg.community.toString('latin1'));
      if (!c) return { ok: false, reason: 'unknown-community', detail: 'unknown community' };
      if (!c.allow.allows(addr)) return { ok: false, reason: 'source-not-allowed', detail: `source not allowed for community ${c.label}` };
      const t = msg.pdu.type;
      const fits = msg.version === '1' ? t === 'TrapV1' : t === 'TrapV2' || t === 'InformRequest';
      if (!fits) return { ok: false, reason: 'not-a-notification', detail: `${t} PDU` };
      return { ok: true, value: { version: msg.version, pdu: msg.pdu, community: c.label, communitySecret: Buffer.from(msg.community), allow: c.allow } };
    }
    return this.checkV3(msg, addr);
  }

  private checkV3(msg: V3Message, addr: string): CheckResult {
    const u = msg.usm;
    const ours = u.engineId.equals(this.local.engineId);
    if (u.engineId.length === 0 || (!ours && msg.flags.reportable)) {
      // discovery probe, or an inform sent to an engine ID that is not ours: tell it ours
      const detail = u.engineId.length === 0 ? 'engine ID discovery' : 'reportable message for another engine ID';
      return { ok: false, reason: u.engineId.length === 0 ? 'discovery' : 'unknown-engine', detail, reply: msg.flags.reportable ? this.report(msg, 'unknownEngineId') : undefined };
    }
    const userName = u.userName.toString('latin1');
    const candidates = this.users.get(userName);
    // anyone's bytes: quoted and cut (USM names are at most 32), so a log line stays one short line
    if (!candidates) return this.fail(msg, 'unknownUserName', `unknown user ${JSON.stringify(userName.slice(0, 32))}${userName.length > 32 ? '…' : ''}`);
    // RFC 3411 SnmpEngineID is 5–32 bytes (as the config requires): a longer one is never learned,
    // kept in the time-window table or written to a log
    if (!ours && (u.engineId.length < 5 || u.engineId.length > 32)) return { ok: false, reason: 'unknown-engine', detail: `engine ID of ${u.engineId.length} bytes (expected 5–32) for user "${userName}"` };
    const engineHex = u.engineId.toString('hex');
    const eligible = ours
      ? candidates
      : candidates.filter((c) => c.engineIds.has(engineHex) || (c.engineIds.size === 0 && this.cfg.learnEngineIds));
    if (eligible.length === 0) return { ok: false, reason: 'unknown-engine', detail: `engine ${engineHex} is not configured for user "${userName}"` };
    let firstFailure: Extract<ReturnType<typeof this.fail>, { ok: false }> | undefined;
    for (const c of eligible) {
      const r = this.tryUser(msg, c, ours);
      if (r.ok) {
        if (!c.allow.allows(addr)) return { ok: false, reason: 'source-not-allowed', detail: `source not allowed for user "${userName}"` };
        // an unauthenticated trap can claim any engine ID: recording those lets a flood fill the store
        if (!ours && !c.engineIds.has(engineHex) && r.value.level !== 'noAuthNoPriv') r.value.learn = { engineId: engineHex, address: addr, user: userName };
        r.value.allow = c.allow;
        return r;
      }
      firstFailure ??= r;
    }
    return firstFailure!;
  }

  /**
   * Whether an accepted notification may name `address` (its v1 agent-addr or snmpTrapAddress.0)
   * as its originator: only an address its community or user would accept as a source, so a
   * sender cannot attribute traps to a device that could not send them itself.
   */
  claimAllowed(a: Accepted, address: string): boolean {
    return this.globalAllow.allows(address) && (a.allow?.allows(address) ?? true);
  }

  private tryUser(msg: V3Message, c: CompiledUser, ours: boolean): CheckResult {
    const r = unwrapSafe(msg, c.cred, ours ? this.local : undefined);
    if (!r.ok) return this.fail(msg, r.error, `user "${c.cred.user}": ${r.reason}`, r.keys);
    const level = levelOf(msg.flags);
    // USM accepts a message below the user's level (no digest, plaintext); the configured level is the minimum
    if (LEVEL_RANK[level] < LEVEL_RANK[c.cfg.level]) return this.fail(msg, 'unsupportedSecLevel', `user "${c.cred.user}" is ${c.cfg.level}, message is ${level}`, r.keys);
    const t = r.scopedPdu.pdu.type;
    if (t !== 'TrapV2' && t !== 'InformRequest') return { ok: false, reason: 'not-a-notification', detail: `${t} PDU` };
    if (t === 'InformRequest' && !ours) return this.fail(msg, 'unknownEngineId', 'inform for another engine ID');
    return {
      ok: true,
      value: {
        version: '3',
        pdu: r.scopedPdu.pdu,
        user: c.cred.user,
        level,
        engineId: Buffer.from(msg.usm.engineId),
        contextEngineId: Buffer.from(r.scopedPdu.contextEngineId),
        contextName: r.scopedPdu.contextName.toString('utf8'),
        senderClock: ours || level === 'noAuthNoPriv' ? undefined : { engineId: msg.usm.engineId.toString('hex'), user: c.id, boots: msg.usm.engineBoots, time: msg.usm.engineTime },
        v3: { msgId: msg.msgId, msgMaxSize: msg.msgMaxSize, keys: r.keys, level, engineId: Buffer.from(msg.usm.engineId), userName: Buffer.from(msg.usm.userName) },
      },
    };
  }

  private fail(msg: V3Message, error: UsmErrorKind | 'malformed', detail: string, keys?: UsmUserKeys): Extract<CheckResult, { ok: false }> {
    const reason = USM_REASON[error];
    if (error === 'malformed' || !msg.flags.reportable) return { ok: false, reason, detail };
    return { ok: false, reason, detail, reply: this.report(msg, error, keys) };
  }

  /** RFC 3414 §3.2: a Report with our engine ID, boots and time; notInTimeWindow is signed */
  private report(msg: V3Message, error: UsmErrorKind, keys?: UsmUserKeys): Buffer | undefined {
    const counter = ++this.usmStats[error];
    const requestId = msg.scopedPdu && msg.scopedPdu.pdu.type !== 'TrapV1' ? msg.scopedPdu.pdu.requestId : 0;
    const signed = error === 'notInTimeWindow' && keys?.authKey !== undefined;
    const local = this.local.snapshot();
    try {
      return encodeV3({
        msgId: msg.msgId,
        reportable: false,
        level: signed ? 'authNoPriv' : 'noAuthNoPriv',
        engineId: local.engineId,
        engineBoots: local.engineBoots,
        engineTime: local.engineTime,
        userName: signed ? msg.usm.userName : msg.usm.userName.length ? msg.usm.userName : Buffer.alloc(0),
        keys: signed ? keys : undefined,
        scopedPdu: buildReport(error, counter, requestId, local.engineId),
      });
    } catch {
      return undefined;
    }
  }
}

const wireKey = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

/** unwrapV3 with this one user's keys, localised to the message's authoritative engine */
function unwrapSafe(msg: V3Message, cred: V3Credential, local: LocalEngine | undefined) {
  return unwrapV3(msg, (_name, engineId) => deriveUserKeys(cred, engineId), local?.snapshot());
}
