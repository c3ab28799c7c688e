/**
 * What the main thread and an SNMP thread (snmp-thread.ts) say to each other. A client's options
 * go with its first operation on a thread only; a target's host name is looked up on the main thread.
 */
import type { NetpulseSnmpClient, SnmpClientOptions } from './client.ts';
import type { LookedUpTarget } from './agent-address.ts';
import type { WalkOptions } from './types.ts';
import type { PackedError, PackedRows, PackedVarbinds } from './varbind-transfer.ts';

export type ThreadRequest =
  | { t: 'get'; id: number; client: number; options?: SnmpClientOptions; target: LookedUpTarget; oids: string[] }
  | { t: 'walk'; id: number; client: number; options?: SnmpClientOptions; target: LookedUpTarget; root: string; opts?: WalkOptions }
  | { t: 'table'; id: number; client: number; options?: SnmpClientOptions; target: LookedUpTarget; columns: string[]; opts?: WalkOptions }
  | { t: 'close'; id: number; client: number };

export type ThreadStats = ReturnType<NetpulseSnmpClient['stats']>;

export type ThreadReply =
  | { t: 'varbinds'; id: number; data: PackedVarbinds; stats: ThreadStats }
  | { t: 'rows'; id: number; data: PackedRows; stats: ThreadStats }
  | { t: 'closed'; id: number; stats: ThreadStats }
  | { t: 'error'; id: number; error: PackedError; stats: ThreadStats };
