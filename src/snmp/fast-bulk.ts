/**
 * GETBULK on the lean wire codec (src/snmp/wire) instead of net-snmp: the hot path of walks
 * and tables. On a busy machine a walk's wall time follows its CPU time, and net-snmp spends
 * most of ours per response (asn1-ber objects, its request map, then our conversion of its
 * varbinds). This file holds the transport shared by v2c (here) and v3 (fast-bulk-v3.ts).
 * The request rides on the session's virtual socket; while it is pending the socket's
 * `intercept` sees replies first. Anything that is not the answer (a stray, a late reply, a
 * datagram the codec rejects) goes on to net-snmp as before, so a malformed reply is still
 * remembered and reported instead of the timeout.
 * Errors are net-snmp's own error types, so errors.ts classifies them as for net-snmp.
 */
import type dgram from 'node:dgram';
import snmp from 'net-snmp';
import { BadResponseError } from './errors.ts';
import type { ReplyInterceptor, VirtualSocket } from './socket-mux.ts';
import type { OnAnswerEnd, Varbind } from './types.ts';
import { decodeMessage, encodeCommunityMessage, peekResponse, type Pdu, type WireVarbind } from './wire/index.ts';

/** Where and how one agent is asked. */
export interface AgentLink {
  socket: VirtualSocket;
  address: string;
  port: number;
  timeoutMs: number;
  retries: number;
}

export interface CommunityAgent extends AgentLink {
  community: Buffer;
}

let lastRequestId = 1 + Math.floor(Math.random() * 0x7ffffffe);

export function nextRequestId(): number {
  lastRequestId = lastRequestId >= 0x7ffffffe ? 1 : lastRequestId + 1;
  return lastRequestId;
}

/**
 * Varbinds of a GETBULK without non-repeaters, per requested OID (they come row by row).
 * The codec's varbinds are handed on as they are: OctetString values stay views into the
 * reply (dgram gives every datagram its own exactly-sized memory, and a decrypted scopedPDU
 * is a fresh buffer too), so a kept string pins at most its ~1.5 kB datagram, while a copy
 * per string cost a quarter of the conversion time.
 */
export function byColumn(columns: number, vbs: WireVarbind[]): Varbind[][] {
  if (columns === 1) return [vbs];
  const out: Varbind[][] = new Array(columns);
  for (let c = 0; c < columns; c++) out[c] = [];
  for (let i = 0, c = 0; i < vbs.length; i++) {
    out[c].push(vbs[i]);
    if (++c === columns) c = 0;
  }
  return out;
}

/** net-snmp's RequestFailedError for a Response PDU with error-status ≠ 0. */
export function pduError(pdu: Pdu): Error | undefined {
  if (pdu.errorStatus === 0) return undefined;
  const status = snmp.ErrorStatus[pdu.errorStatus] ?? 'GeneralError';
  const code = snmp.ErrorStatus[status] ?? pdu.errorStatus;
  const at = pdu.errorIndex > 0 && pdu.errorIndex <= pdu.varbinds.length ? pdu.varbinds[pdu.errorIndex - 1].oid : undefined;
  return new snmp.RequestFailedError(at ? `${status}: ${at}` : status, code);
}

/**
 * What a reply means for a pending request: the result, an Error to fail with, or
 * undefined when it is not the answer (it then goes on to net-snmp).
 */
export type Accept<T> = (msg: Buffer) => T | Error | undefined;

/**
 * One request with net-snmp's timeout/retry semantics: retries resend the same datagram (same
 * ids). An object rather than closures: it is created for every request of every walk.
 */
class Exchange<T> implements ReplyInterceptor {
  #retriesLeft: number;
  #done = false;
  #timer: NodeJS.Timeout | undefined;
  #resolve!: (v: T) => void;
  #reject!: (e: unknown) => void;
  readonly promise: Promise<T>;

  constructor(
    private readonly link: AgentLink,
    private readonly request: Buffer,
    private readonly accept: Accept<T>,
  ) {
    this.#retriesLeft = link.retries;
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    link.socket.intercept = this;
    this.#timer = setTimeout(onExchangeTimeout, link.timeoutMs, this);
    link.socket.sendRequest(request, link.port, link.address, this.#sent);
  }

  /** dgram's completion callback for this request's sends (the first and the retries) */
  readonly #sent = (err: Error | null): void => {
    if (err && !this.#done) {
      this.#finish();
      this.#reject(err);
    }
  };

  onReply(msg: Buffer, rinfo: dgram.RemoteInfo): boolean {
    if (rinfo.port !== this.link.port || rinfo.address !== this.link.address) return false;
    const r = this.accept(msg);
    if (r === undefined) return false;
    this.#finish();
    if (r instanceof Error) this.#reject(r);
    else this.#resolve(r);
    return true;
  }

  timedOut(): void {
    if (this.#retriesLeft-- > 0) {
      this.link.socket.sendRequest(this.request, this.link.port, this.link.address, this.#sent);
      this.#timer = setTimeout(onExchangeTimeout, this.link.timeoutMs, this);
    } else {
      this.#finish();
      this.#reject(new snmp.RequestTimedOutError('Request timed out'));
    }
  }

  #finish(): void {
    this.#done = true;
    clearTimeout(this.#timer);
    // a walk may already have sent its next request from inside accept()
    if (this.link.socket.intercept === this) this.link.socket.intercept = undefined;
  }
}

function onExchangeTimeout(x: { timedOut(): void }): void {
  x.timedOut();
}

export function exchange<T>(link: AgentLink, request: Buffer, accept: Accept<T>): Promise<T> {
  return new Exchange(link, request, accept).promise;
}

/** GETBULK request varbinds (value Null) for the given OIDs. */
export function bulkVarbinds(oids: string[]): WireVarbind[] {
  const out: WireVarbind[] = new Array(oids.length);
  for (let i = 0; i < oids.length; i++) out[i] = { oid: oids[i], type: 'Null', value: null };
  return out;
}

const RESPONSE_TAG = 0xa2;

/** An exception value (noSuchObject, noSuchInstance, endOfMibView) by its BER tag. */
export const isExceptionTag = (tag: number): boolean => tag >= 0x80 && tag <= 0x82;

/**
 * Tells `onEnd` where a successful Response to `requestId` ends (see OnAnswerEnd). `community`:
 * a v2c message that must carry it; else a v3 scopedPDU, already authenticated and decrypted.
 */
export function announceEnd(msg: Buffer, requestId: number, columns: number, onEnd: OnAnswerEnd, community?: Buffer): void {
  const p = peekResponse(msg, community === undefined, columns);
  if (!p || p.varbinds === 0 || p.pduTag !== RESPONSE_TAG || p.requestId !== requestId || p.errorStatus !== 0) return;
  if (community && (p.version !== 1 || !community.equals(p.community!))) return;
  onEnd(p.tail.map((t) => ({ oid: t.oid, exception: isExceptionTag(t.tag) })), p.varbinds);
}

/** A v2c datagram the codec rejected is still the answer when its framing says so (then it is malformed, not a stray). */
function isCommunityAnswer(msg: Buffer, requestId: number, community: Buffer): boolean {
  const p = peekResponse(msg, false, 1);
  return p !== undefined && p.pduTag === RESPONSE_TAG && p.requestId === requestId && p.version === 1 && community.equals(p.community!);
}

/** One v2c GETBULK (non-repeaters 0). */
export function communityGetBulk(agent: CommunityAgent, oids: string[], maxRepetitions: number, onEnd?: OnAnswerEnd): Promise<Varbind[][]> {
  const requestId = nextRequestId();
  const request = encodeCommunityMessage({
    version: '2c',
    community: agent.community,
    pdu: { type: 'GetBulkRequest', requestId, errorStatus: 0, errorIndex: maxRepetitions, varbinds: bulkVarbinds(oids) },
  });
  return exchange(agent, request, (msg) => {
    if (onEnd) announceEnd(msg, requestId, oids.length, onEnd, agent.community);
    const d = decodeMessage(msg);
    if (!d.ok) {
      // the next request may have left from this answer already (announceEnd): failing here
      // ends the walk instead of retrying and then taking that request's answer as the next
      return isCommunityAnswer(msg, requestId, agent.community) ? new BadResponseError(`malformed response: ${d.error.reason} at byte ${d.error.offset}`) : undefined;
    }
    if (d.value.version === '3') return undefined;
    const m = d.value;
    if (m.pdu.type !== 'Response' || m.pdu.requestId !== requestId) return undefined;
    if (m.version !== '2c') {
      return new snmp.ResponseInvalidError(`Version in response '${m.version}' does not match the request`, snmp.ResponseInvalidCode.EVersionNoMatch);
    }
    if (!m.community.equals(agent.community)) {
      return new snmp.ResponseInvalidError('Community in request does not match community in response', snmp.ResponseInvalidCode.ECommunityNoMatch);
    }
    return pduError(m.pdu) ?? byColumn(oids.length, m.pdu.varbinds);
  });
}
