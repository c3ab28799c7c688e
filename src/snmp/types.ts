import type { Credential } from '../model/credentials.ts';

export type VarbindType =
  | 'Integer' | 'OctetString' | 'Null' | 'OID' | 'IpAddress' | 'Counter32' | 'Gauge32'
  | 'TimeTicks' | 'Opaque' | 'Counter64' | 'Boolean' | 'BitString'
  | 'NoSuchObject' | 'NoSuchInstance' | 'EndOfMibView';

/**
 * One decoded varbind. `oid` is dotted numeric without a leading dot.
 * Integer/Counter32/Gauge32/TimeTicks: number; Counter64: bigint; OctetString/Opaque: Buffer;
 * OID and IpAddress: string; Null and the exceptions: null.
 */
export interface Varbind {
  oid: string;
  type: VarbindType;
  value: number | bigint | Buffer | string | boolean | null;
}

/**
 * Called with a GETBULK answer's last row (its last varbind per requested OID, in request
 * order; fewer when the answer is shorter) once the answer is known to be a successful Response
 * to the request (authenticated and decrypted for v3), before its list is decoded: a walk sends
 * its next request from there while the rest is decoded.
 */
export type OnAnswerEnd = (lastRow: AnswerEnd[], varbinds: number) => void;

export interface AnswerEnd {
  oid: string;
  /** noSuchObject, noSuchInstance or endOfMibView */
  exception: boolean;
}

export interface SnmpTarget {
  /** IPv4/IPv6 address or host name */
  address: string;
  port: number;
  credential: Credential;
  timeoutMs: number;
  retries: number;
  /** GETBULK max-repetitions (v2c/v3); backs off on tooBig and timeouts */
  maxRepetitions: number;
}

export interface WalkOptions {
  /** stop after this many varbinds (error naming device and OID) */
  maxVarbinds?: number;
  /** stop after this many ms (error naming device and OID) */
  maxDurationMs?: number;
  /** force GETNEXT even on v2c/v3 */
  useGetNext?: boolean;
}

export interface TableRow {
  /** the row index as the dotted suffix after the column OID */
  index: string;
  /** column OID → varbind */
  values: Map<string, Varbind>;
}

/**
 * The small interface the poller, traps and topology use (after Telegraf's `Connection`);
 * a fake implements it in unit tests. Errors are NetpulseError with kind
 * 'timeout' | 'auth' | 'walk-loop' | 'walk-cap' | 'protocol' | 'tooBig' | 'config'.
 */
export interface SnmpClient {
  get(target: SnmpTarget, oids: string[]): Promise<Varbind[]>;
  walk(target: SnmpTarget, rootOid: string, opts?: WalkOptions): Promise<Varbind[]>;
  /** walks each column (GETBULK over all columns at once where possible) and groups by index */
  table(target: SnmpTarget, columnOids: string[], opts?: WalkOptions): Promise<TableRow[]>;
  close(): Promise<void>;
}
