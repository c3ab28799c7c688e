/**
 * SNMPv3 GETBULK on the wire codec: once net-snmp has discovered the agent's engine and
 * synchronised its clock (v3-engine.ts), walks and tables encode with `encodeV3` and open
 * replies with `unwrapV3` instead of going through net-snmp. Discovery, GET, SET and the
 * first request of a session stay on net-snmp.
 *
 * Reports: notInTimeWindow takes the agent's boots/time from the report and sends the
 * request once more (new ids); a second one fails as net-snmp's "Not In Time Window". Other
 * usmStats reports fail with net-snmp's error for them, so errors.ts gives the same kinds.
 * Replies are matched by msgID (as net-snmp does); anything else goes on to net-snmp.
 */
import snmp from 'net-snmp';
import type { Session } from 'net-snmp';
import type { V3Credential } from '../model/credentials.ts';
import { BadResponseError } from './errors.ts';
import { announceEnd, byColumn, bulkVarbinds, exchange, nextRequestId, pduError, type AgentLink } from './fast-bulk.ts';
import type { OnAnswerEnd, Varbind } from './types.ts';
import { acceptAuthenticTime, currentEngine, hasEngineInternals, resyncTime, type EngineNotion } from './v3-engine.ts';
import { decodeMessage, deriveUserKeys, encodeV3, unwrapV3, type Pdu, type UsmUserKeys, type V3Message } from './wire/index.ts';

export interface UsmAgent extends AgentLink {
  session: Session;
  credential: V3Credential;
  context: Buffer;
  /** keys localised to `keysEngine` */
  keys?: UsmUserKeys;
  keysEngine?: Buffer;
  /** the credential's user name as sent */
  userName?: Buffer;
}

const USM_STATS_PREFIX = '1.3.6.1.6.3.15.1.1.';
const NOT_IN_TIME_WINDOW = 2;
/** net-snmp's texts for usmStats reports (errors.ts classifies by them) */
const USM_STATS_ERRORS: Record<number, string> = {
  1: 'Unsupported Security Level',
  2: 'Not In Time Window',
  3: 'Unknown User Name',
  4: 'Unknown Engine ID',
  5: 'Wrong Digest (incorrect password, community or key)',
  6: 'Decryption Error',
};

/** A notInTimeWindow report: the agent's boots/time, for one resynchronised retry. */
class TimeWindowReport extends Error {
  constructor(
    readonly engineBoots: number,
    readonly engineTime: number,
  ) {
    super('Not In Time Window');
  }
}

const authError = (text: string) => new snmp.ResponseInvalidError(text, snmp.ResponseInvalidCode.EAuthFailure);

/** The engine to use when the fast path can take this request, else undefined (net-snmp does it). */
export function usmEngine(agent: UsmAgent): EngineNotion | undefined {
  if (!hasEngineInternals(agent.session)) return undefined;
  return currentEngine(agent.session, agent.credential.level !== 'noAuthNoPriv');
}

function keysFor(agent: UsmAgent, engineId: Buffer): UsmUserKeys {
  if (!agent.keys || !agent.keysEngine!.equals(engineId)) {
    agent.keys = deriveUserKeys(agent.credential, engineId);
    agent.keysEngine = engineId;
  }
  return agent.keys;
}

function reportError(pdu: Pdu, m: V3Message): Error {
  const oid = pdu.varbinds[0]?.oid;
  if (oid === undefined || !oid.startsWith(USM_STATS_PREFIX)) {
    return new snmp.ResponseInvalidError('Unexpected Report PDU', snmp.ResponseInvalidCode.EUnexpectedReport);
  }
  const n = Number(oid.slice(USM_STATS_PREFIX.length).replace(/\.0$/, ''));
  if (n === NOT_IN_TIME_WINDOW) return new TimeWindowReport(m.usm.engineBoots, m.usm.engineTime);
  return authError(USM_STATS_ERRORS[n] ?? 'Unexpected Report PDU');
}

function attempt(agent: UsmAgent, engine: EngineNotion, oids: string[], maxRepetitions: number, onEnd?: OnAnswerEnd): Promise<Varbind[][]> {
  const c = agent.credential;
  const keys = keysFor(agent, engine.engineId);
  const id = nextRequestId();
  const request = encodeV3({
    msgId: id,
    reportable: true,
    level: c.level,
    engineId: engine.engineId,
    engineBoots: engine.engineBoots,
    engineTime: engine.engineTime,
    userName: (agent.userName ??= Buffer.from(c.user)),
    keys,
    scopedPdu: {
      contextEngineId: engine.engineId,
      contextName: agent.context,
      pdu: { type: 'GetBulkRequest', requestId: id, errorStatus: 0, errorIndex: maxRepetitions, varbinds: bulkVarbinds(oids) },
    },
  });
  const lookup = (name: string, engineId: Buffer) => (name === c.user && engineId.equals(engine.engineId) ? keys : undefined);
  return exchange(agent, request, (msg) => {
    const d = decodeMessage(msg);
    if (!d.ok || d.value.version !== '3' || d.value.msgId !== id) return undefined;
    const m = d.value;
    if (!m.flags.auth) {
      // reports of failed USM checks come unauthenticated; an unauthenticated response is
      // only acceptable to a noAuthNoPriv request
      const pdu = m.scopedPdu?.pdu;
      if (pdu?.type === 'Report') {
        const err = reportError(pdu, m);
        // an agent signs notInTimeWindow (RFC 3414 3.2 step 7a): an unsigned one could come
        // from anyone who saw the msgID, so its boots/time are not adopted
        return err instanceof TimeWindowReport && c.level !== 'noAuthNoPriv' ? authError('Not In Time Window (unsigned report)') : err;
      }
      if (c.level !== 'noAuthNoPriv' || pdu?.type !== 'Response' || pdu.requestId !== id) return undefined;
      return pduError(pdu) ?? byColumn(oids.length, pdu.varbinds);
    }
    const early =
      onEnd &&
      ((plain: Buffer) => {
        if (acceptAuthenticTime(agent.session, m.usm.engineBoots, m.usm.engineTime)) announceEnd(plain, id, oids.length, onEnd);
      });
    const u = unwrapV3(m, lookup, undefined, early);
    if (!u.ok) {
      if (u.error === 'wrongDigest') return authError('Authentication digest received in message does not match digest calculated for message');
      // authentic and decrypted, so the agent has our keys: the answer itself is broken
      if (u.decrypted || u.error === 'malformed') return new BadResponseError(`malformed response: ${u.reason}`);
      if (u.error === 'decryptionError') return new snmp.ResponseInvalidError('Failed to decrypt PDU', snmp.ResponseInvalidCode.ECouldNotDecrypt);
      return undefined;
    }
    const pdu = u.scopedPdu.pdu;
    if (pdu.type === 'Report') return reportError(pdu, m);
    if (pdu.type !== 'Response' || pdu.requestId !== id) return undefined;
    // RFC 3412 7.2 step 12: a response comes at the request's security level
    if (u.level !== c.level) return new BadResponseError(`response at security level ${u.level} to a request at ${c.level} (RFC 3412: a response has the request's level)`);
    if (!acceptAuthenticTime(agent.session, m.usm.engineBoots, m.usm.engineTime)) {
      return new snmp.ResponseInvalidError('Message is outside the time window', snmp.ResponseInvalidCode.ENotInTimeWindow);
    }
    return pduError(pdu) ?? byColumn(oids.length, pdu.varbinds);
  });
}

/** One v3 GETBULK (non-repeaters 0) at the engine net-snmp discovered; see usmEngine(). */
export async function usmGetBulk(agent: UsmAgent, engine: EngineNotion, oids: string[], maxRepetitions: number, onEnd?: OnAnswerEnd): Promise<Varbind[][]> {
  try {
    return await attempt(agent, engine, oids, maxRepetitions, onEnd);
  } catch (err) {
    if (!(err instanceof TimeWindowReport)) throw err;
    resyncTime(agent.session, err.engineBoots, err.engineTime);
    const again = { engineId: engine.engineId, engineBoots: err.engineBoots, engineTime: err.engineTime };
    try {
      return await attempt(agent, again, oids, maxRepetitions, onEnd);
    } catch (err2) {
      throw err2 instanceof TimeWindowReport ? authError(USM_STATS_ERRORS[NOT_IN_TIME_WINDOW]) : err2;
    }
  }
}
