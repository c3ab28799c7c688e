export * from './types.ts';
export { decodeMessage, decodeScopedPdu, encodeCommunityMessage, encodeScopedPdu, oidToBer, varbindSize } from './message.ts';
export { parseOid, compareOids, encodeOidContent, BerWriter, BerReader, WireDecodeError } from './ber.ts';
export {
  AUTH_ALGORITHMS, PRIV_ALGORITHMS, passwordToKey, localizeKey, localizedKey, privacyKey, hmac,
  encryptScopedPdu, decryptScopedPdu,
} from './usm-crypto.ts';
export {
  USM_STATS_OIDS, deriveUserKeys, unwrapV3, encodeV3, levelOf,
  type UsmErrorKind, type UsmUserKeys, type LocalEngine, type UnwrapResult, type EncodeV3Options,
} from './usm.ts';
export { buildReport, discoveryRequest } from './reports.ts';
export { peekResponse, type ResponsePeek } from './peek.ts';
export { isAscendingList } from './varbind-list.ts';
