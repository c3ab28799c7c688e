/**
 * What the main thread and an SNMP thread (snmp-thread.ts) say to each other. A client's options
 * go with its first operation on a thread only.
 */
import type { NetpulseSnmpClient, SnmpClientOptions } from './client.ts';
import type { SnmpTarget, WalkOptions } from './types.ts';
import type { PackedError, PackedRows, PackedVarbinds } from './varbind-transfer.ts';

export type ThreadRequest =
  | { t: 'get'; id: number; client: number; options?: SnmpClientOptions; target: SnmpTarget; oids: string[] }
  | { t: 'walk'; id: number; client: number; options?: SnmpClientOptions; target: SnmpTarget; root: string; opts?: WalkOptions }
  | { t: 'table'; id: number; client: number; options?: SnmpClientOptions; target: SnmpTarget; columns: string[]; opts?: WalkOptions }
  | { t: 'close'; id: number; client: number };

export type ThreadStats = ReturnType<NetpulseSnmpClient['stats']>;

export type ThreadReply =
  | { t: 'varbinds'; id: number; data: PackedVarbinds; stats: ThreadStats }
  | { t: 'rows'; id: number; data: PackedRows; stats: ThreadStats }
  | { t: 'closed'; id: number; stats: ThreadStats }
  | { t: 'error'; id: number; error: PackedError; stats: ThreadStats };
