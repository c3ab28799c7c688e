import type { ScopedPdu } from './types.ts';
import { USM_STATS_OIDS, type UsmErrorKind } from './usm.ts';

/**
 * The Report PDU an agent answers a failed USM check with: one usmStats varbind whose value is
 * the counter. Put it in a scopedPDU with the agent's engine ID; per RFC 3414 it is sent
 * noAuthNoPriv except for notInTimeWindow (signed with the user's keys when they are known).
 */
export function buildReport(error: UsmErrorKind, counter: number, requestId: number, contextEngineId: Buffer, contextName: Buffer = Buffer.alloc(0)): ScopedPdu {
  return {
    contextEngineId,
    contextName,
    pdu: {
      type: 'Report',
      requestId,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid: USM_STATS_OIDS[error], type: 'Counter32', value: counter >>> 0 }],
    },
  };
}

/** The engine-discovery probe a manager sends first (empty engine ID and user, reportable). */
export function discoveryRequest(msgId: number, requestId: number): Parameters<typeof import('./usm.ts').encodeV3>[0] {
  return {
    msgId,
    reportable: true,
    level: 'noAuthNoPriv',
    engineId: Buffer.alloc(0),
    engineBoots: 0,
    engineTime: 0,
    userName: '',
    scopedPdu: {
      contextEngineId: Buffer.alloc(0),
      contextName: Buffer.alloc(0),
      pdu: { type: 'GetRequest', requestId, errorStatus: 0, errorIndex: 0, varbinds: [] },
    },
  };
}
