/**
 * GETBULK for SNMPv2c on the lean wire codec (src/snmp/wire) instead of net-snmp: the hot
 * path of walks and tables. On a busy machine a walk's wall time follows its CPU time, and
 * net-snmp spends most of ours per response (asn1-ber objects, its request map, then our
 * conversion of its varbinds). The request rides on the session's virtual socket; while it
 * is pending the socket's `intercept` sees replies first. Anything that is not the answer
 * (a stray, a late reply, a datagram the codec rejects) goes on to net-snmp as before, so a
 * malformed reply is still remembered and reported instead of the timeout.
 * Errors are net-snmp's own error types, so errors.ts classifies them as for net-snmp.
 */
import type dgram from 'node:dgram';
import snmp from 'net-snmp';
import type { VirtualSocket } from './socket-mux.ts';
import type { Varbind } from './types.ts';
import { decodeMessage, encodeCommunityMessage, type CommunityMessage, type WireVarbind } from './wire/index.ts';

export interface CommunityAgent {
  socket: VirtualSocket;
  address: string;
  port: number;
  community: Buffer;
  timeoutMs: number;
  retries: number;
}

let lastRequestId = 1 + Math.floor(Math.random() * 0x7ffffffe);

function nextRequestId(): number {
  lastRequestId = lastRequestId >= 0x7ffffffe ? 1 : lastRequestId + 1;
  return lastRequestId;
}

/** The datagram carries views into itself; keep copies so the datagram can be freed. */
function own(vb: WireVarbind): Varbind {
  const v = vb.value;
  return { oid: vb.oid, type: vb.type, value: Buffer.isBuffer(v) ? Buffer.from(v) : v };
}

/** Varbinds of a GETBULK without non-repeaters, per requested OID (they come row by row). */
function byColumn(columns: number, vbs: WireVarbind[]): Varbind[][] {
  const out: Varbind[][] = Array.from({ length: columns }, () => []);
  for (let i = 0; i < vbs.length; i++) out[i % columns].push(own(vbs[i]));
  return out;
}

function responseError(m: CommunityMessage, agent: CommunityAgent): Error | undefined {
  if (m.version !== '2c') {
    return new snmp.ResponseInvalidError(`Version in response '${m.version}' does not match the request`, snmp.ResponseInvalidCode.EVersionNoMatch);
  }
  if (!m.community.equals(agent.community)) {
    return new snmp.ResponseInvalidError('Community in request does not match community in response', snmp.ResponseInvalidCode.ECommunityNoMatch);
  }
  const pdu = m.pdu;
  if (pdu.type !== 'Response' || pdu.errorStatus === 0) return undefined;
  const status = snmp.ErrorStatus[pdu.errorStatus] ?? 'GeneralError';
  const code = snmp.ErrorStatus[status] ?? pdu.errorStatus;
  const at = pdu.errorIndex > 0 && pdu.errorIndex <= pdu.varbinds.length ? pdu.varbinds[pdu.errorIndex - 1].oid : undefined;
  return new snmp.RequestFailedError(at ? `${status}: ${at}` : status, code);
}

/** One GETBULK (non-repeaters 0) with net-snmp's timeout/retry semantics: retries resend the same request id. */
export function communityGetBulk(agent: CommunityAgent, oids: string[], maxRepetitions: number): Promise<Varbind[][]> {
  const requestId = nextRequestId();
  const request = encodeCommunityMessage({
    version: '2c',
    community: agent.community,
    pdu: { type: 'GetBulkRequest', requestId, errorStatus: 0, errorIndex: maxRepetitions, varbinds: oids.map((oid) => ({ oid, type: 'Null', value: null })) },
  });
  const { socket } = agent;
  return new Promise<Varbind[][]>((resolve, reject) => {
    let retriesLeft = agent.retries;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      if (socket.intercept === onReply) socket.intercept = undefined;
    };
    const onReply = (msg: Buffer, rinfo: dgram.RemoteInfo): boolean => {
      if (rinfo.port !== agent.port || rinfo.address !== agent.address) return false;
      const d = decodeMessage(msg);
      if (!d.ok || d.value.version === '3') return false;
      const m = d.value;
      if (m.pdu.type !== 'Response' || m.pdu.requestId !== requestId) return false;
      finish();
      const err = responseError(m, agent);
      if (err) reject(err);
      else resolve(byColumn(oids.length, m.pdu.varbinds));
      return true;
    };
    const send = () =>
      socket.send(request, 0, request.length, agent.port, agent.address, (err) => {
        if (err) {
          finish();
          reject(err);
        }
      });
    const onTimeout = () => {
      if (retriesLeft-- > 0) {
        send();
        timer = setTimeout(onTimeout, agent.timeoutMs);
      } else {
        finish();
        reject(new snmp.RequestTimedOutError('Request timed out'));
      }
    };
    socket.intercept = onReply;
    timer = setTimeout(onTimeout, agent.timeoutMs);
    send();
  });
}
