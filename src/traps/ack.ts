import { encodeCommunityMessage, encodeV3 } from '../snmp/wire/index.ts';
import type { LocalEngine } from './engine.ts';
import type { Accepted } from './security.ts';

/** The Response to an inform: same request-id and varbinds (RFC 3416 §4.2.7); v3 from our engine. */
export function encodeInformAck(a: Accepted, local: LocalEngine): Buffer {
  const pdu = a.pdu as Extract<Accepted['pdu'], { requestId: number }>;
  const response = { type: 'Response' as const, requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: pdu.varbinds };
  if (a.version !== '3') return encodeCommunityMessage({ version: '2c', community: a.communitySecret!, pdu: response });
  const v3 = a.v3!;
  const l = local.snapshot();
  return encodeV3({
    msgId: v3.msgId,
    reportable: false,
    level: v3.level,
    engineId: l.engineId,
    engineBoots: l.engineBoots,
    engineTime: l.engineTime,
    userName: v3.userName,
    keys: v3.keys,
    scopedPdu: { contextEngineId: a.contextEngineId ?? l.engineId, contextName: Buffer.from(a.contextName ?? ''), pdu: response },
  });
}
