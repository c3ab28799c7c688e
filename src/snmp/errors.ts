/**
 * Turns net-snmp's errors into NetpulseError{scope:'snmp'} with a kind the poller can act
 * on. Reasons are fixed texts: net-snmp's own messages can carry communities or digests.
 */
import snmp from 'net-snmp';
import { NetpulseError } from '../errors/index.ts';
import type { Varbind } from './types.ts';

/** `busy`: nothing was sent, the agent's name waited too long for a lookup slot (a local limit, not a DNS answer) */
export type SnmpErrorKind = 'timeout' | 'auth' | 'walk-loop' | 'walk-cap' | 'protocol' | 'tooBig' | 'config' | 'busy';

/** A walk that stopped on a guard rail; `partial` holds what was read before it. */
export class SnmpWalkError extends NetpulseError {
  readonly partial: Varbind[];
  /** a table walk's columns that had ended (left their subtree, endOfMibView) before it stopped: they hold no more rows */
  readonly ended: string[];
  constructor(target: string, action: string, reason: string, kind: 'walk-loop' | 'walk-cap', partial: Varbind[], ended: string[] = []) {
    super({ scope: 'snmp', target, action, reason, kind });
    this.name = 'SnmpWalkError';
    this.partial = partial;
    this.ended = ended;
  }
}

/**
 * An answer to our request (ids, and community or USM checks, passed) that is malformed or
 * breaks the protocol: a `protocol` error with this message as reason (our own text naming the
 * field, never net-snmp's).
 */
export class BadResponseError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'BadResponseError';
  }
}

export function agentLabel(address: string, port: number): string {
  return address.includes(':') ? `agent [${address}]:${port}` : `agent ${address}:${port}`;
}

export function snmpError(target: string, action: string, reason: string, kind: SnmpErrorKind, cause?: unknown): NetpulseError {
  return new NetpulseError({ scope: 'snmp', target, action, reason, kind, cause });
}

const USM_REPORTS: Array<[RegExp, string, SnmpErrorKind]> = [
  [/^Unknown User Name/, 'unknown user name (usmStatsUnknownUserNames report)', 'auth'],
  [/^Wrong Digest/, 'wrong digest: wrong auth password or auth protocol (usmStatsWrongDigests report)', 'auth'],
  [/^Decryption Error/, 'decryption error: wrong priv password or priv protocol (usmStatsDecryptionErrors report)', 'auth'],
  [/^Unsupported Security Level/, 'unsupported security level: the agent does not accept this user at this level (usmStatsUnsupportedSecLevels report)', 'auth'],
  [/^Unknown Engine ID/, 'unknown engine ID after discovery (usmStatsUnknownEngineIDs report)', 'auth'],
  [/^Not In Time Window \(unsigned/, 'unauthenticated notInTimeWindow report: the agent\'s clock was not adopted (an agent signs this report)', 'protocol'],
  [/^Not In Time Window/, 'not in time window after resynchronisation (usmStatsNotInTimeWindows report)', 'protocol'],
  [/^Authentication digest/, 'the response failed authentication: wrong auth password or auth protocol', 'auth'],
];

const INVALID_RESPONSE: Record<string, string> = {
  EIp4AddressSize: 'malformed response: IpAddress value is not 4 octets',
  EUnknownObjectType: 'malformed response: unknown value type',
  EUnknownPduType: 'malformed response: unexpected PDU type',
  ECouldNotDecrypt: 'could not decrypt the response: wrong priv password or priv protocol',
  EReqResOidNoMatch: 'malformed response: varbinds do not match the request',
  EOutOfOrder: 'malformed response: OIDs out of order',
  EVersionNoMatch: 'malformed response: SNMP version differs from the request',
  ECommunityNoMatch: 'malformed response: community differs from the request',
  EUnexpectedReport: 'unexpected report PDU',
  EResponseNotHandled: 'response not handled',
  EUnexpectedResponse: 'unexpected response',
  ENotInTimeWindow: 'response outside the USM time window',
};

export interface ErrorContext {
  target: string;
  action: string;
  retries: number;
  /** the last datagram from this agent that could not be parsed, if any */
  parseError?: string;
}

export function classifyError(err: unknown, ctx: ErrorContext): NetpulseError {
  if (err instanceof NetpulseError) return err;
  const mk = (reason: string, kind: SnmpErrorKind) => snmpError(ctx.target, ctx.action, reason, kind);
  if (err instanceof BadResponseError) return snmpError(ctx.target, ctx.action, err.message, 'protocol', err);
  if (err instanceof snmp.RequestTimedOutError) {
    if (ctx.parseError) return mk(`malformed response: ${ctx.parseError}`, 'protocol');
    return mk(`timeout after ${ctx.retries} ${ctx.retries === 1 ? 'retry' : 'retries'}`, 'timeout');
  }
  if (err instanceof snmp.ResponseInvalidError) {
    const code = snmp.ResponseInvalidCode[err.code];
    if (code === 'EAuthFailure') {
      for (const [re, reason, kind] of USM_REPORTS) if (re.test(err.message)) return mk(reason, kind);
      return mk('unexpected USM report', 'protocol');
    }
    const reason = INVALID_RESPONSE[code] ?? `invalid response (code ${err.code})`;
    return mk(reason, code === 'ECouldNotDecrypt' ? 'auth' : 'protocol');
  }
  if (err instanceof snmp.RequestFailedError) {
    const status = snmp.ErrorStatus[err.status] ?? `status ${err.status}`;
    if (status === 'TooBig') return mk('tooBig: the response would not fit in one message', 'tooBig');
    const at = /: ([\d.]+)$/.exec(err.message)?.[1];
    return mk(`agent returned error-status ${status}${at ? ` at ${at}` : ''}`, 'protocol');
  }
  if (err instanceof snmp.RequestInvalidError) return mk(`invalid request: ${err.message}`, 'config');
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ERR_OSSL_EVP_UNSUPPORTED') {
    return mk('DES is unavailable in this OpenSSL: run node with --openssl-legacy-provider', 'config');
  }
  if (e?.message === 'Socket forcibly closed') return mk('the SNMP client was closed', 'protocol');
  return mk(`internal error: ${e?.message ?? String(err)}`, 'protocol');
}
