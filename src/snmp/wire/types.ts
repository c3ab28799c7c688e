import type { Varbind } from '../types.ts';

export type PduType =
  | 'GetRequest' | 'GetNextRequest' | 'Response' | 'SetRequest' | 'TrapV1'
  | 'GetBulkRequest' | 'InformRequest' | 'TrapV2' | 'Report';

export const PDU_TAG: Record<PduType, number> = {
  GetRequest: 0xa0, GetNextRequest: 0xa1, Response: 0xa2, SetRequest: 0xa3, TrapV1: 0xa4,
  GetBulkRequest: 0xa5, InformRequest: 0xa6, TrapV2: 0xa7, Report: 0xa8,
};

export const PDU_BY_TAG: Record<number, PduType> = Object.fromEntries(
  Object.entries(PDU_TAG).map(([k, v]) => [v, k as PduType]),
);

/** A varbind; `oidBer` optionally carries the pre-encoded OID content bytes (encoder fast path). */
export interface WireVarbind extends Varbind {
  oidBer?: Buffer;
}

/** Every PDU except the v1 Trap. For GetBulkRequest errorStatus = non-repeaters, errorIndex = max-repetitions. */
export interface Pdu {
  type: Exclude<PduType, 'TrapV1'>;
  requestId: number;
  errorStatus: number;
  errorIndex: number;
  varbinds: WireVarbind[];
}

export interface TrapV1Pdu {
  type: 'TrapV1';
  enterprise: string;
  agentAddr: string;
  genericTrap: number;
  specificTrap: number;
  timestamp: number;
  varbinds: WireVarbind[];
}

export type AnyPdu = Pdu | TrapV1Pdu;

export interface CommunityMessage {
  version: '1' | '2c';
  community: Buffer;
  pdu: AnyPdu;
}

export interface UsmSecurityParameters {
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  userName: Buffer;
  authParams: Buffer;
  privParams: Buffer;
}

export interface ScopedPdu {
  contextEngineId: Buffer;
  contextName: Buffer;
  pdu: AnyPdu;
}

export interface MsgFlags {
  auth: boolean;
  priv: boolean;
  reportable: boolean;
}

export interface V3Message {
  version: '3';
  msgId: number;
  msgMaxSize: number;
  flags: MsgFlags;
  securityModel: number;
  usm: UsmSecurityParameters;
  /** present when the message is not encrypted */
  scopedPdu?: ScopedPdu;
  /** present when the priv flag is set: decrypt with `unwrapV3` */
  encryptedPdu?: Buffer;
  /** the datagram and where msgAuthenticationParameters' content starts in it (for HMAC) */
  raw: Buffer;
  authParamsOffset: number;
}

export type SnmpMessage = CommunityMessage | V3Message;

export interface WireError {
  kind: 'malformed';
  reason: string;
  offset: number;
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** SNMP error-status values (RFC 3416) */
export const ERROR_STATUS = {
  noError: 0, tooBig: 1, noSuchName: 2, badValue: 3, readOnly: 4, genErr: 5, noAccess: 6,
  wrongType: 7, wrongLength: 8, wrongEncoding: 9, wrongValue: 10, noCreation: 11,
  inconsistentValue: 12, resourceUnavailable: 13, commitFailed: 14, undoFailed: 15,
  authorizationError: 16, notWritable: 17, inconsistentName: 18,
} as const;
