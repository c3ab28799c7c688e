export type { SnmpClient, SnmpTarget, Varbind, VarbindType, WalkOptions, TableRow } from './types.ts';
export { createSnmpClient, type SnmpClientOptions, type NetpulseSnmpClient } from './client.ts';
export { autoSnmpThreads, stopSnmpThreads, MAX_SNMP_THREADS } from './threaded-client.ts';
export { checkCredentialSupported, credentialProblems, isDesAvailable } from './credentials.ts';
export { SnmpWalkError, agentLabel } from './errors.ts';
export { formatVarbind, formatValue, numericOid, type OidFormatter } from './format.ts';
export { compareOids, isInSubtree, normalizeOid, oidSuffix } from './oid.ts';
export * from './index-decode.ts';
export { bufferToBigint, isException } from './varbind.ts';
